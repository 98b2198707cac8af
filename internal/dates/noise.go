package dates

import "bytes"

// This file holds the checks that keep noise which looks like a date from becoming one:
// runs that are part of longer numbers, quantities, prices, codes glued to letters, and
// dates OCR cut short.

// isolated rejects date-shaped runs that are really part of something longer: a fourth
// number joined by a date separator (versions, IP addresses, 31/02/2024 read as 02/2024),
// spaced digit groups of a phone number, prices and percentages.
func (s *lineScan) isolated(first, last int, spaced bool) bool {
	if first > 0 && s.toks[first-1].num() && !s.rangeMark(first-1, spaced) {
		if c, ok := s.sep(first - 1); ok && c != ',' && (c != ' ' || spaced) {
			return false
		}
	}
	if last+1 < len(s.toks) && s.toks[last+1].num() && !s.opensCode(last+1) && !s.rangeMark(last, spaced) {
		if c, ok := s.sep(last); ok && c != ',' && (c != ' ' || (spaced && len(s.toks[last+1].s) <= 2)) {
			return false
		}
	}
	u := s.t.u
	start, end := s.toks[first].start, s.toks[last].end
	for k, n := start-1, 0; k >= 0 && n < 3; k, n = k-1, n+1 {
		if u[k] == '$' || u[k] == '+' {
			return false
		}
		if u[k] != ' ' {
			break
		}
	}
	for k, n := end, 0; k < len(u) && n < 3; k, n = k+1, n+1 {
		if u[k] == '$' || u[k] == '%' {
			return false
		}
		if u[k] == ',' && k+1 < len(u) && u[k+1] >= '0' && u[k+1] <= '9' {
			return false // decimal comma: 12.99,5 or 1.234,56
		}
		if u[k] != ' ' {
			break
		}
	}
	return true
}

// rangeMark reports a dash with a space beside it after token k, next to a date printed
// without spaces: the mark between the two ends of a validity range ("2021.01.13 - 2022.01.12"),
// not a separator inside one number.
func (s *lineScan) rangeMark(k int, spaced bool) bool {
	gap := s.t.u[s.toks[k].end:s.toks[k+1].start]
	return !spaced && bytes.IndexByte(gap, '-') >= 0 && bytes.IndexByte(gap, ' ') >= 0
}

// opensCode reports a number token glued to the letters after it ("7FD"): the start of a lot
// or batch code printed after a date, not another group of the number a date's run would
// belong to. Before a date, such a number is as likely its first group misread
// ("PR0008 02 2020" for "PROD 08 02 2020"), so only what follows is read this way.
func (s *lineScan) opensCode(k int) bool {
	if k+1 >= len(s.toks) || s.toks[k+1].kind != tokWord {
		return false
	}
	c, ok := s.sep(k)
	return ok && c == 0
}

// units are words that make a number a quantity: "CX 12/24 UN", "1/2 X".
var units = map[string]bool{
	"UN": true, "UND": true, "UNID": true, "UNIDADES": true, "UNITS": true, "G": true, "GR": true,
	"KG": true, "MG": true, "ML": true, "L": true, "LT": true, "CL": true, "OZ": true, "LB": true,
	"LBS": true, "PCS": true, "PC": true, "X": true, "CM": true, "MM": true, "M": true, "CX": true,
	"CAPS": true, "TABS": true, "DOSES": true, "FL": true, "PACK": true,
}

// counted reports a number pair that counts something: a unit word right before or after,
// even after a keyword ("E12.25oz": an e-mark or a stray letter before a weight). A unit word
// that is also a keyword, with a word holding a digit after it, opens a code or a date of its
// own instead ("03/29 L X1234": L opens a lot code; "V 05/26 M 05/24": M marks the
// manufacture date).
func (s *lineScan) counted(first, last int) bool {
	if first > 0 && s.toks[first-1].kind == tokWord && units[s.toks[first-1].s] {
		return true
	}
	u := last + 1
	if u >= len(s.toks) || s.toks[u].kind != tokWord || !units[s.toks[u].s] {
		return false
	}
	if lookupWord(s.toks[u].s) == nil {
		return true
	}
	// The keyword opens something when the word after it holds a digit (4471, X209B1).
	for k := u + 1; k < len(s.toks) && (k == u+1 || s.toks[k].start == s.toks[k-1].end); k++ {
		if s.toks[k].kind == tokNum {
			return false
		}
	}
	return true
}

// glued reports a date stuck to a letter run that is neither keyword nor month, as in
// "A12/05/2024": still a date, but OCR may have merged it with a code.
func (s *lineScan) glued(m *match) bool {
	first := m.first
	if first == 0 {
		return false
	}
	p := s.toks[first-1]
	return p.kind != tokNum && p.end == s.toks[first].start && s.keywordAt(first-1) == nil &&
		monthOf(p.s) == 0
}

// truncated reports a number right after a date separator that follows no digit: the
// start of a date OCR cut off, as in ".09.2022" or "/12/2025".
func (s *lineScan) truncated(i int) bool {
	u := s.t.u
	k := s.toks[i].start - 1
	if k < 0 || !printedSep(u[k]) {
		return false
	}
	return k == 0 || u[k-1] == ' '
}

// clockOrCode reports a number after a date that can be neither its year nor the rest of
// another date glued to it: four digits not starting with 2 (a clock time without its colon,
// "1432", or a code; "2828" may be a year misread, five digits "01129" a validity letter and
// MMYY), or a run longer than any year and its validity letter (a lot number, "461624").
func clockOrCode(t token) bool {
	return (len(t.s) == 4 && t.s[0] != '2') || len(t.s) >= lotDigits
}

// lotDigits is the shortest number after a month and year that is too long to be a misread
// year, even with a stray digit or validity letter glued to it.
const lotDigits = 6
