package engine

import (
	"context"
	"sync"
	"testing"
)

// TestWarmupFillsTheDetector: the warm-up read, on which serve measures its admission prior,
// feeds the detector a full-size input as every camera photo does. At 640×480 it cost half
// a real read, and the first wave of a burst was admitted into 504s.
func TestWarmupFillsTheDetector(t *testing.T) {
	cfg := testConfig(t)
	var (
		mu    sync.Mutex
		first []int64
	)
	e, err := New(cfg, WithRunTap(func(role string, shape []int64, _ []float32) {
		mu.Lock()
		defer mu.Unlock()
		if role == "detector" && first == nil {
			first = append([]int64(nil), shape...)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Warmup(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(first) != 4 {
		t.Fatalf("detector input %v, want NCHW", first)
	}
	if long := max(first[2], first[3]); long != int64(cfg.Detection.LimitSideLen) {
		t.Fatalf("warm-up detector input %v: long side %d, want detection.limit_side_len %d", first, long, cfg.Detection.LimitSideLen)
	}
}
