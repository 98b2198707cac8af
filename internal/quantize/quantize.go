// Package quantize turns an FP32 ONNX model into a QDQ INT8 one in Go: it simplifies the graph
// (folds constant affine ops into convolutions, shortens hard-swish), calibrates activation
// ranges on model inputs recorded from real reads, quantizes weights per output channel, and
// keeps in FP32 the layers whose quantization changes the model's decisions most, chosen by
// measuring the quantized model against the FP32 one. ONNX Runtime fuses the QDQ groups into
// integer kernels (QLinearConv, QLinearMatMul) when it loads the result.
package quantize

import (
	"fmt"
	"slices"

	"github.com/datalid/datalid/internal/onnx"
	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
	"google.golang.org/protobuf/proto"
)

// Options steer one model's quantization.
type Options struct {
	Method Method
	// WeightBits is 7 or 8; see WeightMax.
	WeightBits int
	// Keep are site keys (a node's first output) left in FP32 whatever the measurement says.
	Keep []string
	// Search is how many sites are tried in FP32: the first and the last Search-1 (the stem
	// sees raw pixels and the head makes the decisions; the middle layers' errors average out).
	Search int
	// MaxKeep bounds the sites the search may leave in FP32 (each one costs speed).
	MaxKeep int
	// EvalSamples is how many calibration samples the search measures on.
	EvalSamples int
	Metric      Metric
	Runtime     onnx.Options
	Log         func(format string, args ...any)
}

// minGain is the share of the remaining disagreement that keeping one more site in FP32 must
// remove to be worth its cost in speed.
const minGain = 0.25

// Report says what Model did.
type Report struct {
	Simplified   int      // nodes removed by Simplify
	Sites        int      // quantizable nodes found
	Quantized    int      // of which quantized
	Kept         []string // left in FP32
	Disagreement float64  // share of decisions changed against FP32 on the evaluation samples
}

// Model quantizes m (which it leaves unchanged) with the ranges calibrated on samples. It
// returns the INT8 model and the simplified FP32 one it was made from.
func Model(m *pb.ModelProto, samples []Sample, opt Options) (q, fused *pb.ModelProto, rep Report, err error) {
	if len(samples) == 0 {
		return nil, nil, rep, fmt.Errorf("%w: no calibration samples", ErrModel)
	}
	logf := opt.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	eval := spread(samples, max(1, opt.EvalSamples))
	ref, err := outputs(m, eval, opt.Runtime)
	if err != nil {
		return nil, nil, rep, err
	}
	s := proto.Clone(m).(*pb.ModelProto)
	rep.Simplified = Simplify(s)
	ss := sites(s.Graph)
	rep.Sites = len(ss)
	ranges, err := Calibrate(s, calibrationTensors(ss), samples, opt.Method, opt.Runtime)
	if err != nil {
		return nil, nil, rep, err
	}
	keep := map[string]bool{}
	for _, k := range opt.Keep {
		keep[k] = true
	}
	try := func(keep map[string]bool) (*pb.ModelProto, float64, error) {
		q, _, err := QDQ(s, ranges, keep, opt.WeightBits)
		if err != nil {
			return nil, 0, err
		}
		d, err := disagreement(q, eval, ref, opt.Metric, opt.Runtime)
		return q, d, err
	}
	best, dis, err := try(keep)
	if err != nil {
		return nil, nil, rep, err
	}
	logf("all quantized but %d forced: %.4f of decisions changed", len(keep), dis)
	cands := candidates(ss, opt.Search)
	for range opt.MaxKeep {
		if dis == 0 {
			break
		}
		var bestKey string
		var bestQ *pb.ModelProto
		bestDis := dis
		for _, c := range cands {
			if keep[c] {
				continue
			}
			keep[c] = true
			q, d, err := try(keep)
			delete(keep, c)
			if err != nil {
				return nil, nil, rep, err
			}
			logf("  %s in FP32: %.4f", c, d)
			if d < bestDis {
				bestKey, bestQ, bestDis = c, q, d
			}
		}
		if bestQ == nil || bestDis > dis*(1-minGain) {
			break
		}
		keep[bestKey] = true
		best, dis = bestQ, bestDis
		logf("keeping %s in FP32: %.4f", bestKey, dis)
	}
	for k := range keep {
		rep.Kept = append(rep.Kept, k)
	}
	slices.Sort(rep.Kept)
	rep.Quantized = rep.Sites - len(rep.Kept)
	rep.Disagreement = dis
	return best, s, rep, nil
}

func candidates(ss []site, n int) []string {
	var out []string
	for i, s := range ss {
		if i == 0 || i >= len(ss)-(n-1) {
			out = append(out, s.Key())
		}
	}
	if n <= 0 {
		return nil
	}
	return out
}

// spread picks n samples evenly from all (all when fewer).
func spread(all []Sample, n int) []Sample {
	if len(all) <= n {
		return all
	}
	out := make([]Sample, n)
	for i := range out {
		out[i] = all[i*len(all)/n]
	}
	return out
}
