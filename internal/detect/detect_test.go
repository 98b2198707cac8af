package detect

import (
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
)

func TestInputSize(t *testing.T) {
	cases := []struct{ w, h, limit, ww, wh int }{
		{4000, 3000, 960, 960, 736}, // 720 rounds to 736 (PaddleOCR rounds, not floors)
		{640, 480, 960, 640, 480},   // never enlarged
		{100, 20, 960, 96, 32},      // rounded to 32, at least 32
		{10, 10, 960, 32, 32},
		{3000, 4000, 960, 736, 960},
	}
	for _, c := range cases {
		w, h := InputSize(c.w, c.h, c.limit)
		if w != c.ww || h != c.wh {
			t.Errorf("InputSize(%d,%d,%d) = %d,%d want %d,%d", c.w, c.h, c.limit, w, h, c.ww, c.wh)
		}
	}
}

// A whole photo is brought to the limit either way: a small one is enlarged, so that its
// print is as tall to the detector as a large photo's.
func TestPhotoSize(t *testing.T) {
	cases := []struct{ w, h, limit, ww, wh int }{
		{4000, 3000, 960, 960, 736},
		{640, 480, 960, 960, 736}, // enlarged
		{480, 640, 960, 736, 960},
		{960, 20, 960, 960, 32}, // at least 32
	}
	for _, c := range cases {
		w, h := PhotoSize(c.w, c.h, c.limit)
		if w != c.ww || h != c.wh {
			t.Errorf("PhotoSize(%d,%d,%d) = %d,%d want %d,%d", c.w, c.h, c.limit, w, h, c.ww, c.wh)
		}
	}
}

func TestNormalizeBGRPlanes(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.RGBA{255, 0, 0, 255}) // red
	img.Set(1, 0, color.RGBA{0, 0, 255, 255}) // blue
	out := Normalize(img)
	// plane 0 is blue: pixel 1 is bright there, pixel 0 dark.
	if !(out[1] > 2 && out[0] < -2) {
		t.Errorf("blue plane %v", out[0:2])
	}
	// plane 2 is red.
	if !(out[4] > 2 && out[5] < -1.5) {
		t.Errorf("red plane %v", out[4:6])
	}
	want := float32((255/255.0 - 0.406) / 0.225)
	if math.Abs(float64(out[4]-want)) > 1e-4 {
		t.Errorf("red value %v want %v", out[4], want)
	}
}

// mapRunner returns a fixed probability map whatever the input, to test post-processing.
type mapRunner struct {
	paint func(w, h int) []float32
	err   error
}

func (m mapRunner) Run(_ context.Context, shape []int64, _ []float32) ([]int64, []float32, error) {
	if m.err != nil {
		return nil, nil, m.err
	}
	h, w := int(shape[2]), int(shape[3])
	return []int64{1, 1, int64(h), int64(w)}, m.paint(w, h), nil
}

func rects(rs ...image.Rectangle) func(w, h int) []float32 {
	return func(w, h int) []float32 {
		p := make([]float32, w*h)
		for _, r := range rs {
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					p[y*w+x] = 0.9
				}
			}
		}
		return p
	}
}

func TestDetectPostProcessing(t *testing.T) {
	// Image 1920×1440 → detector 960×736 (x scale 2, y scale ≈1.957).
	img := image.NewRGBA(image.Rect(0, 0, 1920, 1440))
	r := mapRunner{paint: rects(
		image.Rect(500, 400, 700, 430), // second line
		image.Rect(100, 100, 400, 130), // first line, left
		image.Rect(450, 102, 600, 128), // first line, right
		image.Rect(800, 700, 801, 701), // a speck: dropped
	)}
	d, err := New(DefaultConfig(), r)
	if err != nil {
		t.Fatal(err)
	}
	boxes, tm, err := d.Detect(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	if len(boxes) != 3 {
		t.Fatalf("got %d boxes: %+v", len(boxes), boxes)
	}
	// left edges in image pixels, in reading order: (x − unclip distance) × 2
	wantX := []float64{160, 867, 961}
	for i, b := range boxes {
		x0, y0, x1, y1 := b.Quad.Bounds()
		if math.Abs(x0-wantX[i]) > 4 {
			t.Errorf("box %d left %v want ≈%v (%v)", i, x0, wantX[i], b.Quad)
		}
		if b.Score < 0.85 || x1 <= x0 || y1 <= y0 {
			t.Errorf("box %d score %v quad %v", i, b.Score, b.Quad)
		}
	}
	// The unclip grows a 300×30 region by about 1.5·area/perimeter ≈ 20 px per side (×2 scale).
	_, y0, _, y1 := boxes[0].Quad.Bounds()
	if h := y1 - y0; h < 90 || h > 160 {
		t.Errorf("unclipped height %v, want ≈ 60+2·20 scaled", h)
	}
	if tm.Run < 0 || tm.Post <= 0 {
		t.Errorf("timings %+v", tm)
	}
}

func TestDetectErrors(t *testing.T) {
	boom := errors.New("boom")
	d, _ := New(DefaultConfig(), mapRunner{err: boom})
	if _, _, err := d.Detect(context.Background(), image.NewRGBA(image.Rect(0, 0, 64, 64))); !errors.Is(err, boom) {
		t.Errorf("runner error: %v", err)
	}
	if _, _, err := d.Detect(context.Background(), image.NewRGBA(image.Rect(0, 0, 0, 0))); !errors.Is(err, ErrEmptyImage) {
		t.Errorf("empty image: %v", err)
	}
	bad := DefaultConfig()
	bad.LimitSideLen = 100
	if _, err := New(bad, nil); err == nil {
		t.Error("limit 100 accepted")
	}
}

func TestSortReadingOrder(t *testing.T) {
	q := func(x, y float64) imgproc.Quad {
		return imgproc.Quad{{X: x, Y: y}, {X: x + 50, Y: y}, {X: x + 50, Y: y + 20}, {X: x, Y: y + 20}}
	}
	bs := []Box{{Quad: q(300, 104)}, {Quad: q(10, 100)}, {Quad: q(10, 200)}, {Quad: q(150, 98)}}
	SortReadingOrder(bs)
	got := []float64{bs[0].Quad[0].X, bs[1].Quad[0].X, bs[2].Quad[0].X, bs[3].Quad[0].X}
	want := []float64{10, 150, 300, 10}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("order %v want %v", got, want)
		}
	}
}

func TestMapInked(t *testing.T) {
	m := Map{W: 2, H: 2, Prob: []float32{0, 0.1, 0.29, 0.05}}
	if m.Inked(0.3) {
		t.Error("no pixel reaches 0.3")
	}
	m.Prob[3] = 0.31
	if !m.Inked(0.3) {
		t.Error("a pixel at 0.31 is ink at 0.3")
	}
}

// A small photo is enlarged for the detector and its boxes come back in the photo's own
// pixels; a small part of a photo (Detect) is read at its size.
func TestDetectPhotoEnlargesASmallPhoto(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 480, 360)) // → 960×736 whole, 480×352 as a part
	d, err := New(DefaultConfig(), mapRunner{paint: rects(image.Rect(200, 300, 600, 340))})
	if err != nil {
		t.Fatal(err)
	}
	boxes, m, _, err := d.DetectPhoto(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	if m.W != 960 || m.H != 736 || len(boxes) != 1 {
		t.Fatalf("map %d×%d, %d boxes; want 960×736 and one box", m.W, m.H, len(boxes))
	}
	x0, y0, x1, _ := boxes[0].Quad.Bounds()
	if math.Abs(x0-(200-20)/2) > 6 || math.Abs(x1-(600+20)/2) > 6 || y0 < 130 || y0 > 150 {
		t.Errorf("box %v, want about x 90..310 from y ≈ 140 in the photo's pixels", boxes[0].Quad)
	}
	var shapes [][]int64
	rec := shapeRunner{mapRunner{paint: rects()}, &shapes}
	if d, err = New(DefaultConfig(), rec); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Detect(context.Background(), img); err != nil {
		t.Fatal(err)
	}
	if len(shapes) != 1 || shapes[0][2] != 352 || shapes[0][3] != 480 {
		t.Errorf("a part of a photo ran at %v, want its own size rounded, 352×480", shapes)
	}
}

// shapeRunner records the input shape of each run.
type shapeRunner struct {
	mapRunner
	shapes *[][]int64
}

func (s shapeRunner) Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	*s.shapes = append(*s.shapes, shape)
	return s.mapRunner.Run(ctx, shape, data)
}
