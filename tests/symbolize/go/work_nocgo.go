//go:build !pprofxcgo

package main

// cWork calls C in the cgo build (work_cgo.go); here it does nothing.
func cWork() uint64 { return 0 }
