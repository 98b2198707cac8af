package pipeline

import (
	"math"
	"sort"
	"strings"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/recognize"
)

// Month names are where the recogniser errs most on dot-matrix print: a dotted A, M or N
// loses the strokes that tell it from H, T or 1 ("M1Y 07 2029", "TUL 28", "JU1 02 2031"), and
// a letter fix on the text can only guess among the months the wrong letters leave open. The
// frames the word was read from still hold the model's second thoughts, so each month word
// is asked how probable it is over those frames, and the word is replaced only when one
// month is both plausible beside what was read and clearly likelier than any other month.
const (
	// minMonthShare is the least probability of the month's spelling over the word's
	// frames, as a share of the greedy reading's own path over them.
	minMonthShare = 0.02
	// monthMargin is how many times likelier the month must be than the likeliest word of
	// another month.
	monthMargin = 4.0
	// month words are read over two to four characters: a dotted letter may be lost or
	// split in two.
	minMonthWindow, maxMonthWindow = 2, 4
)

// monthWords are the month words a run is read as: every region of a read asks for them.
var monthWords = dates.ShortMonths()

// monthCandidate is one way to read a run of characters as a month word.
type monthCandidate struct {
	from, to int // the run, as emission indices [from, to)
	word     string
	share    float64
}

// rereadMonth returns t with one run of characters beside date digits read as a month word
// when the frames under it favour that month (see minMonthShare, monthMargin) and the result
// holds a date that scores at least as well as t's own. It works on greedy readings only:
// the frames of a beam re-read no longer line up with its text.
func (p *Pipeline) rereadMonth(t recognize.Text) (recognize.Text, bool) {
	if t.Greedy != "" || len(t.Frames) == 0 {
		return t, false
	}
	dict := p.st.Recognizer.Dictionary()
	em := dict.Emissions(t.Frames)
	chars := make([]string, len(em))
	for i, e := range em {
		chars[i] = e.Char
	}
	// CharProbs holds the spaces DecodeGreedy trimmed; such a reading is left as it is.
	if strings.Join(chars, "") != t.Text || len(t.CharProbs) != len(em) {
		return t, false
	}
	cands := monthCandidates(dict, t.Frames, em)
	if len(cands) == 0 {
		return t, false
	}
	old := p.bestDate(t.Text)
	for _, c := range cands {
		text := strings.Join(chars[:c.from], "") + c.word + strings.Join(chars[c.to:], "")
		// The month word must not cost the date its day ("0i sEr 2023" is the 1st).
		d := p.bestDate(text)
		if d == nil || d.Score < minLookScore || old != nil && (d.Score < old.Score || old.Precision == dates.PrecisionDay && d.Precision != dates.PrecisionDay) {
			continue
		}
		return monthText(t, c, text), true
	}
	return t, false
}

// monthCandidates lists the runs beside date digits that one month word clearly fits, best
// first.
func monthCandidates(dict *recognize.Dictionary, frames []recognize.Frame, em []recognize.Emission) []monthCandidate {
	var out []monthCandidate
	shares := make([]float64, len(monthWords)) // each word's share of the span, reused
	for from := range em {
		for n := minMonthWindow; n <= maxMonthWindow && from+n <= len(em); n++ {
			to := from + n
			if !monthSlot(em, from, to) {
				continue
			}
			lo, hi := 0, len(frames)
			if from > 0 {
				lo = em[from-1].Last + 1
			}
			if to < len(em) {
				hi = em[to].First
			}
			span := frames[lo:hi]
			base := recognize.BestPathProb(span)
			if base <= 0 {
				continue
			}
			// The likeliest word, then the likeliest word of any other month.
			best := monthCandidate{}
			for k, w := range monthWords {
				shares[k] = dict.SpanProb(span, w) / base
				if shares[k] > best.share {
					best = monthCandidate{from: from, to: to, word: w, share: shares[k]}
				}
			}
			second, month := 0.0, dates.MonthNumber(best.word)
			for k, w := range monthWords {
				if dates.MonthNumber(w) != month {
					second = max(second, shares[k])
				}
			}
			if best.share >= minMonthShare && best.share >= monthMargin*second {
				out = append(out, best)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].share > out[j].share })
	return out
}

// monthSlot reports a run of letters and digits, at least one a letter, that takes no
// month word already read and no digit of a longer number, with date digits beside it: next
// to it, or past one space or separator.
func monthSlot(em []recognize.Emission, from, to int) bool {
	letters := 0
	for _, e := range em[from:to] {
		if len(e.Char) != 1 || !isAlnum(e.Char[0]) {
			return false
		}
		if !isDigit(e.Char[0]) {
			letters++
		}
	}
	if letters == 0 || from > 0 && digitAt(em, from) && digitAt(em, from-1) || to < len(em) && digitAt(em, to-1) && digitAt(em, to) {
		return false
	}
	return (digitNear(em, to, 1) || digitNear(em, from-1, -1)) && !overlapsMonth(em, from, to)
}

// overlapsMonth reports a run of letters naming a month, as read, that shares a character
// with [from, to).
func overlapsMonth(em []recognize.Emission, from, to int) bool {
	for i := 0; i < len(em); {
		j := i
		var sb strings.Builder
		for j < len(em) && len(em[j].Char) == 1 && isAlnum(em[j].Char[0]) && !isDigit(em[j].Char[0]) {
			sb.WriteString(strings.ToUpper(em[j].Char))
			j++
		}
		if j > i && i < to && j > from && (dates.MonthNumber(sb.String()) > 0 || containsMonth(sb.String())) {
			return true
		}
		i = j + 1
	}
	return false
}

// containsMonth reports a letter run holding a three-letter month word ("EXPMAR").
func containsMonth(run string) bool {
	for i := 0; i+3 <= len(run); i++ {
		if dates.MonthNumber(run[i:i+3]) > 0 {
			return true
		}
	}
	return false
}

func digitAt(em []recognize.Emission, i int) bool {
	return len(em[i].Char) == 1 && isDigit(em[i].Char[0])
}

// digitNear reports a digit among the two characters from emission i on, going by step,
// past one space or separator there: "M1Y O7" has its day's 7 behind a misread 0.
func digitNear(em []recognize.Emission, i, step int) bool {
	if i >= 0 && i < len(em) && strings.Contains(" /.-", em[i].Char) {
		i += step
	}
	for k := 0; k < 2 && i >= 0 && i < len(em); k, i = k+1, i+step {
		c := em[i].Char
		if len(c) == 1 && isDigit(c[0]) {
			return true
		}
		if len(c) != 1 || !isAlnum(c[0]) {
			return false
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// monthText is t re-read with candidate c: the month's letters carry the share's
// per-letter root, so the date's confidence reflects how sure the month is.
func monthText(t recognize.Text, c monthCandidate, text string) recognize.Text {
	probs := make([]float32, 0, len(text))
	probs = append(probs, t.CharProbs[:c.from]...)
	per := float32(math.Pow(min(1, c.share), 1/float64(len(c.word))))
	for range c.word {
		probs = append(probs, per)
	}
	probs = append(probs, t.CharProbs[c.to:]...)
	sum := 0.0
	for _, q := range probs {
		sum += float64(q)
	}
	return recognize.Text{Text: text, Confidence: sum / float64(len(probs)), CharProbs: probs, Frames: t.Frames, Greedy: t.Text, Prob: c.share}
}
