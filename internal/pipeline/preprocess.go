package pipeline

import (
	"fmt"
	"image"
	"strings"

	"github.com/datalid/datalid/internal/imgproc"
)

// Op is one named crop preprocessing step (Datalid's ppro steps, DATALID.md §1.3).
type Op struct {
	Name string
	fn   func(*image.RGBA) *image.RGBA
}

// Chain is a sequence of Ops applied in order; the zero Chain leaves a crop unchanged.
type Chain []Op

// ops are the steps a chain may name. Parameters are Datalid's ppro-dates values, the
// profile written for printed dates.
var ops = map[string]func(*image.RGBA) *image.RGBA{
	"gray_world": imgproc.GrayWorld,
	"gray":       imgproc.Gray,
	"clahe":      func(m *image.RGBA) *image.RGBA { return imgproc.CLAHE(m, 2.5, 8) },
	"sharpen":    func(m *image.RGBA) *image.RGBA { return imgproc.Sharpen(m, 1.0) },
	"median":     imgproc.Median3,
	"denoise":    func(m *image.RGBA) *image.RGBA { return imgproc.BoxDenoise(m, 1) },
	"threshold":  func(m *image.RGBA) *image.RGBA { return imgproc.Threshold(m, imgproc.Otsu(m)) },
	"adaptive":   func(m *image.RGBA) *image.RGBA { return imgproc.AdaptiveThreshold(m, 31, 4) },
	"invert":     func(m *image.RGBA) *image.RGBA { out, _ := imgproc.InvertIfDark(m); return out },
	"negative":   imgproc.Invert,
	"flip":       imgproc.Rotate180, // the angle classifier's mistakes
	"dots":       func(m *image.RGBA) *image.RGBA { return imgproc.MergeDots(m, max(1, m.Rect.Dy()/30)) },
	"joindots":   imgproc.JoinDots, // at the crop's own dot pitch; no change unless dot-matrix
	"deskew":     func(m *image.RGBA) *image.RGBA { out, _ := imgproc.Deskew(m, 15); return out },
	"pad":        func(m *image.RGBA) *image.RGBA { return imgproc.Pad(m, max(4, m.Rect.Dy()/4), edgeGray(m)) },
	"upscale": func(m *image.RGBA) *image.RGBA {
		return imgproc.Resize(m, 2*m.Rect.Dx(), 2*m.Rect.Dy())
	},
}

// expandStep is the one step that is not a pixel operation: as the first step of a retry
// variant it re-crops the region from the photo with its box grown along the text line, for
// the detector boxes that cut off the last characters ("03/04/23" read as "03/047").
const expandStep = "expand"

// expandBy is how far expand grows each end of a box, in box heights.
const expandBy = 0.6

// OpNames lists the step names a chain accepts, for config validation and docs.
func OpNames() []string {
	return []string{"gray_world", "gray", "clahe", "sharpen", "median", "denoise", "threshold",
		"adaptive", "invert", "negative", "flip", "dots", "joindots", "deskew", "pad", "upscale", expandStep}
}

// ParseChain reads a chain written as step names joined by "+" ("clahe+sharpen"); "" and
// "none" are the empty chain.
func ParseChain(s string) (Chain, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "none" {
		return nil, nil
	}
	var c Chain
	for i, name := range strings.Split(s, "+") {
		name = strings.TrimSpace(name)
		if name == expandStep {
			if i > 0 {
				return nil, fmt.Errorf("pipeline: %q must be the first step of %q", expandStep, s)
			}
			c = append(c, Op{Name: name})
			continue
		}
		fn, ok := ops[name]
		if !ok {
			return nil, fmt.Errorf("pipeline: unknown preprocessing step %q (known: %s)", name, strings.Join(OpNames(), ", "))
		}
		c = append(c, Op{Name: name, fn: fn})
	}
	return c, nil
}

// turns reports whether the chain turns a crop over: an odd number of flips.
func (c Chain) turns() bool {
	n := 0
	for _, op := range c {
		if op.Name == "flip" {
			n++
		}
	}
	return n%2 == 1
}

// expands reports whether the chain starts by re-cropping a grown box.
func (c Chain) expands() bool { return len(c) > 0 && c[0].Name == expandStep }

// Apply runs the chain's pixel steps on img (expand is the caller's: it needs the photo).
func (c Chain) Apply(img *image.RGBA) *image.RGBA {
	for _, op := range c {
		if op.fn == nil {
			continue
		}
		if img.Rect.Empty() {
			return img
		}
		img = op.fn(img)
	}
	return img
}

// String writes the chain as ParseChain reads it.
func (c Chain) String() string {
	names := make([]string, len(c))
	for i, op := range c {
		names[i] = op.Name
	}
	return strings.Join(names, "+")
}

// edgeGray is the mean grey of img's border: padding in the background's own colour does not
// add an edge the recogniser could read as a 1 or an l.
func edgeGray(m *image.RGBA) uint8 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	if w == 0 || h == 0 {
		return 255
	}
	var sum, n int
	add := func(x, y int) {
		p := m.Pix[y*m.Stride+4*x:]
		sum += (299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000
		n++
	}
	for x := range w {
		add(x, 0)
		add(x, h-1)
	}
	for y := range h {
		add(0, y)
		add(w-1, y)
	}
	return uint8(sum / n)
}

// expandQuad grows q along its top and bottom edges by d at each end.
func expandQuad(q imgproc.Quad, d float64) imgproc.Quad {
	grow := func(a, b imgproc.Point) (imgproc.Point, imgproc.Point) {
		l := imgproc.Dist(a, b)
		if l == 0 {
			return a, b
		}
		ux, uy := (b.X-a.X)/l, (b.Y-a.Y)/l
		return imgproc.Point{X: a.X - ux*d, Y: a.Y - uy*d}, imgproc.Point{X: b.X + ux*d, Y: b.Y + uy*d}
	}
	q[0], q[1] = grow(q[0], q[1])
	q[3], q[2] = grow(q[3], q[2])
	return q
}
