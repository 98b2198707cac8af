package quantize

import (
	"fmt"
	"math"

	"github.com/datalid/datalid/internal/onnx"
	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
	"google.golang.org/protobuf/proto"
)

// Sample is one model input seen while reading a photo.
type Sample struct {
	Shape []int64
	Data  []float32
}

// Range is a tensor's calibrated value range.
type Range struct{ Min, Max float32 }

// Method says how the ranges seen on each sample make one range.
type Method string

const (
	// MinMax takes the extremes over all samples: nothing calibrated clips, one outlier widens
	// the step for everything.
	MinMax Method = "minmax"
	// Average takes the mean of each sample's extremes (ONNX Runtime's "moving average"
	// calibration): rare outliers clip, common values get finer steps.
	Average Method = "average"
)

// augment returns m with a ReduceMin and a ReduceMax output for every tensor named, so one run
// reports the range of each without copying whole activations out of the runtime. keepdims
// stays on: the Go binding cannot hold a rank-0 tensor, a [1,1,1,1] one it can.
func augment(m *pb.ModelProto, tensors []string) ([]byte, []string, error) {
	a := proto.Clone(m).(*pb.ModelProto)
	g := a.Graph
	g.Output = nil
	var outs []string
	scalar := &pb.TypeProto{Value: &pb.TypeProto_TensorType{TensorType: &pb.TypeProto_Tensor{
		ElemType: int32(pb.TensorProto_FLOAT)}}}
	for i, t := range tensors {
		for _, op := range []string{"ReduceMin", "ReduceMax"} {
			name := fmt.Sprintf("datalid_calib_%d_%s", i, op)
			g.Node = append(g.Node, &pb.NodeProto{OpType: op, Name: name, Input: []string{t}, Output: []string{name},
				Attribute: []*pb.AttributeProto{attrInt("keepdims", 1)}})
			g.Output = append(g.Output, &pb.ValueInfoProto{Name: name, Type: scalar})
			outs = append(outs, name)
		}
	}
	b, err := Marshal(a)
	return b, outs, err
}

// Calibrate runs the model on samples and returns the range of each tensor named.
func Calibrate(m *pb.ModelProto, tensors []string, samples []Sample, method Method, opt onnx.Options) (map[string]Range, error) {
	if len(samples) == 0 {
		return nil, fmt.Errorf("%w: no calibration samples", ErrModel)
	}
	b, outs, err := augment(m, tensors)
	if err != nil {
		return nil, err
	}
	p, err := onnx.NewProbe(b, m.Graph.Input[0].Name, outs, opt)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	lo := make([]float64, len(tensors))
	hi := make([]float64, len(tensors))
	for i := range tensors {
		if method == MinMax {
			lo[i], hi[i] = math.Inf(1), math.Inf(-1)
		}
	}
	for _, s := range samples {
		res, err := p.Run(s.Shape, s.Data)
		if err != nil {
			return nil, err
		}
		for i := range tensors {
			mn, mx := float64(res[2*i][0]), float64(res[2*i+1][0])
			switch method {
			case MinMax:
				lo[i], hi[i] = math.Min(lo[i], mn), math.Max(hi[i], mx)
			default:
				lo[i] += mn / float64(len(samples))
				hi[i] += mx / float64(len(samples))
			}
		}
	}
	r := make(map[string]Range, len(tensors))
	for i, t := range tensors {
		r[t] = Range{float32(lo[i]), float32(hi[i])}
	}
	return r, nil
}
