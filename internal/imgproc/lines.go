package imgproc

import (
	"image"
	"math"
)

// SplitLines finds the printed lines of a crop that holds several (a detector box that
// merged "PROD 01/02/2023" and "EXP 01/02/2026"), by the horizontal projection of ink that
// Datalid's split_lines uses (or of strokes, strokeProfile, where that sees one line), or,
// on dot-matrix print, by its lines' height (stackedLines).
// It returns the row bands, top to bottom, each cut at the emptiest row between two lines;
// nil when it sees fewer than two lines.
func SplitLines(img *image.RGBA) []image.Rectangle {
	bands, _ := SplitDottedLines(img)
	return bands
}

// SplitDottedLines is SplitLines that also reports whether img's print is dot-matrix
// (FindDots), which it measures for the cut, so a caller need not measure it again.
func SplitDottedLines(img *image.RGBA) (bands []image.Rectangle, dotted bool) {
	g, w, h := luma(img)
	prof := inkRows(g, w, h)
	if prof == nil {
		return nil, false
	}
	for _, share := range smoothShares {
		if bands = cutLines(prof, img.Rect.Dx(), share); bands != nil {
			break
		}
	}
	lineH, dotted := dotLineHeight(img)
	if lineH > 0 {
		if b := stackedLines(prof, img.Rect.Dx(), lineH); b != nil {
			return b, true
		}
	}
	if bands == nil && !dotted {
		bands = cutLines(strokeProfile(g, w, h), w, smoothShares[0])
	}
	return bands, dotted
}

// strokeProfile sums each row's changes of brightness from one pixel to the next: how much
// of the row strokes cross. The ink profile's threshold fails on a crop that holds a large
// dark or bright area beside its print (the edge of a coloured band the box clipped): the
// threshold then parts that area from the rest, and the print counts as background. Strokes
// change brightness along a row whatever lies around them; a band's edge, running along the
// rows, does not.
func strokeProfile(g []uint8, w, h int) []float64 {
	prof := make([]float64, h)
	for y := range h {
		row := g[y*w : (y+1)*w]
		for x := 1; x < w; x++ {
			prof[y] += math.Abs(float64(row[x]) - float64(row[x-1]))
		}
	}
	return prof
}

// Dot-matrix lines printed a row apart often touch: a character's bottom dots bleed into the
// top dots of the line below, and the ink profile shows no valley between them, while it shows
// one between a character's rows of dots (a light row: "2" has one dot in its fifth). A dotted
// crop is cut instead by the height of its lines, read off its dots: coders print on a
// lattice about as fine across as down, seven rows for a character (5×7 fonts, the most
// common; 9 rows for 7×9 fonts reads as one line and a third, still one). A dotted crop of one
// line is left to the profile, which smooths over the rows between its dots. dotFontRows is
// the rows of dots a character spans, for the line height.
const dotFontRows = 7

// dotLineHeight is the height of a printed line of img's dot-matrix print, from the column
// pitch of the lattice fitted there (0 when no lattice fits), and whether img is dotted.
func dotLineHeight(img *image.RGBA) (float64, bool) {
	p, ok := FindDots(img)
	if !ok {
		return 0, false
	}
	lats := DotGrids(img, p)
	if len(lats) == 0 {
		return 0, true
	}
	return dotFontRows * lats[0].Pitch, true
}

// stackedLines cuts the inked rows of a crop w wide (prof ink per row) into as many bands as
// lines lineH high fit there, nil when one line fits. Each cut is the emptiest row within a
// row of dots of where equal lines would meet: touching lines thin out where they meet, but
// a character's light row further in is no meeting. Bands meet at the cuts, as cutLines' do:
// a band reaching past its cut carries a row of the next line's dots, which the recogniser
// reads as characters.
func stackedLines(prof []float64, w int, lineH float64) []image.Rectangle {
	a, b := inkedRows(prof)
	n := int(math.Round(float64(b-a) / lineH))
	if n < 2 {
		return nil
	}
	step := float64(b-a) / float64(n)
	reach := int(lineH / dotFontRows)
	cuts := []int{0}
	for k := 1; k < n; k++ {
		at := a + int(math.Round(float64(k)*step))
		best := at
		for y := at - reach; y <= at+reach; y++ {
			if rowsInk(prof, y) < rowsInk(prof, best) {
				best = y
			}
		}
		cuts = append(cuts, best)
	}
	cuts = append(cuts, len(prof))
	out := make([]image.Rectangle, 0, n)
	for k := 1; k < len(cuts); k++ {
		out = append(out, image.Rect(0, cuts[k-1], w, cuts[k]))
	}
	return out
}

// rowsInk is the ink of row y and its two neighbours.
func rowsInk(prof []float64, y int) float64 {
	var s float64
	for k := max(0, y-1); k <= min(len(prof)-1, y+1); k++ {
		s += prof[k]
	}
	return s
}

// InkedRows is the span [a, b) of img's rows that hold ink (a tenth of the fullest row's or
// more): where a line of print lies in a band cut around it; ok is false for a band too small
// to measure.
func InkedRows(img *image.RGBA) (a, b int, ok bool) {
	prof := inkProfile(img)
	if prof == nil {
		return 0, 0, false
	}
	a, b = inkedRows(prof)
	return a, b, b > a
}

// inkedRows is the span [a, b) of rows holding a tenth of the fullest row's ink or more.
func inkedRows(prof []float64) (int, int) {
	peak := 0.0
	for _, v := range prof {
		peak = max(peak, v)
	}
	a, b := 0, 0
	for y, v := range prof {
		if v >= 0.1*peak {
			if b == 0 {
				a = y
			}
			b = y + 1
		}
	}
	return a, b
}

// smoothShares: the ink profile is smoothed over ±h/share rows, first enough to bridge the
// rows between a dot-matrix character's dots, then, when that sees one line, half as far:
// lines printed close together leave a gap of a few rows that the first smoothing fills (two
// lines of a 90-pixel crop 3 rows apart).
var smoothShares = [...]int{40, 80}

// inkProfile counts the ink pixels of each row of img (ink is the minority class of an Otsu
// threshold); nil for a crop too small to split.
func inkProfile(img *image.RGBA) []float64 { return inkRows(luma(img)) }

// inkRows is inkProfile over img's luminance g, w × h pixels.
func inkRows(g []uint8, w, h int) []float64 {
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
