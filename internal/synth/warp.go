package synth

import (
	"fmt"
	"image"
	"math"
)

// Warp bends the surface the text is printed on. The zero value is a flat surface.
type Warp struct {
	Kind string  // "" (flat), "cylinder" (the side of a can or bottle) or "arc" (text following a cap's or lid's rim)
	Span float64 // degrees of the cylinder or circle that the text block spans, 10..160
	Tilt float64 // cylinder only: how far the view looks down on it, 0..0.5; lines then curve into ellipses
	Down bool    // arc only: the circle's centre lies above the text (a smile) instead of below (a hump)
}

func (w Warp) validate() error {
	switch w.Kind {
	case "":
		return nil
	case "cylinder", "arc":
	default:
		return fmt.Errorf("synth: unknown warp %q", w.Kind)
	}
	if w.Span < 10 || w.Span > 160 || w.Tilt < 0 || w.Tilt > 0.5 {
		return fmt.Errorf("synth: warp span %g° outside 10..160 or tilt %g outside 0..0.5", w.Span, w.Tilt)
	}
	return nil
}

// mapping is a bend as a forward map (block → bent plane) and its inverse;
// inv reports false where no block point lands.
type mapping struct {
	fwd func(xs, ys float64) (float64, float64)
	inv func(xo, yo float64) (float64, float64, bool)
}

func bend(b block, w Warp) mapping {
	span := w.Span * math.Pi / 180
	R := float64(b.w) / span
	// The radius must exceed the block's height or the arc's inner lines would fold over its centre.
	R = max(R, 1.5*float64(b.h))
	mid, hb := float64(b.w)/2, float64(b.h)/2
	switch {
	case w.Kind == "cylinder":
		return mapping{
			fwd: func(xs, ys float64) (float64, float64) {
				t := (xs - mid) / R
				return R * math.Sin(t), ys + w.Tilt*R*(1-math.Cos(t))
			},
			inv: func(xo, yo float64) (float64, float64, bool) {
				s := xo / R
				if s <= -1 || s >= 1 {
					return 0, 0, false
				}
				t := math.Asin(s)
				return t*R + mid, yo - w.Tilt*R*(1-math.Cos(t)), true
			},
		}
	case w.Down:
		return mapping{
			fwd: func(xs, ys float64) (float64, float64) {
				t, rho := (xs-mid)/R, R+(ys-hb)
				return rho * math.Sin(t), rho * math.Cos(t)
			},
			inv: func(xo, yo float64) (float64, float64, bool) {
				return math.Atan2(xo, yo)*R + mid, hb + math.Hypot(xo, yo) - R, true
			},
		}
	default:
		return mapping{
			fwd: func(xs, ys float64) (float64, float64) {
				t, rho := (xs-mid)/R, R+(hb-ys)
				return rho * math.Sin(t), -rho * math.Cos(t)
			},
			inv: func(xo, yo float64) (float64, float64, bool) {
				return math.Atan2(xo, -yo)*R + mid, hb - (math.Hypot(xo, yo) - R), true
			},
		}
	}
}

// outline returns the bounding box of a polygon's edges under f, sampled every few pixels.
func outline(f func(x, y float64) (float64, float64), corners [4][2]float64) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range 4 {
		a, b := corners[i], corners[(i+1)%4]
		n := int(math.Hypot(b[0]-a[0], b[1]-a[1])/4) + 1
		for k := 0; k <= n; k++ {
			t := float64(k) / float64(n)
			x, y := f(a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t)
			minX, minY, maxX, maxY = math.Min(minX, x), math.Min(minY, y), math.Max(maxX, x), math.Max(maxY, y)
		}
	}
	return
}

// warpBlock bends b by w with bilinear sampling. The date line's corners become
// the axis-aligned box around its bent outline, which is what a label of a
// curved line can honestly say.
func warpBlock(b block, w Warp) block {
	if w.Kind == "" {
		return b
	}
	m := bend(b, w)
	W, H := float64(b.w), float64(b.h)
	x0, y0, x1, y1 := outline(m.fwd, [4][2]float64{{0, 0}, {W, 0}, {W, H}, {0, H}})
	x0, y0 = math.Floor(x0)-1, math.Floor(y0)-1
	out := block{w: int(math.Ceil(x1-x0)) + 2, h: int(math.Ceil(y1-y0)) + 2}
	out.a = make([]float32, out.w*out.h)
	for y := range out.h {
		row := out.a[y*out.w : (y+1)*out.w]
		for x := range row {
			xs, ys, ok := m.inv(float64(x)+0.5+x0, float64(y)+0.5+y0)
			if ok {
				row[x] = sampleBilinear(b, xs-0.5, ys-0.5)
			}
		}
	}
	dx0, dy0, dx1, dy1 := outline(m.fwd, b.date)
	dx0, dy0, dx1, dy1 = dx0-x0, dy0-y0, dx1-x0, dy1-y0
	out.date = [4][2]float64{{dx0, dy0}, {dx1, dy0}, {dx1, dy1}, {dx0, dy1}}
	return out
}

// embossComposite presses the mask into the surface instead of inking it: the
// mask, already softened, is a height field lit from angle light (radians), so
// the text shows only as highlights and shadows on its edges, plus a slight
// darkening of the pressed-in area. sigma is the softening applied, which sets
// the height field's slope; strength 0..1 scales the shading.
func embossComposite(img *image.RGBA, b block, x0, y0 int, strength, light, sigma float64) {
	lx, ly := float32(math.Cos(light)), float32(math.Sin(light))
	// An edge blurred by sigma has a peak slope of 1/(sigma·√(2π)); normalising by it
	// keeps the contrast of the shading independent of how soft the relief is.
	k := float32(strength * 255 * sigma * math.Sqrt(2*math.Pi) / 2)
	dark := float32(strength * 255 * 0.3)
	W, H := img.Rect.Dx(), img.Rect.Dy()
	for y := 1; y < b.h-1; y++ {
		py := y0 + y
		if py < 0 || py >= H {
			continue
		}
		for x := 1; x < b.w-1; x++ {
			px := x0 + x
			if px < 0 || px >= W {
				continue
			}
			i := y*b.w + x
			gx := b.a[i+1] - b.a[i-1]
			gy := b.a[i+b.w] - b.a[i-b.w]
			if gx == 0 && gy == 0 && b.a[i] == 0 {
				continue
			}
			// Pressed in: the wall facing the light is the far one, so the
			// shading is the negative slope along the light direction.
			d := k*(gx*lx+gy*ly) - dark*b.a[i]
			p := img.Pix[py*img.Stride+4*px:]
			for c := range 3 {
				p[c] = roundByte(float32(p[c]) + d)
			}
		}
	}
}
