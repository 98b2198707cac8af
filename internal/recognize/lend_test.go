package recognize

import (
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/cores"
)

// grayRunner answers each item with one character chosen by the item's grey level, so a
// result that lands on the wrong crop shows; it records how many runs overlapped.
type grayRunner struct {
	classes        int
	inFlight, peak atomic.Int32
	failAt, calls  atomic.Int32
}

func (g *grayRunner) Run(_ context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	if c := g.calls.Add(1); c == g.failAt.Load() {
		return nil, nil, errors.New("model failed")
	}
	time.Sleep(5 * time.Millisecond) // long enough for borrowed cores to overlap
	b, t := shape[0], shape[3]/8
	plane := int(3 * shape[2] * shape[3])
	out := make([]float32, int(b*t)*g.classes)
	for i := range int(b) {
		grey := int(math.Round(float64(data[i*plane]+1) * 127.5))
		for f := range int(t) {
			cls := 0
			if f == 0 {
				cls = 1 + grey/10
			}
			out[(i*int(t)+f)*g.classes+cls] = 1
		}
	}
	return []int64{b, t, int64(g.classes)}, out, nil
}

func letters(t *testing.T) *Dictionary {
	d, err := ParseDictionary([]byte("a\nb\nc\nd\ne\nf\ng\nh\ni\nj"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func greyCrops(n int) []*image.RGBA {
	crops := make([]*image.RGBA, n)
	for i := range crops {
		c := image.NewRGBA(image.Rect(0, 0, 48*(1+i), 48)) // one width each: one batch each
		for k := range c.Pix {
			c.Pix[k] = uint8(10 * i)
		}
		c.Set(0, 0, color.RGBA{uint8(10 * i), uint8(10 * i), uint8(10 * i), 255})
		crops[i] = c
	}
	return crops
}

func TestLentCoresRunBatchesSideBySide(t *testing.T) {
	d := letters(t)
	crops := greyCrops(8)
	for _, lend := range []bool{false, true} {
		run := &grayRunner{classes: d.Classes()}
		r := NewRecognizer(run, d, 48, 1600, 4)
		if lend {
			r.Lend(cores.New(4))
		}
		texts, _, err := r.Read(context.Background(), crops)
		if err != nil {
			t.Fatal(err)
		}
		for i, tx := range texts {
			if want := d.Char(1 + i); tx.Text != want {
				t.Fatalf("lend=%v: crop %d read %q, want %q", lend, i, tx.Text, want)
			}
		}
		if p := run.peak.Load(); lend != (p > 1) {
			t.Fatalf("lend=%v: %d runs overlapped", lend, p)
		}
	}
}

func TestLentCoresStopAtFirstError(t *testing.T) {
	d := letters(t)
	run := &grayRunner{classes: d.Classes()}
	run.failAt.Store(2)
	pool := cores.New(3)
	r := NewRecognizer(run, d, 48, 1600, 4)
	r.Lend(pool)
	if _, _, err := r.Read(context.Background(), greyCrops(8)); err == nil || err.Error() != "model failed" {
		t.Fatalf("err %v, want the model's error", err)
	}
	if c := run.calls.Load(); c >= 8 {
		t.Fatalf("%d runs after a failure, want fewer than the 8 batches", c)
	}
	if pool.Idle() != 3 {
		t.Fatalf("%d cores idle after the read, want all 3 back", pool.Idle())
	}
	var wg sync.WaitGroup // concurrent reads share the pool without losing cores
	for range 4 {
		wg.Go(func() { r.Read(context.Background(), greyCrops(3)) })
	}
	wg.Wait()
	if pool.Idle() != 3 {
		t.Fatalf("%d cores idle after concurrent reads, want 3", pool.Idle())
	}
}
