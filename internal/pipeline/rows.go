package pipeline

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
)

// maxRowGap is how far apart, in text heights, neighbouring boxes may lie to be read again as
// one row. Inkjet coders space the fields of a line ("V  07  2025") by up to two character
// widths, and the detector cuts there; columns of a table lie further apart.
const maxRowGap = 2.0

// maxRowHeights is the most a box's height may exceed its neighbour's in one row: fields of
// one printed line differ by their letters' ascenders, not by whole lines.
const maxRowHeights = 1.5

// rowMargin is the margin added above and below a row's box, as a share of its height.
const rowMargin = 0.15

// rowReach is how far, in the row's heights, a row's box reaches past its first and last
// piece: the detector drops the faintest characters of a line, often at its ends.
const rowReach = 0.8

// rowSource marks a region read from a whole row of boxes the detector had cut apart.
const rowSource = "row"

// rows reads again, as one crop each, the rows of boxes that hold no date together. The
// detector cuts widely spaced print, dot-matrix above all, into fields and single
// characters ("V" | "0" | "7" | "2025"); read alone, a character has no context and a
// two-digit field is too short for the recogniser, while the whole row reads as the line it
// is. A row's reading replaces its pieces only when it holds a date. At most
// Recovery.MaxRetryRegions rows are read, those with the most digits first.
func (p *Pipeline) rows(l *look) error { return p.readRows(l, nil) }

// rejoin is the rows look again, after the looks that detect new boxes (zoom, dots, dense,
// tiles): they too cut widely spaced print into pieces ("APR" | "08" | "2029"). Only rows
// holding a piece one of them found are read; the others were read by the rows look.
func (p *Pipeline) rejoin(l *look) error {
	return p.readRows(l, func(r Region) bool {
		for _, s := range detectingLooks {
			if strings.HasPrefix(r.Source, s) {
				return true
			}
		}
		return false
	})
}

// detectingLooks are the sources of the looks after rows that detect boxes of their own.
var detectingLooks = []string{"zoom", "dots", "dense", "tile"}

// readRows reads the rows of boxes that hold no date together (see rows); when only is set,
// just the rows with a region it accepts.
func (p *Pipeline) readRows(l *look, only func(Region) bool) error {
	rs := l.res.Regions
	g := make([]geom, len(rs))
	idx := make([]int, len(rs))
	for i, r := range rs {
		g[i], idx[i] = readingGeometry(l.workQuad(r), r.Text.Text), i
	}
	type row struct {
		members []int
		digits  int
	}
	var cands []row
	for _, m := range chainRows(g, idx, cropRows) {
		if len(m) < 2 || (only != nil && !slices.ContainsFunc(m, func(i int) bool { return only(rs[i]) })) {
			continue
		}
		if d, ok := p.rowWorthReading(rs, m); ok {
			cands = append(cands, row{m, d})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].digits > cands[b].digits })
	cands = cands[:min(len(cands), p.rec.MaxRetryRegions)]
	if len(cands) == 0 {
		return nil
	}
	boxes := make([]detect.Box, len(cands))
	flipped := make([]bool, len(cands))
	for k, c := range cands {
		boxes[k], flipped[k] = piecesBox(rs, c.members, rowQuad(l, g, c.members))
	}
	var tm Timings
	read, err := p.readOriented(l, l.workFrame(), boxes, flipped, &tm)
	if err != nil {
		return err
	}
	drop := map[int]bool{}
	var added, unkept []Region
	for k, r := range read {
		r.Source = rowSource
		if _, ok := p.hasDate(r.Text.Text, minLookScore); !ok {
			unkept = append(unkept, r)
			continue
		}
		added = append(added, r)
		for _, i := range cands[k].members {
			drop[i] = true
		}
	}
	l.trace.discarded("rows", unkept)
	if len(added) > 0 {
		l.replace(drop, added)
	}
	return nil
}

// piecesBox is the box q over the regions members of rs, read as one crop: its score their
// best, and turned 180° when most of them were. The pieces were oriented one by one; a box
// cut across the neighbouring lines misleads the angle classifier, so it takes its pieces'
// majority.
func piecesBox(rs []Region, members []int, q imgproc.Quad) (detect.Box, bool) {
	b, turned := detect.Box{Quad: q}, 0
	for _, i := range members {
		b.Score = max(b.Score, rs[i].Score)
		if rs[i].Flipped {
			turned++
		}
	}
	return b, 2*turned > len(members)
}

// rowWorthReading reports a row whose pieces, joined, hold no date but may: two digits or
// more, or a piece read as nothing or as garbage. digits counts the row's digits.
func (p *Pipeline) rowWorthReading(rs []Region, members []int) (int, bool) {
	text, d, unread := "", 0, false
	for k, i := range members {
		if k > 0 {
			text += " "
		}
		text += rs[i].Text.Text
		d += digits(rs[i].Text)
		unread = unread || rs[i].Text.Confidence < coverConfidence
	}
	if _, ok := p.hasDate(text, 0); ok {
		return d, false
	}
	return d, d >= 2 || unread
}

// rowQuad is the box, in working pixels, around a row's regions (geometry g, in working
// pixels) with a margin above and below, along the direction of its region longest for its
// height (the surest measure of the line's slant, as when lines are chained: slantOf).
func rowQuad(l *look, g []geom, members []int) imgproc.Quad {
	s := g[members[0]]
	for _, i := range members[1:] {
		s = slantOf(s, g[i])
	}
	u := s.u
	n := imgproc.Point{X: -u.Y, Y: u.X}
	a0, a1, b0, b1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, i := range members {
		for _, c := range l.workQuad(l.res.Regions[i]) {
			a, b := dot(c, u), dot(c, n)
			a0, a1, b0, b1 = min(a0, a), max(a1, a), min(b0, b), max(b1, b)
		}
	}
	// Boxes of single characters, found with low scores, are cut close to the ink or short
	// of it; the row gets a margin so that its lines of dots are whole, and a reach for the
	// characters the detector dropped at its ends.
	pad := rowMargin * (b1 - b0)
	reach := rowReach * (b1 - b0)
	a0, a1, b0, b1 = a0-reach, a1+reach, b0-pad, b1+pad
	at := func(a, b float64) imgproc.Point { return imgproc.Point{X: a*u.X + b*n.X, Y: a*u.Y + b*n.Y} }
	return imgproc.Quad{at(a0, b0), at(a1, b0), at(a1, b1), at(a0, b1)}
}
