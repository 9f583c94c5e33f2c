//go:build pprofxcgo

// The cgo build of the test program: a C function with its own DWARF
// (gcc's, with .debug_aranges) linked into the Go binary by the external
// linker. The runtime records the Go frames around the call (it has no C
// traceback), which must symbolize as the runtime named them.
package main

/*
#cgo CFLAGS: -O1 -g
__attribute__((noinline)) unsigned long c_spin(unsigned long n) {
	unsigned long h = 1;
	for (unsigned long i = 0; i < n; i++) h = h * 31 + i;
	return h;
}
*/
import "C"

//go:noinline
func cWork() uint64 { return uint64(C.c_spin(300000)) }
