package pipeline

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// geom is a region's centre, reading direction (unit vector along its top edge), normal,
// text height and length, taken from its quadrilateral so slanted photos group by their own
// text lines.
type geom struct {
	c, u, n imgproc.Point
	h, w    float64
}

func geometry(q imgproc.Quad) geom {
	c := imgproc.Point{X: (q[0].X + q[1].X + q[2].X + q[3].X) / 4, Y: (q[0].Y + q[1].Y + q[2].Y + q[3].Y) / 4}
	dx, dy := q[1].X-q[0].X, q[1].Y-q[0].Y
	l := math.Hypot(dx, dy)
	u := imgproc.Point{X: 1}
	if l > 0 {
		u = imgproc.Point{X: dx / l, Y: dy / l}
	}
	h := (imgproc.Dist(q[0], q[3]) + imgproc.Dist(q[1], q[2])) / 2
	w := (l + imgproc.Dist(q[3], q[2])) / 2
	return geom{c: c, u: u, n: imgproc.Point{X: -u.Y, Y: u.X}, h: h, w: w}
}

// turnRows puts print turned 180° back in reading order. Its regions' crops were turned
// upright one by one, but a row of them still runs right to left across the image, and a
// photo taken upside down has its lines bottom to top: the keyword then follows its date, or
// labels the line below instead of the one above ("MFG 01/2024 EXP 01/2026" would read
// "01/2026 EXP 01/2024 MFG"). A row is reversed when most of its text (in runes) was read
// turned, and the rows when most of all the text was.
func turnRows(rs []Region, rows [][]int) {
	var turned, all int
	for _, row := range rows {
		t, n := 0, 0
		for _, i := range row {
			k := utf8.RuneCountInString(rs[i].Text.Text)
			n += k
			if rs[i].Flipped {
				t += k
			}
		}
		if 2*t > n {
			slices.Reverse(row)
		}
		turned += t
		all += n
	}
	if 2*turned > all {
		slices.Reverse(rows)
	}
}

// GroupLines joins regions printed on one line into lines, left to right (see chainRows), so
// a date split across boxes ("30 04" | "27") is parsed whole. Regions with no text or below
// minConf are left out.
func GroupLines(rs []Region, minConf float64) []Line {
	lines, _ := groupLines(rs, minConf)
	return lines
}

// groupLines is GroupLines with, for each line, the recogniser's probability of each of its
// runes (see runeProbs), which the date parser weighs.
func groupLines(rs []Region, minConf float64) ([]Line, [][]float32) {
	var idx []int
	g := make([]geom, len(rs))
	for i, r := range rs {
		if r.Text.Text == "" || r.Text.Confidence < minConf {
			continue
		}
		idx = append(idx, i)
		g[i] = geometry(r.Quad)
	}
	rows := chainRows(g, idx, math.Inf(1), false)
	turnRows(rs, rows)
	out := make([]Line, 0, len(rows))
	var probsOut [][]float32
	for _, row := range rows {
		l := Line{Regions: row}
		var text strings.Builder
		var probs []float32
		for k, i := range l.Regions {
			if k > 0 {
				text.WriteByte(' ')
				probs = append(probs, 1)
			}
			text.WriteString(rs[i].Text.Text)
			probs = append(probs, runeProbs(rs[i].Text)...)
		}
		// A region read line by line (splitRead) holds several printed lines.
		t := text.String()
		for {
			cut := strings.IndexByte(t, '\n')
			if cut < 0 {
				out = append(out, Line{Text: t, Regions: l.Regions})
				probsOut = append(probsOut, probs)
				break
			}
			n := utf8.RuneCountInString(t[:cut])
			out = append(out, Line{Text: t[:cut], Regions: l.Regions})
			probsOut = append(probsOut, probs[:n])
			t, probs = t[cut+1:], probs[n+1:]
		}
	}
	return out, probsOut
}

// runeProbs is the recogniser's probability of each rune of t.Text: its CharProbs, which
// leave out the line breaks a split reading joins lines with (those count as sure), or the
// text's mean confidence for every rune when they do not match the text.
func runeProbs(t recognize.Text) []float32 {
	n := utf8.RuneCountInString(t.Text)
	out := make([]float32, 0, n)
	breaks := strings.Count(t.Text, "\n")
	if len(t.CharProbs) != n && len(t.CharProbs) != n-breaks {
		for range n {
			out = append(out, float32(t.Confidence))
		}
		return out
	}
	k := 0
	for _, r := range t.Text {
		if r == '\n' && len(t.CharProbs) != n {
			out = append(out, 1)
			continue
		}
		out = append(out, t.CharProbs[k])
		k++
	}
	return out
}

// chainRows groups the regions idx (with geometry g) into rows, top to bottom, each left to
// right. Regions are taken left to right; each joins the row whose last region it continues:
// to that region's right, off its line by less than half their mean text height (labels print
// smaller than dates), measured across the text's own direction, and separated from it by at
// most maxGap text heights; when sameHeight, the taller of the two is at most maxRowHeights
// times the other (a box over two printed lines is no piece of either). Chaining neighbours (rather than growing one vertical span per
// row) keeps the rows of a slanted label apart.
func chainRows(g []geom, idx []int, maxGap float64, sameHeight bool) [][]int {
	idx = slices.Clone(idx)
	sort.SliceStable(idx, func(a, b int) bool { return g[idx[a]].c.X < g[idx[b]].c.X })
	var rows [][]int
	for _, i := range idx {
		best, bestOff := -1, math.Inf(1)
		for ri, row := range rows {
			last := g[row[len(row)-1]]
			d := imgproc.Point{X: g[i].c.X - last.c.X, Y: g[i].c.Y - last.c.Y}
			along := d.X*last.u.X + d.Y*last.u.Y
			off := math.Abs(d.X*last.n.X + d.Y*last.n.Y)
			mh := (last.h + g[i].h) / 2
			gap := along - (last.w+g[i].w)/2
			ratio := max(last.h, g[i].h) / max(1e-9, min(last.h, g[i].h))
			if along > 0 && off < mh/2 && gap <= maxGap*mh && (!sameHeight || ratio <= maxRowHeights) && off < bestOff {
				best, bestOff = ri, off
			}
		}
		if best < 0 {
			rows = append(rows, []int{i})
			continue
		}
		rows[best] = append(rows[best], i)
	}
	// Reading order: by the first region's position across the text direction.
	sort.SliceStable(rows, func(a, b int) bool { return g[rows[a][0]].c.Y < g[rows[b][0]].c.Y })
	return rows
}
