//go:build cgo

package onnx

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/datalid/datalid/internal/testmodels"
)

func initRuntime(t *testing.T) string {
	t.Helper()
	dir := testmodels.Dir(t)
	v, err := Init(filepath.Join(dir, "libonnxruntime.so.1"))
	if err != nil {
		t.Fatal(err)
	}
	if v != "1.30.0" {
		t.Fatalf("runtime version %q, want 1.30.0", v)
	}
	return dir
}

func TestSessionSignatureFromModel(t *testing.T) {
	dir := initRuntime(t)
	cases := []struct {
		file, in, out string
		inRank        int
	}{
		{"ch_PP-OCRv4_det_infer.onnx", "x", "sigmoid_0.tmp_0", 4},
		{"ch_PP-OCRv4_rec_infer.onnx", "x", "softmax_11.tmp_0", 4},
		{"ch_ppocr_mobile_v2.0_cls_infer.onnx", "x", "softmax_0.tmp_0", 4},
	}
	for _, c := range cases {
		s, err := NewSession(filepath.Join(dir, c.file), Options{IntraOpThreads: 1})
		if err != nil {
			t.Fatal(err)
		}
		if s.Input().Name != c.in || s.Output().Name != c.out || len(s.Input().Shape) != c.inRank {
			t.Errorf("%s: got %+v -> %+v", c.file, s.Input(), s.Output())
		}
		if s.Provider() != "cpu" {
			t.Errorf("provider %q", s.Provider())
		}
		s.Close()
	}
}

func TestRunConcurrentAndClose(t *testing.T) {
	dir := initRuntime(t)
	s, err := NewSession(filepath.Join(dir, "ch_ppocr_mobile_v2.0_cls_infer.onnx"), Options{IntraOpThreads: 1, CPUMemArena: true})
	if err != nil {
		t.Fatal(err)
	}
	in := make([]float32, 2*3*48*192)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shape, out, err := s.Run(context.Background(), []int64{2, 3, 48, 192}, in)
			if err != nil {
				t.Error(err)
				return
			}
			if len(shape) != 2 || shape[0] != 2 || shape[1] != 2 || len(out) != 4 {
				t.Errorf("output %v %v", shape, out)
			}
			if d := out[0] + out[1] - 1; d > 1e-4 || d < -1e-4 {
				t.Errorf("softmax does not sum to 1: %v", out[:2])
			}
		}()
	}
	wg.Wait()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Run(ctx, []int64{1, 3, 48, 192}, in); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
	if _, _, err := s.Run(context.Background(), []int64{1, 3, 48, 192}, in[:10]); err == nil {
		t.Error("short input accepted")
	}
	s.Close()
	if _, _, err := s.Run(context.Background(), []int64{1, 3, 48, 192}, in); !errors.Is(err, ErrClosed) {
		t.Errorf("run after close: %v", err)
	}
}

func TestBadModelAndProvider(t *testing.T) {
	dir := initRuntime(t)
	if _, err := NewSession(filepath.Join(dir, "ppocr_keys_v1.txt"), Options{}); !errors.Is(err, ErrModel) {
		t.Errorf("text file as model: %v", err)
	}
	if _, err := NewSession(filepath.Join(dir, "missing.onnx"), Options{}); !errors.Is(err, ErrModel) {
		t.Errorf("missing model: %v", err)
	}
	if _, err := NewSession(filepath.Join(dir, "ch_ppocr_mobile_v2.0_cls_infer.onnx"), Options{Provider: "tpu"}); err == nil {
		t.Error("unknown provider accepted")
	}
	// The CPU-only library has no CUDA: the session must still load, on CPU.
	s, err := NewSession(filepath.Join(dir, "ch_ppocr_mobile_v2.0_cls_infer.onnx"), Options{Provider: "cuda"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Provider() != "cpu" {
		t.Errorf("provider %q, want fallback cpu", s.Provider())
	}
}

// The recogniser's output is frames = width/8 by 6625 classes: RunShaped writes it in place
// and must agree with Run; a wrong shape falls back to Run for good, still answering right.
func TestRunShapedMatchesRun(t *testing.T) {
	dir := initRuntime(t)
	s, err := NewSession(filepath.Join(dir, "ch_PP-OCRv4_rec_infer.onnx"), Options{IntraOpThreads: 1, CPUMemArena: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := make([]float32, 2*3*48*160)
	for i := range in {
		in[i] = float32(i%97)/48 - 1
	}
	shape := []int64{2, 3, 48, 160}
	wantShape, want, err := s.Run(context.Background(), shape, in)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, gotShape []int64, got []float32) {
		t.Helper()
		if len(gotShape) != 3 || gotShape[0] != 2 || gotShape[1] != 20 || gotShape[1] != wantShape[1] || len(got) != len(want) {
			t.Fatalf("%s: shape %v (%d values), Run gave %v (%d)", what, gotShape, len(got), wantShape, len(want))
		}
		for i := range want {
			if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%s: value %d is %v, Run gave %v", what, i, got[i], want[i])
			}
		}
	}
	gotShape, got, err := s.RunShaped(context.Background(), shape, in, wantShape)
	if err != nil {
		t.Fatal(err)
	}
	check("shaped", gotShape, got)
	if s.unshaped.Load() {
		t.Fatal("the right output shape was refused")
	}
	gotShape, got, err = s.RunShaped(context.Background(), shape, in, []int64{2, 21, wantShape[2]})
	if err != nil {
		t.Fatal(err)
	}
	check("wrong shape", gotShape, got)
	if !s.unshaped.Load() {
		t.Fatal("a wrong output shape did not turn the shaped path off")
	}
}
