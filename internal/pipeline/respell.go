package pipeline

import (
	"regexp"
	"unicode"
)

// respellShapes are the shapes of a numeric date's tokens: a token that has one of them once
// the letters in it are read as the digits the recogniser rated next ("OE/ES/E4" →
// "06/25/24", "E0E5" → "2025") is part of a date whose dotted digits were read as letters.
// The separators and digits read as such are the evidence; other tokens are left to the
// date-aware beam.
var respellShapes = []*regexp.Regexp{
	regexp.MustCompile(`^\d{1,2}([/.-])\d{1,2}([/.-])\d{2}(\d{2})?$`),
	regexp.MustCompile(`^\d{2}[/.-]\d{2}(\d{2})?$`),
	regexp.MustCompile(`^20\d{2}$`), // a year; the line must still hold a date
}

// respellSource marks a region whose letters were read again as digits (respell).
const respellSource = "respell"

// respell reads again as digits the letters of r's tokens that stand where a numeric date's
// digits do, each as the digit the recogniser rated most probable there, and keeps that
// reading when r's text held no date and now holds one. The characters keep their
// probabilities: the model was sure a character stood there, and unsure which. It runs on
// every reading of a detected box (no model run), so the look that read it counts.
func (p *Pipeline) respell(r *Region) bool {
	if _, ok := p.hasDate(r.Text.Text, 0); ok {
		return false
	}
	digits := p.st.Recognizer.Dictionary().DigitChoices(r.Text)
	if digits == nil {
		return false
	}
	text := []rune(r.Text.Text)
	out := append([]rune(nil), text...)
	changed := false
	start := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && !unicode.IsSpace(text[i]) {
			continue
		}
		if tok, ok := respellToken(text[start:i], digits[start:i]); ok {
			copy(out[start:i], tok)
			changed = true
		}
		start = i + 1
	}
	if !changed || !p.acceptDate(string(out)) {
		return false
	}
	r.Text.Greedy = r.Text.Text
	r.Text.Text = string(out)
	r.Source = joinSource(r.Source, respellSource)
	return true
}

// respellToken is tok with each letter read as its digit choice, when that makes tok a
// numeric date's shape and tok held both a letter to read so and a digit or separator.
func respellToken(tok, digits []rune) ([]rune, bool) {
	out := append([]rune(nil), tok...)
	n := 0
	for k, c := range tok {
		if unicode.IsLetter(c) {
			if digits[k] == 0 {
				return nil, false
			}
			out[k] = digits[k]
			n++
		}
	}
	if n == 0 || n == len(tok) {
		return nil, false // nothing to respell, or a word: no digit or separator read in it
	}
	s := string(out)
	for _, re := range respellShapes {
		if re.MatchString(s) {
			return out, true
		}
	}
	return nil, false
}
