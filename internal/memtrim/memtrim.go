//go:build cgo && linux

// Package memtrim hands memory the C allocator keeps after free back to the system. ONNX
// Runtime allocates its tensors with malloc; glibc keeps freed blocks in its arenas, so a
// burst of large images leaves RSS high long after the work is done.
package memtrim

/*
#include <malloc.h>
*/
import "C"

// Trim returns free C heap memory to the system (glibc malloc_trim).
func Trim() { C.malloc_trim(0) }
