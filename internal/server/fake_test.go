package server

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/recognize"
)

// fakeEngine answers every read with one region reading "VAL 17/06/2026" after decoding the
// bytes with the real decoder (so decode errors are real), optionally blocking first.
type fakeEngine struct {
	block   chan struct{} // when set, reads wait for it (or their context)
	warm    chan struct{} // when set, Warmup waits for it
	started atomic.Int64
	decodes atomic.Int64 // decodes of an upload, for the read or the photo
	loaded  atomic.Bool
	warmErr error // when set, Warmup fails with it
}

// Answer has no cache. With a photo it weighs and decodes once, then passes the gate and
// reads that decode, as the engine does; without, it passes the gate and reads the bytes.
func (f *fakeEngine) Answer(ctx context.Context, req engine.Request) (engine.Answer, error) {
	off := engine.CacheOutcome{Status: "off"}
	opt := pipeline.Options{KeepCrops: req.KeepCrops}
	var img *imageio.Image
	if req.PhotoLongSide > 0 {
		release, err := req.Weigh(ctx)
		if err != nil {
			return engine.Answer{Outcome: off}, err
		}
		defer release()
		f.decodes.Add(1)
		if img, err = imageio.Decode(req.Data, imageio.Options{}); err != nil {
			return engine.Answer{Outcome: off}, err
		}
	}
	release, err := req.Gate(ctx)
	if err != nil {
		return engine.Answer{Outcome: off}, err
	}
	defer release()
	var res *pipeline.Result
	if img != nil {
		res, err = f.ReadImage(ctx, img, opt)
	} else {
		res, err = f.read(ctx, req.Data, opt)
	}
	if err != nil {
		return engine.Answer{Outcome: off}, err
	}
	a := engine.Answer{Result: f.filterRegions(res, req.MinRegionScore), Outcome: off}
	if img != nil {
		a.Photo = img.RGBA
	}
	return a, nil
}

func (f *fakeEngine) CacheStats() []cache.TierStats { return nil }

func (f *fakeEngine) read(ctx context.Context, data []byte, opt pipeline.Options) (*pipeline.Result, error) {
	f.decodes.Add(1)
	img, err := imageio.Decode(data, imageio.Options{})
	if err != nil {
		return nil, err
	}
	return f.ReadImage(ctx, img, opt)
}

func (f *fakeEngine) ReadImage(ctx context.Context, img *imageio.Image, opt pipeline.Options) (*pipeline.Result, error) {
	f.started.Add(1)
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	text := "VAL 17/06/2026"
	probs := make([]float32, len(text))
	for i := range probs {
		probs[i] = 0.95
	}
	reg := pipeline.Region{
		Quad:  imgproc.Quad{{X: 2, Y: 2}, {X: 30, Y: 2}, {X: 30, Y: 12}, {X: 2, Y: 12}},
		Score: 0.8, Text: recognize.Text{Text: text, Confidence: 0.95, CharProbs: probs},
		RecTime: time.Millisecond,
	}
	if opt.KeepCrops {
		reg.Crop = image.NewRGBA(image.Rect(0, 0, 28, 10))
	}
	res := &pipeline.Result{Width: img.OrigW, Height: img.OrigH, Format: img.Format, Regions: []pipeline.Region{reg}}
	res.Lines = pipeline.GroupLines(res.Regions, 0)
	res.Dates = dates.Find([]dates.Line{{Text: text, Confidence: 0.95}}, dates.Options{})
	res.Timings = pipeline.Timings{Decode: time.Millisecond, DetectRun: 2 * time.Millisecond, Total: 5 * time.Millisecond}
	return res, nil
}

func (f *fakeEngine) filterRegions(res *pipeline.Result, minScore float64) *pipeline.Result {
	if minScore <= 0.8 {
		return res
	}
	out := *res
	out.Regions, out.Lines, out.Dates = nil, nil, dates.Result{}
	return &out
}

func (f *fakeEngine) Warmup(ctx context.Context) error {
	if f.warmErr != nil {
		return f.warmErr
	}
	if f.warm != nil {
		select {
		case <-f.warm:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f.loaded.Store(true)
	return nil
}

func (f *fakeEngine) Loaded() bool { return f.loaded.Load() }
func (f *fakeEngine) Info() (engine.Info, error) {
	return engine.Info{RuntimeVersion: "fake", Provider: "cpu", Models: map[string]string{"detector": "det.onnx"}}, nil
}
func (f *fakeEngine) QueueDepths() map[string]int { return map[string]int{"detector": 0} }

// testConfig is the production preset with small, test-friendly limits.
func testConfig(t testing.TB) config.Config {
	t.Helper()
	c, err := config.Preset("production")
	if err != nil {
		t.Fatal(err)
	}
	c.Server.MaxInFlight, c.Server.MaxQueue = 2, 2
	c.Server.MaxBatchFiles = 3
	c.Server.RequestTimeout = 5 * time.Second
	c.Server.MaxBodyBytes = 200 * 1024
	return c
}

// pngBytes is a small valid image.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(0, 0, color.White)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
