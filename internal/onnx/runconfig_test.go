//go:build cgo

package onnx

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"
)

// TestRunConfigRoundTrip checks the shim's OrtApi indices and the RunOptions field read: an
// entry added through AddRunConfigEntry reads back through GetRunConfigEntry on the same
// options onnxruntime_go created, and a refused entry comes back as the runtime's message
// (GetErrorMessage, ReleaseStatus).
func TestRunConfigRoundTrip(t *testing.T) {
	initRuntime(t)
	if !runConfigReady {
		t.Fatal("shim did not find the runtime's function table")
	}
	ro, err := ort.NewRunOptions()
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Destroy()
	if got := runConfig(ro, arenaShrinkKey); got != "" {
		t.Fatalf("fresh options: %s=%q", arenaShrinkKey, got)
	}
	if err := setRunConfig(ro, arenaShrinkKey, arenaShrinkCPU); err != nil {
		t.Fatal(err)
	}
	if got := runConfig(ro, arenaShrinkKey); got != arenaShrinkCPU {
		t.Fatalf("%s=%q after set, want %q", arenaShrinkKey, got, arenaShrinkCPU)
	}
	err = setRunConfig(ro, "", "x")
	if err == nil || !strings.Contains(err.Error(), "run config") || len(err.Error()) < len("onnx: run config =x: ")+5 {
		t.Fatalf("empty key: err %v, want the runtime's message", err)
	}
}

// TestArenaShrinkHandsBack: a large detection run leaves its tensors in the shared CPU arena;
// ShrinkArena (a run of another session with the shrink option) frees them and RSS falls.
func TestArenaShrinkHandsBack(t *testing.T) {
	dir := initRuntime(t)
	s, err := NewSession(filepath.Join(dir, "ch_PP-OCRv4_det_infer.onnx"), Options{IntraOpThreads: 1, CPUMemArena: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := ShrinkArena(); err != nil { // creates the shrinker before measuring
		t.Fatal(err)
	}
	const side = 960
	if _, _, err := s.Run(context.Background(), []int64{1, 3, side, side}, make([]float32, 3*side*side)); err != nil {
		t.Fatal(err)
	}
	kept := rssMB(t)
	if err := ShrinkArena(); err != nil {
		t.Fatal(err)
	}
	after := rssMB(t)
	t.Logf("RSS after a 960² detection %.0f MB, after ShrinkArena %.0f MB", kept, after)
	// minFreed is well under what a 960² detection keeps in the arena (≈ 130 MB measured) and
	// well over anything else that could move RSS between the two readings.
	const minFreed = 60
	if kept-after < minFreed {
		t.Fatalf("ShrinkArena freed %.0f MB, want ≥ %d", kept-after, minFreed)
	}
	// The session still runs after its arena regions were freed.
	if _, _, err := s.Run(context.Background(), []int64{1, 3, 64, 64}, make([]float32, 3*64*64)); err != nil {
		t.Fatal(err)
	}
}

func rssMB(t *testing.T) float64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v / 1024
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
