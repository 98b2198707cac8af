package imgproc

import "math"

// MeanInQuad returns the mean of prob over the pixels inside q, following
// PaddleOCR's box_score_fast so detector scores match the reference: the
// bounding box of q is clipped to the w×h map, the vertices are truncated to
// integers, the polygon (boundary included) is rasterised row by row and the
// map is averaged where it is set. It returns 0 when no pixel is covered or
// the map is smaller than w×h.
//
// q is treated as convex (each row is filled between its leftmost and
// rightmost edge crossing), which holds for the rectangles the detector
// scores.
func MeanInQuad(prob []float32, w, h int, q Quad) float64 {
	if w <= 0 || h <= 0 || len(prob) < w*h {
		return 0
	}
	bx0, by0, bx1, by1 := q.Bounds()
	if math.IsNaN(bx0 + by0 + bx1 + by1) {
		return 0
	}
	xmin := clampInt(math.Floor(bx0), 0, w-1)
	xmax := clampInt(math.Ceil(bx1), 0, w-1)
	ymin := clampInt(math.Floor(by0), 0, h-1)
	ymax := clampInt(math.Ceil(by1), 0, h-1)

	// Truncation towards zero relative to the clipped origin mirrors numpy's
	// astype(np.int32) on the shifted box.
	var vx, vy [4]float64
	for i, p := range q {
		vx[i] = float64(xmin) + math.Trunc(p.X-float64(xmin))
		vy[i] = float64(ymin) + math.Trunc(p.Y-float64(ymin))
	}

	var sum float64
	var count int
	for y := ymin; y <= ymax; y++ {
		lo, hi, ok := rowSpan(&vx, &vy, float64(y))
		if !ok {
			continue
		}
		x0, x1 := max(lo, xmin), min(hi, xmax)
		if x0 > x1 {
			continue
		}
		row := prob[y*w+x0 : y*w+x1+1]
		var s float32
		for _, v := range row {
			s += v
		}
		sum += float64(s)
		count += len(row)
	}
	if count == 0 {
		return 0
	}
	return sum / float64(count)
}

// rowSpan returns the pixel columns the polygon covers on row y, with the
// edges drawn the way a Bresenham line drawer (cv2.fillPoly's outline) draws
// them: a steep edge covers the pixel nearest its crossing of the row, a
// shallow one every pixel whose column it crosses within the row's band
// [y−½, y+½].
func rowSpan(vx, vy *[4]float64, y float64) (lo, hi int, ok bool) {
	xl, xr := math.Inf(1), math.Inf(-1)
	for i := range 4 {
		j := (i + 1) & 3
		ax, ay, bx, by := vx[i], vy[i], vx[j], vy[j]
		if ay > by {
			ax, ay, bx, by = bx, by, ax, ay
		}
		if y < ay || y > by {
			// Vertices are integers, so a shallow edge never reaches into
			// a row beyond its end points' rows.
			continue
		}
		if ay == by {
			xl, xr = min(xl, ax, bx), max(xr, ax, bx)
			continue
		}
		k := (bx - ax) / (by - ay)
		if math.Abs(k) <= 1 {
			x := math.Floor(ax + (y-ay)*k + 0.5)
			xl, xr = min(xl, x), max(xr, x)
			continue
		}
		t0, t1 := max(ay, y-0.5), min(by, y+0.5)
		x0, x1 := ax+(t0-ay)*k, ax+(t1-ay)*k
		xl, xr = min(xl, math.Ceil(min(x0, x1))), max(xr, math.Floor(max(x0, x1)))
	}
	if xl > xr {
		return 0, 0, false
	}
	return int(xl), int(xr), true
}

func clampInt(v float64, lo, hi int) int {
	if !(v > float64(lo)) {
		return lo
	}
	if v > float64(hi) {
		return hi
	}
	return int(v)
}

// MeanInPolygon returns the mean of prob over the convex polygon poly (a hull from
// Components), rows sampled at pixel centres: PaddleOCR's "slow" box score, which follows a
// curved or slanted line of text where the minimum-area rectangle around it is mostly
// background.
func MeanInPolygon(prob []float32, w, h int, poly []Point) float64 {
	if w <= 0 || h <= 0 || len(prob) < w*h || len(poly) == 0 {
		return 0
	}
	y0, y1 := math.Inf(1), math.Inf(-1)
	for _, p := range poly {
		y0, y1 = math.Min(y0, p.Y), math.Max(y1, p.Y)
	}
	var sum float64
	var count int
	for y := clampInt(math.Floor(y0), 0, h-1); y <= clampInt(math.Ceil(y1), 0, h-1); y++ {
		fy := float64(y)
		xl, xr := math.Inf(1), math.Inf(-1)
		for i, a := range poly {
			b := poly[(i+1)%len(poly)]
			if (a.Y > fy) == (b.Y > fy) && a.Y != fy && b.Y != fy {
				continue
			}
			if a.Y == b.Y {
				if a.Y == fy {
					xl, xr = math.Min(xl, math.Min(a.X, b.X)), math.Max(xr, math.Max(a.X, b.X))
				}
				continue
			}
			x := a.X + (fy-a.Y)*(b.X-a.X)/(b.Y-a.Y)
			xl, xr = math.Min(xl, x), math.Max(xr, x)
		}
		if xl > xr {
			continue
		}
		lo, hi := clampInt(math.Round(xl), 0, w-1), clampInt(math.Round(xr), 0, w-1)
		for _, v := range prob[y*w+lo : y*w+hi+1] {
			sum += float64(v)
		}
		count += hi - lo + 1
	}
	if count == 0 {
		return 0
	}
	return sum / float64(count)
}
