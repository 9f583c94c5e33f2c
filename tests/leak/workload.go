// Command workload is a deterministic leak generator for the pprofx leak
// tests: `workload -out DIR [-snapshots 5] [-interval 200ms] [-crash]`.
//
// Steady state (8 main.poolWorker, one main.lockedWorker, 4 MiB in
// main.steadyBuffers) is started once; each step then grows two goroutine
// leaks (main.leakedReceiver +3, main.leakedSelector +2) and a heap leak
// (main.grow +1 MiB), adds non-monotone noise (main.fluctuating, main.churn)
// and a step-2 spike (main.spike, main.heapSpike), and writes
// goroutine.N.{pb.gz,debug1.txt,debug2.txt} and heap.N.pb.gz to DIR. The test
// parses these dumps and expects `trend` to flag only the growing functions;
// -crash panics at the end (exit 2) so stderr holds a GOTRACEBACK=all dump.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"
)

const mib = 1 << 20

var (
	steady      [][]byte // steady heap pool, kept forever
	cache       [][]byte // heap leak, never freed
	churnBuf    []byte   // fluctuating heap, replaced every step
	spikeBuf    []byte   // heap spike, only held during snapshot 3
	work        = make(chan int)
	goPattern   = [5]int{3, 1, 4, 1, 5} // live main.fluctuating per step
	heapPattern = [5]int{4, 1, 3, 1, 2} // MiB held by main.churn per step
)

// Steady state: startPool starts 8 poolWorker goroutines waiting for work
// nobody ever sends, lockedWorker pins itself to an OS thread and blocks
// forever, and steadyBuffers keeps 4 MiB. None of these grow.
//
//go:noinline
func startPool() {
	for i := 0; i < 8; i++ {
		go poolWorker()
	}
}

//go:noinline
func poolWorker() {
	for range work {
	}
}

//go:noinline
func lockedWorker(ch chan int) {
	runtime.LockOSThread()
	<-ch
}

//go:noinline
func steadyBuffers() {
	steady = [][]byte{make([]byte, mib), make([]byte, mib), make([]byte, mib), make([]byte, mib)}
}

// Leak 1: startReceivers leaks 3 leakedReceiver goroutines per step, each
// blocked forever on its own never-closed channel.
//
//go:noinline
func startReceivers() {
	for i := 0; i < 3; i++ {
		go leakedReceiver(make(chan int))
	}
}

//go:noinline
func leakedReceiver(ch chan int) {
	<-ch
}

// Leak 2: startSelectors leaks 2 leakedSelector goroutines per step, each
// blocked forever in a select over two never-ready channels.
//
//go:noinline
func startSelectors() {
	for i := 0; i < 2; i++ {
		go leakedSelector(make(chan int), make(chan int))
	}
}

//go:noinline
func leakedSelector(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}

// Heap leak: leakCache keeps 1 MiB per step, allocated in grow.
//
//go:noinline
func leakCache() {
	cache = append(cache, grow())
}

//go:noinline
func grow() []byte {
	return make([]byte, mib)
}

// Transient goroutines: fluctuating (per-step noise) and spike (step 2
// only) live until the snapshot of their step has been written.
//
//go:noinline
func fluctuating(release chan struct{}, wg *sync.WaitGroup) {
	<-release
	wg.Done()
}

//go:noinline
func spike(release chan struct{}, wg *sync.WaitGroup) {
	<-release
	wg.Done()
}

// Transient heap: churn replaces its buffer each step (the old one becomes
// garbage); heapSpike holds 16 MiB during snapshot 3 only.
//
//go:noinline
func churn(n int) {
	churnBuf = make([]byte, n*mib)
}

//go:noinline
func heapSpike() {
	spikeBuf = make([]byte, 16*mib)
}

// fail reports an error on stderr and exits 1.
func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "workload: "+format+"\n", args...)
	os.Exit(1)
}

// writeProfile writes profile name to DIR/sprintf(file, n) and closes it.
func writeProfile(dir, file string, n int, name string, dbg int) {
	path := filepath.Join(dir, fmt.Sprintf(file, n))
	f, err := os.Create(path)
	if err != nil {
		fail("%v", err)
	}
	if err := pprof.Lookup(name).WriteTo(f, dbg); err != nil {
		fail("writing %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		fail("closing %s: %v", path, err)
	}
}

func main() {
	runtime.MemProfileRate = 1 // record every allocation

	out := flag.String("out", "", "directory for the snapshot files (required)")
	snapshots := flag.Int("snapshots", 5, "number of snapshots")
	interval := flag.Duration("interval", 200*time.Millisecond, "pause between snapshots")
	crash := flag.Bool("crash", false, "panic after the last snapshot")
	flag.Parse()
	if *out == "" || *snapshots < 1 || flag.NArg() != 0 {
		fail("usage: workload -out DIR [-snapshots 5] [-interval 200ms] [-crash]")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail("%v", err)
	}

	// Steady state, started once: must not look like leaks.
	startPool()
	go lockedWorker(make(chan int))
	steadyBuffers()

	for i := 0; i < *snapshots; i++ {
		startReceivers()
		startSelectors()
		leakCache()

		// Step-scoped goroutines, released right after this snapshot.
		release, wg := make(chan struct{}), &sync.WaitGroup{}
		wg.Add(goPattern[i%5])
		for j := 0; j < goPattern[i%5]; j++ {
			go fluctuating(release, wg)
		}
		if i == 2 {
			wg.Add(20)
			for j := 0; j < 20; j++ {
				go spike(release, wg)
			}
			heapSpike()
		}
		churn(heapPattern[i%5])

		// Let every new goroutine block, then make the heap profile current.
		time.Sleep(100 * time.Millisecond)
		runtime.GC()
		runtime.GC()

		writeProfile(*out, "goroutine.%d.pb.gz", i+1, "goroutine", 0)
		writeProfile(*out, "goroutine.%d.debug1.txt", i+1, "goroutine", 1)
		writeProfile(*out, "goroutine.%d.debug2.txt", i+1, "goroutine", 2)
		writeProfile(*out, "heap.%d.pb.gz", i+1, "heap", 0)

		// Release this step's transient goroutines and spike buffer.
		close(release)
		wg.Wait()
		spikeBuf = nil
		time.Sleep(*interval)
	}

	if *crash {
		debug.SetTraceback("all")
		panic("leak workload: crash on purpose")
	}
	fmt.Printf("wrote %d snapshots to %s\n", *snapshots, *out)
}
