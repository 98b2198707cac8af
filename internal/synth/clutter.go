package synth

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Clutter is the packaging around a date code: label artwork, other print and
// glare. The zero value is none: the code alone on a plain surface. What is
// drawn and where comes from the Spec's Seed through a generator of its own,
// so clutter never moves the code or changes its ink. Nothing but Ground ever
// overlaps the code's block.
type Clutter struct {
	Art    int     // colour areas of the label artwork: bands, panels, badges, gradients; 0..16
	Words  int     // blocks of ordinary print (brand, net weight, storage, ingredients); never a date; 0..8
	Glare  float64 // 0..1: strength of a specular highlight band on glossy film; 0 = none
	Ground bool    // the code sits on a mid-tone coloured panel instead of the bare surface
}

func (c Clutter) validate() error {
	if c.Art < 0 || c.Art > 16 || c.Words < 0 || c.Words > 8 || c.Glare < 0 || c.Glare > 1 || math.IsNaN(c.Glare) {
		return fmt.Errorf("synth: clutter %+v out of range", c)
	}
	return nil
}

// rectF is an axis-aligned rectangle in the code frame.
type rectF struct{ u0, v0, u1, v1 float64 }

func (r rectF) overlaps(o rectF) bool {
	return r.u0 < o.u1 && o.u0 < r.u1 && r.v0 < o.v1 && o.v0 < r.v1
}

func (r rectF) grow(d float64) rectF { return rectF{r.u0 - d, r.v0 - d, r.u1 + d, r.v1 + d} }

// codeFrame maps between photo pixels and the code frame: the coordinates of
// the code's block before rotation, in which the package's print is upright.
// Rotation keeps scale, so frame units are photo pixels.
type codeFrame struct {
	sin, cos float64
	cx, cy   float64 // block centre in the frame
	px, py   float64 // block centre in the photo
	code     rectF   // the code's block
}

// newCodeFrame is the frame of block b (before rotation) drawn as rot at x0, y0.
func newCodeFrame(b, rot block, angle float64, x0, y0 int) codeFrame {
	sin, cos := math.Sincos(angle * math.Pi / 180)
	if angle == 0 {
		sin, cos = 0, 1
	}
	return codeFrame{sin: sin, cos: cos, cx: float64(b.w) / 2, cy: float64(b.h) / 2,
		px: float64(x0) + float64(rot.w)/2, py: float64(y0) + float64(rot.h)/2,
		code: rectF{0, 0, float64(b.w), float64(b.h)}}
}

func (f codeFrame) toPhoto(u, v float64) (float64, float64) {
	du, dv := u-f.cx, v-f.cy
	return du*f.cos + dv*f.sin + f.px, -du*f.sin + dv*f.cos + f.py
}

func (f codeFrame) toFrame(x, y float64) (float64, float64) {
	dx, dy := x-f.px, y-f.py
	return dx*f.cos - dy*f.sin + f.cx, dx*f.sin + dy*f.cos + f.cy
}

// photoBounds is the photo's bounding box in the frame, and that of r in the photo.
func (f codeFrame) photoBounds(w, h int) rectF {
	out := rectF{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, c := range [4][2]float64{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}} {
		u, v := f.toFrame(c[0], c[1])
		out = rectF{min(out.u0, u), min(out.v0, v), max(out.u1, u), max(out.v1, v)}
	}
	return out
}

func (f codeFrame) inPhoto(r rectF, w, h int) rectF {
	out := rectF{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, c := range [4][2]float64{{r.u0, r.v0}, {r.u1, r.v0}, {r.u1, r.v1}, {r.u0, r.v1}} {
		x, y := f.toPhoto(c[0], c[1])
		out = rectF{min(out.u0, x), min(out.v0, y), max(out.u1, x), max(out.v1, y)}
	}
	return out
}

// Label artwork: saturated print colours, black, white and pale tints.
var artColours = [][3]float64{
	{200, 30, 40}, {20, 60, 150}, {30, 120, 60}, {240, 200, 40}, {240, 130, 30}, {90, 40, 110},
	{110, 70, 40}, {25, 25, 30}, {250, 250, 248}, {130, 180, 220}, {160, 200, 90}, {220, 90, 140},
}

// Mid-tone grounds that codes get printed on: tan, blue, sage, mustard, brick, silver, lilac, orange.
var groundColours = [][3]float64{
	{200, 150, 90}, {120, 160, 200}, {150, 190, 120}, {230, 190, 60},
	{200, 120, 110}, {170, 170, 175}, {140, 120, 170}, {230, 150, 60},
}

// Inks of ordinary label print: black, navy, red, green, dark brown.
var printColours = [][3]float64{{20, 20, 24}, {20, 35, 90}, {170, 25, 35}, {25, 90, 45}, {60, 40, 25}}

type artKind uint8

const (
	artRect artKind = iota
	artEllipse
	artGlare
)

// artItem is one painted area of the artwork: a rectangle or the ellipse in
// it, in one colour or a gradient along u or v, or a glare band whose
// brightness peaks along the rectangle's long axis.
type artItem struct {
	kind   artKind
	r      rectF
	c0, c1 [3]float64 // c1 = c0 for a solid fill
	alongU bool       // gradient, glare: the colour varies along u (else along v)
	alpha  float64
}

// placed is what drawClutter put where, in the code frame, for tests.
type placed struct {
	ground *rectF
	art    []rectF // artwork and glare
	words  []rectF // print blocks, grown by their blur
}

// drawArt lays the ground and the artwork under the code; the glare is
// returned to be laid over everything once the code is inked.
func drawArt(img *image.RGBA, s Spec, f codeFrame, rng *rand.Rand, pl *placed) (glare []artItem) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	edge := max(1, 2*s.Blur)
	gap := max(4, 0.3*float64(s.TextHeight))
	keep := f.code.grow(gap)
	view := f.photoBounds(w, h)
	side := float64(min(w, h))
	if s.Clutter.Ground {
		th := float64(s.TextHeight)
		g := rectF{f.code.u0 - th*(0.3+3*rng.Float64()), f.code.v0 - th*(0.3+2*rng.Float64()),
			f.code.u1 + th*(0.3+3*rng.Float64()), f.code.v1 + th*(0.3+2*rng.Float64())}
		c := groundColours[rng.IntN(len(groundColours))]
		for i := range c {
			c[i] += rng.Float64()*30 - 15
		}
		kind := artRect
		if rng.IntN(4) == 0 {
			kind = artEllipse
			// The ellipse inscribed in g must still hold the code's corners: √2 times wider and taller.
			du, dv := (g.u1-g.u0)*0.21, (g.v1-g.v0)*0.21
			g = rectF{g.u0 - du, g.v0 - dv, g.u1 + du, g.v1 + dv}
		}
		paint(img, f, artItem{kind: kind, r: g, c0: c, c1: c, alpha: 1}, edge)
		pl.ground = &g
	}
	// pick draws a rectangle of the given size class until one misses the code.
	pick := func(kind int) (rectF, bool) {
		for range 10 {
			var r rectF
			switch kind {
			case 0: // a band across the whole view, along the print
				t := side * (0.03 + 0.25*rng.Float64())
				v := view.v0 - t + (view.v1-view.v0+t)*rng.Float64()
				r = rectF{view.u0, v, view.u1, v + t}
			case 1: // a band across the print
				t := side * (0.03 + 0.25*rng.Float64())
				u := view.u0 - t + (view.u1-view.u0+t)*rng.Float64()
				r = rectF{u, view.v0, u + t, view.v1}
			default: // a panel or badge
				bw, bh := side*(0.08+0.4*rng.Float64()), side*(0.08+0.3*rng.Float64())
				u := view.u0 - bw/2 + (view.u1-view.u0)*rng.Float64()
				v := view.v0 - bh/2 + (view.v1-view.v0)*rng.Float64()
				r = rectF{u, v, u + bw, v + bh}
			}
			if !r.overlaps(keep) {
				return r, true
			}
		}
		return rectF{}, false
	}
	for range s.Clutter.Art {
		band := rng.IntN(3)
		r, ok := pick(band)
		c0 := artColours[rng.IntN(len(artColours))]
		c1 := c0
		if rng.IntN(3) == 0 {
			c1 = artColours[rng.IntN(len(artColours))]
		}
		kind := artRect
		if band == 2 && rng.IntN(3) == 0 {
			kind = artEllipse
		}
		it := artItem{kind: kind, r: r, c0: c0, c1: c1, alongU: rng.IntN(2) == 0, alpha: 0.8 + 0.2*rng.Float64()}
		if !ok {
			continue
		}
		paint(img, f, it, edge)
		pl.art = append(pl.art, r)
	}
	if s.Clutter.Glare > 0 {
		// A band along the print (kind 0) brightens across v, one across it across u.
		kind := rng.IntN(2)
		if r, ok := pick(kind); ok {
			glare = append(glare, artItem{kind: artGlare, r: r, alongU: kind == 1, alpha: s.Clutter.Glare})
			pl.art = append(pl.art, r)
		}
	}
	return glare
}

// paint lays it over img. Each photo row meets the rotated rectangle in one
// interval of x, found in closed form; only that interval is visited.
func paint(img *image.RGBA, f codeFrame, it artItem, edge float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	r := it.r.grow(edge)
	bb := f.inPhoto(r, w, h)
	y0, y1 := max(0, int(math.Floor(bb.v0))), min(h-1, int(math.Ceil(bb.v1)))
	uc, vc := (it.r.u0+it.r.u1)/2, (it.r.v0+it.r.v1)/2
	ru, rv := (it.r.u1-it.r.u0)/2, (it.r.v1-it.r.v0)/2
	minR := min(ru, rv)
	var grad float64 // colour parameter per frame unit
	if it.alongU {
		grad = 1 / (it.r.u1 - it.r.u0)
	} else {
		grad = 1 / (it.r.v1 - it.r.v0)
	}
	alpha, inv := float32(it.alpha), float32(1/edge)
	for y := y0; y <= y1; y++ {
		// u and v are linear in x along a row: u = au + cos·x, v = av + sin·x.
		au, av := f.toFrame(0.5, float64(y)+0.5)
		lo, hi := 0.0, float64(w-1)
		lo, hi = clipSpan(lo, hi, au, f.cos, r.u0, r.u1)
		lo, hi = clipSpan(lo, hi, av, f.sin, r.v0, r.v1)
		if lo > hi {
			continue
		}
		row := img.Pix[y*img.Stride:][:4*w]
		for x := int(math.Ceil(lo)); x <= int(math.Floor(hi)); x++ {
			u, v := au+f.cos*float64(x), av+f.sin*float64(x)
			var d float64 // distance inside the shape's edge
			switch it.kind {
			case artEllipse:
				q := math.Hypot((u-uc)/ru, (v-vc)/rv)
				d = (1 - q) * minR
			default:
				d = min(u-it.r.u0, it.r.u1-u, v-it.r.v0, it.r.v1-v)
			}
			a := float32(d)*inv + 0.5
			if a <= 0 {
				continue
			}
			a = min(a, 1) * alpha
			t := (v - it.r.v0) * grad
			if it.alongU {
				t = (u - it.r.u0) * grad
			}
			p := row[4*x : 4*x+3 : 4*x+3]
			if it.kind == artGlare {
				// Brightest along the band's middle, fading to nothing at its sides.
				c := 2*t - 1
				k := a * float32((1-c*c)*(1-c*c))
				for i := range 3 {
					v := float32(p[i])
					p[i] = roundByte(v + (250-v)*k)
				}
				continue
			}
			// Print takes the light of the surface under it: its shading and texture show through.
			shade := min(1.1, 0.35+0.65*(0.299*float32(p[0])+0.587*float32(p[1])+0.114*float32(p[2]))/220)
			for i := range 3 {
				c := float32(it.c0[i]+(it.c1[i]-it.c0[i])*t) * shade
				v := float32(p[i])
				p[i] = roundByte(v + (c-v)*a)
			}
		}
	}
}

// clipSpan narrows [lo, hi] to the x where a + slope·x lies in [v0, v1].
func clipSpan(lo, hi, a, slope, v0, v1 float64) (float64, float64) {
	if math.Abs(slope) < 1e-12 {
		if a < v0 || a > v1 {
			return 1, 0
		}
		return lo, hi
	}
	x0, x1 := (v0-a)/slope, (v1-a)/slope
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	return max(lo, x0), min(hi, x1)
}

// wordBlock is a block of ordinary label print and its outline font.
type wordBlock struct {
	lines   []string
	font    string
	cap     float64 // cap height as a multiple of the code's
	leading float64
}

var (
	brands = []string{"GOLDEN VALLEY", "Farmhouse", "ORIGINAL", "Classic Recipe", "HARVEST MOON", "Blue Ridge",
		"SUNNY ACRES", "Premium", "Family Size", "CREAMY", "Lightly Salted", "ORGANIC", "Homestyle", "ZERO SUGAR"}
	notices = []string{"KEEP REFRIGERATED", "SHAKE WELL", "PERISHABLE", "REFRIGERATE AFTER OPENING",
		"Keep frozen", "STORE IN A COOL DRY PLACE", "RECYCLE ME", "Do not microwave", "GLUTEN FREE", "NO PRESERVATIVES"}
	ingredients = []string{"water", "sugar", "salt", "whole milk", "cane sugar", "corn syrup", "natural flavors",
		"citric acid", "wheat flour", "soybean oil", "vinegar", "spices", "sodium benzoate", "pectin",
		"cultured cream", "modified starch", "tomato paste", "garlic powder", "lemon juice", "xanthan gum"}
)

// randomWords draws a block of label print that holds no date.
func randomWords(rng *rand.Rand) wordBlock {
	switch rng.IntN(5) {
	case 0:
		return wordBlock{lines: []string{brands[rng.IntN(len(brands))]}, font: []string{"bold", "regular"}[rng.IntN(2)], cap: 1.5 + 2.5*rng.Float64()}
	case 1:
		oz := 4 + rng.IntN(60)
		l := fmt.Sprintf("NET WT %d OZ (%dg)", oz, int(float64(oz)*28.35))
		if rng.IntN(3) == 0 {
			l = fmt.Sprintf("%d FL OZ (%d mL)", oz, int(float64(oz)*29.57))
		}
		return wordBlock{lines: []string{l}, font: outlineFont(rng), cap: 0.7 + 0.9*rng.Float64()}
	case 2:
		return wordBlock{lines: []string{notices[rng.IntN(len(notices))]}, font: outlineFont(rng), cap: 0.6 + 0.9*rng.Float64()}
	case 3:
		n := 2 + rng.IntN(4)
		lines := make([]string, n)
		for i := range lines {
			l := ""
			if i == 0 {
				l = "INGREDIENTS: "
			}
			for k := range 3 + rng.IntN(3) {
				if k > 0 {
					l += ", "
				}
				l += ingredients[rng.IntN(len(ingredients))]
			}
			lines[i] = l + ","
		}
		lines[n-1] = lines[n-1][:len(lines[n-1])-1] + "."
		return wordBlock{lines: lines, font: "regular", cap: 0.4 + 0.4*rng.Float64(), leading: 1.6}
	default:
		return wordBlock{lines: []string{"Distributed by", brands[rng.IntN(len(brands))] + " Foods Co."}, font: "regular", cap: 0.45 + 0.4*rng.Float64(), leading: 1.7}
	}
}

// drawWords prints s.Clutter.Words blocks of label print around the code, each
// wholly inside the photo, off the code and off each other, in the code's
// orientation and blurred like it.
func drawWords(img *image.RGBA, s Spec, f codeFrame, rng *rand.Rand, pl *placed) error {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	gap := max(4, 0.3*float64(s.TextHeight))
	keep := f.code.grow(gap)
	view := f.photoBounds(w, h)
	photo := rectF{0, 0, float64(w), float64(h)}
	var kernel int
	if s.Blur > 0 {
		kernel = len(gaussianKernel(s.Blur)) / 2
	}
	for range s.Clutter.Words {
		wb := randomWords(rng)
		capH := max(7, wb.cap*float64(s.TextHeight))
		ink := printColours[rng.IntN(len(printColours))]
		contrast := 0.75 + 0.25*rng.Float64()
		u, v := rng.Float64(), rng.Float64()
		face, err := newFace(wb.font, capH)
		if err != nil {
			return err
		}
		adv := 0.0
		for _, l := range wb.lines {
			adv = max(adv, float64(font.MeasureString(face, l))/64)
		}
		leading := max(wb.leading, 1.5)
		pad := int(math.Ceil(0.5 * capH))
		bw := int(math.Ceil(adv)) + 2*pad
		bh := int(math.Ceil(capH+leading*capH*float64(len(wb.lines)-1))) + 2*pad + int(math.Ceil(0.3*capH))
		var r rectF
		ok := false
		for try := range 12 {
			if try > 0 {
				u, v = rng.Float64(), rng.Float64()
			}
			uc := view.u0 + (view.u1-view.u0)*u
			vc := view.v0 + (view.v1-view.v0)*v
			r = rectF{uc - float64(bw)/2, vc - float64(bh)/2, uc + float64(bw)/2, vc + float64(bh)/2}.grow(float64(kernel))
			if r.overlaps(keep) || !inside(f.inPhoto(r, w, h), photo) || overlapsAny(r, pl.words) {
				continue
			}
			ok = true
			break
		}
		if !ok {
			face.Close()
			continue
		}
		mask := image.NewAlpha(image.Rect(0, 0, bw, bh))
		d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face}
		for i, l := range wb.lines {
			d.Dot = fixed.P(pad, pad+int(math.Ceil(capH))+int(math.Round(float64(i)*leading*capH)))
			d.DrawString(l)
		}
		face.Close()
		b := block{w: bw, h: bh, a: make([]float32, bw*bh)}
		for i, a := range mask.Pix {
			b.a[i] = float32(a) / 255
		}
		if s.Blur > 0 {
			b = blurBlock(b, s.Blur)
		}
		rot := rotateBlock(b, s.Angle)
		cx, cy := f.toPhoto((r.u0+r.u1)/2, (r.v0+r.v1)/2)
		composite(img, rot, int(math.Round(cx-float64(rot.w)/2)), int(math.Round(cy-float64(rot.h)/2)), ink, contrast)
		pl.words = append(pl.words, r)
	}
	return nil
}

func inside(r, outer rectF) bool {
	return r.u0 >= outer.u0 && r.v0 >= outer.v0 && r.u1 <= outer.u1 && r.v1 <= outer.v1
}

func overlapsAny(r rectF, rs []rectF) bool {
	for _, o := range rs {
		if r.overlaps(o) {
			return true
		}
	}
	return false
}
