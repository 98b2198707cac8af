package bench

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/testmodels"
)

func TestCountMACs(t *testing.T) {
	profile := []byte(`[
	 {"cat":"Session","name":"model_run","args":{}},
	 {"cat":"Node","name":"c_kernel_time","args":{"op_name":"Conv",
	   "input_type_shape":[{"float":[1,3,8,8]},{"float":[4,3,3,3]},{"float":[4]}],
	   "output_type_shape":[{"float":[1,4,8,8]}]}},
	 {"cat":"Node","name":"m_kernel_time","args":{"op_name":"MatMul",
	   "input_type_shape":[{"float":[2,5,6]},{"float":[6,7]}],
	   "output_type_shape":[{"float":[2,5,7]}]}},
	 {"cat":"Node","name":"r_kernel_time","args":{"op_name":"Relu",
	   "input_type_shape":[{"float":[1,4,8,8]}],"output_type_shape":[{"float":[1,4,8,8]}]}}]`)
	total, by, err := CountMACs(profile)
	if err != nil {
		t.Fatal(err)
	}
	// Conv: 256 outputs × 27 weights; MatMul: 70 outputs × inner 6.
	if by["Conv"] != 256*27 || by["MatMul"] != 70*6 || total != 256*27+70*6 {
		t.Fatalf("total %d by %v", total, by)
	}
	if _, _, err := CountMACs([]byte("{")); err == nil {
		t.Error("bad JSON accepted")
	}
}

// TestModelMACs counts the real models' arithmetic at the pipeline's input sizes; the numbers
// feed docs/performance.md's hardware-limit estimate (go test -run TestModelMACs -v ./internal/bench).
func TestModelMACs(t *testing.T) {
	dir := testmodels.Dir(t)
	if _, err := onnx.Init(filepath.Join(dir, "libonnxruntime.so.1")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		model    string
		shape    []int64
		min, max int64 // plausible bounds, so a broken count fails
	}{
		{"ch_PP-OCRv4_det_infer.onnx", []int64{1, 3, 736, 960}, 1e9, 2e10},
		{"ch_PP-OCRv4_rec_infer.onnx", []int64{1, 3, 48, 320}, 1e8, 5e9},
		{"ch_ppocr_mobile_v2.0_cls_infer.onnx", []int64{1, 3, 48, 192}, 1e6, 1e9},
	}
	for _, c := range cases {
		macs, by, err := ModelMACs(context.Background(), filepath.Join(dir, c.model), c.shape)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %v: %.3f GMAC (%v)", c.model, c.shape, float64(macs)/1e9, by)
		if macs < c.min || macs > c.max {
			t.Errorf("%s: %d MACs outside [%d, %d]", c.model, macs, c.min, c.max)
		}
	}
}
