// The workload of bench/bench_check_quality.py: a CPU-bound Go program shaped
// like a small service (hashing, sorting, JSON, string building, maps, CRCs)
// with three functions of known CPU share, about 2%, 5% and 20% of the
// profile: main.share2, main.share5 and main.share20. Each is a leaf (its flat
// share is its cum share) and -slow NAME=FACTOR makes one of them FACTOR times
// slower by doing FACTOR times its work (fractional factors scale its
// iteration count: 1.3 does 30% more iterations).
//
// It writes a CPU profile (runtime/pprof, 100 Hz) to -cpuprofile and runs
// until it has used -duration of CPU time (not wall time), so a profile has
// about 100 samples per second of -duration even under nice or load.
//
//	go build -o workload . && ./workload -cpuprofile cpu.pb.gz -duration 3s -slow share5=2
package main

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"hash/crc32"
	"math/rand"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Work units of the three target functions per request, calibrated on a
// 2-core x86-64 (Go 1.19) so that their shares are about 2%, 5% and 20%.
const (
	units2  = 166
	units5  = 220
	units20 = 305
)

var factors = map[string]float64{"share2": 1, "share5": 1, "share20": 1}

// Iterations for a target: its units times its factor, rounded.
func iters(name string, units int) int { return int(float64(units)*factors[name] + 0.5) }

var sink uint64
var sinkBytes []byte

// share20: a rolling polynomial hash over a buffer (FNV-like mixing).
//
//go:noinline
func share20(buf []byte, n int) uint64 {
	h := uint64(14695981039346656037)
	for k := 0; k < n; k++ {
		for _, c := range buf[:256] {
			h ^= uint64(c)
			h *= 1099511628211
			h = h<<7 | h>>57
		}
	}
	return h
}

// share5: a byte histogram with a running maximum.
//
//go:noinline
func share5(buf []byte, n int) uint64 {
	var hist [256]uint32
	var best uint32
	for k := 0; k < n; k++ {
		for _, c := range buf[:256] {
			hist[c]++
			if hist[c] > best {
				best = hist[c]
			}
		}
	}
	return uint64(best)
}

// share2: a small fixed-point dot product, the kind of scoring loop a ranking
// service has.
//
//go:noinline
func share2(w []int32, x []int32, n int) uint64 {
	var acc int64
	for k := 0; k < n; k++ {
		for i := 0; i < 128; i++ {
			acc += int64(w[i]*x[(i+k)&127]) >> 3
		}
	}
	return uint64(acc)
}

type item struct {
	ID    int               `json:"id"`
	Name  string            `json:"name"`
	Score float64           `json:"score"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
}

//go:noinline
func hashBlobs(blobs [][]byte) [32]byte {
	var sum [32]byte
	for _, b := range blobs {
		s := sha256.Sum256(b)
		for i := range sum {
			sum[i] ^= s[i]
		}
	}
	return sum
}

//go:noinline
func sortKeys(r *rand.Rand, n int) int {
	keys := make([]int, n)
	for i := range keys {
		keys[i] = r.Intn(1 << 20)
	}
	sort.Ints(keys)
	names := make([]string, n/4)
	for i := range names {
		names[i] = strconv.Itoa(keys[i*4] ^ 0x5a5a)
	}
	sort.Strings(names)
	return keys[n/2] + len(names[0])
}

//go:noinline
func renderLines(items []item) string {
	var sb strings.Builder
	for _, it := range items {
		sb.WriteString(it.Name)
		sb.WriteByte(' ')
		sb.WriteString(strconv.Itoa(it.ID))
		sb.WriteByte(' ')
		sb.WriteString(strconv.FormatFloat(it.Score, 'f', 3, 64))
		sb.WriteString(strings.Join(it.Tags, ","))
		sb.WriteByte('\n')
	}
	return sb.String()
}

//go:noinline
func encodeItems(items []item) []byte {
	b, _ := json.Marshal(items)
	return b
}

//go:noinline
func decodeItems(b []byte) int {
	var out []item
	_ = json.Unmarshal(b, &out)
	return len(out)
}

//go:noinline
func indexWords(text string) int {
	idx := map[string]int{}
	for _, w := range strings.Fields(text) {
		idx[w]++
	}
	return len(idx)
}

//go:noinline
func checksum(blobs [][]byte) uint32 {
	var c uint32
	for _, b := range blobs {
		c ^= crc32.ChecksumIEEE(b)
	}
	return c
}

func makeItems(r *rand.Rand, n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{ID: r.Intn(1 << 30), Name: fmt.Sprintf("item-%d", r.Intn(5000)), Score: r.Float64() * 100,
			Tags: []string{"a", "bb", strings.Repeat("c", r.Intn(8))}, Attrs: map[string]string{"k": strconv.Itoa(i)}}
	}
	return out
}

type state struct {
	r     *rand.Rand
	buf   []byte
	w, x  []int32
	blobs [][]byte
}

func handleRequest(s *state) {
	items := makeItems(s.r, 40)
	b := encodeItems(items)
	_ = decodeItems(b)
	text := renderLines(items)
	sink += uint64(indexWords(text))
	sink += uint64(sortKeys(s.r, 1500))
	h := hashBlobs(s.blobs)
	sink += uint64(checksum(s.blobs))
	s.buf[s.r.Intn(len(s.buf))] ^= h[0]
	sink += share20(s.buf, iters("share20", units20))
	sink += share5(s.buf, iters("share5", units5))
	sink += share2(s.w, s.x, iters("share2", units2))
	sinkBytes = b
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type slowFlag []string

func (s *slowFlag) String() string { return strings.Join(*s, ",") }
func (s *slowFlag) Set(v string) error {
	name, f, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("expected NAME=FACTOR")
	}
	name = strings.TrimPrefix(name, "main.")
	if _, known := factors[name]; !known {
		return fmt.Errorf("unknown function %q (share2, share5, share20)", name)
	}
	x, err := strconv.ParseFloat(f, 64)
	if err != nil || x <= 0 {
		return fmt.Errorf("bad factor %q", f)
	}
	factors[name] = x
	*s = append(*s, v)
	return nil
}

func main() {
	out := flag.String("cpuprofile", "cpu.pb.gz", "write the CPU profile to FILE")
	duration := flag.Duration("duration", 3*time.Second, "CPU time to run for")
	hz := flag.Int("hz", 100, "CPU profile sampling rate (Go's default: 100)")
	var slow slowFlag
	flag.Var(&slow, "slow", "NAME=FACTOR: make share2, share5 or share20 FACTOR times slower (repeatable)")
	flag.Parse()

	r := rand.New(rand.NewSource(7))
	s := &state{r: r, buf: make([]byte, 4096), w: make([]int32, 128), x: make([]int32, 128)}
	r.Read(s.buf)
	for i := range s.w {
		s.w[i], s.x[i] = int32(r.Intn(1<<12)), int32(r.Intn(1<<12))
	}
	for i := 0; i < 16; i++ {
		b := make([]byte, 2048)
		r.Read(b)
		s.blobs = append(s.blobs, b)
	}

	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *hz != 100 {
		// Set before StartCPUProfile, which then keeps this rate (and says so on stderr).
		runtime.SetCPUProfileRate(*hz)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	stop := cpuTime() + *duration
	requests := 0
	for ; requests < 10 || cpuTime() < stop; requests++ {
		handleRequest(s)
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%d requests\n", requests)
}
