package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/datalid/datalid/internal/onnx"
)

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
