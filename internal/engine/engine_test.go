package engine

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
)

func testConfig(t testing.TB) config.Config {
	t.Helper()
	c, err := config.Preset("development")
	if err != nil {
		t.Fatal(err)
	}
	c.Models.Dir = testmodels.Dir(t)
	return c
}

func newEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func encodeJPEG(t testing.TB, p *synth.Photo) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, p.Image, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Rendered photos: a date drawn with a Go font on a textured background, rotated and blurred,
// read by the real runtime and models. The read date must equal the rendered one.
func TestReadsRenderedDates(t *testing.T) {
	e := newEngine(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cases := []synth.Spec{
		{Seed: 1, Expiry: day(2026, 3, 14), Layout: "VAL {DD}/{MM}/{YYYY}", Font: "bold"},
		{Seed: 2, Expiry: day(2027, 12, 7), Layout: "{YYYY}.{MM}.{DD}", Font: "regular", Angle: 5, Blur: 0.8},
		{Seed: 3, Expiry: day(2025, 8, 23), Layout: "EXP {DD}-{MM}-{YYYY}", Font: "mono", Angle: -6, Noise: 0.04},
		{Seed: 4, Expiry: day(2028, 10, 31), Layout: "VAL {MM}/{YYYY}", MonthOnly: true, Font: "bold", Blur: 1},
		{Seed: 5, Expiry: day(2026, 6, 17), Layout: "VAL: {DD}.{MM}.{YY}", Font: "bold",
			Extra: []string{"FAB: 17.06.24", "L 2403B"}},
	}
	for _, s := range cases {
		p, err := synth.Render(s)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Read(context.Background(), encodeJPEG(t, p), pipeline.Options{})
		if err != nil {
			t.Fatalf("%s: %v", s.Layout, err)
		}
		if res.Dates.Best == nil {
			t.Errorf("%s (%v): no date; lines %+v", s.Layout, p.Text, res.Lines)
			continue
		}
		got := res.Dates.Best.Date.String()
		if s.MonthOnly {
			got = got[:7]
		}
		if got != p.Label {
			t.Errorf("%s: read %s want %s (lines %+v)", s.Layout, got, p.Label, res.Lines)
		}
		tm := res.Timings
		if tm.Decode <= 0 || tm.DetectRun <= 0 || tm.Recognize <= 0 || tm.Total < tm.DetectRun {
			t.Errorf("timings not measured: %+v", tm)
		}
		if res.Width != s.Width && res.Width != 1280 {
			t.Errorf("width %d", res.Width)
		}
	}
}

func TestConcurrentReadsAgree(t *testing.T) {
	e := newEngine(t)
	r := rand.New(rand.NewPCG(9, 9))
	var data [][]byte
	var labels []string
	for range 3 {
		p, err := synth.Render(synth.Random(r, 960, 720))
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, encodeJPEG(t, p))
		labels = append(labels, p.Label)
	}
	first := make([]string, len(data))
	for i, d := range data {
		res, err := e.Read(context.Background(), d, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Dates.Best != nil {
			first[i] = res.Dates.Best.Date.String()
		}
	}
	var wg sync.WaitGroup
	for k := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			i := k % len(data)
			res, err := e.Read(context.Background(), data[i], pipeline.Options{})
			if err != nil {
				t.Error(err)
				return
			}
			got := ""
			if res.Dates.Best != nil {
				got = res.Dates.Best.Date.String()
			}
			if got != first[i] {
				t.Errorf("image %d (label %s): concurrent read %q, sequential %q", i, labels[i], got, first[i])
			}
		}()
	}
	wg.Wait()
}

func TestBadInputErrors(t *testing.T) {
	e := newEngine(t)
	p, _ := synth.Render(synth.Spec{Seed: 1, Expiry: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Width: 320, Height: 240})
	good := encodeJPEG(t, p)
	cases := map[string]struct {
		data []byte
		want error
	}{
		"empty":     {nil, imageio.ErrEmpty},
		"truncated": {good[:len(good)/2], imageio.ErrCorrupt},
		"text":      {[]byte("this is not an image, just text named .jpg"), imageio.ErrUnsupported},
	}
	for name, c := range cases {
		if _, err := e.Read(context.Background(), c.data, pipeline.Options{}); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Read(ctx, good, pipeline.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestLazyLoadingAndClose(t *testing.T) {
	c := testConfig(t)
	c.Models.LazyLoading = true
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if e.Loaded() {
		t.Fatal("lazy engine loaded models at start")
	}
	info, err := e.Info()
	if err != nil {
		t.Fatal(err)
	}
	if !e.Loaded() || info.RuntimeVersion != "1.30.0" || info.Provider != "cpu" || len(info.Models) < 3 {
		t.Errorf("info %+v", info)
	}
	e.Close()
	if _, err := e.Read(context.Background(), []byte{1}, pipeline.Options{}); err == nil {
		t.Error("read after close succeeded")
	}

	c.Models.LazyLoading = false
	c.Models.Detector = "missing.onnx"
	if _, err := New(c); err == nil {
		t.Error("missing model accepted at start-up")
	}
}

// BenchmarkReadPhoto measures the whole pipeline on a 1.2 MP rendered photo with one
// intra-op thread (the development preset).
func BenchmarkReadPhoto(b *testing.B) {
	e := newEngine(b)
	p, err := synth.Render(synth.Spec{Seed: 3, Expiry: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Extra: []string{"L 2403B"}})
	if err != nil {
		b.Fatal(err)
	}
	data := encodeJPEG(b, p)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Read(context.Background(), data, pipeline.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
