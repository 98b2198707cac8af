package imgproc

import (
	"image"
	"math"
)

// Otsu returns the grey level that best splits the luminance histogram of img in two
// (maximum between-class variance).
func Otsu(img *image.RGBA) uint8 {
	g, _, _ := luma(img)
	return otsu(g)
}

func otsu(g []uint8) uint8 {
	var hist [256]float64
	for _, v := range g {
		hist[v]++
	}
	n := float64(len(g))
	var sumAll float64
	for v, c := range hist {
		sumAll += float64(v) * c
	}
	var wB, sumB, best float64
	t := uint8(0)
	for v, c := range hist {
		wB += c
		if wB == 0 {
			continue
		}
		wF := n - wB
		if wF == 0 {
			break
		}
		sumB += float64(v) * c
		mB, mF := sumB/wB, (sumAll-sumB)/wF
		if between := wB * wF * (mB - mF) * (mB - mF); between > best {
			best, t = between, uint8(v)
		}
	}
	return t
}

// Threshold binarises img: pixels whose luminance is above t become white, others black.
func Threshold(img *image.RGBA, t uint8) *image.RGBA {
	g, w, h := luma(img)
	for i, v := range g {
		g[i] = pick8(v > t)
	}
	return fromGray(g, w, h)
}

// AdaptiveThreshold binarises against the local mean of a block×block window minus c
// (OpenCV's ADAPTIVE_THRESH_MEAN_C): uneven light across a curved pack does not wipe out
// half the line, as one global threshold would.
func AdaptiveThreshold(img *image.RGBA, block int, c float64) *image.RGBA {
	g, w, h := luma(img)
	m := boxBlur(g, w, h, max(1, block/2))
	out := make([]uint8, len(g))
	for i, v := range g {
		out[i] = pick8(float64(v) > float64(m[i])-c)
	}
	return fromGray(out, w, h)
}

func pick8(white bool) uint8 {
	if white {
		return 255
	}
	return 0
}

// SkewAngle estimates the text angle of img in degrees within ±maxDeg by Datalid's
// projection method: the rotation whose row profile of ink pixels (Otsu, dark ink) has the
// largest variance lines the text up with the rows.
func SkewAngle(img *image.RGBA, maxDeg, step float64) float64 {
	g, w, h := luma(img)
	if w < 2 || h < 2 || step <= 0 {
		return 0
	}
	t := otsu(g)
	var xs, ys []float64
	dark := 0
	for _, v := range g {
		if v <= t {
			dark++
		}
	}
	inkDark := dark <= len(g)/2 // ink is the minority class
	for y := range h {
		for x := range w {
			if v := g[y*w+x]; (v <= t) == inkDark {
				xs = append(xs, float64(x)-float64(w)/2)
				ys = append(ys, float64(y)-float64(h)/2)
			}
		}
	}
	if len(xs) == 0 {
		return 0
	}
	diag := int(math.Hypot(float64(w), float64(h))) + 2
	rows := make([]float64, diag)
	bestVar, bestA := -1.0, 0.0
	for a := -maxDeg; a <= maxDeg+1e-9; a += step {
		sin, cos := math.Sincos(a * math.Pi / 180)
		clear(rows)
		for i := range xs {
			r := int(-xs[i]*sin+ys[i]*cos) + diag/2
			rows[min(diag-1, max(0, r))]++
		}
		var s, s2 float64
		for _, v := range rows {
			s += v
			s2 += v * v
		}
		n := float64(len(rows))
		if v := s2/n - (s/n)*(s/n); v > bestVar+1e-9 || (math.Abs(v-bestVar) <= 1e-9 && math.Abs(a) < math.Abs(bestA)) {
			bestVar, bestA = v, a
		}
	}
	return bestA
}

// Rotate turns img by deg degrees counter-clockwise about its centre onto a canvas grown to
// hold it, with a replicated border (Datalid's deskew output).
func Rotate(img *image.RGBA, deg float64) *image.RGBA {
	return NewTurn(img.Rect.Dx(), img.Rect.Dy(), deg).Apply(img)
}

// Turn is Rotate's geometry for a W×H image: the grown canvas's size and, through Back, the
// source point each canvas point shows, so that boxes found on the turned image map back.
type Turn struct {
	W, H, NW, NH float64
	sin, cos     float64
}

// NewTurn is the turn of a w×h image by deg degrees counter-clockwise.
func NewTurn(w, h int, deg float64) Turn {
	t := Turn{W: float64(w), H: float64(h)}
	t.sin, t.cos = math.Sincos(deg * math.Pi / 180)
	t.NW = math.Abs(t.W*t.cos) + math.Abs(t.H*t.sin)
	t.NH = math.Abs(t.W*t.sin) + math.Abs(t.H*t.cos)
	return t
}

// Back maps canvas point p to the source image: centre + R(deg)·(p − canvas centre), with y
// pointing down, so the content turns counter-clockwise on screen.
func (t Turn) Back(p Point) Point {
	du, dv := p.X-t.NW/2, p.Y-t.NH/2
	return Point{X: t.W/2 + du*t.cos - dv*t.sin, Y: t.H/2 + du*t.sin + dv*t.cos}
}

// Apply draws img turned onto the canvas.
func (t Turn) Apply(img *image.RGBA) *image.RGBA {
	q := Quad{t.Back(Point{}), t.Back(Point{X: t.NW}), t.Back(Point{X: t.NW, Y: t.NH}), t.Back(Point{Y: t.NH})}
	return WarpQuad(img, q, int(math.Round(t.NW)), int(math.Round(t.NH)))
}

// Deskew straightens slanted text: it estimates the skew within ±maxDeg and rotates only
// when it exceeds half a degree. It returns the angle it corrected.
func Deskew(img *image.RGBA, maxDeg float64) (*image.RGBA, float64) {
	a := SkewAngle(img, maxDeg, 0.5)
	if math.Abs(a) <= 0.5 {
		return img, 0
	}
	return Rotate(img, a), a
}
