// fold-oracle: folded stacks of a profile computed with pprof's own profile
// package (Debian's golang-github-google-pprof-dev), the reference that
// `pprofx fold` is checked against (tests/golden/fold/).
//
//	fold-oracle PROFILE [SAMPLE_INDEX] [-tagroot=KEY,...] [-tagleaf=KEY,...]
//	fold-oracle PROFILE -types    (prints the number of sample types)
//
// -tagroot/-tagleaf add pprof's label frames (driver/tagroot.go) after the
// pruning, as go tool pprof does: per key a frame named by the sample's string
// values for it joined with "," ("" when none: "<unknown>"); the first root key
// outermost, the last leaf key innermost. Keys with numeric values are refused
// (their formatting is pprof's internal measurement package).
//
// It parses with profile.Parse, prunes with RemoveUninteresting (the
// profile's drop_frames, as go tool pprof does), and folds every sample root
// first with inlined frames expanded, naming frames as pprof's top rows are
// named at function granularity: the function name, else "[binary]" for the
// mapping, else "<unknown>". Stacks are summed; those with a positive sum are
// printed, sorted bytewise, as "a;b;c N". ';' in names becomes ':'.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/pprof/profile"
)

func labelFrames(s *profile.Sample, keys []string) []*profile.Location {
	var out []*profile.Location
	for i := len(keys) - 1; i >= 0; i-- {
		k := keys[i]
		if len(s.NumLabel[k]) > 0 {
			fmt.Fprintf(os.Stderr, "label %s has numeric values: not supported here\n", k)
			os.Exit(3)
		}
		fn := &profile.Function{Name: strings.Join(s.Label[k], ","), Filename: k}
		out = append(out, &profile.Location{Line: []profile.Line{{Function: fn}}})
	}
	return out
}

func splitKeys(list string) []string {
	var keys []string
	for _, k := range strings.Split(list, ",") {
		if k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

func frameName(fn *profile.Function, m *profile.Mapping) string {
	if fn != nil && fn.Name != "" {
		// pprofx's folded output (issue 21): ';' -> ':', every line break str.splitlines knows -> ' '.
		return strings.NewReplacer(";", ":", "\n", " ", "\r", " ", "\v", " ", "\f", " ", "\x1c", " ", "\x1d", " ",
			"\x1e", " ", "\u0085", " ", "\u2028", " ", "\u2029", " ").Replace(fn.Name)
	}
	if m != nil && m.File != "" {
		return "[" + filepath.Base(m.File) + "]"
	}
	return "<unknown>"
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fold-oracle PROFILE [SAMPLE_INDEX]")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p, err := profile.Parse(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if len(os.Args) > 2 && os.Args[2] == "-types" {
		fmt.Println(len(p.SampleType))
		return
	}
	p.RemoveUninteresting()
	si := ""
	var rootKeys, leafKeys []string
	for _, a := range os.Args[2:] {
		switch {
		case strings.HasPrefix(a, "-tagroot="):
			rootKeys = splitKeys(strings.TrimPrefix(a, "-tagroot="))
		case strings.HasPrefix(a, "-tagleaf="):
			leafKeys = splitKeys(strings.TrimPrefix(a, "-tagleaf="))
		default:
			si = a
		}
	}
	for _, s := range p.Sample {
		var stack []*profile.Location
		stack = append(stack, labelFrames(s, leafKeys)...)
		stack = append(stack, s.Location...)
		s.Location = append(stack, labelFrames(s, rootKeys)...)
	}
	idx, err := p.SampleIndexByName(si)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sums := map[string]int64{}
	for _, s := range p.Sample {
		var frames []string
		for i := len(s.Location) - 1; i >= 0; i-- {
			l := s.Location[i]
			if len(l.Line) == 0 {
				frames = append(frames, frameName(nil, l.Mapping))
			}
			for j := len(l.Line) - 1; j >= 0; j-- {
				frames = append(frames, frameName(l.Line[j].Function, l.Mapping))
			}
		}
		if len(frames) == 0 {
			continue
		}
		sums[strings.Join(frames, ";")] += s.Value[idx]
	}
	var lines []string
	for k, v := range sums {
		if v > 0 {
			lines = append(lines, fmt.Sprintf("%s %d\n", k, v))
		}
	}
	sort.Strings(lines)
	w := bufio.NewWriter(os.Stdout)
	for _, l := range lines {
		w.WriteString(l)
	}
	w.Flush()
}
