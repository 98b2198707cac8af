package imgproc

import "slices"

// run is a horizontal stretch of set pixels x0..x1 (inclusive) on row y.
type run struct{ y, x0, x1 int32 }

// Components finds the 8-connected components of the pixels where
// mask[y*w+x] is true and returns, for each component with at least
// minPixels pixels, the convex hull (see ConvexHull) of its pixel positions.
// It stands in for cv2.findContours in the DB post-processing: the
// minimum-area rectangle of a contour is that of its convex hull. Unlike
// findContours with RETR_LIST it yields nothing for the holes inside a
// component.
//
// Components come in raster order of their first pixel. When more than
// maxComponents (> 0) qualify, the largest by pixel count are kept (ties to
// the earlier one), still in raster order; maxComponents ≤ 0 means no cap.
//
// It labels runs rather than pixels (union-find over runs that touch the
// previous row), and builds each hull from the two extreme pixels of every
// row of the component only, which span all of its pixels. It panics if len(mask) < w*h.
func Components(mask []bool, w, h int, minPixels, maxComponents int) [][]Point {
	if w <= 0 || h <= 0 {
		return nil
	}
	mask = mask[:w*h]
	runs := make([]run, 0, 256)
	parent := make([]int32, 0, 256)
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]] // path halving
			i = parent[i]
		}
		return i
	}
	prevStart, prevEnd := 0, 0
	for y := range h {
		row := mask[y*w : y*w+w]
		curStart := len(runs)
		j := prevStart
		for x := 0; x < w; {
			for x < w && !row[x] {
				x++
			}
			if x == w {
				break
			}
			s := x
			for x < w && row[x] {
				x++
			}
			e := x - 1
			id := int32(len(runs))
			runs = append(runs, run{int32(y), int32(s), int32(e)})
			parent = append(parent, id)
			// 8-connectivity: a run above touches if it overlaps [s−1, e+1].
			for j < prevEnd && int(runs[j].x1) < s-1 {
				j++
			}
			for k := j; k < prevEnd && int(runs[k].x0) <= e+1; k++ {
				a, b := find(id), find(int32(k))
				if a != b {
					// The smaller index is the older run, so roots stay at
					// each component's first run in raster order.
					parent[max(a, b)] = min(a, b)
				}
			}
		}
		prevStart, prevEnd = curStart, len(runs)
	}
	if len(runs) == 0 {
		return nil
	}

	// Dense labels in raster order of each component's first run, which is
	// also its top row; the last run seen gives its bottom row.
	label := make([]int32, len(runs))
	var pixels []int
	var top, bottom []int32
	for i, rn := range runs {
		r := find(int32(i))
		if r == int32(i) {
			label[i] = int32(len(pixels))
			pixels = append(pixels, 0)
			top = append(top, rn.y)
			bottom = append(bottom, 0)
		} else {
			label[i] = label[r]
		}
		l := label[i]
		pixels[l] += int(rn.x1-rn.x0) + 1
		bottom[l] = rn.y
	}

	keep := make([]int, 0, len(pixels))
	for l, n := range pixels {
		if n >= minPixels {
			keep = append(keep, l)
		}
	}
	if maxComponents > 0 && len(keep) > maxComponents {
		slices.SortStableFunc(keep, func(a, b int) int { return pixels[b] - pixels[a] })
		keep = keep[:maxComponents]
		slices.Sort(keep)
	}
	if len(keep) == 0 {
		return nil
	}

	// The hull of a component is the hull of its leftmost and rightmost
	// pixel on each row, so collect just those, in one shared array.
	slot := make([]int, len(pixels))
	for i := range slot {
		slot[i] = -1
	}
	offs := make([]int, len(keep)+1)
	for i, l := range keep {
		slot[l] = i
		offs[i+1] = offs[i] + 2*int(bottom[l]-top[l]+1)
	}
	pts := make([]Point, offs[len(keep)])
	n := make([]int, len(keep)) // rows emitted per component
	for i, rn := range runs {
		s := slot[label[i]]
		if s < 0 {
			continue
		}
		// A component's runs on one row arrive left to right (other
		// components' runs may sit between them), so the first run of a row
		// sets its left end and each later one extends the right end.
		j := offs[s] + 2*int(rn.y-top[keep[s]])
		if j >= offs[s]+2*n[s] {
			n[s]++
			pts[j] = Point{float64(rn.x0), float64(rn.y)}
		}
		pts[j+1] = Point{float64(rn.x1), float64(rn.y)}
	}
	out := make([][]Point, len(keep))
	for i := range keep {
		out[i] = ConvexHull(pts[offs[i] : offs[i]+2*n[i]])
	}
	return out
}
