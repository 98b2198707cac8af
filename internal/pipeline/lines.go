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

// minTurnedRunes is the least text a crop that Crop turned a quarter must read for its
// line to count as running along the turned crop: a single glyph standing taller than wide
// is a piece of a level line, and read on its side it gives one character of noise.
const minTurnedRunes = 2

// readingGeometry is the geometry of quad q along the way its text, read as text, runs. A
// crop that Crop turns a quarter counter-clockwise (vertical text) reads down its right
// edge: its line runs from q's top-right corner to its bottom-right one.
func readingGeometry(q imgproc.Quad, text string) geom {
	return geometry(readingQuad(q, text))
}

// readingQuad is q with its corners listed from the top left of its text, read as text (see
// readingGeometry).
func readingQuad(q imgproc.Quad, text string) imgproc.Quad {
	if w, h := cropSize(q); turnsQuarter(w, h) && utf8.RuneCountInString(strings.TrimSpace(text)) >= minTurnedRunes {
		return imgproc.Quad{q[1], q[2], q[3], q[0]}
	}
	return q
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

// GroupLines joins regions printed on one line into lines, in the order their print runs
// (see chainRows and turnRows), so a date split across boxes ("30 04" | "27") is parsed
// whole. Regions with no text or below minConf are left out.
func GroupLines(rs []Region, minConf float64) []Line {
	lines, _ := groupLines(rs, minConf)
	return lines
}

// groupLines is GroupLines with, for each line, the recogniser's probability of each of its
// runes (see runeProbs), which the date parser weighs.
func groupLines(rs []Region, minConf float64) ([]Line, [][]float32) {
	parts, g, of := lineParts(rs, minConf)
	idx := make([]int, len(parts))
	for i := range idx {
		idx[i] = i
	}
	rows := labelledRows(parts, g, idx)
	for k := range rows {
		rows[k] = dropRepeats(parts, g, rows[k])
	}
	turnRows(parts, rows)
	out := make([]Line, 0, len(rows))
	probsOut := make([][]float32, 0, len(rows))
	for _, row := range rows {
		var l Line
		var text strings.Builder
		var probs []float32
		for k, i := range row {
			if k > 0 {
				text.WriteByte(' ')
				probs = append(probs, 1)
			}
			text.WriteString(parts[i].Text.Text)
			probs = append(probs, runeProbs(parts[i].Text)...)
			if !slices.Contains(l.Regions, of[i]) {
				l.Regions = append(l.Regions, of[i])
			}
		}
		l.Text = text.String()
		out = append(out, l)
		probsOut = append(probsOut, probs)
	}
	return out, probsOut
}

// lineParts lists the printed lines of the regions of rs with text of minConf or more, for
// grouping: a region, or each line of a region read line by line (splitRead), placed where
// its print lies in the region's quad, so each line joins the labels and pieces printed
// beside it ("VALIDADE" beside the second of two stacked dates). It returns the lines as
// regions of their own, their geometry, and the index in rs of the region each comes from.
func lineParts(rs []Region, minConf float64) ([]Region, []geom, []int) {
	var parts []Region
	var g []geom
	var of []int
	for i, r := range rs {
		if r.Text.Text == "" || r.Text.Confidence < minConf {
			continue
		}
		if !strings.Contains(r.Text.Text, "\n") {
			parts, g, of = append(parts, r), append(g, readingGeometry(r.Quad, r.Text.Text)), append(of, i)
			continue
		}
		q := readingQuad(r.Quad, r.Text.Text)
		lines := strings.Split(r.Text.Text, "\n")
		probs := runeProbs(r.Text)
		for k, line := range lines {
			n := utf8.RuneCountInString(line)
			part := r
			part.Text = recognize.Text{Text: line, Confidence: r.Text.Confidence, CharProbs: probs[:n]}
			probs = probs[min(len(probs), n+1):]
			if line == "" {
				continue
			}
			// Line k of the crop as read, where splitRead found its print, else its share of
			// equal lines; a crop turned over reads its quad from the bottom.
			s := [2]float64{float64(k) / float64(len(lines)), float64(k+1) / float64(len(lines))}
			if len(r.LineSpans) == len(lines) {
				s = r.LineSpans[k]
			}
			if r.Flipped {
				s = [2]float64{1 - s[1], 1 - s[0]}
			}
			part.Quad = band(q, s[0], s[1])
			parts, g, of = append(parts, part), append(g, geometry(part.Quad)), append(of, i)
		}
	}
	return parts, g, of
}

// band is the part of quad q between the shares a and b of its height, along its left and
// right sides.
func band(q imgproc.Quad, a, b float64) imgproc.Quad {
	at := func(p, r imgproc.Point, f float64) imgproc.Point {
		return imgproc.Point{X: p.X + (r.X-p.X)*f, Y: p.Y + (r.Y-p.Y)*f}
	}
	return imgproc.Quad{at(q[0], q[3], a), at(q[1], q[2], a), at(q[1], q[2], b), at(q[0], q[3], b)}
}

// minRepeatOverlap is how much of the shorter of two regions of a row must lie along the
// longer for both to be readings of the same print (two looks boxed it, or one boxed a piece
// of it again): neighbouring boxes overlap only by the detector's margins.
const minRepeatOverlap = 0.7

// maxRepeatShift is how far apart across the row, in text heights, two readings of the same
// print lie at most: two printed lines stacked close, chained into one row, lie further.
const maxRepeatShift = 0.25

// dropRepeats leaves out of row each region that reads print a better region of the row
// also reads: two regions overlapping along the row by minRepeatOverlap of the shorter, and
// within maxRepeatShift of each other across it, are one print read twice. The better
// reading holds more digits (a date is digits), then more text, then is surer; the best are
// kept first, and each other region only where it repeats none kept. A date read twice
// ("042031 042031"), or beside a piece of itself read again ("202 06 2029"), is no run of
// numbers, and a garbled reading over a keyword and its date ("EXP" | "EXFOCTOE" |
// "OCT0227") leaves both.
func dropRepeats(rs []Region, g []geom, row []int) []int {
	if len(row) < 2 {
		return row
	}
	u := g[row[0]].u
	span := func(i int) (float64, float64) {
		c := dot(g[i].c, u)
		return c - g[i].w/2, c + g[i].w/2
	}
	repeats := func(a, b int) bool {
		a0, a1 := span(a)
		b0, b1 := span(b)
		across := math.Abs(dot(imgproc.Point{X: g[a].c.X - g[b].c.X, Y: g[a].c.Y - g[b].c.Y}, g[row[0]].n))
		return min(a1, b1)-max(a0, b0) >= minRepeatOverlap*min(a1-a0, b1-b0) && across <= maxRepeatShift*(g[a].h+g[b].h)/2
	}
	rank := func(i int) []float64 {
		t := rs[i].Text
		return []float64{float64(digits(t)), float64(utf8.RuneCountInString(t.Text)), t.Confidence}
	}
	best := slices.Clone(row)
	slices.SortStableFunc(best, func(a, b int) int { return slices.Compare(rank(b), rank(a)) })
	var kept []int
	for _, i := range best {
		if !slices.ContainsFunc(kept, func(k int) bool { return repeats(i, k) }) {
			kept = append(kept, i)
		}
	}
	if len(kept) == len(row) {
		return row
	}
	return slices.DeleteFunc(slices.Clone(row), func(i int) bool { return !slices.Contains(kept, i) })
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

// chainRows groups the regions idx (with geometry g) into rows in reading order, each in
// the order its text runs. Regions are grouped by the way their text runs (right, down,
// left, up: a photo or a product held sideways), and taken along it; each joins the row
// whose last region it continues: past that region along its text, off its line by less
// than half their mean text height (labels print smaller than dates), both measured along
// the slant of whichever of the two shows it surer (slantOf), and separated from it by at
// most rule.maxGap text heights; with rule.sameHeight, the taller of the two is at most
// maxRowHeights times the other (a box over two printed lines is no piece of either); with
// rule.bends, a piece turned with a bending surface also continues the row it starts at the
// end of (bends).
// Chaining neighbours (rather than growing one span across the text per row) keeps the
// rows of a slanted label apart. Rows are ordered across the way most of the text runs.
func chainRows(g []geom, idx []int, rule chainRule) [][]int {
	most := mainQuarter(g, idx)
	a := quarterAxis(most)
	var byQuarter [4][]int
	for _, i := range idx {
		k := quarter(g[i].u)
		if near(g[i].u, a, mainWayReach) {
			k = most
		}
		byQuarter[k] = append(byQuarter[k], i)
	}
	var rows [][]int
	for k, group := range byQuarter {
		rows = append(rows, chainAlong(g, group, quarterAxis(k), rule)...)
	}
	sortRows(g, rows, mainWay(g, idx, a))
	return rows
}

// mainWayReach is how far, in degrees, a region's text may run from the way most of the
// photo's text runs and still be grouped with it: a photo taken at a slant tilts every line
// by up to 45° and beyond, and the pieces of one line, boxed at slightly different angles,
// must not fall on either side of a diagonal.
const mainWayReach = 60

// chainRule is how chainRows joins neighbours: at most maxGap text heights apart along the
// text; with sameHeight, the taller at most maxRowHeights times the other; with bends, also
// round a bend (see bends).
type chainRule struct {
	maxGap     float64
	sameHeight bool
	bends      bool
}

// printedLines chains the pieces of the lines the date parser reads, bent ones too, however
// far apart along their line; cropRows chains the boxes the rows look crops as one straight
// row (maxRowGap), which a bend would take out of the crop.
var (
	printedLines = chainRule{maxGap: math.Inf(1), bends: true}
	cropRows     = chainRule{maxGap: maxRowGap, sameHeight: true}
)

// chainAlong chains the regions idx, whose text runs towards axis, into rows (see chainRows).
func chainAlong(g []geom, idx []int, axis imgproc.Point, rule chainRule) [][]int {
	idx = slices.Clone(idx)
	sort.SliceStable(idx, func(a, b int) bool { return dot(g[idx[a]].c, axis) < dot(g[idx[b]].c, axis) })
	var rows [][]int
	for _, i := range idx {
		best, bestOff := -1, math.Inf(1)
		for ri, row := range rows {
			last := g[row[len(row)-1]]
			d := imgproc.Point{X: g[i].c.X - last.c.X, Y: g[i].c.Y - last.c.Y}
			way := slantOf(last, g[i])
			along := dot(d, way.u)
			off := math.Abs(dot(d, way.n))
			mh := (last.h + g[i].h) / 2
			gap := along - (last.w+g[i].w)/2
			ratio := max(last.h, g[i].h) / max(1e-9, min(last.h, g[i].h))
			joins := off < mh/2 && gap <= rule.maxGap*mh
			if !joins && rule.bends && along > 0 {
				off, joins = bends(last, g[i], min(rule.maxGap, maxBendGap)*mh)
			}
			if along > 0 && joins && (!rule.sameHeight || ratio <= maxRowHeights) && off < bestOff {
				best, bestOff = ri, off
			}
		}
		if best < 0 {
			rows = append(rows, []int{i})
			continue
		}
		rows[best] = append(rows[best], i)
	}
	return rows
}

// minBend and maxBend bound the turn, in degrees, between two pieces of a printed line that
// bends round a can or a cap: less is a straight line's boxes, drawn a little askew; more is
// no curve a date spans.
const (
	minBend = 8
	maxBend = 40
)

// maxBendGap is how far, in text heights, a piece of a bending line may start past the end
// of the one before it: the detector splits such a line between words, not across a column.
const maxBendGap = 1.5

// bends reports whether next continues a line that bends after last (print round a can or
// a cap: "USE BY JAN 14" | "2032" turned with the surface, whose centre lies off the first
// piece's line): next is turned by minBend to maxBend from last, towards the side it lies
// on, and starts within half a text height across of where last ends, and at most maxGap
// past it or half a text height before it (the detector's margins: a piece starting further
// back boxes some of last's print again, "SELL BY 10/27" | "3/27/26"). It returns that
// distance across, to rank the rows next could join.
func bends(last, next geom, maxGap float64) (float64, bool) {
	if near(last.u, next.u, minBend) || !near(last.u, next.u, maxBend) {
		return 0, false
	}
	end := imgproc.Point{X: last.c.X + last.u.X*last.w/2, Y: last.c.Y + last.u.Y*last.w/2}
	start := imgproc.Point{X: next.c.X - next.u.X*next.w/2, Y: next.c.Y - next.u.Y*next.w/2}
	d := imgproc.Point{X: start.X - end.X, Y: start.Y - end.Y}
	across, along := dot(d, last.n), dot(d, last.u)
	side := dot(imgproc.Point{X: next.c.X - last.c.X, Y: next.c.Y - last.c.Y}, last.n)
	turn := last.u.X*next.u.Y - last.u.Y*next.u.X // towards last.n when positive
	mh := (last.h + next.h) / 2
	if turn*side <= 0 || math.Abs(across) >= mh/2 || along < -mh/2 || along > maxGap {
		return 0, false
	}
	return math.Abs(across), true
}

// slantOf is whichever of two neighbouring regions is the surer measure of their line's
// slant: the one longer for its height. A single character's box ("V", "F") is about as wide
// as tall, and the detector boxes it at any angle; measured along it, the piece of print
// beside it seems a line above or below ("F" on a slanted photo chained to the value of the
// next line).
func slantOf(a, b geom) geom {
	if b.w*a.h > a.w*b.h {
		return b
	}
	return a
}

// quarter is the quarter turn (0 right, 1 down, 2 left, 3 up on screen) nearest direction u.
func quarter(u imgproc.Point) int {
	k := int(math.Round(math.Atan2(u.Y, u.X) / (math.Pi / 2)))
	return (k + 4) % 4
}

// quarterAxis is the unit vector of quarter k.
func quarterAxis(k int) imgproc.Point {
	return [4]imgproc.Point{{X: 1}, {Y: 1}, {X: -1}, {Y: -1}}[k]
}

func dot(a, b imgproc.Point) float64 { return a.X*b.X + a.Y*b.Y }

// near reports whether unit directions u and v lie within deg degrees of each other.
func near(u, v imgproc.Point, deg float64) bool { return dot(u, v) >= math.Cos(deg*math.Pi/180) }
