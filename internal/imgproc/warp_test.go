package imgproc

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

func TestWarpQuad(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	noise := gray(40, 30, func(x, y int) uint8 { return uint8(r.IntN(256)) })
	crop := func(m *image.RGBA, x0, y0, w, h int) *image.RGBA {
		return m.SubImage(image.Rect(x0, y0, x0+w, y0+h)).(*image.RGBA)
	}
	rect := func(x0, y0, w, h float64) Quad {
		return Quad{{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h}, {x0, y0 + h}}
	}
	tests := []struct {
		name string
		src  *image.RGBA
		q    Quad
		w, h int
		want *image.RGBA
		tol  int
	}{
		{"axis-aligned quad is a crop", noise, rect(5, 7, 20, 10), 20, 10, crop(noise, 5, 7, 20, 10), 1},
		{"whole image is identity", noise, rect(0, 0, 40, 30), 40, 30, noise, 0},
		{"sub-image source", offset(noise, 3, 4), rect(5, 7, 20, 10), 20, 10, crop(noise, 5, 7, 20, 10), 1},
		// Output pixel (x, y) samples the point (x, y) itself, so a quad
		// whose first corner is a right-hand one reads columns 25..6.
		{"quad listed from the top-right is a 90° turn", noise,
			Quad{{25, 7}, {25, 17}, {5, 17}, {5, 7}}, 10, 20,
			Rotate90CCW(crop(noise, 6, 7, 20, 10)), 1},
		{"upside-down quad is a 180° turn", noise,
			Quad{{25, 17}, {5, 17}, {5, 7}, {25, 7}}, 20, 10,
			Rotate180(crop(noise, 6, 8, 20, 10)), 1},
		{"2x downscale of constant stays constant", gray(30, 30, func(x, y int) uint8 { return 90 }),
			Quad{{3, 2}, {27, 5}, {25, 28}, {1, 26}}, 12, 12, gray(12, 12, func(x, y int) uint8 { return 90 }), 0},
		{"quad outside replicates the border", gray(10, 10, func(x, y int) uint8 { return uint8(10 * x) }),
			rect(-20, 2, 5, 5), 5, 5, gray(5, 5, func(x, y int) uint8 { return 0 }), 0},
		{"degenerate quad does not panic", noise, Quad{{3, 3}, {3, 3}, {3, 3}, {3, 3}}, 4, 2,
			gray(4, 2, func(x, y int) uint8 { return uint8(at(noise, 3, 3)) }), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sameImage(t, WarpQuad(tc.src, tc.q, tc.w, tc.h), tc.want, tc.tol)
		})
	}
	if got := WarpQuad(noise, rect(0, 0, 5, 5), 0, 4); !got.Rect.Empty() {
		t.Errorf("zero width gave %v", got.Rect)
	}
}

// TestWarpQuadRotatedSquare draws a square with four distinct quadrants,
// turned by 30° about its centre, and checks the warp recovers the quadrants
// upright.
func TestWarpQuadRotatedSquare(t *testing.T) {
	const side, cx, cy = 40.0, 50.0, 45.0
	th := 30 * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	shade := []uint8{40, 100, 160, 220} // TL, TR, BL, BR
	src := gray(100, 90, func(x, y int) uint8 {
		// Back to the square's own frame (u right, v down, origin at centre).
		dx, dy := float64(x)-cx, float64(y)-cy
		u, v := c*dx+s*dy, -s*dx+c*dy
		if math.Abs(u) > side/2 || math.Abs(v) > side/2 {
			return 0
		}
		i := 0
		if u > 0 {
			i++
		}
		if v > 0 {
			i += 2
		}
		return shade[i]
	})
	var q Quad
	for i, p := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		u, v := p[0]*side/2, p[1]*side/2
		q[i] = Point{cx + c*u - s*v, cy + s*u + c*v}
	}
	got := WarpQuad(src, q, 40, 40)
	for i, p := range [4][2]int{{10, 10}, {30, 10}, {10, 30}, {30, 30}} {
		if v := at(got, p[0], p[1]); absInt(v-int(shade[i])) > 1 {
			t.Errorf("quadrant %d at %v = %d, want %d", i, p, v, shade[i])
		}
	}
}

func BenchmarkWarpQuad(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	src := image.NewRGBA(image.Rect(0, 0, 960, 720))
	for i := range src.Pix {
		src.Pix[i] = uint8(r.IntN(256))
	}
	// A slightly skewed, tilted text line about 300×48.
	q := Quad{{300, 200}, {598, 230}, {594, 279}, {297, 248}}
	b.ReportAllocs()
	for b.Loop() {
		WarpQuad(src, q, 300, 48)
	}
}

// TestSquareToQuad checks the homography sends the unit square's corners to
// the quad's and its centre to the crossing of the quad's diagonals, which
// holds for perspective maps but not for bilinear ones.
func TestSquareToQuad(t *testing.T) {
	quads := []Quad{
		{{10, 10}, {110, 20}, {110, 80}, {10, 90}}, // trapezoid
		{{0, 0}, {50, 5}, {70, 60}, {-5, 40}},      // general
		{{1, 1}, {9, 1}, {9, 5}, {1, 5}},           // rectangle (affine branch)
	}
	apply := func(m [9]float64, u, v float64) Point {
		d := m[6]*u + m[7]*v + m[8]
		return Point{(m[0]*u + m[1]*v + m[2]) / d, (m[3]*u + m[4]*v + m[5]) / d}
	}
	for _, q := range quads {
		m := squareToQuad(q)
		for i, uv := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
			if p := apply(m, uv[0], uv[1]); !nearPoint(p, q[i], 1e-9) {
				t.Errorf("%v: corner %d maps to %v", q, i, p)
			}
		}
		// Diagonals q0–q2 and q1–q3 meet at q0 + s(q2−q0).
		d1x, d1y := q[2].X-q[0].X, q[2].Y-q[0].Y
		d2x, d2y := q[3].X-q[1].X, q[3].Y-q[1].Y
		s := ((q[1].X-q[0].X)*d2y - (q[1].Y-q[0].Y)*d2x) / (d1x*d2y - d1y*d2x)
		want := Point{q[0].X + s*d1x, q[0].Y + s*d1y}
		if p := apply(m, 0.5, 0.5); !nearPoint(p, want, 1e-9) {
			t.Errorf("%v: centre maps to %v, want %v", q, p, want)
		}
	}
}
