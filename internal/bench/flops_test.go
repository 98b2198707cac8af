package bench

// The MAC count behind docs/performance.md's hardware-limit estimate lives with its test: only
// the test runs it (go test -run TestModelMACs -v ./internal/bench).

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
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

// ModelMACs runs the model once on zeros of the given shape with the runtime's profiler on and
// counts the multiply-accumulates of its convolutions and matrix products from the shapes the
// profiler records for each node run (weights included), so the count follows the graph ORT
// actually executed, fusions and all.
func ModelMACs(ctx context.Context, model string, shape []int64) (int64, map[string]int64, error) {
	dir, err := os.MkdirTemp("", "datalid-profile-")
	if err != nil {
		return 0, nil, err
	}
	defer os.RemoveAll(dir)
	s, err := onnx.NewSession(model, onnx.Options{IntraOpThreads: 1, GraphOptimization: "all", CPUMemArena: true, ProfilePrefix: filepath.Join(dir, "p")})
	if err != nil {
		return 0, nil, err
	}
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	_, _, runErr := s.Run(ctx, shape, make([]float32, n))
	if err := s.Close(); err != nil || runErr != nil {
		return 0, nil, fmt.Errorf("profiling %s: run %v, close %v", model, runErr, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p*.json"))
	if len(files) != 1 {
		return 0, nil, fmt.Errorf("profiling %s: %d profile files written", model, len(files))
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return 0, nil, err
	}
	return CountMACs(data)
}

type profileEvent struct {
	Cat  string `json:"cat"`
	Name string `json:"name"`
	Args struct {
		OpName string               `json:"op_name"`
		In     []map[string][]int64 `json:"input_type_shape"`
		Out    []map[string][]int64 `json:"output_type_shape"`
	} `json:"args"`
}

// CountMACs sums the MACs of the node runs in an ONNX Runtime profile (Conv-like: output
// elements × weight elements per output channel; MatMul/Gemm: output elements × inner size).
// Other operators (activations, pooling, resize, additions) are ignored: they are a few
// percent of the arithmetic of these models.
func CountMACs(profile []byte) (int64, map[string]int64, error) {
	var events []profileEvent
	if err := json.Unmarshal(profile, &events); err != nil {
		return 0, nil, fmt.Errorf("bench: reading profile: %w", err)
	}
	byOp := map[string]int64{}
	var total int64
	for _, e := range events {
		if e.Cat != "Node" || len(e.Args.In) < 2 || len(e.Args.Out) < 1 {
			continue
		}
		in, w, out := first(e.Args.In[0]), first(e.Args.In[1]), first(e.Args.Out[0])
		var macs int64
		switch e.Args.OpName {
		case "Conv", "FusedConv", "NhwcFusedConv", "NchwcConv":
			if len(w) == 4 {
				macs = prod(out) * prod(w[1:])
			}
		case "ConvTranspose":
			if len(w) == 4 {
				macs = prod(in) * prod(w[1:])
			}
		case "MatMul", "FusedMatMul", "Gemm":
			if len(in) > 0 {
				macs = prod(out) * in[len(in)-1]
			}
		}
		if macs > 0 {
			byOp[e.Args.OpName] += macs
			total += macs
		}
	}
	return total, byOp, nil
}

func first(m map[string][]int64) []int64 {
	for _, v := range m {
		return v
	}
	return nil
}

func prod(s []int64) int64 {
	p := int64(1)
	for _, d := range s {
		p *= d
	}
	return p
}
