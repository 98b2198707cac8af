package recognize

import (
	"context"
	"fmt"
	"image"
	"sort"
	"time"
)

// Recognizer reads text from crops with a CTC model of fixed input height.
type Recognizer struct {
	run       Runner
	dict      *Dictionary
	height    int
	maxWidth  int
	batchSize int
}

// NewRecognizer returns a recogniser; height is the model's input height (48 for PP-OCRv4).
func NewRecognizer(r Runner, dict *Dictionary, height, maxWidth, batchSize int) *Recognizer {
	return &Recognizer{run: r, dict: dict, height: height, maxWidth: maxWidth, batchSize: max(1, batchSize)}
}

// widthSlack is how much wider than the narrowest crop a batch may pad to. Measured here:
// padding short crops to long ones can double the cost, so only similar widths share a batch.
const widthSlack = 1.3

// Read recognises every crop; the result order matches crops. Elapsed holds each crop's
// share of its batch's time.
func (r *Recognizer) Read(ctx context.Context, crops []*image.RGBA) ([]Text, []time.Duration, error) {
	type item struct{ idx, w int }
	items := make([]item, len(crops))
	for i, c := range crops {
		items[i] = item{i, scaledWidth(c, r.height, r.maxWidth)}
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].w < items[b].w })
	out := make([]Text, len(crops))
	elapsed := make([]time.Duration, len(crops))
	for start := 0; start < len(items); {
		end := start + 1
		for end < len(items) && end-start < r.batchSize && float64(items[end].w) <= widthSlack*float64(items[start].w) {
			end++
		}
		batch := items[start:end]
		// CTC downsamples width by 8: pad to a multiple so no column is dropped.
		padW := (batch[len(batch)-1].w + 7) / 8 * 8
		plane := 3 * r.height * padW
		data := make([]float32, len(batch)*plane)
		for i, it := range batch {
			fillNormalized(data[i*plane:(i+1)*plane], crops[it.idx], r.height, it.w, padW)
		}
		t0 := time.Now()
		shape, probs, err := r.run.Run(ctx, []int64{int64(len(batch)), 3, int64(r.height), int64(padW)}, data)
		if err != nil {
			return nil, nil, err
		}
		if len(shape) != 3 || shape[0] != int64(len(batch)) || shape[2] != int64(r.dict.Classes()) {
			return nil, nil, fmt.Errorf("recognize: model output shape %v does not match %d crops and %d dictionary classes", shape, len(batch), r.dict.Classes())
		}
		share := time.Since(t0) / time.Duration(len(batch))
		frames, classes := int(shape[1]), int(shape[2])
		for i, it := range batch {
			out[it.idx] = r.dict.DecodeGreedy(probs[i*frames*classes:(i+1)*frames*classes], frames, classes)
			elapsed[it.idx] = share
		}
		start = end
	}
	return out, elapsed, nil
}

// Dictionary returns the recogniser's dictionary (the date-aware decoder needs it).
func (r *Recognizer) Dictionary() *Dictionary { return r.dict }
