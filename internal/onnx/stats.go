package onnx

import (
	"sync/atomic"
	"time"
)

// runStats counts time spent inside the runtime's Run across all sessions. It is process-wide
// like the ORT environment itself, so a benchmark can split "inside ONNX Runtime" from
// "everything else" without the layers in between exposing their sessions.
var runStats struct {
	calls atomic.Int64
	nanos atomic.Int64
}

// RunStats reports how many model runs completed and the wall time spent in them (summed over
// concurrent runs), since the process started. Callers take differences.
func RunStats() (calls int64, total time.Duration) {
	return runStats.calls.Load(), time.Duration(runStats.nanos.Load())
}

func recordRun(d time.Duration) {
	runStats.calls.Add(1)
	runStats.nanos.Add(int64(d))
}
