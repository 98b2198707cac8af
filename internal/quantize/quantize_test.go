//go:build cgo

package quantize

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"sync"
	"testing"

	"github.com/datalid/datalid/internal/bench"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/testmodels"
)

func initRuntime(t *testing.T) string {
	t.Helper()
	dir := testmodels.Dir(t)
	if _, err := onnx.Init(filepath.Join(dir, "libonnxruntime.so.1")); err != nil {
		t.Fatal(err)
	}
	return dir
}

var recordedOnce struct {
	sync.Mutex
	s map[string][]Sample
}

// recorded returns real model inputs from reading two rendered photos with the FP32 models,
// recorded once for all tests.
func recorded(t *testing.T, dir string) map[string][]Sample {
	t.Helper()
	recordedOnce.Lock()
	defer recordedOnce.Unlock()
	if recordedOnce.s != nil {
		return recordedOnce.s
	}
	cfg, err := config.Preset("development")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Models.Dir = dir
	photos, err := bench.Synthetic(2, 5)
	if err != nil {
		t.Fatal(err)
	}
	var data [][]byte
	for _, p := range photos {
		data = append(data, p.Data)
	}
	s, err := Collect(context.Background(), cfg, data, Limits{"detector": 2, "classifier": 8, "recognizer": 8})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range Roles {
		if len(s[role]) == 0 {
			t.Fatalf("no %s inputs recorded", role)
		}
	}
	recordedOnce.s = s
	return s
}

// The classifier quantized twice from the same inputs gives the same bytes, its INT8 output
// agrees with FP32 on the recorded crops, and every convolution became an integer kernel.
func TestClassifierDeterministicAndFaithful(t *testing.T) {
	dir := initRuntime(t)
	samples := recorded(t, dir)["classifier"]
	m, err := Load(filepath.Join(dir, "ch_ppocr_mobile_v2.0_cls_infer.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Method: Average, WeightBits: 7, EvalSamples: len(samples), Metric: ArgmaxMetric, Runtime: onnx.Options{IntraOpThreads: 1}}
	var outs [][]byte
	var rep Report
	for range 2 {
		q, _, r, err := Model(m, samples, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		outs, rep = append(outs, b), r
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two quantizations of the same model on the same inputs differ")
	}
	if rep.Sites < 50 || rep.Quantized != rep.Sites {
		t.Errorf("quantized %d of %d sites, want all of the classifier's ≥ 50", rep.Quantized, rep.Sites)
	}
	// The recorded crops are rendered text the classifier reads upright: INT8 may change
	// at most a quarter of its 0°/180° decisions on them.
	if rep.Disagreement > 0.25 {
		t.Errorf("INT8 classifier changed %.2f of decisions", rep.Disagreement)
	}
	q, err := Parse(outs[0])
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]int{}
	for _, n := range q.Graph.Node {
		ops[n.OpType]++
	}
	if ops["DequantizeLinear"] < rep.Quantized || ops["Conv"] != 0 && ops["Conv"] >= rep.Sites {
		t.Errorf("QDQ graph ops %v", ops)
	}
}

// Folding constant affine ops and shortening hard-swish keeps the detector's and recogniser's
// outputs (up to float rounding) on real inputs.
func TestSimplifyKeepsOutputs(t *testing.T) {
	dir := initRuntime(t)
	samples := recorded(t, dir)
	for _, c := range []struct{ role, file string }{
		{"detector", "ch_PP-OCRv4_det_infer.onnx"},
		{"recognizer", "ch_PP-OCRv4_rec_infer.onnx"},
	} {
		m, err := Load(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		in := samples[c.role][:1]
		ref, err := outputs(m, in, onnx.Options{IntraOpThreads: 1})
		if err != nil {
			t.Fatal(err)
		}
		removed := Simplify(m)
		if removed < 70 {
			t.Errorf("%s: Simplify removed %d nodes, want ≥ 70 (the affine blocks)", c.role, removed)
		}
		got, err := outputs(m, in, onnx.Options{IntraOpThreads: 1})
		if err != nil {
			t.Fatal(err)
		}
		var md float64
		for i := range ref[0] {
			md = max(md, math.Abs(float64(ref[0][i]-got[0][i])))
		}
		if md > 1e-3 {
			t.Errorf("%s: simplified output differs by up to %g", c.role, md)
		}
	}
}

func TestParseRefusesGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("not a model"), {0x0a, 0xff, 0xff}} {
		if _, err := Parse(b); !errors.Is(err, ErrModel) {
			t.Errorf("Parse(%q) = %v, want ErrModel", b, err)
		}
	}
}
