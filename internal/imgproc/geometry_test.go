package imgproc

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func nearPoint(a, b Point, tol float64) bool { return near(a.X, b.X, tol) && near(a.Y, b.Y, tol) }

func TestConvexHull(t *testing.T) {
	tests := []struct {
		name string
		in   []Point
		want []Point
	}{
		{"nil", nil, nil},
		{"one point", []Point{{2, 3}}, []Point{{2, 3}}},
		{"duplicates collapse", []Point{{2, 3}, {2, 3}, {2, 3}}, []Point{{2, 3}}},
		{"collinear gives the two ends", []Point{{2, 2}, {0, 0}, {3, 3}, {1, 1}}, []Point{{0, 0}, {3, 3}}},
		{"square with interior and edge points", []Point{
			{1, 1}, {0, 0}, {2, 0}, {2, 2}, {0, 2}, {1, 0}, {0, 1}, {1, 1},
		}, []Point{{0, 0}, {2, 0}, {2, 2}, {0, 2}}},
		{"triangle", []Point{{0, 0}, {4, 0}, {2, 3}, {2, 1}}, []Point{{0, 0}, {4, 0}, {2, 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.in)
			got := ConvexHull(tc.in)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if !slices.Equal(in, tc.in) {
				t.Errorf("input modified")
			}
			if len(got) >= 3 && shoelace(got) <= 0 {
				t.Errorf("orientation: shoelace %v, want > 0", shoelace(got))
			}
		})
	}
}

func shoelace(p []Point) float64 {
	var s float64
	for i := range p {
		j := (i + 1) % len(p)
		s += p[i].X*p[j].Y - p[j].X*p[i].Y
	}
	return s / 2
}

// rectPoints returns the corners and some interior points of a w×h rectangle
// centred at c and turned by angle.
func rectPoints(c Point, w, h, angle float64, r *rand.Rand) []Point {
	co, si := math.Cos(angle), math.Sin(angle)
	at := func(u, v float64) Point { return Point{c.X + co*u - si*v, c.Y + si*u + co*v} }
	pts := []Point{at(-w/2, -h/2), at(w/2, -h/2), at(w/2, h/2), at(-w/2, h/2)}
	for range 50 {
		pts = append(pts, at((r.Float64()-0.5)*w, (r.Float64()-0.5)*h))
	}
	return pts
}

func TestMinAreaRect(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var pixels []Point // a 10×4 block of pixels at x 3..12, y 5..8
	for y := 5; y <= 8; y++ {
		for x := 3; x <= 12; x++ {
			pixels = append(pixels, Point{float64(x), float64(y)})
		}
	}
	tests := []struct {
		name string
		pts  []Point
		want RotatedRect
		tol  float64
	}{
		{"no points", nil, RotatedRect{}, 0},
		{"single point", []Point{{4, 5}}, RotatedRect{Center: Point{4, 5}}, 0},
		{"repeated point", []Point{{4, 5}, {4, 5}}, RotatedRect{Center: Point{4, 5}}, 0},
		{"collinear points", []Point{{0, 0}, {1, 1}, {3, 3}}, RotatedRect{Center: Point{1.5, 1.5}, W: 3 * math.Sqrt2, Angle: math.Pi / 4}, 1e-9},
		{"vertical segment", []Point{{2, 0}, {2, 5}, {2, 3}}, RotatedRect{Center: Point{2, 2.5}, W: 5, Angle: math.Pi / 2}, 1e-9},
		{"axis-aligned pixels", pixels, RotatedRect{Center: Point{7.5, 6.5}, W: 9, H: 3}, 1e-9},
		{"30° rectangle", rectPoints(Point{50, 40}, 100, 30, math.Pi/6, r),
			RotatedRect{Center: Point{50, 40}, W: 100, H: 30, Angle: math.Pi / 6}, 1e-6},
		{"-60° rectangle", rectPoints(Point{10, 80}, 20, 70, -math.Pi/3, r),
			RotatedRect{Center: Point{10, 80}, W: 20, H: 70, Angle: -math.Pi / 3}, 1e-6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := MinAreaRect(tc.pts)
			if !sameRect(got, tc.want, tc.tol) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// sameRect compares rectangles as shapes: W/H may swap with the angle
// turning by 90°.
func sameRect(a, b RotatedRect, tol float64) bool {
	if !nearPoint(a.Center, b.Center, tol) {
		return false
	}
	if near(a.W, b.W, tol) && near(a.H, b.H, tol) {
		return a.W == 0 && a.H == 0 || angleNear(a.Angle, b.Angle, tol)
	}
	return near(a.W, b.H, tol) && near(a.H, b.W, tol) && angleNear(a.Angle, b.Angle+math.Pi/2, tol)
}

func angleNear(a, b, tol float64) bool {
	d := math.Mod(a-b, math.Pi)
	return math.Abs(d) <= tol || math.Abs(math.Abs(d)-math.Pi) <= tol
}

// TestMinAreaRectBruteForce checks the rotating calipers against trying
// every hull edge, and that every point lies inside the result.
func TestMinAreaRectBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for trial := range 300 {
		n := 3 + r.IntN(40)
		pts := make([]Point, n)
		for i := range pts {
			if trial%2 == 0 { // lattice points, full of ties
				pts[i] = Point{float64(r.IntN(12)), float64(r.IntN(8))}
			} else {
				pts[i] = Point{r.NormFloat64() * 30, r.NormFloat64() * 10}
			}
		}
		got := MinAreaRect(pts)
		want := bruteMinArea(pts)
		if !near(got.W*got.H, want, 1e-6*max(want, 1)) {
			t.Fatalf("trial %d: area %v, brute force %v (%v)", trial, got.W*got.H, want, pts)
		}
		c, s := math.Cos(got.Angle), math.Sin(got.Angle)
		for _, p := range pts {
			dx, dy := p.X-got.Center.X, p.Y-got.Center.Y
			if math.Abs(c*dx+s*dy) > got.W/2+1e-6 || math.Abs(-s*dx+c*dy) > got.H/2+1e-6 {
				t.Fatalf("trial %d: %v outside %+v", trial, p, got)
			}
		}
	}
}

func bruteMinArea(pts []Point) float64 {
	h := ConvexHull(pts)
	if len(h) < 3 {
		return 0
	}
	best := math.Inf(1)
	for i := range h {
		a, b := h[i], h[(i+1)%len(h)]
		l := Dist(a, b)
		ex, ey := (b.X-a.X)/l, (b.Y-a.Y)/l
		lo, hi, lo2, hi2 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range h {
			u := (p.X-a.X)*ex + (p.Y-a.Y)*ey
			v := -(p.X-a.X)*ey + (p.Y-a.Y)*ex
			lo, hi, lo2, hi2 = min(lo, u), max(hi, u), min(lo2, v), max(hi2, v)
		}
		best = min(best, (hi-lo)*(hi2-lo2))
	}
	return best
}

func TestCorners(t *testing.T) {
	tests := []struct {
		name string
		r    RotatedRect
		want Quad
	}{
		{"axis-aligned", RotatedRect{Center: Point{10, 5}, W: 8, H: 4},
			Quad{{6, 3}, {14, 3}, {14, 7}, {6, 7}}},
		{"axis-aligned given as tall", RotatedRect{Center: Point{10, 5}, W: 4, H: 8, Angle: math.Pi / 2},
			Quad{{6, 3}, {14, 3}, {14, 7}, {6, 7}}},
		// Long side rising to the right by 30° (y down: angle −30°).
		{"rising 30°", RotatedRect{Center: Point{0, 0}, W: 4, H: 2, Angle: -math.Pi / 6},
			Quad{{-2.2320508, 0.1339746}, {1.2320508, -1.8660254}, {2.2320508, -0.1339746}, {-1.2320508, 1.8660254}}},
		// Falling to the right by 30°.
		{"falling 30°", RotatedRect{Center: Point{0, 0}, W: 4, H: 2, Angle: math.Pi / 6},
			Quad{{-1.2320508, -1.8660254}, {2.2320508, 0.1339746}, {1.2320508, 1.8660254}, {-2.2320508, -0.1339746}}},
		// Steeper than 45°: the topmost corner becomes top-left and the
		// top-right one lies down the long side (get_mini_boxes order).
		{"falling 60°", RotatedRect{Center: Point{0, 0}, W: 4, H: 2, Angle: math.Pi / 3},
			Quad{{-0.1339746, -2.2320508}, {1.8660254, 1.2320508}, {0.1339746, 2.2320508}, {-1.8660254, -1.2320508}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.r.Corners()
			for i := range got {
				if !nearPoint(got[i], tc.want[i], 1e-6) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestExpandAndUnclip(t *testing.T) {
	r := RotatedRect{Center: Point{3, 4}, W: 10, H: 4, Angle: 0.3}
	d := UnclipDistance(r, 1.5) // 40·1.5/28
	if !near(d, 60.0/28, 1e-12) {
		t.Errorf("UnclipDistance = %v, want %v", d, 60.0/28)
	}
	tests := []struct {
		name string
		d    float64
		w, h float64
	}{
		{"grow", 2, 14, 8},
		{"zero", 0, 10, 4},
		{"shrink floors at zero", -3, 4, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Expand(tc.d)
			if got.W != tc.w || got.H != tc.h || got.Center != r.Center || got.Angle != r.Angle {
				t.Errorf("got %+v, want W %v H %v with the same centre and angle", got, tc.w, tc.h)
			}
		})
	}
	if d := UnclipDistance(RotatedRect{}, 1.5); d != 0 {
		t.Errorf("UnclipDistance of an empty rect = %v", d)
	}
	if s := r.ShortSide(); s != 4 {
		t.Errorf("ShortSide = %v", s)
	}
}

func TestQuadHelpers(t *testing.T) {
	q := Quad{{1, 2}, {5, 1}, {6, 7}, {0, 8}}
	x0, y0, x1, y1 := q.Bounds()
	if x0 != 0 || y0 != 1 || x1 != 6 || y1 != 8 {
		t.Errorf("Bounds = %v %v %v %v", x0, y0, x1, y1)
	}
	if got := q.Scale(2, 0.5); got != (Quad{{2, 1}, {10, 0.5}, {12, 3.5}, {0, 4}}) {
		t.Errorf("Scale = %v", got)
	}
	if d := Dist(Point{1, 1}, Point{4, 5}); d != 5 {
		t.Errorf("Dist = %v", d)
	}
}
