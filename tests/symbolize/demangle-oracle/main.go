// demangle-oracle prints, for each name on stdin, what pprof's symbolizer
// makes of it (internal/symbolizer's demangleSingleFunction with the options
// of each -symbolize=demangle= mode), one line per name per mode:
//   MODE<TAB>NAME<TAB>RESULT
// Built by tests/symbolize/symbolize_test.py with Debian's golang-go and
// golang-github-ianlancetaylor-demangle-dev (GOPATH=/usr/share/gocode).
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/ianlancetaylor/demangle"
)

func options(mode string) []demangle.Option {
	switch mode {
	case "default":
		return []demangle.Option{demangle.NoParams, demangle.NoTemplateParams}
	case "templates":
		return []demangle.Option{demangle.NoParams}
	case "full":
		return []demangle.Option{demangle.NoClones}
	}
	return nil
}

func looksLikeDemangledCPlusPlus(demangled string) bool {
	if strings.Contains(demangled, ".<") {
		return false
	}
	if strings.Contains(demangled, "]).") {
		return false
	}
	return strings.ContainsAny(demangled, "<>[]") || strings.Contains(demangled, "::")
}

func removeMatching(name string, start, end byte) string {
	s := string(start) + string(end)
	var nesting, first, current int
	for index := strings.IndexAny(name[current:], s); index != -1; index = strings.IndexAny(name[current:], s) {
		switch current += index; name[current] {
		case start:
			nesting++
			if nesting == 1 {
				first = current
			}
		case end:
			nesting--
			switch {
			case nesting < 0:
				return name
			case nesting == 0:
				name = name[:first] + name[current+1:]
				current = first - 1
			}
		}
		current++
	}
	return name
}

func pprofDemangle(name string, opts []demangle.Option) string {
	o := make([]demangle.Option, len(opts))
	copy(o, opts)
	if d := demangle.Filter(name, o...); d != name {
		return d
	}
	if looksLikeDemangledCPlusPlus(name) {
		for _, op := range opts {
			switch op {
			case demangle.NoParams:
				name = removeMatching(name, '(', ')')
			case demangle.NoTemplateParams:
				name = removeMatching(name, '<', '>')
			}
		}
	}
	return name
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		name := in.Text()
		for _, mode := range []string{"default", "templates", "full"} {
			fmt.Fprintf(out, "%s\t%s\t%s\n", mode, name, pprofDemangle(name, options(mode)))
		}
	}
}
