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

func hashAll(b []byte, rounds int) [32]byte {
	sum := sha256.Sum256(b)
	for i := 0; i < rounds; i++ {
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
	h := hashAll(z, 50)
	sink = h[:]
	if r.Intn(20) == 0 {
		retained = append(retained, z) // a slow leak, visible in the heap profile
	}
}

func main() {
	cpuOut := flag.String("cpu", "cpu.pb.gz", "CPU profile output")
	heapOut := flag.String("heap", "heap.pb.gz", "heap profile output")
	seconds := flag.Float64("seconds", 2, "how long to run")
	flag.Parse()
	runtime.MemProfileRate = 4096
	f, err := os.Create(*cpuOut)
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	r := rand.New(rand.NewSource(1))
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	for time.Now().Before(deadline) {
		handleRequest(r)
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
}
