package imgproc

import (
	"cmp"
	"image"
	"math"
	"slices"
)

// A dot-matrix line is printed on a lattice: five to nine rows of dots a row pitch apart, and
// columns a column pitch apart, leaning on italic fonts. DotGrids finds that lattice on a
// crop from the ink's profiles and says which of its cells hold a dot; DrawLattice redraws
// it as solid print. The recogniser, trained on continuous strokes, reads small dot-matrix
// print badly even with its dots joined ("2023" as "5953"), and reads the redrawn line
// ("2023" at 1.00). The ink is sampled where dots should be rather than each dot found as a
// blob, because dots that bleed into their neighbours (inkjet dots often touch along a
// column) form strokes no blob test calls a dot.

// minDotRows and maxDotRows bound the rows of the coders' fonts fitted: 5 (the small fonts
// of pharmacy coders) to 9 (7×9 fonts).
const minDotRows, maxDotRows = 5, 9

const (
	// minGridPitch and maxGridPitch bound the row pitch searched, as a share of the dots'
	// nearest-neighbour pitch: coders squeeze or stretch their rows against their columns.
	minGridPitch, maxGridPitch = 0.6, 1.8
	// minRowInk is the least ink a lattice row must carry, as a share of the rows' mean:
	// every row of a font is used by some character of a line of several.
	minRowInk = 0.25
	// maxDotLines is the most lines of dots fitted in one crop; minLineScore the least fit
	// score of a line after the first, as a share of the first's.
	maxDotLines  = 3
	minLineScore = 0.3
	// minLatticePitch is the finest dot pitch, in pixels, fitted: finer dots blur into
	// each other and into the JPEG's blocks, and the profiles no longer show their rows.
	minLatticePitch = 4
	// gridStep is the search step of the row pitch and phase, in pixels.
	gridStep = 0.25
)

// DotColumn is one column of the lattice: its x in the crop's pixels, and which of its
// cells, top first, hold a dot.
type DotColumn struct {
	X  float64
	On [maxDotRows]bool
}

// DotLattice is the lattice a dot-matrix line is printed on: its rows, and its columns that
// hold dots, left to right, Pitch apart where they are neighbours.
type DotLattice struct {
	Rows  int
	Cols  []DotColumn
	Pitch float64
	Top   float64 // the first row's y in the crop
}

// DotGrids fits the lattices of the dot-matrix lines in img, a crop of one or more of them
// (coders print two or three lines a row apart, which the detector takes for one), with p
// the dots FindDots measured there. The lattices come top to bottom: the strongest line is
// fitted first, then the next in what is left, as long as it holds ink enough.
func DotGrids(img *image.RGBA, p DotPattern) []DotLattice {
	g, w, h := luma(img)
	if w < 8 || h < 8 || p.Pitch < minLatticePitch {
		return nil
	}
	ink := inkLevels(g, w, h)
	prof := make([]float64, h)
	for y := range h {
		for x := range w {
			prof[y] += ink[y*w+x]
		}
	}
	var out []DotLattice
	first := 0.0
	for len(out) < maxDotLines {
		n, y0, py, score, ok := fitRows(prof, p.Pitch)
		if !ok || score < minLineScore*first {
			break
		}
		first = max(first, score)
		if lat, ok := latticeAt(ink, w, h, n, y0, py, p); ok {
			out = append(out, lat)
		}
		// The line's rows, and half a row around them, are taken.
		for y := max(0, int(y0-py/2)); y <= min(h-1, int(y0+(float64(n)-0.5)*py)); y++ {
			prof[y] = 0
		}
	}
	slices.SortFunc(out, func(a, b DotLattice) int { return cmp.Compare(a.Top, b.Top) })
	return out
}

// latticeAt completes a lattice whose rows are fitted (n rows from y0, py apart): the lean
// of its columns, their pitch and place, and which cells hold dots.
func latticeAt(ink []float64, w, h, n int, y0, py float64, p DotPattern) (DotLattice, bool) {
	rows := make([]float64, n)
	for r := range rows {
		rows[r] = y0 + float64(r)*py
	}
	half := max(1, int(p.Size/3))
	mid := (rows[0] + rows[n-1]) / 2
	shear, colProf := fitShear(ink, w, h, rows, half, mid)
	x0, px, ok := fitColumns(colProf, p.Pitch)
	if !ok {
		return DotLattice{}, false
	}
	var xs []float64
	for x := x0; x < float64(w); x += px {
		xs = append(xs, x)
	}
	// Each cell's ink is sampled around its centre; Otsu's threshold over all cells
	// parts the dots from the empty cells.
	samples := make([][maxDotRows]float64, len(xs))
	var all []float64
	for k, x := range xs {
		for r, ry := range rows {
			samples[k][r] = meanAround(ink, w, h, x+shear*(mid-ry), ry, half)
			all = append(all, samples[k][r])
		}
	}
	t := otsuFloat(all)
	lat := DotLattice{Rows: n, Pitch: px, Top: y0}
	for k, x := range xs {
		c := DotColumn{X: x}
		any := false
		for r := range n {
			c.On[r] = samples[k][r] > t
			any = any || c.On[r]
		}
		if any {
			lat.Cols = append(lat.Cols, c)
		}
	}
	return lat, len(lat.Cols) > 0
}

// maxShear is the steepest lean of italic dot-matrix print fitted, in columns per row.
const maxShear = 0.5

// fitShear finds the lean of the lattice's columns (x shift per row upward, from the line's
// middle row mid) where the column profile, summed over the rows only, is sharpest (largest
// sum of squares): upright on upright print, slanted on italic fonts, whose columns would
// otherwise smear into each other. The profile at that lean is returned with it; summing
// on the rows only keeps the lines above and below, cut into the crop, out of it.
func fitShear(ink []float64, w, h int, rows []float64, half int, mid float64) (float64, []float64) {
	var best float64
	var bestProf []float64
	bestScore := -1.0
	for s := -maxShear; s <= maxShear+1e-9; s += 0.05 {
		prof := make([]float64, w)
		for _, ry := range rows {
			shift := int(math.Round(s * (mid - ry)))
			for y := max(0, int(ry)-half); y <= min(h-1, int(ry)+half); y++ {
				for x := range w {
					if sx := x + shift; sx >= 0 && sx < w {
						prof[x] += ink[y*w+sx]
					}
				}
			}
		}
		var score float64
		for _, v := range prof {
			score += v * v
		}
		if score > bestScore {
			best, bestProf, bestScore = s, prof, score
		}
	}
	return best, bestProf
}

// inkLevels is how much darker (or, for light ink, lighter) each pixel is than its
// neighbourhood's mean, and 0 where it is not.
func inkLevels(g []uint8, w, h int) []float64 {
	mean := boxBlur(g, w, h, max(2, h/4))
	dark := inkIsDark(g)
	ink := make([]float64, len(g))
	for i, v := range g {
		d := int(mean[i]) - int(v)
		if !dark {
			d = -d
		}
		ink[i] = float64(max(0, d))
	}
	return ink
}

// fitRows finds the rows of the lattice: how many (minDotRows to maxDotRows), the first
// one's y and their pitch, where the row profile peaks most above the troughs halfway
// between rows and the empty rows just outside, per row. Troughs keep a lattice of twice the
// pitch, whose rows would land on every other row of two printed lines, from fitting; the
// empty rows outside keep a lattice too fine or cut short, lying inside the ink, from fitting.
func fitRows(prof []float64, pitch float64) (n int, y0, py, best float64, ok bool) {
	h := float64(len(prof))
	for rows := minDotRows; rows <= maxDotRows; rows++ {
		for step := minGridPitch * pitch; step <= maxGridPitch*pitch; step += gridStep {
			span := step * float64(rows-1)
			for start := 0.0; start+span <= h-1; start += gridStep {
				s := -sampleAt(prof, start-step) - sampleAt(prof, start+span+step)
				var sum, least float64
				for r := range rows {
					v := sampleAt(prof, start+float64(r)*step)
					sum, s = sum+v, s+v
					if r == 0 || v < least {
						least = v
					}
					if r > 0 {
						s -= sampleAt(prof, start+(float64(r)-0.5)*step)
					}
				}
				if least < minRowInk*sum/float64(rows) {
					continue // a row without ink is no row of this line
				}
				if s /= float64(rows); s > best {
					best, n, y0, py, ok = s, rows, start, step, true
				}
			}
		}
	}
	return n, y0, py, best, ok
}

// sampleAt interpolates prof linearly at y.
func sampleAt(prof []float64, y float64) float64 {
	i := int(y)
	if i < 0 || i >= len(prof) {
		return 0
	}
	if i+1 >= len(prof) {
		return prof[i]
	}
	f := y - float64(i)
	return prof[i]*(1-f) + prof[i+1]*f
}

// fitColumns finds the columns of the lattice (first column's x, pitch): coders print on a
// fixed column pitch, spaces included, so one evenly spaced grid runs through the line,
// where the column profile peaks most above the troughs halfway between columns.
func fitColumns(prof []float64, pitch float64) (x0, px float64, ok bool) {
	w := float64(len(prof))
	best := 0.0
	for step := minGridPitch * pitch; step <= maxGridPitch*pitch; step += gridStep / 2 {
		for start := 0.0; start < step; start += gridStep {
			var s float64
			n := 0
			for x := start; x < w; x += step {
				s += sampleAt(prof, x) - sampleAt(prof, x+step/2)
				n++
			}
			if s /= float64(n); s > best {
				best, x0, px, ok = s, start, step, true
			}
		}
	}
	return x0, px, ok
}

// meanAround is the mean ink in the square of half-side r around (x, y).
func meanAround(ink []float64, w, h int, x, y float64, r int) float64 {
	cx, cy := int(math.Round(x)), int(math.Round(y))
	var s float64
	n := 0
	for yy := max(0, cy-r); yy <= min(h-1, cy+r); yy++ {
		for xx := max(0, cx-r); xx <= min(w-1, cx+r); xx++ {
			s += ink[yy*w+xx]
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}

// otsuFloat is Otsu's threshold over values: the cut that best parts them into two classes.
func otsuFloat(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	var total float64
	for _, x := range s {
		total += x
	}
	best, t := -1.0, 0.0
	var left float64
	for i := 0; i+1 < len(s); i++ {
		left += s[i]
		n0, n1 := float64(i+1), float64(len(s)-i-1)
		m0, m1 := left/n0, (total-left)/n1
		if b := n0 * n1 * (m0 - m1) * (m0 - m1); b > best {
			best, t = b, (s[i]+s[i+1])/2
		}
	}
	return t
}

// latticeCell is the side, in pixels, of one lattice cell in DrawLattice's picture: the
// recogniser reads 48-pixel-high lines, so a 7-row line with its margins comes out near that.
const latticeCell = 8

// glyphAspect is the height of a drawn glyph over its width.
const glyphAspect = 1.5

// strokeShare is a drawn stroke's half-width per cell width.
var strokeShare = 0.4

// DrawLattice draws a dot lattice as the solid print the recogniser was trained on: black
// strokes, a little thinner than a cell, joining each dot to its neighbours on the lattice
// (across, down and diagonally), on white. Jitter, bleeding and noise of the photographed
// dots are gone; only the font's shapes and the line's spacing are left.
func DrawLattice(lat DotLattice) *image.RGBA {
	if len(lat.Cols) == 0 || lat.Pitch <= 0 {
		return image.NewRGBA(image.Rect(0, 0, 1, 1))
	}
	grid := make([]int, len(lat.Cols))
	for k := 1; k < len(lat.Cols); k++ {
		grid[k] = grid[k-1] + max(1, int(math.Round((lat.Cols[k].X-lat.Cols[k-1].X)/lat.Pitch)))
	}
	const margin = 2
	// Rows are drawn taller than columns are wide so that a five-column glyph stands half
	// again as high as it is wide, the shape of the fonts the recogniser knows, whatever
	// the print's row count.
	cellH := float64(latticeCell) * glyphAspect * 5 / float64(lat.Rows)
	w := (grid[len(grid)-1] + 1 + 2*margin) * latticeCell
	h := int(math.Ceil(float64(lat.Rows+2*margin) * cellH))
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	at := func(k, r int) Point {
		return Point{X: float64((grid[k]+margin)*latticeCell + latticeCell/2), Y: (float64(r+margin) + 0.5) * cellH}
	}
	radius := strokeShare * latticeCell
	for k, c := range lat.Cols {
		for r := range lat.Rows {
			if !c.On[r] {
				continue
			}
			p := at(k, r)
			stroke(out, p, p, radius)
			// Neighbours down, right and diagonally right (each pair once).
			if r+1 < lat.Rows && c.On[r+1] {
				stroke(out, p, at(k, r+1), radius)
			}
			if k+1 < len(lat.Cols) && grid[k+1] == grid[k]+1 {
				n := lat.Cols[k+1]
				for dr := -1; dr <= 1; dr++ {
					if rr := r + dr; rr >= 0 && rr < lat.Rows && n.On[rr] {
						stroke(out, p, at(k+1, rr), radius)
					}
				}
			}
		}
	}
	return out
}

// stroke paints a black line of the given half-width from a to b.
func stroke(img *image.RGBA, a, b Point, r float64) {
	x0, x1 := int(math.Floor(min(a.X, b.X)-r)), int(math.Ceil(max(a.X, b.X)+r))
	y0, y1 := int(math.Floor(min(a.Y, b.Y)-r)), int(math.Ceil(max(a.Y, b.Y)+r))
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	for y := max(0, y0); y <= min(img.Rect.Dy()-1, y1); y++ {
		for x := max(0, x0); x <= min(img.Rect.Dx()-1, x1); x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((px-a.X)*dx+(py-a.Y)*dy)/l2))
			}
			if math.Hypot(px-a.X-t*dx, py-a.Y-t*dy) <= r {
				i := y*img.Stride + 4*x
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = 0, 0, 0
			}
		}
	}
}
