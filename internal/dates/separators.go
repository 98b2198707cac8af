package dates

// OCR of dot-matrix and small print misreads a date's separators: a slash becomes 1, I, l
// or 7 (its dots lined up), an italic slash an F or a J. The matchers here read those
// characters back as the separator they stand for, only where the digits around them
// cannot be read any other way as a date.

// penSepMisread is the cost of reading a character as a separator: the date is likelier
// than not, but the character could belong to a code.
const penSepMisread = 0.1

// sepLike reports whether OCR often gives c for a slash: the digits 1 and 7 (tokenize has
// already read I and l as 1) and the letters an italic, dotted slash resembles.
func sepLike(c string) bool {
	switch c {
	case "1", "7", "F", "J", "T":
		return true
	}
	return false
}

// separatorAsOne reads a digit run right after a validity keyword as a date whose slashes
// OCR read as 1 (or I, l, which tokenize already turned into 1): "V0612025" is V06/2025,
// "VAL 1410512026" is VAL 14/05/2026, and "VAL 061 2025", the slash read with the month and
// the year spaced off, is VAL 06/ 2025; eight digits with both slashes read as 1 or as 7
// are DD/MM/YY ("BEST BEFORE 03704723"). Seven and ten digits have no date reading
// otherwise, nor three digits before a year, nor those eight digits, and the keyword says a
// date is meant; without one, such a run is a lot or a code.
func (s *lineScan) separatorAsOne(i int, out []match) []match {
	tk := s.toks[i]
	d := tk.s
	m := match{first: i, last: i, fixes: tk.fixes, strength: strSplitYear, note: "separator read as 1"}
	switch {
	case len(d) == 7 && d[2] == '1':
		m.y, m.m = atoi(d[3:]), atoi(d[:2])
		m.lay = layout{parts: [3]string{"MM", "YYYY"}, seps: [2]byte{'/'}}
	case len(d) == 3 && d[2] == '1' && i+1 < len(s.toks) && s.toks[i+1].num() && len(s.toks[i+1].s) == 4:
		if c, ok := s.sep(i); !ok || c != ' ' {
			return out
		}
		m.last = i + 1
		m.fixes += s.toks[i+1].fixes
		m.y, m.m = atoi(s.toks[i+1].s), atoi(d[:2])
		m.lay = layout{parts: [3]string{"MM", "YYYY"}, seps: [2]byte{'/'}}
	case len(d) == 10 && d[2] == '1' && d[5] == '1':
		m.y, m.m, m.d = atoi(d[6:]), atoi(d[3:5]), atoi(d[:2])
		m.lay = layout{parts: [3]string{"DD", "MM", "YYYY"}, seps: [2]byte{'/', '/'}}
	case len(d) == 8 && (d[2] == '1' || d[2] == '7') && d[5] == d[2] && !compact8(d):
		// DD/MM/YY with both slashes read as one stand-in ("03704723" for 03/04/23); the
		// run has no reading as an eight-digit date of its own.
		m.note = "separators read as " + d[2:3]
		m.lay = layout{parts: [3]string{"DD", "MM", "YY"}, seps: [2]byte{'/', '/'}}
		if !s.dayMonth(&m, atoi(d[:2]), atoi(d[3:5]), 2000+atoi(d[6:])) {
			return out
		}
	default:
		return out
	}
	h := s.prefixHit(i)
	if h == nil || h.kw.kind != KindExpiry || h.kw.lot {
		return out
	}
	if plausible(m.y, m.m, max(m.d, 1)) && s.isolated(i, m.last, true) {
		out = append(out, m)
	}
	return out
}

// compact8 reports whether eight digits read as a date as they stand: YYYYMMDD, DDMMYYYY or
// MMDDYYYY.
func compact8(d string) bool {
	y := atoi(d[4:])
	return plausible(atoi(d[:4]), atoi(d[4:6]), atoi(d[6:])) || plausible(y, atoi(d[2:4]), atoi(d[:2])) ||
		plausible(y, atoi(d[:2]), atoi(d[2:4]))
}

// secondSepMisread reads DD/MM?YY and MM/DD?YY whose second separator OCR read as a
// character: "06/13123" and "06/13F23" are 06/13/23. The first separator is printed, so the
// run already looks like a date; the stand-in must sit where the second one belongs, with
// a two- or four-digit year after it. No validity keyword is needed: read literally, the run
// is no date, or only a month and year with something glued to it.
func (s *lineScan) secondSepMisread(i int, out []match) []match {
	if i+1 >= len(s.toks) {
		return out
	}
	a := s.toks[i]
	s1, ok := s.sep(i)
	if len(a.s) != 2 || !ok || (s1 != '/' && s1 != '.' && s1 != '-') || !s.toks[i+1].num() {
		return out
	}
	if h := s.prefixHit(i); h != nil && h.kw.lot {
		return out // the digits after LOT are the lot's
	}
	b := s.toks[i+1]
	m := match{first: i, last: i + 1, fixes: a.fixes + b.fixes, penalty: penSepMisread}
	var day, yr, stand string
	switch {
	case (len(b.s) == 5 || len(b.s) == 7) && sepLike(b.s[2:3]):
		day, stand, yr = b.s[:2], b.s[2:3], b.s[3:]
	case len(b.s) == 2 && i+3 < len(s.toks):
		w, c := s.toks[i+2], s.toks[i+3]
		if w.kind != tokWord || !sepLike(w.s) || w.start != b.end || c.start != w.end || !c.num() || (len(c.s) != 2 && len(c.s) != 4) {
			return out
		}
		day, stand, yr = b.s, w.s, c.s
		m.last = i + 3
		m.fixes += c.fixes
	default:
		return out
	}
	m.strength = pick(len(yr) == 4, strFull4, strFull2)
	m.lay = layout{[3]string{"DD", "MM", pick(len(yr) == 4, "YYYY", "YY")}, [2]byte{s1, s1}}
	m.note = "separator read as " + stand
	y := atoi(yr)
	if len(yr) == 2 {
		y += 2000
	}
	if s.dayMonth(&m, a.val(), atoi(day), y) && s.isolated(m.first, m.last, false) {
		out = append(out, m)
	}
	return out
}
