//go:build !cgo || !linux

// Package memtrim hands memory the C allocator keeps after free back to the system.
package memtrim

// Trim does nothing without cgo on Linux: there is no C heap to trim.
func Trim() {}
