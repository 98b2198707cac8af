package recognize

import (
	"context"
	"fmt"
	"image"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Recognizer reads text from crops with a CTC model of fixed input height.
type Recognizer struct {
	run       Runner
	dict      *Dictionary
	height    int
	maxWidth  int
	batchSize int
	cores     Lender
}

// NewRecognizer returns a recogniser; height is the model's input height (48 for PP-OCRv4).
func NewRecognizer(r Runner, dict *Dictionary, height, maxWidth, batchSize int) *Recognizer {
	return &Recognizer{run: r, dict: dict, height: height, maxWidth: maxWidth, batchSize: max(1, batchSize)}
}

// widthSlack is how much wider than the narrowest crop a batch may pad to. Measured here:
// padding short crops to long ones can double the cost, so only similar widths share a batch.
const widthSlack = 1.3

// ShapedRunner is a Runner that can write its output into a buffer of a shape the caller
// gives (onnx.Session): the recogniser knows its output, width/8 frames by the dictionary's
// classes, and saves a copy of it.
type ShapedRunner interface {
	RunShaped(ctx context.Context, shape []int64, data []float32, outShape []int64) ([]int64, []float32, error)
}

// Lender lends idle cores (cores.Pool): batches then run side by side on them.
type Lender interface {
	Borrow(want int) (n int, release func())
}

// Lend lets Read run independent batches on cores l reports idle; nil turns that off.
func (r *Recognizer) Lend(l Lender) { r.cores = l }

// Read recognises every crop; the result order matches crops. Elapsed holds each crop's
// share of its batch's time.
func (r *Recognizer) Read(ctx context.Context, crops []*image.RGBA) ([]Text, []time.Duration, error) {
	type item struct{ idx, w int }
	items := make([]item, len(crops))
	for i, c := range crops {
		items[i] = item{i, scaledWidth(c, r.height, r.maxWidth)}
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].w < items[b].w })
	var batches [][]item
	for start := 0; start < len(items); {
		end := start + 1
		for end < len(items) && end-start < r.batchSize && float64(items[end].w) <= widthSlack*float64(items[start].w) {
			end++
		}
		batches = append(batches, items[start:end])
		start = end
	}
	out := make([]Text, len(crops))
	elapsed := make([]time.Duration, len(crops))
	read := func(batch []item) error {
		// CTC downsamples width by 8: pad to a multiple so no column is dropped.
		padW := (batch[len(batch)-1].w + 7) / 8 * 8
		plane := 3 * r.height * padW
		data := make([]float32, len(batch)*plane)
		for i, it := range batch {
			fillNormalized(data[i*plane:(i+1)*plane], crops[it.idx], r.height, it.w, padW)
		}
		t0 := time.Now()
		in := []int64{int64(len(batch)), 3, int64(r.height), int64(padW)}
		var shape []int64
		var probs []float32
		var err error
		if sr, ok := r.run.(ShapedRunner); ok {
			shape, probs, err = sr.RunShaped(ctx, in, data, []int64{in[0], int64(padW / 8), int64(r.dict.Classes())})
		} else {
			shape, probs, err = r.run.Run(ctx, in, data)
		}
		if err != nil {
			return err
		}
		if len(shape) != 3 || shape[0] != int64(len(batch)) || shape[2] != int64(r.dict.Classes()) {
			return fmt.Errorf("recognize: model output shape %v does not match %d crops and %d dictionary classes", shape, len(batch), r.dict.Classes())
		}
		share := time.Since(t0) / time.Duration(len(batch))
		frames, classes := int(shape[1]), int(shape[2])
		for i, it := range batch {
			out[it.idx] = r.dict.DecodeGreedy(probs[i*frames*classes:(i+1)*frames*classes], frames, classes)
			elapsed[it.idx] = share
		}
		return nil
	}
	if err := r.each(len(batches), func(k int) error { return read(batches[k]) }); err != nil {
		return nil, nil, err
	}
	return out, elapsed, nil
}

// each calls f for 0..n-1, on this goroutine and on as many borrowed cores as are idle and
// useful; it returns the first error, after which no new call starts.
func (r *Recognizer) each(n int, f func(int) error) error {
	extra, release := 0, func() {}
	if r.cores != nil && n > 1 {
		extra, release = r.cores.Borrow(n - 1)
	}
	defer release()
	var next atomic.Int64
	var failed atomic.Bool
	var errOnce sync.Once
	var first error
	work := func() {
		for !failed.Load() {
			k := int(next.Add(1) - 1)
			if k >= n {
				return
			}
			if err := f(k); err != nil {
				errOnce.Do(func() { first = err })
				failed.Store(true)
			}
		}
	}
	var wg sync.WaitGroup
	for range extra {
		wg.Go(work)
	}
	work()
	wg.Wait()
	return first
}

// Dictionary returns the recogniser's dictionary (the date-aware decoder needs it).
func (r *Recognizer) Dictionary() *Dictionary { return r.dict }
