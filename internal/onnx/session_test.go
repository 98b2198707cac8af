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
