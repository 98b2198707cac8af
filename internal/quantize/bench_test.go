//go:build cgo

package quantize_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/testmodels"
)

// Per-model speed, FP32 against the INT8 file `datalid quantize` wrote (scripts/setup.sh), at
// the shapes reads use most: the detector at 960×736 (a 4:3 photo at detection.limit_side_len)
// and a 320-wide recogniser crop. Each sub-benchmark reports cpu-ms/op besides ns/op: on a
// shared machine the process's own CPU time per run is steadier than wall time. Compare the
// two precisions within one run (`-count` interleaves them):
//
//	go test -run '^$' -bench 'Model' -benchtime 20x -count 3 ./internal/quantize
func BenchmarkModelDetector(b *testing.B) {
	benchModel(b, "ch_PP-OCRv4_det_infer.onnx", []int64{1, 3, 736, 960})
}

func BenchmarkModelRecognizer(b *testing.B) {
	benchModel(b, "ch_PP-OCRv4_rec_infer.onnx", []int64{1, 3, 48, 320})
}

func BenchmarkModelClassifier(b *testing.B) {
	benchModel(b, "ch_ppocr_mobile_v2.0_cls_infer.onnx", []int64{6, 3, 48, 192})
}

func benchModel(b *testing.B, file string, shape []int64) {
	dir := testmodels.Dir(b)
	if _, err := onnx.Init(filepath.Join(dir, "libonnxruntime.so.1")); err != nil {
		b.Fatal(err)
	}
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	r := rand.New(rand.NewPCG(1, 2))
	in := make([]float32, n)
	for i := range in {
		in[i] = r.Float32()*2 - 1
	}
	for _, precision := range []string{"fp32", "fp32-fused", "int8"} {
		b.Run(precision, func(b *testing.B) {
			m := config.ModelsConfig{Dir: dir}
			s, err := onnx.NewSession(m.ModelPath(file, precision), onnx.Options{IntraOpThreads: 1, CPUMemArena: true})
			if err != nil {
				b.Fatalf("%v (the INT8 models come from `make setup`)", err)
			}
			defer s.Close()
			if _, _, err := s.Run(context.Background(), shape, in); err != nil { // warm-up
				b.Fatal(err)
			}
			c0 := cpuTime()
			b.ResetTimer()
			for range b.N {
				if _, _, err := s.Run(context.Background(), shape, in); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
