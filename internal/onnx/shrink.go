//go:build cgo

package onnx

// arenaShrinkKey is ONNX Runtime's run option (onnxruntime_run_options_config_keys.h) that
// makes a run end by freeing every region of the listed arenas with no chunk in use. The CPU
// arena is shared by all sessions (registerSharedArena) and otherwise keeps the peak of the
// busiest moment for the life of the process.
const arenaShrinkKey = "memory.enable_memory_arena_shrinkage"

// arenaShrinkCPU names the arena to shrink: the CPU device's.
const arenaShrinkCPU = "cpu:0"
