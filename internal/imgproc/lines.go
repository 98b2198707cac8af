package imgproc

import "image"

// SplitLines finds the printed lines of a crop that holds several (a detector box that
// merged "PROD 01/02/2023" and "EXP 01/02/2026"), by the horizontal projection of ink that
// Datalid's split_lines uses. It returns the row bands, top to bottom, each cut at the
// emptiest row between two lines; nil when it sees fewer than two lines.
func SplitLines(img *image.RGBA) []image.Rectangle {
	prof := inkProfile(img)
	if prof == nil {
		return nil
	}
	for _, share := range smoothShares {
		if b := cutLines(prof, img.Rect.Dx(), share); b != nil {
			return b
		}
	}
	return nil
}

// smoothShares: the ink profile is smoothed over ±h/share rows, first enough to bridge the
// rows between a dot-matrix character's dots, then, when that sees one line, half as far:
// lines printed close together leave a gap of a few rows that the first smoothing fills (two
// lines of a 90-pixel crop 3 rows apart).
var smoothShares = [...]int{40, 80}

// inkProfile counts the ink pixels of each row of img (ink is the minority class of an Otsu
// threshold); nil for a crop too small to split.
func inkProfile(img *image.RGBA) []float64 {
	g, w, h := luma(img)
	if w == 0 || h < 8 {
		return nil
	}
	t := otsu(g)
	dark := 0
	for _, v := range g {
		if v <= t {
			dark++
		}
	}
	inkDark := dark <= len(g)/2 // ink is the minority class
	prof := make([]float64, h)
	for y := range h {
		for _, v := range g[y*w : (y+1)*w] {
			if (v <= t) == inkDark {
				prof[y]++
			}
		}
	}
	return prof
}

// cutLines cuts a crop w pixels wide, whose rows hold prof ink each, into its lines, the
// profile smoothed over ±h/share rows; nil when it sees fewer than two.
func cutLines(prof []float64, w, share int) []image.Rectangle {
	h := len(prof)
	// Smooth over a few rows: dot-matrix characters have empty rows between their dots.
	r := max(1, h/share)
	sm := make([]float64, h)
	peak := 0.0
	for y := range h {
		var s float64
		for k := max(0, y-r); k <= min(h-1, y+r); k++ {
			s += prof[k]
		}
		sm[y] = s / float64(2*r+1)
		peak = max(peak, sm[y])
	}
	if peak == 0 {
		return nil
	}
	// Cores: runs of rows well inside a line. Lines printed close together leave a valley
	// that is shallow but clear: the emptiest row between two cores must hold well under
	// the ink of either core's fullest row.
	type run struct {
		a, b int
		top  float64
	}
	var cores []run
	for y := 0; y < h; {
		if sm[y] < 0.55*peak {
			y++
			continue
		}
		c := run{a: y}
		for y < h && sm[y] >= 0.55*peak {
			c.top = max(c.top, sm[y])
			y++
		}
		c.b = y
		if y-c.a >= max(3, h/12) {
			cores = append(cores, c)
		}
	}
	if len(cores) < 2 {
		return nil
	}
	cuts := []int{0}
	for k := 1; k < len(cores); k++ {
		best := cores[k-1].b
		for y := cores[k-1].b; y < cores[k].a; y++ {
			if sm[y] < sm[best] {
				best = y
			}
		}
		if sm[best] >= 0.6*min(cores[k-1].top, cores[k].top) {
			cores[k].top = max(cores[k].top, cores[k-1].top) // one line after all
			continue
		}
		cuts = append(cuts, best)
	}
	if len(cuts) < 2 {
		return nil
	}
	cuts = append(cuts, h)
	out := make([]image.Rectangle, 0, len(cores))
	for k := 1; k < len(cuts); k++ {
		out = append(out, image.Rect(0, cuts[k-1], w, cuts[k]))
	}
	return out
}
