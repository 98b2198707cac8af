//go:build cgo && linux

// Package memtrim hands memory back to the system after a burst of reads: the Go heap's free
// pages, ONNX Runtime's arena regions and the C allocator's free memory. ONNX Runtime
// allocates with malloc; glibc keeps freed blocks in its arenas, so a burst of large images
// would leave RSS high long after the work is done.
package memtrim

/*
#include <malloc.h>
*/
import "C"

// Trim returns free C heap memory to the system (glibc malloc_trim).
func Trim() { C.malloc_trim(0) }

// setAllocator fixes glibc's mmap and trim thresholds (mallopt), which also turns off their
// dynamic adjustment.
func setAllocator(mmapThreshold, trimThreshold int) {
	C.mallopt(C.M_MMAP_THRESHOLD, C.int(mmapThreshold))
	C.mallopt(C.M_TRIM_THRESHOLD, C.int(trimThreshold))
}
