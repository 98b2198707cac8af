package synth

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

var fontFiles = map[string][]byte{
	"regular":  goregular.TTF,
	"bold":     gobold.TTF,
	"mono":     gomono.TTF,
	"monobold": gomonobold.TTF,
}

// dotRows is the cap height of dot-matrix glyphs in dots; 9 keeps digits such as
// 5/6/8 distinct while leaving gaps between dots as on inkjet date coders.
const dotRows = 9

// dotInked is the coverage above which a cell gets a dot; above one half it thins
// gomonobold's strokes to one or two dots, as on real coders.
const dotInked = 170

type parsedFont struct {
	f          *opentype.Font
	capPerSize float64 // cap height in pixels per pixel of font size
}

// fonts parses each embedded font once; parsing costs far more than a render.
var fonts = func() map[string]func() (parsedFont, error) {
	m := make(map[string]func() (parsedFont, error), len(fontFiles))
	for name, ttf := range fontFiles {
		m[name] = sync.OnceValues(func() (parsedFont, error) {
			f, err := opentype.Parse(ttf)
			if err != nil {
				return parsedFont{}, fmt.Errorf("synth: font %s: %w", name, err)
			}
			face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 100, DPI: 72})
			if err != nil {
				return parsedFont{}, err
			}
			defer face.Close()
			b, _, ok := face.GlyphBounds('H')
			if !ok || b.Min.Y >= 0 {
				return parsedFont{}, fmt.Errorf("synth: font %s has no usable 'H'", name)
			}
			return parsedFont{f: f, capPerSize: float64(-b.Min.Y) / 64 / 100}, nil
		})
	}
	return m
}()

// newFace returns a face of the named font whose capital letters are capHeight pixels tall.
func newFace(name string, capHeight float64) (font.Face, error) {
	pf, err := fonts[name]()
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(pf.f, &opentype.FaceOptions{Size: capHeight / pf.capPerSize, DPI: 72})
}

// plan places the lines on a "small" mask that is later scaled by scale: for
// outline fonts scale is 1 and the small mask is the block itself; for the dot
// matrix each small pixel becomes one dot of pitch scale (scaleX across, which
// differs when the print head moves faster or slower than its nozzles' spacing).
type plan struct {
	face          font.Face // nil for the grid fonts (dot5x7, dot5x5), whose glyphs are tables
	grid          string    // the grid font's name, "" for the others
	scale, scaleX float64
	sw, sh        int     // small mask size
	w, h          int     // block size in photo pixels
	left          int     // x of every line's origin, small pixels
	baselines     []int   // small pixels
	capH          float64 // small pixels
	dateAdv       float64 // advance of the date line, small pixels
}

func (p plan) close() {
	if p.face != nil {
		p.face.Close()
	}
}

// isDotFont tells the fonts whose glyphs become dots.
func isDotFont(name string) bool { return name == "dotmatrix" || isGridFont(name) }

// defaultLeading is the line step of date coders, in cap heights: loose, a gap of most of a
// line. minLeading prints lines touching (a dot-matrix line's bottom row of dots where an empty
// row would be); maxLeading bounds a spec's own.
const defaultLeading, minLeading, maxLeading = 1.7, 1.0, 3.0

func makePlan(fontName string, lines []string, dateIdx, textHeight int, stretch, leading float64) (plan, error) {
	p := plan{scale: 1, capH: float64(textHeight)}
	var measure func(string) (float64, error)
	switch fontName {
	case "dot5x7", "dot5x5":
		rows := gridRows(fontName)
		p.grid = fontName
		p.scale, p.capH = float64(textHeight)/float64(rows), float64(rows)
		measure = func(l string) (float64, error) {
			w, err := gridWidth(fontName, l)
			return float64(w), err
		}
	default:
		name := fontName
		if fontName == "dotmatrix" {
			name = "monobold"
			p.scale, p.capH = float64(textHeight)/dotRows, dotRows
		}
		face, err := newFace(name, p.capH)
		if err != nil {
			return plan{}, err
		}
		p.face = face
		measure = func(l string) (float64, error) { return float64(font.MeasureString(face, l)) / 64, nil }
	}
	p.scaleX = p.scale
	if isDotFont(fontName) && stretch > 0 {
		p.scaleX = p.scale * stretch
	}
	// Padding keeps blur and rotation from clipping glyphs; the line step is
	// the loose leading of date coders unless the spec sets its own.
	pad := int(math.Ceil(0.6 * p.capH))
	if leading <= 0 {
		leading = defaultLeading
	}
	step := int(math.Round(leading * p.capH))
	maxAdv := 0.0
	for i, l := range lines {
		adv, err := measure(l)
		if err != nil {
			p.close()
			return plan{}, err
		}
		maxAdv = max(maxAdv, adv)
		if i == dateIdx {
			p.dateAdv = adv
		}
		p.baselines = append(p.baselines, pad+int(math.Ceil(p.capH))+i*step)
	}
	p.left = pad
	p.sw = int(math.Ceil(maxAdv)) + 2*pad
	p.sh = p.baselines[len(p.baselines)-1] + pad + int(math.Ceil(0.3*p.capH))
	p.w, p.h = int(math.Ceil(float64(p.sw)*p.scaleX)), int(math.Ceil(float64(p.sh)*p.scale))
	return p, nil
}

func blockSize(fontName string, lines []string, textHeight int, stretch, leading float64) (int, int, error) {
	p, err := makePlan(fontName, lines, 0, textHeight, stretch, leading)
	if err != nil {
		return 0, 0, err
	}
	p.close()
	return p.w, p.h, nil
}

// block is an ink coverage mask (0..1) with the date line's corners in its own
// coordinates: top-left, top-right, bottom-right, bottom-left.
type block struct {
	w, h int
	a    []float32
	date [4][2]float64
}

func drawBlock(fontName string, lines []string, dateIdx, textHeight int, dots DotStyle, leading float64, rng *rand.Rand) (block, error) {
	p, err := makePlan(fontName, lines, dateIdx, textHeight, dots.Stretch, leading)
	if err != nil {
		return block{}, err
	}
	defer p.close()
	small := image.NewAlpha(image.Rect(0, 0, p.sw, p.sh))
	if p.grid != "" {
		for i, l := range lines {
			drawGrid(small, p.grid, l, p.left, p.baselines[i])
		}
	} else {
		d := font.Drawer{Dst: small, Src: image.Opaque, Face: p.face}
		for i, l := range lines {
			d.Dot = fixed.P(p.left, p.baselines[i])
			d.DrawString(l)
		}
	}
	b := block{w: p.w, h: p.h, a: make([]float32, p.w*p.h)}
	switch {
	case isDotFont(fontName) && dots != (DotStyle{}):
		drawStyledDots(&b, small, p.scaleX, p.scale, dots, rng)
	case isDotFont(fontName):
		drawDots(&b, small, p.scale, rng)
	default:
		for i, v := range small.Pix {
			b.a[i] = float32(v) / 255
		}
	}
	base := float64(p.baselines[dateIdx])
	x0, x1 := float64(p.left)*p.scaleX, (float64(p.left)+p.dateAdv)*p.scaleX
	y0, y1 := (base-1.2*p.capH)*p.scale, (base+0.25*p.capH)*p.scale
	b.date = [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	return b, nil
}

// drawDots turns every inked cell of small into a round dot, leaving the gaps
// between dots that distinguish inkjet codes from continuous strokes.
func drawDots(b *block, small *image.Alpha, pitch float64, rng *rand.Rand) {
	r := max(0.8, 0.4*pitch)
	for cy := range small.Rect.Dy() {
		for cx := range small.Rect.Dx() {
			if small.Pix[cy*small.Stride+cx] < dotInked {
				continue
			}
			// Slight misplacement and size spread, as from real print heads.
			jx, jy := (rng.Float64()-0.5)*0.12*pitch, (rng.Float64()-0.5)*0.12*pitch
			rr := r * (0.92 + 0.16*rng.Float64())
			disk(b, (float64(cx)+0.5)*pitch+jx, (float64(cy)+0.5)*pitch+jy, rr)
		}
	}
}

// drawStyledDots is drawDots with the shape of a DotStyle: dots of their own
// size, placement error, soft ink-spread rim, density and missing nozzles.
func drawStyledDots(b *block, small *image.Alpha, px, py float64, st DotStyle, rng *rand.Rand) {
	size := st.Size
	if size == 0 {
		size = 0.8
	}
	r := max(0.6, size*py/2)
	rim := max(0.7, st.Spread*py) // never sharper than one pixel: a photo anti-aliases
	for cy := range small.Rect.Dy() {
		for cx := range small.Rect.Dx() {
			if small.Pix[cy*small.Stride+cx] < dotInked {
				continue
			}
			// Draw all random numbers before the dropout test, so a dropout rate
			// changes which dots vanish but not where the others land.
			jx, jy := (rng.Float64()-0.5)*2*st.Jitter*px, (rng.Float64()-0.5)*2*st.Jitter*py
			rr := r * (0.88 + 0.24*rng.Float64())
			density := float32(0.85 + 0.15*rng.Float64())
			if rng.Float64() < st.Dropout {
				continue
			}
			softDisk(b, (float64(cx)+0.5)*px+jx, (float64(cy)+0.5)*py+jy, rr, rim, density)
		}
	}
}

func disk(b *block, cx, cy, r float64) {
	y0, y1 := max(0, int(cy-r-1)), min(b.h-1, int(cy+r+1))
	x0, x1 := max(0, int(cx-r-1)), min(b.w-1, int(cx+r+1))
	for y := y0; y <= y1; y++ {
		dy := float64(y) + 0.5 - cy
		row := b.a[y*b.w:]
		for x := x0; x <= x1; x++ {
			dx := float64(x) + 0.5 - cx
			// Coverage falls off over one pixel at the rim, which anti-aliases the dot.
			a := float32(min(1, max(0, r+0.5-math.Sqrt(dx*dx+dy*dy))))
			row[x] = max(row[x], a)
		}
	}
}

// softDisk is a dot whose coverage falls off linearly over rim pixels around
// radius r, as ink bleeding into the surface does.
func softDisk(b *block, cx, cy, r, rim float64, density float32) {
	reach := r + rim/2 + 1
	y0, y1 := max(0, int(cy-reach)), min(b.h-1, int(cy+reach))
	x0, x1 := max(0, int(cx-reach)), min(b.w-1, int(cx+reach))
	for y := y0; y <= y1; y++ {
		dy := float64(y) + 0.5 - cy
		row := b.a[y*b.w:]
		for x := x0; x <= x1; x++ {
			dx := float64(x) + 0.5 - cx
			a := density * float32(min(1, max(0, (r-math.Sqrt(dx*dx+dy*dy))/rim+0.5)))
			row[x] = max(row[x], a)
		}
	}
}

// shearGrow is how much wider a block of height h gets when leaned by shear degrees.
func shearGrow(h int, shear float64) int {
	if shear == 0 {
		return 0
	}
	return int(math.Ceil(float64(h) * math.Abs(math.Tan(shear*math.Pi/180))))
}

// shearBlock leans b like italics by shear degrees: each row shifts right in
// proportion to its height above the block's bottom (left for a negative
// shear), as dots fired from a head that moves with the product do. The date
// line's corners become the axis-aligned box around its leaning outline.
func shearBlock(b block, shear float64) block {
	if shear == 0 {
		return b
	}
	t := math.Tan(shear * math.Pi / 180)
	out := block{w: b.w + shearGrow(b.h, shear), h: b.h}
	out.a = make([]float32, out.w*out.h)
	off := max(0, -float64(b.h)*t)
	shift := func(y float64) float64 { return (float64(b.h)-y)*t + off }
	for y := range b.h {
		d := shift(float64(y) + 0.5)
		// Source x of output pixel x is x−d: a fixed split between two neighbours per row.
		id := int(math.Floor(d))
		f := float32(d - float64(id))
		src, dst := b.a[y*b.w:][:b.w], out.a[y*out.w:][:out.w]
		for x, v := range src {
			if v == 0 {
				continue
			}
			if i := x + id; i >= 0 && i < out.w {
				dst[i] += v * (1 - f)
			}
			if i := x + id + 1; i >= 0 && i < out.w {
				dst[i] += v * f
			}
		}
	}
	d := b.date
	x0 := min(d[0][0]+shift(d[0][1]), d[3][0]+shift(d[3][1]))
	x1 := max(d[1][0]+shift(d[1][1]), d[2][0]+shift(d[2][1]))
	y0, y1 := d[0][1], d[2][1]
	out.date = [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	return out
}

// rotateBlock rotates b counter-clockwise (as seen) by angle degrees about its
// centre with bilinear sampling, into the rotated bounding box.
func rotateBlock(b block, angle float64) block {
	if angle == 0 {
		return b
	}
	sin, cos := math.Sincos(angle * math.Pi / 180)
	fw, fh := rotatedSize(float64(b.w), float64(b.h), angle)
	out := block{w: int(math.Ceil(fw)), h: int(math.Ceil(fh))}
	out.a = make([]float32, out.w*out.h)
	cx, cy := float64(b.w)/2, float64(b.h)/2
	ox, oy := float64(out.w)/2, float64(out.h)/2
	for y := range out.h {
		dy := float64(y) + 0.5 - oy
		row := out.a[y*out.w : (y+1)*out.w]
		for x := range row {
			dx := float64(x) + 0.5 - ox
			row[x] = sampleBilinear(b, dx*cos-dy*sin+cx-0.5, dx*sin+dy*cos+cy-0.5)
		}
	}
	for i, p := range b.date {
		dx, dy := p[0]-cx, p[1]-cy
		out.date[i] = [2]float64{dx*cos + dy*sin + ox, -dx*sin + dy*cos + oy}
	}
	return out
}

// sampleBilinear reads b at a pixel-centre coordinate, treating outside as no ink.
func sampleBilinear(b block, x, y float64) float32 {
	if x <= -1 || y <= -1 || x >= float64(b.w) || y >= float64(b.h) {
		return 0
	}
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	at := func(xi, yi int) float32 {
		if xi < 0 || yi < 0 || xi >= b.w || yi >= b.h {
			return 0
		}
		return b.a[yi*b.w+xi]
	}
	top := at(x0, y0) + (at(x0+1, y0)-at(x0, y0))*fx
	bot := at(x0, y0+1) + (at(x0+1, y0+1)-at(x0, y0+1))*fx
	return top + (bot-top)*fy
}
