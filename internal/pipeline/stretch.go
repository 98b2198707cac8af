package pipeline

import (
	"math"
	"strings"
	"unicode"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
)

// stretchReach is how far, in the line's heights, the stretch check reaches past the ends of
// the line holding a cut-looking date: a two-digit field and its separator ("/26", " 21")
// are about three characters, well under two heights of print.
const stretchReach = 2.5

// stretchLook names the check in a Trace and the region it reads.
const stretchLook = "stretch"

// minStretchDigits is the least digits a line with no date must hold for the stretch check
// to read it again: a date cut at its end keeps most of its digits ("03/04" of "03/04/23").
const minStretchDigits = 4

// stretch reads again, past its ends, a line whose date the detector's box may have cut
// short; it runs once the looks are done, whether or not they found a confident date.
//
// A best date shaped like a cut one (a month and a two-digit year, see cutShape) that ends
// its line: the detector often drops the last field of a line of widely spaced or dotted
// print ("EXP FEB 21 | 21" → "EXP FEB 21", the last "21" boxed apart and read as nothing),
// and what is left reads as a month and a year. The stretched reading replaces the line
// when it holds the same month with a day equal to the two digits first taken for the year
// (see stretchedDate). So is a best date whose two-digit year reads the century, 20, that
// ends its line (centuryCut): its reading replaces the line when it holds the same date with
// a four-digit year (centuryWhole).
//
// No date at all, and a line that names an expiry date (dates.ExpiryLabelled) ending in
// digits ("BEST BEFORE:03/04" of "BEST BEFORE:03/04/23", its faint end left out of the
// box): the stretched reading replaces the line when it holds a date of a second look's
// strength (minLookScore). Of several such lines, the one with the most digits is read.
func (p *Pipeline) stretch(l *look) error {
	res := l.res
	at, accept := p.stretchTarget(res)
	if at < 0 {
		return nil
	}
	members := res.Lines[at].Regions
	g := make([]geom, len(res.Regions))
	for _, i := range members {
		g[i] = readingGeometry(l.workQuad(res.Regions[i]), res.Regions[i].Text.Text)
	}
	box, flipped := piecesBox(res.Regions, members, stretchQuad(l, g, members))
	// Like confirm, a check of the answer: its time goes to the crop and recognition stages.
	read, err := p.readOriented(l, l.workFrame(), []detect.Box{box}, []bool{flipped}, &res.Timings)
	if err != nil || len(read) == 0 {
		return err
	}
	r := read[0]
	r.Source = stretchLook
	if !accept(r.Text.Text) {
		l.trace.discarded(stretchLook, []Region{r})
		return nil
	}
	drop := map[int]bool{}
	for _, i := range members {
		drop[i] = true
	}
	l.replace(drop, []Region{r})
	p.findDates(res)
	return nil
}

// stretchTarget is the line the stretch check reads again (-1 for none) and the test its
// stretched reading must pass to replace it.
func (p *Pipeline) stretchTarget(res *Result) (int, func(string) bool) {
	if b := res.Dates.Top(); b != nil {
		if !(cutShape(b) || centuryCut(b)) || b.Line >= len(res.Lines) || !endsLine(res.Lines[b.Line].Text, b.End) {
			return -1, nil
		}
		cut := *b
		return b.Line, func(text string) bool {
			return holdsStretched(dates.Find([]dates.Line{{Text: text, Confidence: 1}}, p.cfg.Dates).Candidates, &cut)
		}
	}
	at, most := -1, minStretchDigits-1
	for k, ln := range res.Lines {
		t := strings.TrimRightFunc(ln.Text, unicode.IsSpace)
		if t == "" || !isDigit(t[len(t)-1]) {
			continue
		}
		if d := digitsIn(t); d > most && dates.ExpiryLabelled(t) {
			at, most = k, d
		}
	}
	return at, func(text string) bool {
		_, ok := p.hasDate(text, minLookScore)
		return ok
	}
}

// stretchQuad is the box, in working pixels, along the line of regions members (geometry g)
// reaching stretchReach past its ends. Its height is that of the line's shortest box, centred
// on the boxes' centres: the detector's boxes of a dotted line's fields differ in height,
// and one taken round two lines would bring the line above into the crop.
func stretchQuad(l *look, g []geom, members []int) imgproc.Quad {
	u := lineDirection(g, members)
	n := imgproc.Point{X: -u.Y, Y: u.X}
	a0, a1, mid, h := math.Inf(1), math.Inf(-1), 0.0, math.Inf(1)
	for _, i := range members {
		for _, c := range l.workQuad(l.res.Regions[i]) {
			a := dot(c, u)
			a0, a1 = min(a0, a), max(a1, a)
		}
		mid += dot(g[i].c, n) / float64(len(members))
		h = min(h, g[i].h)
	}
	half := h * (0.5 + rowMargin)
	a0, a1 = a0-stretchReach*h, a1+stretchReach*h
	at := func(a, b float64) imgproc.Point { return imgproc.Point{X: a*u.X + b*n.X, Y: a*u.Y + b*n.Y} }
	return imgproc.Quad{at(a0, mid-half), at(a1, mid-half), at(a1, mid+half), at(a0, mid+half)}
}

// lineDirection is the direction a line of regions (geometry g) runs: from its first piece's
// centre to its last's where they lie several heights apart, since the boxes of single fields
// of dotted print are too short to show the slant; otherwise the slant of its region longest
// for its height (slantOf).
func lineDirection(g []geom, members []int) imgproc.Point {
	s := g[members[0]]
	for _, i := range members[1:] {
		s = slantOf(s, g[i])
	}
	first, last := g[members[0]], g[members[len(members)-1]]
	d := imgproc.Point{X: last.c.X - first.c.X, Y: last.c.Y - first.c.Y}
	n := math.Hypot(d.X, d.Y)
	if len(members) < 2 || n < minSpanHeights*max(first.h, last.h) {
		return s.u
	}
	u := imgproc.Point{X: d.X / n, Y: d.Y / n}
	if dot(u, s.u) < 0 {
		u = imgproc.Point{X: -u.X, Y: -u.Y}
	}
	return u
}

// minSpanHeights is how far apart, in text heights, a line's first and last pieces must lie
// for the line between them to give its direction.
const minSpanHeights = 2

// endsLine reports whether nothing but punctuation and spaces follows byte offset end of text.
func endsLine(text string, end int) bool {
	if end > len(text) {
		return false
	}
	return !strings.ContainsFunc(text[end:], func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) })
}

// holdsStretched reports whether any of cs is cut's date read whole (stretchedDate,
// centuryWhole).
func holdsStretched(cs []dates.Candidate, cut *dates.Candidate) bool {
	for k := range cs {
		if stretchedDate(&cs[k], cut) || centuryWhole(&cs[k], cut) {
			return true
		}
	}
	return false
}

// stretchedDate reports whether c is the whole date that cut, a month and two-digit year,
// was the start of: a day-precise date of the same month whose day is the two digits cut
// took for its year. A numeric date's fields share one printed separator other than a space
// ("10/27" + "/26"); a space-separated number after a month and year ("03 26 12") is more
// often a lot or a time than the year of a date, so it is not taken. After a month name,
// spaces separate the fields of one date ("FEB 21 21").
func stretchedDate(c, cut *dates.Candidate) bool {
	if c.Precision != dates.PrecisionDay || c.Date.Month != cut.Date.Month || c.Date.Day != cut.Date.Year%100 {
		return false
	}
	return strings.Contains(c.Format, "MON") || !strings.Contains(c.Format, " ")
}

// centuryCut reports a date whose two-digit year reads 20, the century every four-digit year
// of the plausible range begins with: "05/12/20" is what a box cut after the century leaves of
// "05/12/2025" (its last two digits faint, or boxed apart), as well as a date of 2020.
func centuryCut(b *dates.Candidate) bool {
	return b != nil && b.Date.Year == 2020 && strings.HasSuffix(b.Format, "YY") && !strings.HasSuffix(b.Format, "YYYY")
}

// centuryWhole reports whether c is the whole date that cut, a date whose two-digit year
// read the century (centuryCut), was the start of: the same day and month, as precise, with
// a four-digit year of that century (a month-precise date's day is its month's last, which
// the year moves in February).
func centuryWhole(c, cut *dates.Candidate) bool {
	if !centuryCut(cut) || c.Precision != cut.Precision || c.Date.Month != cut.Date.Month {
		return false
	}
	sameDay := c.Precision != dates.PrecisionDay || c.Date.Day == cut.Date.Day
	return sameDay && c.Date.Year/100 == 20 && strings.HasSuffix(c.Format, "YYYY")
}
