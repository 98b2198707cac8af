package imgproc

import (
	"math"
	"slices"
)

// Point is a position in image coordinates: x to the right, y down. Pixel
// (x, y) has its centre at Point{x, y}, as in OpenCV.
type Point struct{ X, Y float64 }

// Quad is a quadrilateral ordered top-left, top-right, bottom-right,
// bottom-left (clockwise on screen, y down).
type Quad [4]Point

// Bounds returns the axis-aligned bounding box of q.
func (q Quad) Bounds() (minX, minY, maxX, maxY float64) {
	minX, minY = q[0].X, q[0].Y
	maxX, maxY = minX, minY
	for _, p := range q[1:] {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	return minX, minY, maxX, maxY
}

// Scale returns q with x multiplied by sx and y by sy; the detector uses it to
// map boxes from its resized input back to the photo.
func (q Quad) Scale(sx, sy float64) Quad {
	for i := range q {
		q[i].X *= sx
		q[i].Y *= sy
	}
	return q
}

// Dist returns the Euclidean distance between a and b.
func Dist(a, b Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }

// cross returns the z component of (a-o)×(b-o); positive when o→a→b turns
// counter-clockwise in a y-up frame.
func cross(o, a, b Point) float64 {
	return (a.X-o.X)*(b.Y-o.Y) - (a.Y-o.Y)*(b.X-o.X)
}

// ConvexHull returns the convex hull of pts (Andrew's monotone chain) without
// duplicate or collinear vertices. The vertices start at the point with the
// smallest x (then smallest y) and run so that the shoelace sum
// Σ(x_i·y_{i+1} − x_{i+1}·y_i) is positive: counter-clockwise in a y-up frame,
// which is clockwise as seen on screen with y down. Degenerate inputs give
// nil (no points), one point, or the two extreme points of a collinear set.
// pts is not modified.
func ConvexHull(pts []Point) []Point {
	if len(pts) == 0 {
		return nil
	}
	p := slices.Clone(pts)
	slices.SortFunc(p, func(a, b Point) int {
		if a.X != b.X {
			if a.X < b.X {
				return -1
			}
			return 1
		}
		if a.Y < b.Y {
			return -1
		}
		if a.Y > b.Y {
			return 1
		}
		return 0
	})
	p = slices.Compact(p)
	if len(p) < 3 {
		return p
	}
	hull := make([]Point, 0, len(p)+1)
	for _, q := range p { // lower chain
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], q) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, q)
	}
	lower := len(hull) + 1
	for i := len(p) - 2; i >= 0; i-- { // upper chain
		q := p[i]
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], q) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, q)
	}
	return hull[:len(hull)-1] // the last point repeats the first
}

// RotatedRect is a rectangle of size W×H centred at Center whose W side points
// along Angle (radians, in (−π/2, π/2], measured from the x axis towards +y).
type RotatedRect struct {
	Center Point
	W, H   float64
	Angle  float64
}

// normAngle folds a direction angle into (−π/2, π/2]: a side's direction and
// its reverse describe the same rectangle.
func normAngle(a float64) float64 {
	for a > math.Pi/2 {
		a -= math.Pi
	}
	for a <= -math.Pi/2 {
		a += math.Pi
	}
	return a
}

// MinAreaRect returns the minimum-area rectangle enclosing pts, like
// cv2.minAreaRect but with the angle convention of RotatedRect. It runs
// rotating calipers over the convex hull, since an optimal rectangle has a
// side collinear with a hull edge. A single point gives a zero-size rectangle
// at that point and collinear points a rectangle with H = 0; no points give
// the zero RotatedRect.
func MinAreaRect(pts []Point) RotatedRect {
	hull := ConvexHull(pts)
	switch len(hull) {
	case 0:
		return RotatedRect{}
	case 1:
		return RotatedRect{Center: hull[0]}
	case 2:
		a, b := hull[0], hull[1]
		return RotatedRect{
			Center: Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2},
			W:      Dist(a, b),
			Angle:  normAngle(math.Atan2(b.Y-a.Y, b.X-a.X)),
		}
	}
	n := len(hull)
	next := func(i int) int {
		if i+1 == n {
			return 0
		}
		return i + 1
	}
	dot := func(p Point, o Point, ux, uy float64) float64 { return (p.X-o.X)*ux + (p.Y-o.Y)*uy }

	best := RotatedRect{}
	bestArea := math.Inf(1)
	// lo/hi track the extreme projections along the edge, top the farthest
	// point from it. All three only move forward as the edge turns, so the
	// whole sweep is O(n).
	lo, hi, top := 0, 0, 0
	for i := range n {
		a, b := hull[i], hull[next(i)]
		l := Dist(a, b)
		ex, ey := (b.X-a.X)/l, (b.Y-a.Y)/l
		nx, ny := -ey, ex // points into the hull for this vertex order
		if i == 0 {
			for j := range n {
				if dot(hull[j], a, ex, ey) > dot(hull[hi], a, ex, ey) {
					hi = j
				}
				if dot(hull[j], a, ex, ey) < dot(hull[lo], a, ex, ey) {
					lo = j
				}
				if dot(hull[j], a, nx, ny) > dot(hull[top], a, nx, ny) {
					top = j
				}
			}
		} else {
			for k := 0; k < n && dot(hull[next(hi)], a, ex, ey) >= dot(hull[hi], a, ex, ey); k++ {
				hi = next(hi)
			}
			for k := 0; k < n && dot(hull[next(lo)], a, ex, ey) <= dot(hull[lo], a, ex, ey); k++ {
				lo = next(lo)
			}
			for k := 0; k < n && dot(hull[next(top)], a, nx, ny) >= dot(hull[top], a, nx, ny); k++ {
				top = next(top)
			}
		}
		emin, emax := dot(hull[lo], a, ex, ey), dot(hull[hi], a, ex, ey)
		hgt := dot(hull[top], a, nx, ny)
		w := emax - emin
		if area := w * hgt; area < bestArea {
			bestArea = area
			ce, cn := (emin+emax)/2, hgt/2
			best = RotatedRect{
				Center: Point{a.X + ex*ce + nx*cn, a.Y + ey*ce + ny*cn},
				W:      w,
				H:      hgt,
				Angle:  normAngle(math.Atan2(ey, ex)),
			}
		}
	}
	return best
}

// Corners returns the rectangle's corners ordered like PaddleOCR's
// get_mini_boxes, so boxes match the reference implementation: sorted by x,
// the two leftmost give top-left (smaller y) and bottom-left, the two
// rightmost top-right (smaller y) and bottom-right.
func (r RotatedRect) Corners() Quad {
	c, s := math.Cos(r.Angle), math.Sin(r.Angle)
	ux, uy := c*r.W/2, s*r.W/2
	vx, vy := -s*r.H/2, c*r.H/2
	p := []Point{
		{r.Center.X - ux - vx, r.Center.Y - uy - vy},
		{r.Center.X + ux - vx, r.Center.Y + uy - vy},
		{r.Center.X + ux + vx, r.Center.Y + uy + vy},
		{r.Center.X - ux + vx, r.Center.Y - uy + vy},
	}
	slices.SortStableFunc(p, func(a, b Point) int {
		switch {
		case a.X < b.X:
			return -1
		case a.X > b.X:
			return 1
		}
		return 0
	})
	var q Quad
	if p[1].Y > p[0].Y {
		q[0], q[3] = p[0], p[1]
	} else {
		q[0], q[3] = p[1], p[0]
	}
	if p[3].Y > p[2].Y {
		q[1], q[2] = p[2], p[3]
	} else {
		q[1], q[2] = p[3], p[2]
	}
	return q
}

// ShortSide returns min(W, H); the detector drops boxes thinner than a few
// pixels by it.
func (r RotatedRect) ShortSide() float64 { return min(r.W, r.H) }

// Expand returns r grown by d on every side (sizes floored at 0). Offsetting a
// rectangle with round joins and taking the minimum-area rectangle of the
// result (PaddleOCR's unclip) gives exactly this, without a polygon clipper.
func (r RotatedRect) Expand(d float64) RotatedRect {
	r.W = max(r.W+2*d, 0)
	r.H = max(r.H+2*d, 0)
	return r
}

// UnclipDistance returns PaddleOCR's unclip offset area·ratio/perimeter for r,
// or 0 for a rectangle with no perimeter.
func UnclipDistance(r RotatedRect, ratio float64) float64 {
	p := 2 * (r.W + r.H)
	if p <= 0 {
		return 0
	}
	return r.W * r.H * ratio / p
}
