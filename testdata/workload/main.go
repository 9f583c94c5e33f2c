// A small, deterministic-in-shape Go workload whose CPU and heap profiles are
// committed in testdata/ (regenerate with scripts/make-testdata.sh). It mixes
// hashing, compression, JSON, sorting and regexp work, with some inlining, so
// the profiles look like a real service's.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"
)

type record struct {
	ID    int               `json:"id"`
	Name  string            `json:"name"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
}

var sink []byte
var retained [][]byte

// Contention for the mutex and block profiles: workers share a cache lock and
// hand results over an unbuffered channel.
var cacheMu sync.Mutex
var cache = map[int][32]byte{}

func cacheLookup(k int, b []byte) [32]byte {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if v, ok := cache[k]; ok {
		return v
	}
	v := sha256.Sum256(b)
	for i := 0; i < 200; i++ {
		v = sha256.Sum256(v[:])
	}
	cache[k%64] = v
	return v
}

func worker(id int, jobs <-chan []byte, results chan<- [32]byte) {
	for b := range jobs {
		results <- cacheLookup(id*1000+len(b), b)
	}
}

// Goroutines parked forever, for the goroutine profile (a leak's shape).
func parkForever(ch chan struct{}) { <-ch }

func makeRecords(r *rand.Rand, n int) []record {
	out := make([]record, n)
	for i := range out {
		out[i] = record{ID: r.Int(), Name: fmt.Sprintf("record-%d", r.Intn(1000)),
			Tags: []string{"a", "b", strings.Repeat("x", r.Intn(16))}, Attrs: map[string]string{"k": "v"}}
	}
	return out
}

func encodeJSON(recs []record) []byte {
	b, _ := json.Marshal(recs)
	return b
}

func decodeJSON(b []byte) []record {
	var out []record
	_ = json.Unmarshal(b, &out)
	return out
}

func compress(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

// Variants for testdata/diff (scripts/make-testdata.sh): -slow makes hashAll
// three times slower and doubles the scratch allocation; -leak keeps every
// compressed buffer; -parked leaks goroutines.
var slowFactor, allocFactor = 1, 1
var leakEvery = 20

func scratchBuffer() []byte { return make([]byte, 8<<10*allocFactor) }

func hashAll(b []byte, rounds int) [32]byte {
	sum := sha256.Sum256(b)
	for i := 0; i < rounds*slowFactor; i++ {
		sum = sha256.Sum256(sum[:])
	}
	return sum
}

func sortRecords(recs []record) {
	sort.Slice(recs, func(i, j int) bool { return recs[i].Name < recs[j].Name })
}

var nameRx = regexp.MustCompile(`record-(\d+)7$`)

func matchNames(recs []record) int {
	n := 0
	for _, r := range recs {
		if nameRx.MatchString(r.Name) {
			n++
		}
	}
	return n
}

func handleRequest(r *rand.Rand) {
	recs := makeRecords(r, 200)
	b := encodeJSON(recs)
	back := decodeJSON(b)
	sortRecords(back)
	_ = matchNames(back)
	z := compress(b)
	h := hashAll(z, 400)
	scratch := scratchBuffer()
	copy(scratch, h[:])
	sink = scratch[:32]
	if r.Intn(leakEvery) == 0 {
		retained = append(retained, z) // a slow leak, visible in the heap profile
	}
}

func main() {
	cpuOut := flag.String("cpu", "cpu.pb.gz", "CPU profile output")
	heapOut := flag.String("heap", "heap.pb.gz", "heap profile output")
	prefix := flag.String("prefix", "", "also write PREFIX.{mutex,block,goroutine}.pb.gz")
	slow := flag.Bool("slow", false, "hashAll 3x slower, scratch allocation doubled")
	leak := flag.Bool("leak", false, "retain every compressed buffer")
	parked := flag.Int("parked", 25, "goroutines parked forever")
	seconds := flag.Float64("seconds", 2, "how long to run")
	flag.Parse()
	if *slow {
		slowFactor, allocFactor = 3, 2
	}
	if *leak {
		leakEvery = 1
	}
	runtime.MemProfileRate = 4096
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1000)
	jobs, results := make(chan []byte), make(chan [32]byte)
	for i := 0; i < 4; i++ {
		go worker(i, jobs, results)
	}
	never := make(chan struct{})
	for i := 0; i < *parked; i++ {
		go parkForever(never)
	}
	f, err := os.Create(*cpuOut)
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	r := rand.New(rand.NewSource(1))
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	for n := 0; time.Now().Before(deadline); n++ {
		handleRequest(r)
		if n%4 == 0 { // four jobs at once: the workers contend for cacheMu
			for k := 0; k < 4; k++ {
				go func(b []byte) { jobs <- b }(append([]byte{byte(k)}, sink...))
			}
			for k := 0; k < 4; k++ {
				<-results
			}
		}
	}
	pprof.StopCPUProfile()
	f.Close()
	h, err := os.Create(*heapOut)
	if err != nil {
		panic(err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(h); err != nil {
		panic(err)
	}
	h.Close()
	if *prefix != "" {
		for _, name := range []string{"mutex", "block", "goroutine"} {
			out, err := os.Create(*prefix + "." + name + ".pb.gz")
			if err != nil {
				panic(err)
			}
			if err := pprof.Lookup(name).WriteTo(out, 0); err != nil {
				panic(err)
			}
			out.Close()
		}
	}
}
