package quantize

import (
	"fmt"
	"math"

	"github.com/datalid/datalid/internal/onnx"
	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
)

// Metric compares a quantized model's output with the FP32 model's on the same input and
// returns the share of decisions that changed (0 = none); classes is the size of the output's
// last dimension.
type Metric func(ref, got []float32, classes int) float64

// ProbMapMetric is for the detector: the share of pixels on the other side of the detector's
// binarisation threshold (what DB post-processing turns into boxes).
func ProbMapMetric(thresh float32) Metric {
	return func(ref, got []float32, _ int) float64 {
		var diff int
		for i := range ref {
			if (ref[i] > thresh) != (got[i] > thresh) {
				diff++
			}
		}
		return float64(diff) / float64(max(1, len(ref)))
	}
}

// ArgmaxMetric is for the classifier and recogniser: the share of rows (crops, CTC frames) whose
// most likely class changed. The last dimension is the class axis.
func ArgmaxMetric(ref, got []float32, classes int) float64 {
	if classes <= 0 || len(ref)%classes != 0 {
		return 1
	}
	rows := len(ref) / classes
	var diff int
	for r := range rows {
		if argmax(ref[r*classes:(r+1)*classes]) != argmax(got[r*classes:(r+1)*classes]) {
			diff++
		}
	}
	return float64(diff) / float64(max(1, rows))
}

func argmax(v []float32) int {
	best, bi := float32(math.Inf(-1)), 0
	for i, x := range v {
		if x > best {
			best, bi = x, i
		}
	}
	return bi
}

// outputs runs a model on samples and returns its output for each.
func outputs(m *pb.ModelProto, samples []Sample, opt onnx.Options) ([][]float32, error) {
	b, err := Marshal(m)
	if err != nil {
		return nil, err
	}
	p, err := onnx.NewProbe(b, m.Graph.Input[0].Name, []string{m.Graph.Output[0].Name}, opt)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	out := make([][]float32, len(samples))
	for i, s := range samples {
		r, err := p.Run(s.Shape, s.Data)
		if err != nil {
			return nil, err
		}
		out[i] = r[0]
	}
	return out, nil
}

// disagreement is the mean metric over samples between ref outputs and model q's.
func disagreement(q *pb.ModelProto, samples []Sample, ref [][]float32, metric Metric, opt onnx.Options) (float64, error) {
	got, err := outputs(q, samples, opt)
	if err != nil {
		return 0, err
	}
	var sum float64
	for i := range samples {
		if len(got[i]) != len(ref[i]) {
			return 0, fmt.Errorf("%w: quantized output has %d values, FP32 %d", ErrModel, len(got[i]), len(ref[i]))
		}
		sum += metric(ref[i], got[i], classes(q))
	}
	return sum / float64(len(samples)), nil
}

// classes is the static size of the model output's last dimension (0 when dynamic).
func classes(m *pb.ModelProto) int {
	t := m.Graph.Output[0].GetType().GetTensorType()
	d := t.GetShape().GetDim()
	if len(d) == 0 {
		return 0
	}
	return int(d[len(d)-1].GetDimValue())
}
