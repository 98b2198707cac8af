package engine

import (
	"context"

	"github.com/datalid/datalid/internal/onnx"
)

// WithRunTap calls tap with every model input before it runs, with the model's role (detector,
// classifier, recognizer). `datalid quantize` records real inputs through it to calibrate
// activation ranges; tap must copy data to keep it. A tapped engine runs each model unbatched.
func WithRunTap(tap func(role string, shape []int64, data []float32)) Option {
	return func(o *options) { o.tap = tap }
}

type tapped struct {
	role string
	s    *onnx.Session
	tap  func(role string, shape []int64, data []float32)
}

func (t tapped) Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	t.tap(t.role, shape, data)
	return t.s.Run(ctx, shape, data)
}
