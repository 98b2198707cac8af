package pipeline

import (
	"fmt"
	"image"
	"time"

	"github.com/datalid/datalid/internal/dates"
)

// A confident wrong date is mostly one digit misread: a 5 taken for a 6, a 1 lost from 15.
// The recogniser's reading of such a digit shifts with how the crop is presented (its
// margins, how it was resampled) while the print stays the same, so the best date's regions
// are read again presented in each of confirmVariants, and when every variant reads the
// same other date, the first reading is outvoted and the variants' reading replaces it.
var confirmVariants = []Chain{mustChain("pad"), mustChain("upscale")}

// confirmBelow: only a date the recogniser hesitated on, one of its characters less probable
// than this, is read again; the check costs a recognition batch, and a date read with no
// doubt has no digit for the variants to correct.
const confirmBelow = 0.95

// confirmLook names the check in a Trace and in the regions whose reading it replaced.
const confirmLook = "confirm"

// mustChain is ParseChain for the chains the package itself names.
func mustChain(s string) Chain {
	c, err := ParseChain(s)
	if err != nil {
		panic(err)
	}
	return c
}

// confirm re-reads the regions of the line holding the best date (or the withheld one) in
// each of confirmVariants and takes the variants' reading when they all agree on another
// date. It adds the time it takes to the recognition stage.
func (p *Pipeline) confirm(l *look) error { return p.confirmWith(l, confirmVariants) }

// confirmWith is confirm with the variants given.
func (p *Pipeline) confirmWith(l *look, variants []Chain) error {
	res := l.res
	b := res.Dates.Top()
	if b == nil || b.Line >= len(res.Lines) || b.Weakest >= confirmBelow {
		return nil
	}
	var idx []int
	for _, i := range res.Lines[b.Line].Regions {
		if res.Regions[i].Crop != nil && digits(res.Regions[i].Text) > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	t := time.Now()
	in := make([]*image.RGBA, 0, len(idx)*len(variants))
	for _, v := range variants {
		for _, i := range idx {
			in = append(in, v.Apply(res.Regions[i].Crop))
		}
	}
	texts, _, err := p.st.Recognizer.Read(l.ctx, in)
	res.Timings.Recognize += time.Since(t)
	if err != nil {
		return fmt.Errorf("recognition confirm: %w", err)
	}
	var agreed *Result
	surest := 0.0
	for k := range variants {
		alt := *res
		alt.Regions = append([]Region(nil), res.Regions...)
		for n, i := range idx {
			alt.Regions[i].Text = texts[k*len(idx)+n]
		}
		p.findDates(&alt)
		a := alt.Dates.Top()
		// A variant that loses the date's region to another line's date ("VAL" read upside
		// down leaves the FAB date) votes for no date of its own.
		if a == nil || sameDate(a, b) || known(res.Dates.Candidates, a) {
			return nil
		}
		if agreed != nil && !sameDate(a, agreed.Dates.Top()) {
			return nil
		}
		if agreed == nil {
			agreed = &alt
		}
		surest = max(surest, a.Weakest)
	}
	// Variants that agree but are all less sure of their digits than the first reading share
	// a fault (the margin of pad shrinks the print, upscale blurs it) more than they correct one.
	if surest <= b.Weakest {
		return nil
	}
	for _, i := range idx {
		res.Regions[i].Text = agreed.Regions[i].Text
		res.Regions[i].Source = joinSource(res.Regions[i].Source, confirmLook)
	}
	p.findDates(res)
	return nil
}

func sameDate(a, b *dates.Candidate) bool { return a.Date == b.Date && a.Precision == b.Precision }

// known reports a date some line of the first reading already holds.
func known(cs []dates.Candidate, a *dates.Candidate) bool {
	for i := range cs {
		if sameDate(&cs[i], a) {
			return true
		}
	}
	return false
}
