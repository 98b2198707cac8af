package recognize

import (
	"context"
	"fmt"
	"image"
)

// Runner runs one model on one float tensor. onnx.Session and the dynamic batcher satisfy it.
type Runner interface {
	Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error)
}

// Classifier decides whether a crop is upside down (PP-OCR mobile angle classifier, 48×192).
type Classifier struct {
	run       Runner
	thresh    float64
	batchSize int
}

// NewClassifier returns a classifier that flips crops whose 180° probability exceeds thresh.
func NewClassifier(r Runner, thresh float64, batchSize int) *Classifier {
	return &Classifier{run: r, thresh: thresh, batchSize: max(1, batchSize)}
}

const clsH, clsW = 48, 192

// Upside reports, for each crop, whether it should be turned 180°.
func (c *Classifier) Upside(ctx context.Context, crops []*image.RGBA) ([]bool, error) {
	out := make([]bool, len(crops))
	for start := 0; start < len(crops); start += c.batchSize {
		end := min(start+c.batchSize, len(crops))
		n := end - start
		plane := 3 * clsH * clsW
		data := make([]float32, n*plane)
		for i, img := range crops[start:end] {
			fillNormalized(data[i*plane:(i+1)*plane], img, clsH, scaledWidth(img, clsH, clsW), clsW)
		}
		shape, probs, err := c.run.Run(ctx, []int64{int64(n), 3, clsH, clsW}, data)
		if err != nil {
			return nil, err
		}
		if len(shape) != 2 || shape[0] != int64(n) || shape[1] != 2 {
			return nil, fmt.Errorf("recognize: classifier output shape %v, want [%d 2]", shape, n)
		}
		for i := range n {
			out[start+i] = probs[2*i+1] > probs[2*i] && float64(probs[2*i+1]) > c.thresh
		}
	}
	return out, nil
}
