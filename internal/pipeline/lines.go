package pipeline

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// geom is a region's centre, reading direction (unit vector along its top edge), normal and
// text height, taken from its quadrilateral so slanted photos group by their own text lines.
type geom struct {
	c, u, n imgproc.Point
	h       float64
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
	return geom{c: c, u: u, n: imgproc.Point{X: -u.Y, Y: u.X}, h: h}
}

// GroupLines joins regions printed on one line into lines, left to right, so a date split
// across boxes ("30 04" | "27") is parsed whole. Regions are taken left to right; each joins
// the line whose last region it continues: to that region's right, off its line by less than
// half their mean text height (labels print smaller than dates), measured across the text's own
// direction. Chaining neighbours (rather than growing one vertical span per line) keeps the
// lines of a slanted label apart.
// Regions with no text or below minConf are left out.
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
	sort.SliceStable(idx, func(a, b int) bool { return g[idx[a]].c.X < g[idx[b]].c.X })
	var lines []Line
	for _, i := range idx {
		best, bestOff := -1, math.Inf(1)
		for li := range lines {
			last := g[lines[li].Regions[len(lines[li].Regions)-1]]
			d := imgproc.Point{X: g[i].c.X - last.c.X, Y: g[i].c.Y - last.c.Y}
			along := d.X*last.u.X + d.Y*last.u.Y
			off := math.Abs(d.X*last.n.X + d.Y*last.n.Y)
			if along > 0 && off < (last.h+g[i].h)/4 && off < bestOff {
				best, bestOff = li, off
			}
		}
		if best < 0 {
			lines = append(lines, Line{Regions: []int{i}})
			continue
		}
		lines[best].Regions = append(lines[best].Regions, i)
	}
	// Reading order: by the first region's position across the text direction.
	sort.SliceStable(lines, func(a, b int) bool {
		return g[lines[a].Regions[0]].c.Y < g[lines[b].Regions[0]].c.Y
	})
	out := make([]Line, 0, len(lines))
	var probsOut [][]float32
	for _, l := range lines {
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
