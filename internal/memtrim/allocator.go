package memtrim

import (
	"os"
	"strings"
)

// glibc's mmap threshold starts at 128 KiB but rises to the size of the largest mapped block
// freed, up to 32 MiB, and its trim threshold to twice that. After the first burst, ONNX
// Runtime's arena regions and large tensors were therefore carved from the per-thread malloc
// heaps, whose free tops malloc_trim does not hand back: 30 s after 2× load, RSS stayed at
// 1.11–1.52× the warm baseline depending on which thread's heap a region had landed in
// (`datalid probe --only recover`). With both thresholds fixed, each region is a mapping of
// its own and goes back to the system when the arena shrinks.
const (
	// mmapThreshold: blocks this large or larger get their own mapping. The arena's regions
	// (1 MiB and up) are all above it; the small blocks of model set-up stay in the heaps.
	mmapThreshold = 1 << 20
	// trimThreshold: a heap's free top larger than this is handed back at free.
	trimThreshold = 1 << 20
)

// TuneAllocator fixes glibc's thresholds as above, unless the operator has set malloc
// tunables in the environment (GLIBC_TUNABLES or the older MALLOC_*_ variables): theirs win.
// It reports whether it changed anything. Call it once at start, before the runtime loads.
func TuneAllocator() bool {
	if operatorTuned(os.Environ()) {
		return false
	}
	setAllocator(mmapThreshold, trimThreshold)
	return true
}

// operatorTuned reports whether env sets glibc's malloc thresholds itself.
func operatorTuned(env []string) bool {
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if k == "GLIBC_TUNABLES" && strings.Contains(v, "glibc.malloc.") ||
			strings.HasPrefix(k, "MALLOC_") && strings.HasSuffix(k, "_") {
			return true
		}
	}
	return false
}
