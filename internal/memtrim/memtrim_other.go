//go:build !cgo || !linux

// Package memtrim hands memory back to the system after a burst of reads.
package memtrim

// Trim does nothing without cgo on Linux: there is no C heap to trim.
func Trim() {}

// setAllocator does nothing without cgo on Linux: there is no C allocator to tune.
func setAllocator(mmapThreshold, trimThreshold int) {}
