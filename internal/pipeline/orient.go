package pipeline

import "github.com/datalid/datalid/internal/detect"

// orientMargin is how much surer, in mean character confidence, a region's reading turned
// the other way up must be to replace the classifier's choice. Dates read upside down are
// still dates ("03/20/23" turned is "EZ/0Z/E0", read "22/02/20"), so only the recogniser's
// confidence tells the two apart; the margin keeps symmetric print (0, 1, 8) as it was.
const orientMargin = 0.05

// orient checks the orientation of the first pass's date lines. The angle classifier
// judges each crop alone and often misjudges dot-matrix print; a date line read upside down
// yields a confident wrong date and stops the second looks. So the regions with digits of
// each line that holds a date are read again turned 180° from the classifier's choice, and
// each takes its turned reading when that is surer.
//
// The expiry line itself may have been read upside down as garbage ("V:03/2026" as
// "9202/E0:A"), so regions with orientDigits digits or more on the other lines are checked
// the same way when no confident date is left, and always where they stand upright: print
// running up or down the page is cut out lying on its side either way up, and the classifier
// alone decides which.
func (p *Pipeline) orient(l *look) error {
	res := l.res
	var idx []int
	for _, ln := range res.Lines {
		if _, ok := p.hasDate(ln.Text, 0); ok {
			for _, i := range ln.Regions {
				// Only digits can make a wrong date; a keyword read upside down stays garbage.
				if digits(res.Regions[i].Text) > 0 {
					idx = append(idx, i)
				}
			}
		}
	}
	if err := p.reorient(l, idx); err != nil {
		return err
	}
	p.findDates(res)
	all := !p.confident(res)
	idx = idx[:0]
	for _, ln := range res.Lines {
		if _, ok := p.hasDate(ln.Text, 0); ok {
			continue
		}
		for _, i := range ln.Regions {
			r := res.Regions[i]
			if x0, y0, x1, y1 := r.Quad.Bounds(); digits(r.Text) >= orientDigits && (all || y1-y0 > x1-x0) {
				idx = append(idx, i)
			}
		}
	}
	return p.reorient(l, idx)
}

// orientDigits is how many digits a region on a line without a date must hold to be checked
// for print read upside down: a date has at least three.
const orientDigits = 3

// reorient reads regions idx again turned 180° from the way they were read, and gives each
// its turned reading when that is surer by orientMargin.
func (p *Pipeline) reorient(l *look, idx []int) error {
	res := l.res
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
	for k, i := range idx {
		if read[k].Text.Confidence >= res.Regions[i].Text.Confidence+orientMargin {
			read[k].Quad = res.Regions[i].Quad
			res.Regions[i] = read[k]
		}
	}
	return nil
}
