package dates

import "sort"

// assoc says how a keyword is tied to a date; the order is the strength of the tie.
type assoc uint8

const (
	assocNone     assoc = iota
	assocEarlier        // keyword earlier on the same line, other text between
	assocPrevLine       // the line above ends with the keyword, or is a column header ("FAB. VAL.")
	assocSuffix         // keyword right after the date ("2022.01.31 까지")
	assocDirect         // keyword right before the date ("EXP: 26/11/2021")
)

// explicit reports the ties that make a validity keyword decide the expiry date outright.
func (a assoc) explicit() bool { return a >= assocPrevLine }

// Score bonuses for keyword context: a keyword also proves the digits are a date.
func (a assoc) bonus(k Kind) float64 {
	switch {
	case a == assocNone:
		return 0
	case k == KindExpiry && a == assocDirect:
		return 0.28
	case k == KindExpiry && a == assocSuffix:
		return 0.25
	case k == KindExpiry && a == assocPrevLine:
		return 0.22
	case k == KindExpiry:
		return 0.12
	case a == assocEarlier:
		return 0.05
	}
	return 0.15
}

func (a assoc) describe(kw *keyword) string {
	name := kw.phrase
	if kw.kind == KindManufacture {
		name += " (" + pick(kw.lot, "lot", "manufacture") + ")"
	}
	switch a {
	case assocDirect:
		return "after keyword " + name
	case assocSuffix:
		return "before keyword " + name
	case assocPrevLine:
		return "keyword " + name + " on line above"
	case assocEarlier:
		return "keyword " + name + " earlier on line"
	}
	return ""
}

// hitsBefore returns how many hits end before token i (hits are in token order and
// do not overlap), so lookups stay logarithmic on long lines.
func (s *lineScan) hitsBefore(i int) int {
	return sort.Search(len(s.hits), func(k int) bool { return s.hits[k].last >= i })
}

// keywordAt returns the keyword covering token i, or nil.
func (s *lineScan) keywordAt(i int) *keyword {
	if k := s.hitsBefore(i); k < len(s.hits) && s.hits[k].first <= i {
		return s.hits[k].kw
	}
	return nil
}

// prefixHit returns the keyword printed right before token first: only punctuation and
// filler words between ("Exp. Date: 17.06.26"), and for a one-letter keyword only
// punctuation, because a lone E or M means something only when it touches the date.
func (s *lineScan) prefixHit(first int) *kwHit {
	k := s.hitsBefore(first) - 1
	if k < 0 || s.hits[k].kw.suffix {
		return nil
	}
	h := &s.hits[k]
	gap := s.toks[first].start - s.toks[h.last].end
	if h.kw.lone {
		// "V:05/12/2025" and "E 28 10 21" but not "v2.10.2024", a version number.
		if h.last+1 != first || (gap < 1 && !s.gluedMarker(h.first, first)) || gap > 3 {
			return nil
		}
		return h
	}
	if gap > 24 || !onlyFillers(s.toks, h.last+1, first) {
		return nil
	}
	return h
}

// suffixHit returns a keyword printed right after the date, allowing a clock time between
// ("2021.02.01/10:08 부터").
func (s *lineScan) suffixHit(last int) *kwHit {
	if k := s.hitsBefore(last + 1); k < len(s.hits) {
		h := &s.hits[k]
		if h.first <= last || !h.kw.suffix {
			return nil
		}
		for j := last + 1; j < h.first; j++ {
			if !s.toks[j].time {
				return nil
			}
		}
		if s.toks[h.first].start-s.toks[last].end > 16 {
			return nil
		}
		return h
	}
	return nil
}

// earlierHit returns a keyword earlier on the line when no other date stands between it
// and m (prevLast is the last token of the previous date on the line, or -1). Lot keywords
// and single letters are skipped: what follows them at a distance is a code, not their date.
func (s *lineScan) earlierHit(m *match, prevLast int) *kwHit {
	for k := s.hitsBefore(m.first) - 1; k >= 0; k-- {
		h := &s.hits[k]
		if h.last <= prevLast {
			return nil
		}
		if s.toks[m.first].start-s.toks[h.last].end > 40 {
			return nil
		}
		if h.kw.kind == KindManufacture && s.dateLike(h.last+1, m.first) {
			return nil // the manufacture keyword labels that group, not this date
		}
		if !h.kw.lone && !h.kw.lot && !h.kw.suffix {
			return h
		}
	}
	return nil
}

// dateLike reports numbers joined by a date's separator among tokens [from, to): a
// manufacture keyword before them labels that group, a date OCR garbled ("FAB
// 06.06.190AL17.03.20", the V of VAL read as 0), and not a date after it, which would
// otherwise be withheld as a manufacture date.
func (s *lineScan) dateLike(from, to int) bool {
	for i := from; i+1 < to; i++ {
		if !s.toks[i].num() || !s.toks[i+1].num() {
			continue
		}
		if c, ok := s.sep(i); ok && printedSep(c) {
			return true
		}
	}
	return false
}

// labels returns the keywords a line leaves for the dates of the next line. A line that
// ends with a keyword (only filler words after it) labels the next line's first date:
// labels in several languages are often printed one per line above the date. A line with
// no date and several keywords is a column header ("FAB. VAL. LOTE" above
// "01/02/24 01/02/25 A123"): its keywords, lot aside, label the next line's dates in order.
func (s *lineScan) labels(hasDates bool) []*keyword {
	if len(s.hits) == 0 {
		return nil
	}
	last := s.hits[len(s.hits)-1]
	if !onlyFillers(s.toks, last.last+1, len(s.toks)) {
		return nil
	}
	if hasDates {
		if last.kw.lone || last.kw.lot || last.kw.suffix {
			return nil
		}
		return []*keyword{last.kw}
	}
	var out []*keyword
	for _, h := range s.hits {
		if !h.kw.lone && !h.kw.lot && !h.kw.suffix {
			out = append(out, h.kw)
		}
	}
	return out
}

// associate finds the keyword that labels m, the k-th of n dates on its line. prevLast is
// the last token of the previous date on this line or -1; above holds the labels the
// previous line left (see labels).
func (s *lineScan) associate(m *match, k, n, prevLast int, above []*keyword) (*keyword, assoc) {
	if hdr := s.header(); len(hdr) > 1 && len(hdr) == n && s.hits[len(s.hits)-1].last < m.first {
		return hdr[k], assocPrevLine // "FAB VALIDADE 24/02/2030 25/04/2030": columns
	}
	if h := s.suffixHit(m.last); h != nil {
		return h.kw, assocSuffix
	}
	if h := s.prefixHit(m.first); h != nil {
		switch {
		case s.codeTail(h, m.first) && h.kw.lot:
			// "7L:12/05/2026": an L ending a code is no lot marker for the date.
			return nil, assocNone
		case s.codeTail(h, m.first):
			return h.kw, assocEarlier
		case h.kw.lot && h.kw.lone && m.wholeSeparated():
			// "L:05.07.21": a lot's code follows its L, and a whole date printed with
			// separators is none; such an L is what is left of a VAL whose first letters were
			// lost, and the date is not a manufacture date to withhold.
			return nil, assocNone
		}
		return h.kw, assocDirect
	}
	switch {
	case len(above) == 1 && k == 0 && onlyFillers(s.toks, 0, m.first):
		return above[0], assocPrevLine
	case len(above) > 1 && len(above) == n:
		return above[k], assocPrevLine
	}
	if h := s.earlierHit(m, prevLast); h != nil {
		return h.kw, assocEarlier
	}
	return nil, assocNone
}

// gluedMarker reports a one-letter marker glued to a date run: a validity marker between a
// code and a date, as OCR reads "L 095 E 28 10 21" without spaces ("L095E281021"; the digits
// before the letter make it a field separator, not the start of a code like E281021), or an
// M or E opening its line ("M122023").
func (s *lineScan) gluedMarker(kwTok, first int) bool {
	kw := s.keywordAt(kwTok)
	if kw == nil || !kw.lone || kwTok+1 != first {
		return false
	}
	k, d := s.toks[kwTok], s.toks[first]
	if k.end != d.start {
		return false
	}
	c, ok := byte(0), false
	if first+1 < len(s.toks) && s.toks[first+1].num() {
		c, ok = s.sep(first)
	}
	separated := len(d.s) == 2 && ok && printedSep(c)
	if kwTok == 0 || s.toks[kwTok-1].end < k.start {
		// "M122023" / "E052025": the letter opens its line or word, as the M and E of a
		// manufacture/expiry block do; a code would not stand alone. "V08/26", "F08/2023":
		// the same letter glued to a zero-padded separated date ("v2.10.2024" is a version).
		return len(d.s) == 6 || len(d.s) == 8 || (len(d.s) == 7 && kw.kind == KindExpiry) || separated
	}
	// Between a code and a date: a validity marker, or a manufacture one before a separated
	// date ("L4032756F12/2027"). A lot's L there is part of the code ("U8L23/04/32").
	prev := s.toks[kwTok-1]
	return (kw.kind == KindExpiry || kw.kind == KindManufacture && !kw.lot && separated) && prev.kind == tokNum && prev.end == k.start
}

// header returns the keywords of a run of two or more date labels printed side by side
// with only fillers between them and no lot code, as column headers on the dates' own line.
func (s *lineScan) header() []*keyword {
	if len(s.hits) < 2 {
		return nil
	}
	var out []*keyword
	for k, h := range s.hits {
		if h.kw.lone || h.kw.lot || h.kw.suffix {
			return nil
		}
		if k > 0 && !onlyFillers(s.toks, s.hits[k-1].last+1, h.first) {
			return nil
		}
		out = append(out, h.kw)
	}
	return out
}

// codeTail reports a one-letter keyword glued to the end of a code, as in "A19E: 25/09/2022":
// the letter may be the code's last character, so it is weak evidence (the date keeps the
// keyword's kind but does not win as an explicitly labelled date). A letter glued to the
// date itself ("L095E281021") is a marker (see gluedMarker).
func (s *lineScan) codeTail(h *kwHit, first int) bool {
	if !h.kw.lone || h.first == 0 || s.gluedMarker(h.first, first) {
		return false
	}
	return s.toks[h.first-1].end == s.toks[h.first].start
}

// afterManufacture reports a date printed after a manufacture keyword's own date on the line
// ("F08/2021 003/2022"): the place of the validity date that follows it.
func (s *lineScan) afterManufacture(first int) bool {
	for k := s.hitsBefore(first) - 1; k >= 0; k-- {
		if h := s.hits[k]; h.kw.kind == KindManufacture && !h.kw.lot {
			return s.dateLike(h.last+1, first)
		}
	}
	return false
}
