package pipeline

import (
	"image"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// A photo is taken for upside down when the regions the classifier turned over outweigh
// the others, by length and confidence: a long line turned beats a short one upright, and
// one short dotted code misjudged does not turn a page of upright print.
func TestUpsideDownWeighsTheRegionsTurned(t *testing.T) {
	region := func(w float64, conf float64, flipped bool) Region {
		return Region{
			Quad:    imgproc.Quad{{X: 0, Y: 0}, {X: w, Y: 0}, {X: w, Y: 20}, {X: 0, Y: 20}},
			Text:    recognize.Text{Confidence: conf},
			Flipped: flipped,
		}
	}
	for _, c := range []struct {
		name string
		rs   []Region
		want bool
	}{
		{"long line turned", []Region{region(300, 0.9, true), region(60, 0.9, false)}, true},
		{"short code turned", []Region{region(60, 0.9, true), region(300, 0.9, false)}, false},
		{"turned but unsure", []Region{region(300, 0.2, true), region(200, 0.9, false)}, false},
		{"nothing read", nil, false},
	} {
		if got := upsideDown(c.rs); got != c.want {
			t.Errorf("%s: upsideDown = %v, want %v", c.name, got, c.want)
		}
	}
}

// Each turn's map back finds on the photo the point of its turned copy that shows the same
// pixel.
func TestTurnsMapBackOntoThePhoto(t *testing.T) {
	const w, h = 7, 5
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Pix[img.PixOffset(2, 1)] = 255
	for _, c := range []struct {
		name   string
		turned *image.RGBA
		back   func(imgproc.Point) imgproc.Point
	}{
		{"over", imgproc.Rotate180(img), halfBack(w, h)},
		{"counter-clockwise", imgproc.Rotate90CCW(img), quarterBack(w)},
		{"clockwise", imgproc.Rotate90CW(img), quarterCWBack(h)},
	} {
		if got, ok := markedBack(c.turned, c.back); !ok || got != (imgproc.Point{X: 2.5, Y: 1.5}) {
			t.Errorf("%s: the marked pixel maps back to %v (found %v), want (2.5, 1.5)", c.name, got, ok)
		}
	}
}

// markedBack is the point back maps the centre of turned's one marked pixel to.
func markedBack(turned *image.RGBA, back func(imgproc.Point) imgproc.Point) (imgproc.Point, bool) {
	b := turned.Bounds()
	for y := range b.Dy() {
		for x := range b.Dx() {
			if turned.Pix[turned.PixOffset(x, y)] == 255 {
				return back(imgproc.Point{X: float64(x) + 0.5, Y: float64(y) + 0.5}), true
			}
		}
	}
	return imgproc.Point{}, false
}

// The whole photo is turned the way that brings upright the print the sideways look read:
// clockwise when that print read surer upside down on the counter-clockwise turn.
func TestQuarterWayFollowsTheSidewaysReading(t *testing.T) {
	line := func(text string, conf float64, flipped bool) Region {
		return Region{Quad: quad(0, 0, 200, 30), Text: recognize.Text{Text: text, Confidence: conf}, Flipped: flipped}
	}
	if got := quarterWay([]Region{line("V:03/2026", 0.9, false), line("8", 0.3, true)}); got != quarterCCW {
		t.Errorf("print read upright: turn %d, want counter-clockwise (%d)", got, quarterCCW)
	}
	if got := quarterWay([]Region{line("V:03/2026", 0.9, true), line("8", 0.3, false)}); got != quarterCW {
		t.Errorf("print read upside down: turn %d, want clockwise (%d)", got, quarterCW)
	}
}
