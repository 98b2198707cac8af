package pipeline

import (
	"slices"
	"strings"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
)

// orientMargin is how much surer, in mean character confidence, a region's reading turned
// the other way up must be to replace the classifier's choice. Dates read upside down are
// still dates ("03/20/23" turned is "EZ/0Z/E0", read "22/02/20"), so only the recogniser's
// confidence tells the two apart; the margin keeps symmetric print (0, 1, 8) as it was.
const orientMargin = 0.05

// orientLook names the check after the second looks in a Trace and in the regions whose
// reading it replaced: they stay readings of a box a look found.
const orientLook = "orient"

// orient checks the orientation of the date lines. The angle classifier judges each crop
// alone and often misjudges dot-matrix print; a date line read upside down yields a
// confident wrong date and stops the second looks, and an upright date line it turns reads as
// garbage that hides the date. So the regions with digits of each line that holds a date, and
// after the looks those the classifier turned elsewhere (and, when no date was read at all,
// the unsure readings with digits it left as they stand), are read again turned 180° from its
// choice, and each takes its turned reading when that is surer (and, elsewhere, holds a
// date). It runs on the first pass and again after the second looks (afterLooks), there on
// the boxes they found: a box checked once keeps its judgement, since a re-read of it (the
// date-aware decoder's "AUG 29" of "FUG29") is no surer than the turned reading for being
// right. After the looks, a line's turned readings are also kept only if the line still holds
// a date: the looks found that date, and letters read upside down can come out surer as
// digits ("0CT302027L0T128" as "22020E120").
func (p *Pipeline) orient(l *look, afterLooks bool) error {
	res := l.res
	if l.oriented == nil {
		l.oriented, l.reoriented = map[imgproc.Quad]bool{}, map[imgproc.Quad]bool{}
	}
	var idx []int
	var lines [][]int // for each line checked, its regions' places in idx
	// On a date line only digits can make a wrong date; a keyword read upside down stays
	// garbage. A reading surer than 1 - orientMargin cannot be beaten by the margin: not
	// read again.
	check := func(i int, anyText bool) bool {
		r := res.Regions[i]
		if l.oriented[r.Quad] || (!anyText && digits(r.Text) == 0) || r.Text.Confidence+orientMargin > 1 || judged(r) {
			return false
		}
		l.oriented[r.Quad] = true
		return true
	}
	for _, ln := range res.Lines {
		if _, ok := p.hasDate(ln.Text, 0); !ok {
			continue
		}
		var mine []int
		for _, i := range ln.Regions {
			if check(i, false) {
				mine = append(mine, len(idx))
				idx = append(idx, i)
			}
		}
		if len(mine) > 0 {
			lines = append(lines, mine)
		}
	}
	// Elsewhere, the regions the classifier turned, each alone, whether or not a line took
	// them in: an upright date line it turned reads as garbage ("VAL 11/2027" as "ZZ8Z/TT
	// TVA"), often too unsure to join a line, and no look re-reads it the right way up. Such
	// a region is turned back only for a date: a surer reading of a few letters of a line
	// the box cut badly hides the line from the looks that would read it whole. Its reading
	// need hold no digit: dot-matrix turned over can read as a few letters ("SELL BY
	// 06/17/2030" as "EAES").
	dateless := len(lines)
	for i := range res.Regions {
		if afterLooks && res.Regions[i].Flipped && check(i, true) {
			lines = append(lines, []int{len(idx)})
			idx = append(idx, i)
		}
	}
	// With no date read anywhere after the looks, also the unsure readings with digits the
	// classifier left as they stand, most digits first: dotted print standing on its head
	// reads as digits too ("07/07/2024" as "1202/20/20"), and the classifier, judging dots,
	// leaves it so. Like the turned regions, each takes its other reading only for a date.
	if afterLooks && res.Dates.Top() == nil {
		n := 0
		for _, i := range unsureDigitRuns(res.Regions) {
			if n == p.rec.MaxRetryRegions {
				break
			}
			if check(i, false) {
				lines = append(lines, []int{len(idx)})
				idx = append(idx, i)
				n++
			}
		}
	}
	if len(idx) == 0 {
		return nil
	}
	boxes := make([]detect.Box, len(idx))
	turned := make([]bool, len(idx))
	for k, i := range idx {
		r := res.Regions[i]
		boxes[k] = detect.Box{Quad: l.workQuad(r), Score: r.Score}
		turned[k] = !r.Flipped
	}
	read, err := p.readOriented(l, l.workFrame(), boxes, turned, &res.Timings)
	if err != nil {
		return err
	}
	// Each region is judged alone: a line as grouped may join print of both ways up.
	for n, mine := range lines {
		was := map[int]Region{}
		for _, k := range mine {
			i := idx[k]
			if read[k].Text.Confidence < res.Regions[i].Text.Confidence+orientMargin {
				continue
			}
			if n >= dateless && !p.turnedDate(&read[k]) {
				continue
			}
			was[i] = res.Regions[i]
			read[k].Quad = res.Regions[i].Quad
			l.reoriented[read[k].Quad] = true
			if afterLooks {
				read[k].Source = joinSource(res.Regions[i].Source, orientLook)
			}
			res.Regions[i] = read[k]
		}
		if afterLooks && len(was) > 0 && !p.lineHasDate(res, idx[mine[0]]) {
			for i, r := range was {
				res.Regions[i] = r
				delete(l.reoriented, r.Quad)
			}
		}
	}
	return nil
}

// turnedDate reports whether the turned reading r of a region off the date lines holds a
// date, read as it came or, failing that, by the date-aware decoder: an upright line the
// classifier turned over was never read the right way up by the looks' beam ("SELL BY
// 0E/17/2030").
func (p *Pipeline) turnedDate(r *Region) bool {
	if _, ok := p.hasDate(r.Text.Text, 0); ok {
		return true
	}
	if !p.beamRegion(r) {
		return false
	}
	_, ok := p.hasDate(r.Text.Text, 0)
	return ok
}

// lineHasDate reports whether the line region i joins, as the regions now read, holds a date.
func (p *Pipeline) lineHasDate(res *Result, i int) bool {
	for _, ln := range GroupLines(res.Regions, p.cfg.MinTextConfidence) {
		if slices.Contains(ln.Regions, i) {
			_, ok := p.hasDate(ln.Text, 0)
			return ok
		}
	}
	return false
}

// judged reports a region whose way up a look chose itself, or that one crop cannot read
// again: the sideways look reads its regions both ways up, and a box read line by line
// (splitRead) holds several lines, which one crop of it would read as one.
func judged(r Region) bool {
	return sidewaysRead(r.Source) || strings.Contains(r.Text.Text, "\n")
}

// minUpsideDigits is the least digits a reading the classifier left as it stands must hold
// to be read again turned over: a date standing on its head keeps most of its digits as
// digits (0, 1, 2, 5, 6, 8, 9 turn into digits or digit-like letters).
const minUpsideDigits = 2

// unsureDigitRuns lists the regions the classifier left as they stand whose reading is
// unsure (under sureReading) and holds at least minUpsideDigits digits, most digits first.
func unsureDigitRuns(rs []Region) []int {
	var idx []int
	for i, r := range rs {
		if !r.Flipped && r.Text.Confidence < sureReading && digits(r.Text) >= minUpsideDigits {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return digits(rs[b].Text) - digits(rs[a].Text) })
	return idx
}
