package dates

import "time"

// This file reads dates whose digits OCR or the detector spread unusually: a year split over
// two boxes, and two-digit year-first dates recognised from the range they form.

// Longest validity a YY.MM.DD range may span to be read year first: dated ranges on food and
// cosmetics run from weeks to a few years.
const maxRangeYears = 5

// maxRangeLines is how many lines apart the two dates of a range may be printed: the next
// line, or the one after when the recogniser read a line of stray marks between them.
const maxRangeLines = 2

// splitYear reads a four-digit year that the detector cut into two boxes, which the pipeline
// joins with a space: "25.12.20 24" is 25.12.2024 and "20 24.12.25" is 2024.12.25. The first
// half must be "20", as every year in range starts with it, and the rest of the date must be
// joined by one printed separator, so no spaced run of numbers is read this way.
func (s *lineScan) splitYear(i int, out []match) []match {
	n := len(s.toks)
	if i+3 >= n || !s.toks[i+1].num() || !s.toks[i+2].num() || !s.toks[i+3].num() {
		return out
	}
	t := s.toks[i : i+4]
	s1, ok1 := s.sep(i)
	s2, ok2 := s.sep(i + 1)
	s3, ok3 := s.sep(i + 2)
	if !ok1 || !ok2 || !ok3 {
		return out
	}
	m := match{first: i, last: i + 3, strength: strFull4, penalty: penSplit, note: "year split over two boxes"}
	m.fixes = t[0].fixes + t[1].fixes + t[2].fixes + t[3].fixes
	for _, tk := range t {
		if len(tk.s) > 2 {
			return out
		}
	}
	switch {
	case len(t[2].s) == 2 && t[2].s == "20" && len(t[3].s) == 2 && printedSep(s1) && s1 == s2 && s3 == ' ':
		m.lay = layout{[3]string{"DD", "MM", "YYYY"}, [2]byte{s1, s2}}
		if !s.dayMonth(&m, t[0].val(), t[1].val(), 2000+t[3].val()) {
			return out
		}
	case t[0].s == "20" && len(t[1].s) == 2 && s1 == ' ' && printedSep(s2) && s2 == s3:
		m.y, m.m, m.d = 2000+t[1].val(), t[2].val(), t[3].val()
		m.lay = layout{[3]string{"YYYY", "MM", "DD"}, [2]byte{s2, s3}}
		if !plausible(m.y, m.m, m.d) {
			return out
		}
	default:
		return out
	}
	if !s.isolated(i, i+3, false) {
		return out
	}
	return append(out, m)
}

// yearFirstRanges rereads two-digit dates year first when they form a validity range only
// that way: "21.01.13 ~ 22.01.12" read day first runs backwards (2013-01-21 to 2012-01-22),
// read year first it is one year (2021-01-13 to 2022-01-12), as Korean and Japanese labels
// print "from ... until". Consecutive dates (nearby lines) of the DD.MM.YY shape whose
// day-first reading goes back in time while the year-first one goes forward by at most
// maxRangeYears are both switched (see maxRangeLines); the later is then the expiry by the
// usual pair rule.
func yearFirstRanges(kept [][]match, scans []*lineScan) {
	type at struct{ line, k int }
	var prev *at
	for li := range kept {
		for k := range kept[li] {
			cur := at{li, k}
			if prev != nil && cur.line-prev.line <= maxRangeLines {
				a, b := &kept[prev.line][prev.k], &kept[li][k]
				// An expiry labelled before a manufacture date is no "from ... until" range:
				// the labels, not the print order, say which date comes first.
				labelled := scans[prev.line].label(a) == KindExpiry && scans[li].label(b) == KindManufacture
				if !labelled && a.yf.Valid() && b.yf.Valid() && !a.dayFirst().Before(b.dayFirst()) &&
					a.yf.Before(b.yf) && !b.yf.After(a.yf.addYears(maxRangeYears)) {
					a.toYearFirst()
					b.toYearFirst()
				}
			}
			prev = &cur
		}
	}
}

// label is the kind of the keyword printed right before or after m, or KindUnknown.
func (s *lineScan) label(m *match) Kind {
	for _, h := range []*kwHit{s.prefixHit(m.first), s.suffixHit(m.last)} {
		if h != nil && !h.kw.lot {
			return h.kw.kind
		}
	}
	return KindUnknown
}

// dayFirst is the match's date with an undecided day/month order read day first.
func (m *match) dayFirst() Date {
	d, _ := m.date()
	return d
}

func (m *match) toYearFirst() {
	m.y, m.m, m.d = m.yf.Year, int(m.yf.Month), m.yf.Day
	m.ambiguous, m.swapped, m.decided = false, false, orderUnknown
	m.order = "year first (a range of two dates)"
	m.lay.parts = [3]string{"YY", "MM", "DD"}
}

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return e.Before(d) }

func (d Date) addYears(n int) Date {
	t := time.Date(d.Year+n, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return Today(t)
}
