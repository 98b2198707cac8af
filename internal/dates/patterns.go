package dates

import (
	"slices"
	"strings"
	"time"
)

// How strongly a shape alone says "this is a printed date". Selection compares these
// before OCR confidence: full dates with four-digit years beat two-digit years, which beat
// month-year forms, which beat bare digit runs.
const (
	strName4     = 0.72 // 11 APR 2021, FEB 21 2021, 30JAN2024
	strFull4     = 0.70 // 17/06/2024, 2027.12.07
	strName2     = 0.64 // 15JAN26, FEB/21/21
	strFull2     = 0.60 // 17.06.24
	strNameMY4   = 0.58 // NOV2021
	strMY4       = 0.55 // 10/2022
	strSpaced4   = 0.55 // 17 06 2024
	strSpaced2   = 0.45 // 28 10 21
	strSpacedMY4 = 0.45 // 05 2025
	strNameMY2   = 0.45 // SET25, ABR/27
	strMY2       = 0.40 // 05/26
	strYM        = 0.40 // 2026-05
	strCompact8  = 0.48 // 11022024, 20271207
	strCompact6  = 0.40 // 300427
	// 052026: MM20YY has no other reading (day first, 20 would be the month), and a random
	// six-digit code takes this shape about once in 1,700.
	strCompactMY   = 0.38
	strCompactYMD6 = 0.30 // 270430
	strSplitYear   = 0.30 // 13/1025: OCR lost the separator between month and year
	strYearFirst2  = 0.50 // 24.03.05 when 05.03.2024 is no reading (the year would be 2005)

	penMixedSep = 0.08 // 01.03/2026
	penGlued    = 0.08 // a letter run that is not a keyword touches the date
	penStray    = 0.10 // a digit glued after the date was dropped: the cut could be wrong
	penSplit    = 0.10 // a year joined across a space: the two boxes may not belong together
)

// match is one reading of a date-shaped run of tokens, before keyword context.
type match struct {
	first, last int // token indices
	y, m, d     int // d == 0: month precision
	strength    float64
	fixes       int
	penalty     float64

	// Numeric day/month order. When both parts are 12 or less the digits cannot tell;
	// p1/p2 are the parts in print order and the choice is made with keyword context.
	ambiguous bool
	p1, p2    int
	order     string // why the order is what it is, when it was decided by the digits
	note      string // a repair made to read the date, for Reason
	// yf is the YY.MM.DD reading of a DD.MM.YY match when it is a real date; ranges decide
	// between them (see yearFirstRanges).
	yf      Date
	decided int    // orderDayFirst or orderMonthFirst when the digits decided it
	lay     layout // as read day first, or the only reading
	swapped bool   // read month first: day and month parts of lay trade places
}

type lineScan struct {
	t    *folded
	toks []token
	hits []kwHit
}

// sep classifies the gap between consecutive tokens a and a+1: 0 when glued, ' ' for spaces
// only, or the one separator character among spaces. ok is false for anything else.
func (s *lineScan) sep(a int) (c byte, ok bool) {
	gap := s.t.u[s.toks[a].end:s.toks[a+1].start]
	if len(gap) > 4 {
		return 0, false
	}
	for _, b := range gap {
		switch b {
		case ' ', '_': // OCR reads wide gaps between groups as underscores
		case '/', '.', '-', '\\', ',':
			if c != 0 {
				return 0, false
			}
			c = b
		default:
			return 0, false
		}
	}
	if c == 0 && len(gap) > 0 {
		c = ' '
	}
	return c, true
}

// commaForDot reports two separators of which OCR read one dot as a comma ("2021.10,30",
// "30,10.2021"): the two are alike at the size of print. Only a four-digit year makes the
// run a date; two commas, or a comma and a two-digit year, are numbers' ("1,25.50").
func commaForDot(s1, s2 byte) bool { return s1 == ',' && s2 == '.' || s1 == '.' && s2 == ',' }

func numSep(c byte) bool { return printedSep(c) || c == '\\' || c == ' ' }

// printedSep reports the separators printed between the fields of a date (a space or a
// backslash can be OCR's, a slash, dot or dash is the printer's).
func printedSep(c byte) bool { return c == '/' || c == '.' || c == '-' }

// layout is a match's Format kept in pieces, so rejected readings cost no string building.
type layout struct {
	parts [3]string
	seps  [2]byte // 0: glued
}

// wholeSeparated reports a day, month and year printed with a separator between each.
func (m *match) wholeSeparated() bool {
	return m.d > 0 && m.lay.parts[2] != "" && printedSep(m.lay.seps[0]) && printedSep(m.lay.seps[1])
}

func (l layout) format(swapped bool) string {
	p := l.parts
	if swapped {
		p[0], p[1] = p[1], p[0]
	}
	var b strings.Builder
	for i, part := range p {
		if part == "" {
			break
		}
		if i > 0 && l.seps[i-1] != 0 {
			b.WriteByte(l.seps[i-1])
		}
		b.WriteString(part)
	}
	return b.String()
}

func yearFmt(t token) string { return pick(len(t.s) == 2, "YY", "YYYY") }

func (s *lineScan) matches() []match {
	var out []match
	for i, tk := range s.toks {
		switch {
		case tk.num():
			out = s.numeric(i, out)
			out = s.compact(i, out)
			out = s.separatorAsOne(i, out)
			out = s.secondSepMisread(i, out)
			out = s.splitYear(i, out)
			out = s.dayMonthName(i, out)
		case tk.kind == tokWord && nameOrMisread(tk.s):
			// The name's own fixes: a letter read as a digit (5EP) or as another letter (GCT).
			fixes := tk.fixes
			if monthOf(tk.s) == 0 {
				fixes++
			}
			n := len(out)
			out = s.monthFirst(i, out)
			for k := n; k < len(out); k++ {
				out[k].fixes += fixes
			}
		}
	}
	return slices.DeleteFunc(out, func(m match) bool {
		return s.mostlyLetters(m) || s.yearRunsOn(m) || s.groupRunsBack(m)
	})
}

// validityDigits are the digits OCR gives for a validity letter (V, U) printed against a
// month: its two strokes closed into a 0, or one stroke read as a 1 or a 7.
const validityDigits = "017"

// digitLike are the letters OCR gives for digits of dot-matrix print (E for 3, B for 8...).
const digitLike = "ABCDEGIOQSTZ"

// yearRunsOn reports a match ending in a two-digit year glued to a run of letters OCR gives
// for digits and digits, no longer than a year ("JUL1920E0", "MAY26EOE9"): the year went
// on, its digits partly read as letters, so the two digits read are no year of their own. A
// lot letter glued on ("21L6539") is no such letter, nor a longer code.
func (s *lineScan) yearRunsOn(m match) bool {
	p := m.lay.parts
	last := p[2]
	if last == "" {
		last = p[1]
	}
	if !strings.HasSuffix(last, "YY") || strings.HasSuffix(last, "YYYY") {
		return false
	}
	// The glued run after the year: digit-like letters (and L, a dotted 1) and digits, as long
	// as a year at most, and no keyword or filler word of several letters ("05/26LOTE",
	// "JUN12DATE").
	end, letters, digits := s.toks[m.last].end, 0, 0
	for k := m.last + 1; k < len(s.toks) && s.toks[k].start == end; k++ {
		t := s.toks[k]
		switch {
		case t.num():
			digits += len(t.s)
		case t.kind == tokWord && strings.Trim(t.s, digitLike+"L") == "" && (len(t.s) == 1 || s.keywordAt(k) == nil && !fillers[t.s]):
			letters += len(t.s)
		default:
			return false
		}
		end = t.end
	}
	if digits == 0 {
		// Letters alone are a year's two last digits only after its century ("11 20EE"), or
		// a whole year after a day ("JUN12EOEL"): otherwise a word glued on.
		return letters == 2 && centuryRead(s.toks[m.last].s) || letters == 4
	}
	return letters > 0 && letters+digits <= 4
}

// centuryRead reports a number ending in the digits a four-digit year of the dates read
// begins with.
func centuryRead(n string) bool { return strings.HasSuffix(n, "20") || strings.HasSuffix(n, "19") }

// groupRunsBack reports a match whose first number is glued to a letter after a number and a
// date separator ("14/C4/2027"): that letter is a digit the recogniser read as a letter, so
// the date began a group earlier and the match is its tail, read as another date. A space is
// no date separator here, nor a marker letter one ("L 2345 V05/2027").
func (s *lineScan) groupRunsBack(m match) bool {
	k := m.first - 1
	if k < 1 {
		return false
	}
	w := s.toks[k]
	if w.kind != tokWord || len(w.s) != 1 || w.end != s.toks[m.first].start || !s.toks[k-1].num() || s.keywordAt(k) != nil {
		return false
	}
	c, ok := s.sep(k - 1)
	return ok && c != ' ' && numSep(c)
}

// mostlyLetters reports a match more of whose digits OCR read as letters than as digits
// ("II/JUL/2O"): a date put together that way is a guess, not a reading.
func (s *lineScan) mostlyLetters(m match) bool {
	n := 0
	for k := m.first; k <= m.last; k++ {
		if s.toks[k].kind == tokNum {
			n += len(s.toks[k].s)
		}
	}
	return 2*m.fixes > n
}

// numeric reads separated numeric dates starting at token i: D/M/Y (either order), Y/M/D,
// M/Y and Y-M.
func (s *lineScan) numeric(i int, out []match) []match {
	n := len(s.toks)
	a := s.toks[i]
	if i+1 >= n || !s.toks[i+1].num() {
		return out
	}
	b := s.toks[i+1]
	s1, ok1 := s.sep(i)
	if !ok1 || !(numSep(s1) || s1 == ',') {
		return out
	}
	if i+2 < n && s.toks[i+2].num() {
		c := s.toks[i+2]
		s2, ok := s.sep(i + 1)
		comma := ok && commaForDot(s1, s2) && (len(a.s) == 4 || len(c.s) == 4)
		if ok && (numSep(s1) && numSep(s2) || comma) {
			spaced := s1 == ' ' || s2 == ' '
			m := match{first: i, last: i + 2, fixes: a.fixes + b.fixes + c.fixes}
			if s1 != s2 {
				m.penalty += penMixedSep
			}
			if comma {
				s1, s2 = '.', '.'
			}
			switch {
			case len(a.s) <= 2 && len(b.s) <= 2 && (len(c.s) == 2 || len(c.s) == 4):
				m.strength = pick(len(c.s) == 4, pick(spaced, strSpaced4, strFull4), pick(spaced, strSpaced2, strFull2))
				m.lay = layout{[3]string{"DD", "MM", yearFmt(c)}, [2]byte{s1, s2}}
				if len(a.s) == 2 && len(c.s) == 2 && !spaced && plausible(2000+a.val(), b.val(), c.val()) {
					m.yf = Date{Year: 2000 + a.val(), Month: time.Month(b.val()), Day: c.val()}
				}
				switch {
				case !s.isolated(i, i+2, spaced):
				case s.dayMonth(&m, a.val(), b.val(), year(c)):
					out = append(out, m)
				case m.yf.Valid() && s1 != '/' && s2 != '/':
					// "24.03.05" is no date day first (2005 is out of range): YY.MM.DD, as
					// East Asian labels print, weaker than a reading the digits make certain.
					// They print it with dots or dashes; "25/06/09" is an old date day
					// first, as the labels that use slashes print them, and no date here.
					m.toYearFirst()
					m.strength, m.order = strYearFirst2, "year first (day first is no date)"
					out = append(out, m)
				}
			case len(a.s) == 4 && len(b.s) <= 2 && len(c.s) <= 2:
				m.strength = pick(spaced, strSpaced4, strFull4)
				m.y, m.m, m.d = a.val(), b.val(), c.val()
				m.lay = layout{[3]string{"YYYY", "MM", "DD"}, [2]byte{s1, s2}}
				if plausible(m.y, m.m, m.d) && s.isolated(i, i+2, spaced) {
					out = append(out, m)
				}
			case !spaced && len(a.s) == 4 && len(b.s) <= 2 && len(c.s) == 3:
				// "2023.11.056": a stray digit (a dot of the print, the start of a code)
				// glued after the day. A four-digit year first leaves no other reading.
				m.strength, m.penalty, m.note = strFull4, penStray, "stray digit after the date"
				m.y, m.m, m.d = a.val(), b.val(), atoi(c.s[:2])
				m.lay = layout{[3]string{"YYYY", "MM", "DD"}, [2]byte{s1, s2}}
				if plausible(m.y, m.m, m.d) && s.isolated(i, i+2, false) {
					out = append(out, m)
				}
			case !spaced && len(a.s) <= 2 && len(b.s) <= 2 && len(c.s) == 5 && inYearRange(atoi(c.s[:4])):
				// "25.09.20231": the same stray digit after a four-digit year.
				m.strength, m.penalty, m.note = strFull4, penStray, "stray digit after the date"
				m.lay = layout{[3]string{"DD", "MM", "YYYY"}, [2]byte{s1, s2}}
				if s.dayMonth(&m, a.val(), b.val(), atoi(c.s[:4])) && s.isolated(i, i+2, false) {
					out = append(out, m)
				}
			}
		}
	}

	// Two parts: month-year, year-month, or a day glued to MMYY.
	if s1 == ',' {
		return out // a decimal comma: 12,50
	}
	m := match{first: i, last: i + 1, fixes: a.fixes + b.fixes}
	spaced := s1 == ' '
	pre := s.prefixHit(i)
	// A letter glued to the end of a code ("4K2E 05.11") may be the code's own: it is no
	// keyword that makes a bare pair a month and year.
	kw := pre != nil && !s.codeTail(pre, i)
	if s.truncated(i) {
		return out // ".09.2022": the day of 02.09.2022 was lost, this is no month-year
	}
	if s.monthNameBefore(i) || (spaced && s.garbledMonthBefore(i)) {
		return out // "AUG C6 2024", "M1Y 02 2029": the number is the month's day, not June
	}
	if len(b.s) == 2 && i+2 < len(s.toks) && s.toks[i+2].num() {
		// "05 12 2828": a day and month before a garbled year, not May 2012. But where the
		// second part cannot be a month and a clock time or code follows, set apart otherwise
		// than the pair ("03/26 1432", "03/26 0433"), the pair is MM/YY.
		if c, ok := s.sep(i + 1); ok && c != ',' && (b.val() <= 12 || c == s1 || !clockOrCode(s.toks[i+2])) {
			return out
		}
	}
	if len(b.s) == 2 && s.garbledThird(i+1, s1) {
		return out
	}
	switch {
	case len(a.s) <= 2 && len(b.s) == 4 && inYearRange(b.val()):
		m.strength = pick(spaced, strSpacedMY4, strMY4)
		m.y, m.m = b.val(), a.val()
		m.lay = layout{[3]string{"MM", "YYYY"}, [2]byte{s1}}
	case len(a.s) <= 2 && len(b.s) == 2 && ((kw && !(pre.kw.lone && s.counted(i, i+1))) ||
		(len(a.s) == 2 && (s1 == '/' || s1 == '-') && !s.counted(i, i+1))):
		// MM/YY without a keyword is also how prices and fractions look; take it only in the
		// forms a printer uses. A lone letter before it is no keyword when a unit follows
		// ("e12.25oz": the e-mark of a weight).
		m.strength = strMY2
		m.y, m.m = year(b), a.val()
		m.lay = layout{[3]string{"MM", "YY"}, [2]byte{s1}}
	case len(a.s) == 4 && len(b.s) <= 2 && !spaced && s1 != '\\':
		m.strength = strYM
		m.y, m.m = a.val(), b.val()
		m.lay = layout{[3]string{"YYYY", "MM"}, [2]byte{s1}}
	case len(a.s) <= 2 && len(b.s) == 6 && spaced, len(a.s) == 4 && len(b.s) == 4 && spaced && inYearRange(b.val()):
		// One space of "02 11 2026" or "25 04 2024" dropped: D MMYYYY, DDMM YYYY.
		m.strength = strSpaced4 - 0.05
		if len(a.s) == 4 {
			m.d, m.m, m.y = atoi(a.s[:2]), atoi(a.s[2:]), b.val()
			m.lay = layout{[3]string{"DDMM", "YYYY"}, [2]byte{s1}}
		} else {
			m.d, m.m, m.y = a.val(), atoi(b.s[:2]), atoi(b.s[2:])
			m.lay = layout{[3]string{"DD", "MMYYYY"}, [2]byte{s1}}
		}
		if plausible(m.y, m.m, m.d) && s.isolated(i, i+1, true) {
			out = append(out, m)
		}
		return out
	case len(a.s) <= 2 && len(b.s) == 4 && !spaced:
		m.strength = strSplitYear
		m.d, m.m, m.y = a.val(), atoi(b.s[:2]), 2000+atoi(b.s[2:])
		m.lay = layout{[3]string{"DD", "MM", "YY"}, [2]byte{s1}}
		if plausible(m.y, m.m, m.d) && s.isolated(i, i+1, false) {
			out = append(out, m)
		}
		return out
	case len(a.s) == 3 && strings.IndexByte(validityDigits, a.s[0]) >= 0 && len(b.s) == 4 && printedSep(s1) &&
		inYearRange(b.val()) && s.afterManufacture(i):
		// "F08/2021 003/2022": the V of "V03/2022" read as a digit glued to the month. Only
		// after a manufacture date: elsewhere such a run is a document's number ("012/2021").
		m.strength, m.penalty, m.note = strMY4, penStray, "a validity letter read as a digit before the month"
		m.y, m.m = b.val(), atoi(a.s[1:])
		m.lay = layout{[3]string{"MM", "YYYY"}, [2]byte{s1}}
	default:
		return out
	}
	if plausible(m.y, m.m, 1) && s.isolated(i, i+1, spaced) {
		out = append(out, m)
	}
	return out
}

// compact reads a lone run of exactly 6 or 8 digits. Longer runs are barcodes and shorter
// ones lot numbers, so no date is cut out of them.
func (s *lineScan) compact(i int, out []match) []match {
	tk := s.toks[i]
	if len(tk.s) != 6 && len(tk.s) != 8 {
		return out
	}
	if i > 0 {
		p := s.toks[i-1]
		if kw := s.keywordAt(i - 1); p.end == tk.start && p.kind != tokNum && (kw == nil || kw.lone || kw.lot) && !s.gluedMarker(i-1, i) {
			return out // glued to a code such as J014036 or L300427; EXP20260130 is fine
		}
		if h := s.prefixHit(i); h != nil && h.kw.lot {
			return out // the number after LOT is the lot
		}
		if c, _ := s.sep(i - 1); p.kind == tokNum && len(p.s) >= 5 && (c == ' ' || c == 0) {
			return out
		}
	}
	if i+1 < len(s.toks) {
		q := s.toks[i+1]
		if q.start == tk.end && q.kind != tokNum {
			return out
		}
		if c, _ := s.sep(i); q.kind == tokNum && len(q.s) >= 5 && q.start > tk.end && c == ' ' {
			return out // one group of a spaced barcode
		}
	}
	// A number before the run, past any separator, makes it one group of a longer number
	// ("5 012345 678900"). A short one after it, past a space, is a stray mark or a line
	// number ("EXP 21032027 14"): the run stands whole, and it is no group of a spaced
	// date either, whose groups are of two or four digits.
	if i > 0 && s.toks[i-1].num() {
		if c, ok := s.sep(i - 1); ok && c != ',' {
			return out
		}
	}
	if !s.isolated(i, i, false) {
		return out
	}
	if len(tk.s) == 6 && s.garbledMonthBefore(i) {
		return out // "M1Y 122031": a month misread past recognition, then its day and year
	}
	d := tk.s
	m := match{first: i, last: i, fixes: tk.fixes}
	if len(d) == 8 {
		if y, mo, dd := atoi(d[:4]), atoi(d[4:6]), atoi(d[6:]); plausible(y, mo, dd) {
			m.strength, m.y, m.m, m.d = strCompact8, y, mo, dd
			m.lay = layout{parts: [3]string{"YYYY", "MM", "DD"}}
			return append(out, m)
		}
		m.strength, m.lay = strCompact8, layout{parts: [3]string{"DD", "MM", "YYYY"}}
		if s.dayMonth(&m, atoi(d[:2]), atoi(d[2:4]), atoi(d[4:])) {
			out = append(out, m)
		}
		return out
	}
	if mo, y := atoi(d[:2]), atoi(d[2:]); plausible(y, mo, 1) {
		m.strength, m.y, m.m = strCompactMY, y, mo
		m.lay = layout{parts: [3]string{"MM", "YYYY"}}
		return append(out, m)
	}
	m.strength, m.lay = strCompact6, layout{parts: [3]string{"DD", "MM", "YY"}}
	if s.dayMonth(&m, atoi(d[:2]), atoi(d[2:4]), 2000+atoi(d[4:])) {
		return append(out, m)
	}
	m = match{first: i, last: i, fixes: tk.fixes, strength: strCompactYMD6}
	m.lay = layout{parts: [3]string{"YY", "MM", "DD"}}
	m.y, m.m, m.d = 2000+atoi(d[:2]), atoi(d[2:4]), atoi(d[4:])
	if plausible(m.y, m.m, m.d) {
		out = append(out, m)
	}
	return out
}

// dayMonthName reads D MON Y (30JAN2024, 11 APR 2021, 15 de janeiro de 2024) and
// Y MON D (2024-JAN-30) starting at number token i.
func (s *lineScan) dayMonthName(i int, out []match) []match {
	a := s.toks[i]
	j, s1, ok := s.next(i)
	if !ok || s.toks[j].kind != tokWord {
		return out
	}
	mon, fix := monthOf(s.toks[j].s), 0
	if mon == 0 {
		mon, fix = misreadMonth(s.toks[j].s), 1
	}
	if mon == 0 {
		return out
	}
	k, s2, ok := s.next(j)
	if !ok || !s.toks[k].num() || pairedMonth(s1, s2) {
		return out
	}
	c := s.toks[k]
	m := match{first: i, last: k, m: mon, fixes: a.fixes + s.toks[j].fixes + c.fixes + fix}
	switch {
	case len(a.s) <= 2 && (len(c.s) == 2 || len(c.s) == 4):
		m.d, m.y = a.val(), year(c)
		m.strength = pick(len(c.s) == 4, strName4, strName2)
		m.lay = layout{[3]string{"DD", "MON", yearFmt(c)}, [2]byte{s1, s2}}
	case len(a.s) == 4 && len(c.s) <= 2 && s1 != 0 && s2 != 0:
		m.y, m.d = a.val(), c.val()
		m.strength = strName4
		m.lay = layout{[3]string{"YYYY", "MON", "DD"}, [2]byte{s1, s2}}
	default:
		return out
	}
	if plausible(m.y, m.m, m.d) && s.isolated(i, k, false) {
		out = append(out, m)
	}
	return out
}

// pairedMonth reports a number set apart from a month name by a space while the name is
// joined to the number after it by a dash or slash: "26 AUG-24" is a month and year
// ("AUG-24/FEB-26") beside a number of something else, not 26 August 2024.
func pairedMonth(before, after byte) bool { return before == ' ' && (after == '-' || after == '/') }

// monthFirst reads MON D Y (FEB/21/21, FEB 21, 2021) and MON Y (NOV2021, SET25, ABR/27)
// starting at month token i.
func (s *lineScan) monthFirst(i int, out []match) []match {
	mon := max(monthOf(s.toks[i].s), misreadMonth(s.toks[i].s))
	j, s1, ok := s.next(i)
	if !ok || !s.toks[j].num() {
		return out
	}
	b := s.toks[j]
	if k, s2, ok := s.next(j); ok && s2 != 0 && s.toks[k].num() && len(b.s) <= 2 {
		c := s.toks[k]
		if len(c.s) == 2 || len(c.s) == 4 {
			m := match{first: i, last: k, m: mon, d: b.val(), y: year(c), fixes: b.fixes + c.fixes}
			m.strength = pick(len(c.s) == 4, strName4, strName2)
			m.lay = layout{[3]string{"MON", "DD", yearFmt(c)}, [2]byte{s1, s2}}
			if plausible(m.y, m.m, m.d) && s.isolated(i, k, false) {
				out = append(out, m)
			}
		}
	}
	if len(b.s) == 6 {
		// OCR dropped the space of "OCT 06 2030": MON DDYYYY.
		m := match{first: i, last: j, m: mon, d: atoi(b.s[:2]), y: atoi(b.s[2:]), fixes: b.fixes}
		m.strength, m.penalty = strName4, penGlued
		m.lay = layout{[3]string{"MON", "DDYYYY"}, [2]byte{s1}}
		if plausible(m.y, m.m, m.d) && s.isolated(i, j, false) {
			out = append(out, m)
		}
		return out
	}
	if len(b.s) == 4 && !inYearRange(b.val()) {
		// "MAR0524": no year 0524, so the four digits are a day and a two-digit year with
		// the space between them lost, as in MON DDYYYY above.
		m := match{first: i, last: j, m: mon, d: atoi(b.s[:2]), y: 2000 + atoi(b.s[2:]), fixes: b.fixes}
		m.strength, m.penalty = strName2, penGlued
		m.lay = layout{[3]string{"MON", "DDYY"}, [2]byte{s1}}
		if plausible(m.y, m.m, m.d) && s.isolated(i, j, false) {
			out = append(out, m)
		}
		return out
	}
	if len(b.s) != 2 && len(b.s) != 4 {
		return out
	}
	if len(b.s) == 2 && j+1 < len(s.toks) && s.toks[j+1].num() {
		if c, ok := s.sep(j); ok && c != ',' {
			return out // "MAR 18 292Z": a day, then a year OCR garbled, not March 2018
		}
	}
	if len(b.s) == 2 && s1 == 0 && s.prefixHit(i) == nil && !s.labelledGluedBefore(i) {
		// "GIU15", "MAR27": three letters and two digits glued is how lot and batch codes
		// look, and the month words of seven languages cover many such letters. Printed
		// alone, a month and two-digit year is set apart ("JUN 25", "JUN/25"), follows its
		// keyword ("EXP JUN25"), or follows a date of its own glued shape that does
		// ("FAB:NOV23 AL:ABR25", the second keyword misread).
		return out
	}
	m := match{first: i, last: j, m: mon, y: year(b), fixes: b.fixes}
	m.strength = pick(len(b.s) == 4, strNameMY4, strNameMY2)
	m.lay = layout{[3]string{"MON", yearFmt(b)}, [2]byte{s1}}
	if plausible(m.y, m.m, 1) && (s.isolated(i, j, false) || s.afterMonthYear(i)) {
		out = append(out, m)
	}
	return out
}

// garbledThird reports a third part after the pair ending at token j, set off by the pair's
// own printed separator, as long as a year and begun by a letter ("08/18/E1", "05/26/EE"):
// the pair is a day and month before a year OCR garbled, not a month and two-digit year. A
// longer run is a code ("03.26.L1234").
func (s *lineScan) garbledThird(j int, sep byte) bool {
	if !printedSep(sep) || j+1 >= len(s.toks) || s.toks[j+1].kind != tokWord {
		return false
	}
	if c, ok := s.sep(j); !ok || c != sep {
		return false
	}
	k := j + 1
	for k+1 < len(s.toks) && s.toks[k].end == s.toks[k+1].start {
		k++
	}
	n := s.toks[k].end - s.toks[j+1].start
	return n == 2 || n == 4
}

// next returns the token after i, stepping over one connecting word ("15 de janeiro de
// 2024", "1st of May"), and the separator to it.
func (s *lineScan) next(i int) (int, byte, bool) {
	if i+1 >= len(s.toks) {
		return 0, 0, false
	}
	c, ok := s.sep(i)
	if !ok {
		return 0, 0, false
	}
	if w := s.toks[i+1]; w.kind == tokWord && (w.s == "DE" || w.s == "DEL" || w.s == "OF") && i+2 < len(s.toks) {
		c2, ok2 := s.sep(i + 1)
		if !ok2 || c == 0 || c2 == 0 {
			return 0, 0, false
		}
		return i + 2, ' ', true
	}
	return i + 1, c, true
}

// dayMonth fills a numeric day/month pair read in print order as p1, p2. When the digits
// decide the order it is fixed now; otherwise the match stays ambiguous until keyword
// context is known. It reports whether some reading is a real date.
func (s *lineScan) dayMonth(m *match, p1, p2, y int) bool {
	m.y, m.p1, m.p2 = y, p1, p2
	df := plausible(y, p2, p1)
	mf := plausible(y, p1, p2)
	switch {
	case df && mf && p1 != p2:
		m.ambiguous = true
		m.d, m.m = p1, p2
	case df:
		m.d, m.m = p1, p2
		if p1 > 12 {
			m.order = "day first (first part > 12)"
			m.decided = orderDayFirst
		}
	case mf:
		m.d, m.m = p2, p1
		m.swapped = true
		m.order = "month first (second part > 12)"
		m.decided = orderMonthFirst
	default:
		return false
	}
	return true
}

func year(t token) int {
	if len(t.s) == 2 {
		return 2000 + t.val()
	}
	return t.val()
}

func inYearRange(y int) bool { return y >= minYear && y <= maxYear }

func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

// date returns the match's civil date: a month-precision match holds the month's last day.
func (m *match) date() (Date, Precision) {
	if m.d == 0 {
		return endOfMonth(m.y, time.Month(m.m)), PrecisionMonth
	}
	return Date{Year: m.y, Month: time.Month(m.m), Day: m.d}, PrecisionDay
}

// monthNameBefore reports a month name just before token i, or one short letter token
// before it (a digit misread as a letter, "AUG C6 2024"): the number at i is that month's
// day, so it starts no month-year of its own.
func (s *lineScan) monthNameBefore(i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		t := s.toks[j]
		if t.kind == tokWord && nameOrMisread(t.s) {
			return true
		}
		if t.kind != tokWord || len(t.s) > 1 {
			return false
		}
	}
	return false
}

// garbledMonthBefore reports a month name misread past recognition just before token i: a
// run of three characters glued together, begun by a letter, two of them letters (three only
// when one letter from a month's name), no keyword, set apart by a space or glued on ("M1Y 02
// 2029", "MRY 05 2032", "M1Y12 2031"), or of four with a letter read as its two strokes
// ("M11Y"). Month, day, year is the shape of such lines, so the numbers after it are a day
// and a year, not a month.
func (s *lineScan) garbledMonthBefore(i int) bool {
	if i >= 2 && s.toks[i-1].kind == tokWord && len(s.toks[i-1].s) == 1 && strings.Contains(digitLike, s.toks[i-1].s) &&
		s.toks[i-1].end == s.toks[i].start {
		i-- // "H0Y D7 2022": the day's first digit read as a letter
	}
	if i == 0 {
		return false
	}
	if c, ok := s.sep(i - 1); !ok || (c != ' ' && c != 0) {
		return false
	}
	j := i - 1
	for j > 0 && s.toks[j-1].end == s.toks[j].start && s.toks[j-1].kind != tokScript {
		j--
	}
	first := s.toks[j]
	width := s.toks[i-1].end - first.start
	if first.kind != tokWord || (width != 3 && width != 4) || (j > 0 && s.toks[j-1].end == first.start) {
		return false
	}
	letters, strokes := 0, false
	for _, t := range s.toks[j:i] {
		if t.kind != tokWord && !t.num() {
			return false
		}
		if t.kind == tokWord {
			letters += len(t.s)
		}
		strokes = strokes || t.s == "11"
	}
	if width == 4 {
		// A letter read as its two strokes ("M11Y"): four characters, two of them letters.
		return letters == 2 && strokes
	}
	if letters == 3 {
		// A word of its own: only one letter misread makes it a month's, and no keyword.
		return nearMonth(first.s) && s.keywordAt(j) == nil
	}
	return letters == 2
}

// nearMonth reports a three-letter word one letter from a month abbreviation, however many
// ("MRY", "MAN").
func nearMonth(w string) bool {
	if len(w) != 3 {
		return false
	}
	for name := range monthNames {
		if len(name) != 3 {
			continue
		}
		diff := 0
		for k := range 3 {
			if w[k] != name[k] {
				diff++
			}
		}
		if diff <= 1 {
			return true
		}
	}
	return false
}

// afterMonthYear reports whether the month name at token i follows a month and year of its
// own ("MAR-23/SEP-24"): the number before it is that date's year, not part of this one.
func (s *lineScan) afterMonthYear(i int) bool {
	if i < 2 {
		return false
	}
	y, mon := s.toks[i-1], s.toks[i-2]
	return y.num() && (len(y.s) == 2 || len(y.s) == 4) && mon.kind == tokWord && nameOrMisread(mon.s)
}

// labelledGluedBefore reports a month name glued to two digits after its date keyword (a lot
// word labels a code) earlier on the line than token i: the printer sets its dates in that
// shape, so a second one is a date too, even when the keyword before it was misread past
// recognition.
func (s *lineScan) labelledGluedBefore(i int) bool {
	for k := 0; k+1 < i; k++ {
		mon, y := s.toks[k], s.toks[k+1]
		if mon.kind != tokWord || monthOf(mon.s) == 0 || !y.num() || len(y.s) != 2 || mon.end != y.start {
			continue
		}
		if h := s.prefixHit(k); h != nil && !h.kw.lot {
			return true
		}
	}
	return false
}

// nameOrMisread reports a month name, as printed or with one letter misread (misreadMonth).
func nameOrMisread(word string) bool { return monthOf(word) > 0 || misreadMonth(word) > 0 }
