package dates

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Confidence is how sure the best date is, from what can be measured of it: the shape's
// strength and its keyword (Score), the OCR confidence of its line, whether a second look
// produced the text, and how the choice among the candidates was made. Each factor below
// stands for one way a read goes wrong; a date none of them touches keeps Score x OCR.
const (
	// A shaky OCR read at most halves the confidence: a well-labelled date read with low
	// confidence is still better evidence than no date.
	ocrFloor = 0.5
	// Text a second look produced was read because the first reading failed: beam
	// re-decodings and preprocessed crops invent digits more often than a clean first read.
	rereadFactor = 0.85
	// 05/06/2026 read day first only because that is the default: the other order is as
	// real a date, and nothing on the label chose between them.
	guessedOrderFactor = 0.85
	// An expiry chosen as "later of a pair" among three or more dates of equal standing:
	// the pair rule had to ignore a date it cannot place.
	crowdedFactor = 0.8
	// An unmarked date chosen over a manufacture date that is later than it: a product
	// cannot expire before it is made, so one of the two readings is wrong.
	beforeManufactureFactor = 0.5
	// Only a manufacture date was found: the expiry line was most likely misread, and
	// the manufacture date is the wrong answer to "when does it expire".
	manufactureFactor = 0.5
	// An expiry more than maxShelfYears after the manufacture date beside it: food keeps
	// up to two or three years and medicine five, so one of the two was most likely misread
	// ("2030" as "2038", "15/01/29" as "02/10/51").
	maxShelfYears   = 6
	longShelfFactor = 0.5
	// weakCharSure and weakCharFloor shape weakFactor.
	weakCharSure  = 0.8
	weakCharFloor = 0.4
	// A best date that repeats an earlier date's day and month (echo) has its reading
	// confirmed by a second print: it is at least this share as sure as that date.
	echoShare = 0.8
)

// weakFactor is the share of its confidence a date keeps when its least sure character had
// probability p: how "2030" becomes "2038" is one digit read at 0.3 among sure ones, which the
// line's mean confidence hides. Above weakCharSure a character counts as sure.
func weakFactor(p float64) float64 {
	if p >= weakCharSure {
		return 1
	}
	return weakCharFloor + (1-weakCharFloor)*p/weakCharSure
}

// weakest is the least probability the recogniser gave a letter or digit of ln.Text[start:end],
// or 1 when the line has no per-character probabilities.
func weakest(ln Line, start, end int) float64 {
	w := 1.0
	if len(ln.CharProbs) != utf8.RuneCountInString(ln.Text) {
		return w
	}
	k := utf8.RuneCountInString(ln.Text[:start])
	for _, r := range ln.Text[start:end] {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			w = min(w, float64(ln.CharProbs[k]))
		}
		k++
	}
	return w
}

func ocrFactor(ln Line) float64 {
	f := ocrFloor + (1-ocrFloor)*clamp01(ln.Confidence)
	if ln.Reread {
		f *= rereadFactor
	}
	return f
}

// calibrate lowers the confidence of the chosen candidate cs[i] for the risks of how it was
// chosen, and says so in its Reason.
func calibrate(cs []Candidate, meta []found, i int) {
	b := &cs[i]
	f := 1.0
	var why []string
	for k := range cs {
		if echo(cs[k], *b) {
			b.Confidence = max(b.Confidence, echoShare*cs[k].Confidence)
		}
	}
	if meta[i].guessed {
		f *= guessedOrderFactor
	}
	switch {
	case b.Kind == KindManufacture:
		f *= manufactureFactor
		why = append(why, "only a manufacture date")
	case laterManufacture(cs, b):
		f *= beforeManufactureFactor
		why = append(why, "earlier than a manufacture date")
	case longAfterManufacture(cs, b):
		f *= longShelfFactor
		why = append(why, fmt.Sprintf("over %d years after the manufacture date", maxShelfYears))
	}
	if !(b.Kind == KindExpiry && meta[i].assoc.explicit()) && crowded(cs, meta, i) {
		f *= crowdedFactor
		why = append(why, "more than two dates of equal standing")
	}
	b.Confidence = clamp01(b.Confidence * f)
	for _, w := range why {
		b.Reason = joinReason(b.Reason, w)
	}
}

// Withhold moves Best to Withheld when it is less confident than min or only a manufacture
// date, and says why in its Reason. min <= 0 withholds nothing. Find applies
// Options.MinConfidence itself; callers that need every choice while working (a pipeline
// deciding where to look again) find with 0 and withhold once at the end.
func (r *Result) Withhold(min float64) {
	b := r.Best
	if b == nil || min <= 0 {
		return
	}
	switch {
	case b.Kind == KindManufacture:
		b.Reason = joinReason(b.Reason, "withheld: a manufacture date is no expiry date")
	case b.Confidence < min:
		b.Reason = joinReason(b.Reason, "withheld: confidence below the minimum")
	default:
		return
	}
	r.Best, r.Withheld = nil, b
}

// longAfterManufacture reports a date more than maxShelfYears after every manufacture date
// read beside it (there is at least one).
func longAfterManufacture(cs []Candidate, b *Candidate) bool {
	seen := false
	for k := range cs {
		if cs[k].Kind == KindManufacture {
			if !b.Date.After(cs[k].Date.addYears(maxShelfYears)) {
				return false
			}
			seen = true
		}
	}
	return seen
}

func laterManufacture(cs []Candidate, b *Candidate) bool {
	for k := range cs {
		if cs[k].Kind == KindManufacture && b.Date.Before(cs[k].Date) {
			return true
		}
	}
	return false
}

// crowded reports a best date picked by the pair rule among three or more distinct dates as
// strong as it: the rule assumes two (manufacture and expiry).
func crowded(cs []Candidate, meta []found, i int) bool {
	var idx []int
	for k := range cs {
		if cs[k].Kind != KindManufacture && meta[k].strength >= meta[i].strength-pairSlack {
			idx = append(idx, k)
		}
	}
	return distinctDates(cs, idx) >= 3
}
