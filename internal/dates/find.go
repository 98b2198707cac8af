// Package dates turns OCR text into dated candidates and picks the expiry date.
//
// It owns everything between recognised text and the answer "this product expires on":
// folding OCR text (case, accents, Unicode punctuation), reading date shapes in day-, month-
// and year-first orders, month names in several languages, validity and manufacture keywords,
// rejecting clock times, lot codes, barcodes and prices, and choosing the expiry date among
// the candidates. The choice depends on today's date only through a horizon years out
// (Options.Latest), so the same photo gives the same answer; callers compare with Today
// themselves.
package dates

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Line is one OCR text line (possibly several boxes joined) in reading order.
type Line struct {
	Text       string
	Confidence float64
	// Reread marks text that a second look produced (a beam re-decoding, a preprocessed or
	// zoomed crop): it was read because the first reading failed, so its dates are less sure.
	Reread bool
	// CharProbs is the recogniser's probability of each rune of Text, when known (nil, or
	// of another length, when not): a date's least sure character weighs on its confidence.
	CharProbs []float32
}

// Candidate is one date read from the text.
type Candidate struct {
	Date       Date
	Precision  Precision
	Kind       Kind
	Format     string  // e.g. "DD/MM/YYYY", "DD.MM.YY", "MON YYYY", "DDMMYY", "YYYY.MM.DD", "MM/YYYY"
	Text       string  // the matched substring of the line
	Line       int     // index into the input lines
	Start, End int     // byte offsets of Text in lines[Line].Text
	Score      float64 // 0..1 parse score (format strength + keyword context), independent of today's date
	Confidence float64 // Score combined with the line's OCR confidence, 0..1
	// Weakest is the recogniser's probability of the least sure letter or digit of Text
	// (1 when the line carries no per-character probabilities).
	Weakest float64
	Reason  string // short why, e.g. "after keyword EXP", "later of manufacture/expiry pair"
	// Alternative is the other reading of an ambiguous numeric date (02/12/22 read day first
	// has 2022-02-12 as its alternative); zero when the digits allow only one reading.
	Alternative Date
}

// Result lists the candidates in reading order; Best points into Candidates and is nil
// when there is none or when the choice was withheld.
type Result struct {
	Candidates []Candidate
	Best       *Candidate
	// Withheld is the date that would have been Best but was not sure enough (below
	// Options.MinConfidence, or only a manufacture date); nil otherwise. It points into
	// Candidates and its Reason says why it was withheld.
	Withheld *Candidate
}

// Top returns Best, or the withheld choice when there is none: the date the text holds,
// for callers asking whether a date was read at all rather than what to answer.
func (r *Result) Top() *Candidate {
	if r.Best != nil {
		return r.Best
	}
	return r.Withheld
}

// Options tunes reading for a market.
type Options struct {
	// PreferMonthFirst reads ambiguous numeric dates such as 03/04/23 as month first
	// (US). The default is day first, as printed in Brazil and Europe.
	PreferMonthFirst bool
	// MinConfidence withholds a best date whose Confidence is lower, and a best date that
	// is only a manufacture date: no answer is better than a likely wrong one. 0 turns
	// abstaining off and gives every choice, as before.
	MinConfidence float64
	// Taken is the day the photo was taken (its EXIF date), zero when unknown. Nothing is
	// made after it is photographed: a manufacture date that reads as a later day in one
	// day/month order and not in the other decides the order for its block.
	Taken Date
	// Latest is the last day a printed date may fall on; a date read later than it is a
	// misread and is no candidate. Zero leaves only the fixed window of years. See Horizon.
	Latest Date
}

// ParseText reads one line with confidence 1 and default options.
func ParseText(text string) Result {
	return Find([]Line{{Text: text, Confidence: 1}}, Options{})
}

// found is a candidate plus what selection needs but callers do not.
type found struct {
	strength float64
	assoc    assoc
	guessed  bool // day/month order set by the default or locale, not by digits or context
	lot      bool // marked manufacture by a lot keyword alone ("L 25/09/2025")
	likeF    bool // marked expiry by a letter OCR also gives for F ("E 08/2023")
	order    int  // for an ambiguous date, the order it was read in
}

// Find reads every line and chooses the expiry date. Lines must be in reading order: a
// label printed on one line ("Mindestens haltbar bis:") names the date on the next.
func Find(lines []Line, opt Options) Result {
	scans := make([]*lineScan, len(lines))
	kept := make([][]match, len(lines))
	for li, ln := range lines {
		s := scanLine(ln.Text)
		scans[li], kept[li] = s, s.dedupe(s.matches())
	}
	yearFirstRanges(kept, scans)
	hint := orderHint{blockOrder(kept), "as another date in the block"}
	res, meta := readBlock(lines, scans, kept, hint, opt)
	if o := takenOrder(res.Candidates, meta, opt.Taken); hint.order == orderUnknown && o != orderUnknown {
		// Matches keep no state from a reading: their day and month are set afresh.
		res, meta = readBlock(lines, scans, kept, orderHint{o, "as the manufacture date, the other way after the photo was taken"}, opt)
	}
	res.Candidates, meta = within(res.Candidates, meta, opt.Latest)
	unmarkLateLots(res.Candidates, meta)
	eForF(res.Candidates, meta)
	if i, why := choose(res.Candidates, meta); i >= 0 {
		best := &res.Candidates[i]
		best.Reason = joinReason(why, best.Reason)
		calibrate(res.Candidates, meta, i)
		res.Best = best
		res.Withhold(opt.MinConfidence)
	}
	return res
}

// readBlock builds the candidates of every line, ambiguous day/month orders resolved with
// hint (see candidate).
func readBlock(lines []Line, scans []*lineScan, kept [][]match, hint orderHint, opt Options) (Result, []found) {
	var res Result
	var meta []found
	var above []*keyword
	for li, ln := range lines {
		s, ms := scans[li], kept[li]
		prevLast := -1
		for k := range ms {
			m := &ms[k]
			kw, a := s.associate(m, k, len(ms), prevLast, above)
			prevLast = m.last
			c, f := s.candidate(m, kw, a, hint, opt)
			c.Line = li
			c.Weakest = weakest(ln, c.Start, c.End)
			c.Confidence = c.Score * ocrFactor(ln) * weakFactor(c.Weakest)
			res.Candidates = append(res.Candidates, c)
			meta = append(meta, f)
		}
		above = s.labels(len(ms) > 0)
	}
	return res, meta
}

// within keeps the candidates (and their meta, index for index) that fall on or before
// latest; a zero latest keeps them all.
func within(cs []Candidate, meta []found, latest Date) ([]Candidate, []found) {
	if latest.IsZero() {
		return cs, meta
	}
	n := 0
	for i, c := range cs {
		if c.Date.After(latest) {
			continue
		}
		cs[n], meta[n] = c, meta[i]
		n++
	}
	return cs[:n], meta[:n]
}

// takenOrder is the day/month order the manufacture dates among cs decide when the photo
// was taken on the day taken: an ambiguous one that is a later day in one order and not in
// the other can only be read the other way. Dates that disagree decide nothing.
func takenOrder(cs []Candidate, meta []found, taken Date) int {
	if taken.IsZero() {
		return orderUnknown
	}
	order := orderUnknown
	for i, c := range cs {
		if c.Kind != KindManufacture || meta[i].order == orderUnknown || c.Date.After(taken) == c.Alternative.After(taken) {
			continue
		}
		o := meta[i].order
		if c.Date.After(taken) {
			o = orderDayFirst + orderMonthFirst - o // the other one
		}
		if order != orderUnknown && order != o {
			return orderUnknown
		}
		order = o
	}
	return order
}

// Day/month order that the digits of another date in the same block decided.
const (
	orderUnknown = iota
	orderDayFirst
	orderMonthFirst
)

// orderHint is the day/month order a block's dates are read in when their own digits leave
// it open, and why.
type orderHint struct {
	order int
	why   string
}

// blockOrder returns the order the unambiguous numeric dates of a block agree on: one
// printer uses one format, so "MFG 13/02/24" tells how to read "EXP 02/12/24" below it.
// Disagreeing dates decide nothing.
func blockOrder(kept [][]match) int {
	order := orderUnknown
	for _, ms := range kept {
		for i := range ms {
			o := ms[i].decided
			if o == orderUnknown {
				continue
			}
			if order != orderUnknown && order != o {
				return orderUnknown
			}
			order = o
		}
	}
	return order
}

func scanLine(text string) *lineScan {
	s := &lineScan{t: fold(text)}
	s.toks = tokenize(s.t)
	s.hits = findKeywords(s.t, s.toks)
	return s
}

// dedupe keeps one reading per stretch of text: the highest-ranked match wins and every
// match overlapping it is dropped, so 01.03.2026 is not also reported as 03.2026.
func (s *lineScan) dedupe(ms []match) []match {
	if len(ms) < 2 {
		return ms
	}
	rank := make([]float64, len(ms))
	for i := range ms {
		rank[i] = s.baseScore(&ms[i])
		if s.prefixHit(ms[i].first) != nil || s.suffixHit(ms[i].last) != nil {
			rank[i] += 0.2
		}
		if s.orphansMonth(ms, i) {
			rank[i] -= penOrphanMonth
		}
	}
	idx := make([]int, len(ms))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := &ms[idx[a]], &ms[idx[b]]
		if rank[idx[a]] != rank[idx[b]] {
			return rank[idx[a]] > rank[idx[b]]
		}
		if x.last-x.first != y.last-y.first {
			return x.last-x.first > y.last-y.first
		}
		return x.first < y.first
	})
	taken := make([]bool, len(s.toks))
	var kept []match
	for _, i := range idx {
		m := ms[i]
		if slices.Contains(taken[m.first:m.last+1], true) {
			continue
		}
		for k := m.first; k <= m.last; k++ {
			taken[k] = true
		}
		kept = append(kept, m)
	}
	sort.Slice(kept, func(a, b int) bool { return kept[a].first < kept[b].first })
	return kept
}

// penOrphanMonth ranks down a reading that takes the year of a month/year date before it as
// its day: "MAR-23/SEP-24" read as 23 September 2024 leaves MAR with no date, while the two
// month/year dates (made, expires) use every token.
const penOrphanMonth = 0.4

// orphansMonth reports whether ms[i] starts with a number that another match reads as the
// year of the month name just before it.
func (s *lineScan) orphansMonth(ms []match, i int) bool {
	f := ms[i].first
	if f == 0 || s.toks[f].kind != tokNum || s.toks[f-1].kind != tokWord || !nameOrMisread(s.toks[f-1].s) {
		return false
	}
	for k := range ms {
		if k != i && ms[k].first == f-1 && ms[k].last == f {
			return true
		}
	}
	return false
}

// baseScore is the match's strength less its penalties, before keyword context.
func (s *lineScan) baseScore(m *match) float64 {
	v := m.strength - m.penalty - 0.04*float64(min(m.fixes, 3))
	if s.glued(m) {
		v -= penGlued
	}
	return v
}

// candidate resolves the day/month order with the keyword known and builds the Candidate.
func (s *lineScan) candidate(m *match, kw *keyword, a assoc, hint orderHint, opt Options) (Candidate, found) {
	var reasons []string
	kind := KindUnknown
	if kw != nil {
		kind = kw.kind
		reasons = append(reasons, a.describe(kw))
	}
	swapped, guessed := m.swapped, false
	var alt Date
	monthFirst := false
	if m.ambiguous {
		m.d, m.m = m.p1, m.p2 // day first unless decided below; a block may be read twice
		// The block's other dates outweigh a keyword: one printer prints one format, and
		// US phrases ("USE BY") are printed in day-first countries too.
		switch {
		case hint.order == orderMonthFirst:
			monthFirst = true
			reasons = append(reasons, "month first ("+hint.why+")")
		case hint.order == orderDayFirst:
			reasons = append(reasons, "day first ("+hint.why+")")
		case kw != nil && kw.us:
			monthFirst = true
			reasons = append(reasons, "month first (US keyword "+kw.phrase+")")
		case opt.PreferMonthFirst:
			monthFirst = true
			guessed = true
			reasons = append(reasons, "month first (locale option)")
		default:
			guessed = true
			reasons = append(reasons, "day first (default)")
		}
		if monthFirst {
			m.d, m.m, swapped = m.p2, m.p1, true
		}
		alt = Date{Year: m.y, Month: time.Month(m.d), Day: m.m}
	} else if m.order != "" {
		reasons = append(reasons, m.order)
	}
	if m.note != "" {
		reasons = append(reasons, m.note)
	}
	if m.fixes > 0 {
		reasons = append(reasons, "OCR letters read as digits")
	}
	date, prec := m.date()
	if prec == PrecisionMonth {
		reasons = append(reasons, "month only: last day")
	}
	start, end := s.t.span(s.toks[m.first].start, s.toks[m.last].end)
	c := Candidate{
		Date:      date,
		Precision: prec,
		Kind:      kind,
		Format:    m.lay.format(swapped),
		Start:     start,
		End:       end,
		Score:     clamp01(s.baseScore(m) + a.bonus(kind)),
		Reason:    strings.Join(reasons, "; "),
	}
	c.Alternative = alt
	c.Text = s.t.line[start:end]
	f := found{strength: m.strength, assoc: a, guessed: guessed, lot: kw != nil && kw.lot, likeF: kw != nil && kw.likeF}
	if m.ambiguous {
		f.order = orderDayFirst
		if monthFirst {
			f.order = orderMonthFirst
		}
	}
	return c, f
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	return min(v, 1)
}

func joinReason(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}
