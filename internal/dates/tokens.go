package dates

import (
	"strconv"
	"strings"
)

type tokKind uint8

const (
	tokNum    tokKind = iota // a digit run
	tokWord                  // an ASCII letter run
	tokScript                // a run of letters from other scripts (CJK, Hangul, ...)
)

// token is a digit or letter run of a folded line. Punctuation and spaces are not tokens;
// the matchers read them from the gaps between tokens.
type token struct {
	kind       tokKind
	s          string // digits (after OCR fixes) or upper-case letters
	start, end int    // folded byte offsets
	fixes      int    // letters read as digits inside this number (O→0, I/l→1), or digits as a word's letters (5EP)
	time       bool   // hour, minute or second of a clock time: never part of a date
}

func (tk token) num() bool { return tk.kind == tokNum && !tk.time }

func (tk token) val() int {
	v, _ := strconv.Atoi(tk.s)
	return v
}

const (
	clsOther byte = iota
	clsDigit
	clsLetter // ASCII letter
	clsScript // byte of a non-ASCII letter
)

// confusable returns the digit OCR often means by a letter printed among digits.
// Upper-case L is deliberately absent: it starts lot codes (L274A1) and LOT/LOTE; so is B,
// which ends them (2403B). Z and S only count in upper case, as dot-matrix print reads; a
// lower-case i is the 1 of dot-matrix print, its top dot set apart.
func confusable(c byte) byte {
	switch c {
	case 'O', 'o':
		return '0'
	case 'I', 'i', 'l':
		return '1'
	case 'Z':
		return '2'
	case 'S':
		return '5'
	}
	return 0
}

// tokenize splits a folded line into tokens. Letters that OCR confuses with digits are read
// as digits only inside a digit run and never where they touch other letters, so "2O26"
// becomes 2026 while LOTE, OUT and AGO2025 keep their letters: Datalid's global substitution
// turned LOTE into L0TE and SET into 5ET.
func tokenize(t *folded) []token {
	n := len(t.u)
	buf := make([]byte, 3*n)
	cls, digit, fixed := buf[:n:n], buf[n:2*n:2*n], buf[2*n:]
	copy(digit, t.u)
	for i, c := range t.u {
		switch {
		case c >= '0' && c <= '9':
			cls[i] = clsDigit
		case c >= 'A' && c <= 'Z':
			cls[i] = clsLetter
		case c >= 0x80:
			cls[i] = clsScript
		}
	}
	readConfusables(t, cls, digit, fixed)
	// One string for the whole line; token texts are slices of it.
	ds := string(digit)

	toks := make([]token, 0, 16)
	for i := 0; i < n; {
		c := cls[i]
		if c == clsOther {
			i++
			continue
		}
		j := i + 1
		for j < n && cls[j] == c {
			j++
		}
		switch c {
		case clsDigit:
			tk := token{kind: tokNum, s: ds[i:j], start: i, end: j}
			for k := i; k < j; k++ {
				tk.fixes += int(fixed[k])
			}
			toks = append(toks, tk)
		case clsLetter:
			w := ds[i:j]
			if monthOf(w) == 0 && lookupWord(w) == nil {
				if k := monthSuffix(w); k > 0 {
					toks = append(toks, token{kind: tokWord, s: w[:k], start: i, end: i + k})
					toks = append(toks, token{kind: tokWord, s: w[k:], start: i + k, end: j})
					break
				}
			}
			toks = append(toks, token{kind: tokWord, s: w, start: i, end: j})
		default:
			toks = append(toks, token{kind: tokScript, s: ds[i:j], start: i, end: j})
		}
		i = j
	}
	return markTimes(t, joinMonthZeros(toks))
}

// named reports a month name or a keyword (PR0D is PROD, L0TE is LOTE).
func named(w string) bool { return monthOf(w) > 0 || lookupWord(w) != nil }

// joinMonthZeros reads a 0 glued inside a letter run as the O of a month name or keyword, as
// OCR reads dot-matrix "OCT", "NOV", "AGO" and "PROD" as "0CT", "N0V", "AG0" and "PR0D", and
// a 0 ending a day glued to the rest of a month name as its O ("250CT22" is 25 OCT 22).
// Only names are repaired: elsewhere a 0 between letters may be a real digit of a code.
func joinMonthZeros(toks []token) []token {
	glued := func(a, b token) bool { return a.end == b.start }
	word := func(k int) bool { return k >= 0 && k < len(toks) && toks[k].kind == tokWord }
	zero := func(k int) bool { return k >= 0 && k < len(toks) && toks[k].kind == tokNum && toks[k].s[0] == '0' }
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		zn := "" // PR00: the keyword a letter run and its glued zeros spell
		if word(i) && zero(i+1) && glued(tk, toks[i+1]) && !named(tk.s) {
			zn = zeroName(tk.s, toks[i+1].s)
		}
		mid := "" // N0V, PR0D, VALIDA0E, BY0CT: the letter a zero between letters stands for
		if word(i) && zero(i+1) && toks[i+1].s == "0" && word(i+2) && glued(tk, toks[i+1]) && glued(toks[i+1], toks[i+2]) {
			for _, c := range []string{"O", "D"} {
				if w := tk.s + c + toks[i+2].s; named(w) || monthSuffix(w) > 0 || misreadMonth(w) > 0 {
					mid = c
					break
				}
			}
		}
		first := "" // 5EP: the first letter of a month name read as the digit it resembles
		if tk.kind == tokNum && len(tk.s) == 1 && word(i+1) && glued(tk, toks[i+1]) && (i == 0 || !glued(toks[i-1], tk)) {
			first = monthStart(tk.s[0], toks[i+1].s)
		}
		last := "" // the last letter of a month name read as the digit it resembles
		if word(i) && i+1 < len(toks) && toks[i+1].kind == tokNum && glued(tk, toks[i+1]) && !named(tk.s) {
			last = monthEnd(tk.s, toks[i+1].s[0])
		}
		switch {
		case mid != "":
			w, end := tk.s+mid+toks[i+2].s, toks[i+2].end
			if k := monthSuffix(w); k > 0 && !named(w) { // BEST BY0CT: the keyword, then the month
				out = append(out, token{kind: tokWord, s: w[:k], start: tk.start, end: tk.start + k})
				out = append(out, token{kind: tokWord, s: w[k:], start: tk.start + k, end: end})
			} else {
				out = append(out, token{kind: tokWord, s: w, start: tk.start, end: end})
			}
			i += 2
		case zero(i) && tk.s == "0" && word(i+1) && glued(tk, toks[i+1]) && named("O"+toks[i+1].s) &&
			(i == 0 || !glued(toks[i-1], tk)): // 0CT
			out = append(out, token{kind: tokWord, s: "O" + toks[i+1].s, start: tk.start, end: toks[i+1].end})
			i++
		case first != "": // 5EP, 4UG, 0EC
			out = append(out, token{kind: tokWord, s: first + toks[i+1].s, start: tk.start, end: toks[i+1].end, fixes: 1})
			i++
		case tk.kind == tokNum && (len(tk.s) == 2 || len(tk.s) == 3) && tk.s[len(tk.s)-1] == '0' && word(i+1) &&
			glued(tk, toks[i+1]) && monthOf("O"+toks[i+1].s) > 0: // 250CT: the day 25, then 0CT
			cut := tk.start + len(tk.s) - 1
			out = append(out, token{kind: tokNum, s: tk.s[:len(tk.s)-1], start: tk.start, end: cut, fixes: tk.fixes},
				token{kind: tokWord, s: "O" + toks[i+1].s, start: cut, end: toks[i+1].end})
			i++
		case zn != "": // PR00
			out = append(out, token{kind: tokWord, s: zn, start: tk.start, end: toks[i+1].end})
			i++
		case last != "": // AG0, AG02025, AU6 13 23, FE8 2025
			out = append(out, token{kind: tokWord, s: tk.s + last, start: tk.start, end: tk.end + 1})
			if rest := toks[i+1]; len(rest.s) > 1 {
				out = append(out, token{kind: tokNum, s: rest.s[1:], start: rest.start + 1, end: rest.end, fixes: rest.fixes})
			}
			i++
		default:
			out = append(out, tk)
		}
	}
	return out
}

// monthEnd returns the letter that digit d stands for when it ends a month name begun by
// word ("AU" and 6: G), or "" when no letter or more than one month fits.
func monthEnd(word string, d byte) string {
	return letterForDigit(d, func(c rune) string { return word + string(c) })
}

// monthStart returns the letter that digit d stands for when it begins a month name ended by
// word (5 and "EP": S), or "" when no letter or more than one month fits.
func monthStart(d byte, word string) string {
	return letterForDigit(d, func(c rune) string { return string(c) + word })
}

// letterForDigit returns the one letter of digitLetters[d] that makes spell(letter) a month
// name, or "" when none or more than one does.
func letterForDigit(d byte, spell func(rune) string) string {
	found := ""
	for _, c := range digitLetters[d] {
		if monthOf(spell(c)) > 0 {
			if found != "" {
				return ""
			}
			found = string(c)
		}
	}
	return found
}

// zeroName reads a run of one or two zeros after letters as the O or D a dot-matrix printer
// left open ("PR00" is PROD, "CA0" CAD) and returns the keyword that makes, or "". Month
// names are left to the AG0 rule, which keeps the digits after the O.
func zeroName(word, zeros string) string {
	if len(zeros) > 2 || strings.Trim(zeros, "0") != "" {
		return ""
	}
	var try func(prefix string, rest int) string
	try = func(prefix string, rest int) string {
		if rest == 0 {
			if lookupWord(prefix) != nil {
				return prefix
			}
			return ""
		}
		for _, c := range []string{"O", "D"} {
			if w := try(prefix+c, rest-1); w != "" {
				return w
			}
		}
		return ""
	}
	return try(word, len(zeros))
}

// readConfusables turns confusable letters into digits inside runs that hold real digits,
// peeling off those at a run's edge that touch another letter.
func readConfusables(t *folded, cls, digit, fixed []byte) {
	n := len(cls)
	letterAt := func(i int) bool { return i >= 0 && i < n && (cls[i] == clsLetter || cls[i] == clsScript) }
	for i := 0; i < n; {
		if cls[i] != clsDigit && confusable(t.f[i]) == 0 {
			i++
			continue
		}
		j, digits := i, 0
		for j < n && (cls[j] == clsDigit || confusable(t.f[j]) != 0) {
			if cls[j] == clsDigit {
				digits++
			}
			j++
		}
		a, b := i, j
		for a < b && cls[a] != clsDigit && letterAt(a-1) {
			a++
		}
		for b > a && cls[b-1] != clsDigit && letterAt(b) {
			b--
		}
		if digits > 0 || dayBesideMonth(t, cls, i, j) {
			for k := a; k < b; k++ {
				if cls[k] != clsDigit {
					cls[k], digit[k], fixed[k] = clsDigit, confusable(t.f[k]), 1
				}
			}
		}
		i = j
	}
}

// maxDayLetters is the most letters a day number read as letters alone beside a month name
// may have: two digits.
const maxDayLetters = 2

// dayBesideMonth reports whether bytes i..j-1, letters that OCR confuses with digits and no
// digit among them, stand alone as a day number beside a month name: "Ol SEP 2023" and
// "SEP Ol 2023" are the 1st, worn or dot-matrix print reading its digits as O and l. A word
// that touches other letters ("OIL") is left as it is.
func dayBesideMonth(t *folded, cls []byte, i, j int) bool {
	if j-i > maxDayLetters || (i > 0 && cls[i-1] == clsLetter) || (j < len(cls) && cls[j] == clsLetter) {
		return false
	}
	return monthWordAt(t, cls, j, 1) || monthWordAt(t, cls, i-1, -1)
}

// monthWordAt reports whether, from byte k on in direction dir, past at most two separators
// (spaces, '.', '-', '/'), a month name stands as a whole letter run.
func monthWordAt(t *folded, cls []byte, k, dir int) bool {
	in := func(k int) bool { return k >= 0 && k < len(cls) }
	for n := 0; in(k) && cls[k] == clsOther && n < 2; n++ {
		if !strings.ContainsRune(" .-/", rune(t.u[k])) {
			return false
		}
		k += dir
	}
	a := k
	for in(k) && cls[k] == clsLetter {
		k += dir
	}
	if a == k {
		return false
	}
	lo, hi := min(a, k-dir), max(a, k-dir)
	return monthOf(string(t.u[lo:hi+1])) > 0
}

// yearHourRun reports a run of four digits that ends a separated date and no year of the
// dates read begins: a two-digit year glued to a clock hour ("06.01.2408 :46").
func yearHourRun(t *folded, tk token) bool {
	if len(tk.s) != 4 || centuryRead(tk.s[:2]) {
		return false
	}
	k := tk.start - 1
	if k >= 0 && t.u[k] == ' ' {
		k--
	}
	return k >= 0 && printedSep(t.u[k])
}

// markTimes flags clock times so they never become date parts, and splits a clock hour
// off a digit run OCR glued it to: "01/01/2603:33" is 01/01/26 then 03:33, "2116:16" is
// 21 then 16:16.
//
// OCR sets a space after a clock's colon as often as not ("06: 41"); one is allowed there,
// and one before it ("06 :41").
func markTimes(t *folded, toks []token) []token {
	digit := func(k int) bool { return k < len(t.u) && t.u[k] >= '0' && t.u[k] <= '9' }
	colonDigitAfter := func(end int) bool {
		return end+1 < len(t.u) && t.u[end] == ':' && (digit(end+1) || t.u[end+1] == ' ' && digit(end+2))
	}
	// spacedColonAfter: a space before the colon, the rarer slip ("11 :51"). An hour is split
	// off a run that way only where the run is longer than any date part but a compact date's
	// ("202906 : 10" is 2029 then 06:10), or is a date's last group and no year (yearHourRun).
	spacedColonAfter := func(end int) bool {
		return end < len(t.u) && t.u[end] == ' ' && colonDigitAfter(end+1)
	}
	// colonBefore is where the colon before a token starting at start lies, or -1.
	colonBefore := func(start int) int {
		switch {
		case start >= 1 && t.u[start-1] == ':':
			return start - 1
		case start >= 2 && t.u[start-1] == ' ' && t.u[start-2] == ':':
			return start - 2
		}
		return -1
	}
	out := toks[:0:0]
	for i, tk := range toks {
		if tk.kind != tokNum {
			out = append(out, tk)
			continue
		}
		// Minutes or seconds, unless a slash and digits follow: no clock goes on "/02/2023",
		// so in "PR00:01/02/2023" (PROD misread) the 01 is the date's day.
		slashDigitAfter := tk.end < len(t.u) && t.u[tk.end] == '/' && digit(tk.end+1)
		if c := colonBefore(tk.start); c >= 1 && i > 0 && toks[i-1].kind == tokNum && !slashDigitAfter &&
			(toks[i-1].end == c || toks[i-1].end == c-1 && t.u[c-1] == ' ') {
			tk.time = true
		}
		if spacedColonAfter(tk.end) && len(tk.s) <= 2 {
			tk.time = true
		}
		yearHour := yearHourRun(t, tk)
		if spaced := spacedColonAfter(tk.end); (colonDigitAfter(tk.end) || spaced && (len(tk.s) >= 5 || yearHour)) && !tk.time {
			if len(tk.s) <= 2 {
				tk.time = true
			} else {
				// An hour past 23 is one digit of a longer run, unless the run is a date's
				// last group and no year (yearHourRun): then its first two digits are the
				// year, and the hour is misread ("12.06.3081:04").
				h := 2
				if v, _ := strconv.Atoi(tk.s[len(tk.s)-2:]); v > 23 && !yearHour {
					h = 1
				}
				cut := len(tk.s) - h
				head := token{kind: tokNum, s: tk.s[:cut], start: tk.start, end: tk.start + cut}
				hour := token{kind: tokNum, s: tk.s[cut:], start: tk.start + cut, end: tk.end, time: true}
				head.fixes, hour.fixes = tk.fixes, 0
				out = append(out, head, hour)
				continue
			}
		}
		out = append(out, tk)
	}
	return out
}
