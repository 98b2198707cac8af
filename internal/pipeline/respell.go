package pipeline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/datalid/datalid/internal/dates"
)

// respellShapes are the shapes of a date's tokens, "d" for a digit and "M" for a month
// word's letter: day, month and year fields of one or two digits (the year two or four)
// between one separator, a month and a year, a month word glued to its digits, and a year
// alone. A token that takes one of them once some of its characters are read as the model's
// next choice of the kind its place wants ("OE/ES/E4" → "06/25/24": dotted 2s, 5s and 6s
// read as E; "03704723" → "03/04/23": slashes read as 7s; "JANOEEOEE" → "JAN062026") is part
// of a date. The characters already read as the shape wants are the evidence: a token needs
// one.
var respellShapes = func() []string {
	var out []string
	for _, sep := range []string{"/", ".", "-"} {
		for _, a := range []string{"dd", "d"} {
			for _, b := range []string{"dd", "d"} {
				for _, c := range []string{"dd", "dddd"} {
					out = append(out, a+sep+b+sep+c)
				}
			}
		}
		out = append(out, "dd"+sep+"dd", "dd"+sep+"dddd")
	}
	out = append(out, "MMMdd20dd", "ddMMM20dd", "ddMMMdd", "MMM20dd")
	return append(out, "20dd") // a year; the line must still hold a date
}()

// respellSource marks a region whose characters were read again as the shape of a date
// wants (respell).
const respellSource = "respell"

// digitRune and separatorRune are the kinds of character a date's shape asks the frames for.
func digitRune(r rune) bool     { return r < utf8.RuneSelf && isDigit(byte(r)) }
func separatorRune(r rune) bool { return strings.ContainsRune("/.-", r) }

// respell reads again the tokens of r's text that take a date's shape once some of
// their characters are read as the recogniser's next choice of the kind the shape wants
// there (respellShapes), and keeps that reading when r's text held no date and now holds
// one. It runs on every reading of a detected box (no model run).
func (p *Pipeline) respell(r *Region) {
	if _, ok := p.hasDate(r.Text.Text, 0); ok {
		return
	}
	dict := p.st.Recognizer.Dictionary()
	digits, seps := dict.Choices(r.Text, digitRune), dict.Choices(r.Text, separatorRune)
	if digits == nil || seps == nil {
		return
	}
	text := []rune(r.Text.Text)
	out := append([]rune(nil), text...)
	changed := false
	start := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && !unicode.IsSpace(text[i]) && text[i] != ':' { // "EXP:OE/25"
			continue
		}
		if tok, ok := respellToken(text[start:i], digits[start:i], seps[start:i]); ok {
			copy(out[start:i], tok)
			changed = true
		}
		start = i + 1
	}
	if !changed || !p.acceptDate(string(out)) {
		return
	}
	// A character read again carries the reading's mean probability, as the date-aware
	// beam's swaps do: its own was the probability of the character it was not.
	if len(r.Text.CharProbs) == len(text) {
		probs := append([]float32(nil), r.Text.CharProbs...)
		for k := range text {
			if out[k] != text[k] {
				probs[k] = float32(r.Text.Confidence)
			}
		}
		r.Text.CharProbs = probs
	}
	r.Text.Greedy = r.Text.Text
	r.Text.Text = string(out)
	r.Source = joinSource(r.Source, respellSource)
}

// respellToken is tok in the first of respellShapes it takes with the fewest characters read
// again: a digit place takes a digit as read or a letter's digit choice; a separator place
// takes its separator as read or a character whose separator choice it is; a month word's
// places take letters as read that spell a month. tok must keep a character as read and
// change another.
func respellToken(tok, digits, seps []rune) ([]rune, bool) {
	var best []rune
	fewest := len(tok)
	for _, shape := range respellShapes {
		if len(shape) != len(tok) { // shapes are ASCII: a byte a place
			continue
		}
		out := make([]rune, len(tok))
		n := 0
		for k := range len(shape) {
			c, want := tok[k], rune(shape[k])
			letter := unicode.IsLetter(c)
			switch {
			case c == want, want == 'd' && digitRune(c), want == 'M' && letter:
				out[k] = c // as read
			case want == 'd' && letter && digits[k] != 0:
				out[k], n = digits[k], n+1
			case separatorRune(want) && seps[k] == want, digitRune(want) && letter && digits[k] == want:
				out[k], n = want, n+1
			default:
				n = -1
			}
			if n < 0 {
				break
			}
		}
		if m := strings.Index(shape, "MMM"); m >= 0 && n > 0 && dates.MonthNumber(strings.ToUpper(string(tok[m:m+3]))) == 0 {
			n = -1
		}
		if n > 0 && n < fewest {
			best, fewest = out, n
		}
	}
	return best, best != nil
}
