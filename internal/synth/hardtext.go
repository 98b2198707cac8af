package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// text is what a hard family prints: the lines, which one holds the expiry,
// and the dates they state.
type text struct {
	lines     []string
	dateLine  int
	expiry    time.Time
	made      time.Time // zero when no manufacture date is printed
	monthOnly bool
	format    string
}

// fd formats a built-in pattern; a failure is a bug in this file.
func fd(pattern string, t time.Time) string {
	s, err := formatDate(pattern, t)
	if err != nil {
		panic(err)
	}
	return s
}

// expiryAndMade draws an expiry in 2020..2032 and a manufacture date 31..730
// days earlier (at least a month, so month-only pairs differ). dayAbove12
// keeps numeric month-first dates unambiguous, as Random does.
func expiryAndMade(r *rand.Rand, dayAbove12 bool) (time.Time, time.Time) {
	exp := randomDate(r, 2020, 2032, dayAbove12)
	mfg := exp.AddDate(0, 0, -(31 + r.IntN(700)))
	if dayAbove12 && mfg.Day() <= 12 {
		mfg = time.Date(mfg.Year(), mfg.Month(), 13+r.IntN(16), 0, 0, 0, 0, time.UTC)
	}
	return exp, mfg
}

// lot draws a lot or batch code of the shapes date coders print.
func lot(r *rand.Rand) string {
	const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	l := func() byte { return letters[r.IntN(len(letters))] }
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("L%07d", r.IntN(10_000_000))
	case 1:
		return fmt.Sprintf("L:%c%02d%c%04d", l(), r.IntN(30), l(), r.IntN(10_000))
	case 2:
		return fmt.Sprintf("LOTE %d", 100+r.IntN(900_000))
	case 3:
		return fmt.Sprintf("%c%c%d%c", l(), l(), 10+r.IntN(990), l())
	case 4:
		return fmt.Sprintf("L %02d-%04d", r.IntN(30), r.IntN(10_000))
	default:
		return fmt.Sprintf("LOT %c%04d", l(), r.IntN(10_000))
	}
}

func clock(r *rand.Rand) string { return fmt.Sprintf("%02d:%02d", r.IntN(24), r.IntN(60)) }

// near puts extra on the date line or on a line below it.
func near(r *rand.Rand, date, extra string) ([]string, int) {
	if r.IntN(2) == 0 {
		return []string{date + " " + extra}, 0
	}
	return []string{date, extra}, 0
}

// usText prints US formats: month names, month-first numbers, month/year
// only, with lot codes and clock times on the same line or the next.
func usText(r *rand.Rand) text {
	k := r.IntN(8)
	exp, _ := expiryAndMade(r, k == 4)
	t := text{expiry: exp}
	switch k {
	case 0:
		t.lines, t.dateLine = near(r, fd("BEST IF USED BY {MON} {DD} {YYYY}", exp), lot(r)+" "+clock(r))
		t.format = "MON DD YYYY"
	case 1:
		t.lines = []string{fd("BEST BY {MON} {DD} {YY}", exp) + " " + clock(r) + " " + lot(r)}
		t.format = "MON DD YY"
	case 2:
		// A bare MM/YY: the year part can never be a month, which is how it reads as March 2029 and not a day.
		t.lines, t.monthOnly, t.format = []string{fd("EXP {MM}/{YY}", exp) + " " + lot(r)}, true, "MM/YY"
	case 3:
		t.lines, t.monthOnly, t.format = []string{lot(r) + " " + clock(r), fd("BEST BY {MON} {YYYY}", exp)}, true, "MON YYYY"
		t.dateLine = 1
	case 4:
		t.lines, t.dateLine = near(r, fd("SELL BY {MM}/{DD}/{YY}", exp), lot(r))
		t.format = "MM/DD/YY"
	case 5:
		t.lines = []string{fd("{MON}{DD}{YYYY}", exp) + " " + lot(r) + " " + clock(r)}
		t.format = "MONDDYYYY"
	case 6:
		t.lines, t.dateLine = near(r, fd("USE BY {MON} {DD} {YYYY}", exp), clock(r))
		t.format = "MON DD YYYY"
	default:
		t.lines = []string{fd("{MON} {DD} {YY}", exp) + fmt.Sprintf(" %02d%02d %c%d", r.IntN(24), r.IntN(60), 'A'+rune(r.IntN(26)), r.IntN(10))}
		t.format = "MON DD YY"
	}
	return t
}

// monthYearText prints month/year-only expiries, often after a manufacture
// month: Portuguese FAB/VAL and F:/V: pairs, MM/YY, MM/YYYY, MON/YY.
func monthYearText(r *rand.Rand) text {
	exp, mfg := expiryAndMade(r, false)
	t := text{expiry: exp, monthOnly: true}
	seps := []string{":", " ", ":", "", "."}
	switch r.IntN(9) {
	case 0:
		sep := seps[r.IntN(len(seps))]
		t.lines = []string{lot(r), "F" + sep + fd("{MM}/{YY}", mfg) + " V" + sep + fd("{MM}/{YY}", exp)}
		t.dateLine, t.made, t.format = 1, mfg, "MM/YY"
	case 1:
		t.lines = []string{"FAB " + fd("{MM}/{YYYY}", mfg), "VAL " + fd("{MM}/{YYYY}", exp), lot(r)}
		t.dateLine, t.made, t.format = 1, mfg, "MM/YYYY"
	case 2:
		t.lines = []string{"FAB: " + fd("{MES}/{YY}", mfg) + " VAL: " + fd("{MES}/{YY}", exp)}
		t.made, t.format = mfg, "MON/YY"
	case 3:
		t.lines, t.format = []string{"V:" + fd("{MM}/{YY}", exp) + " L:" + fmt.Sprint(100000+r.IntN(900000))}, "MM/YY"
	case 4:
		t.lines = []string{"VAL.: " + fd("{MM} {YYYY}", exp), "FAB.: " + fd("{MM} {YYYY}", mfg)}
		t.made, t.format = mfg, "MM YYYY"
	case 5:
		t.lines, t.format = []string{lot(r), fd("EXP {MM}.{YYYY}", exp)}, "MM.YYYY"
		t.dateLine = 1
	case 6:
		t.lines, t.format = []string{fd("VALIDADE {MM}/{YY}", exp), lot(r)}, "MM/YY"
	case 7:
		t.lines, t.format = []string{fd("BEST BEFORE END {MON} {YYYY}", exp), lot(r) + " " + clock(r)}, "MON YYYY"
	default:
		// Validity letters glued to the numbers, after a lot code.
		t.lines = []string{fmt.Sprintf("L%07d ", r.IntN(10_000_000)) + fd("F{MM}/{YYYY}", mfg) + " " + fd("V{MM}/{YYYY}", exp)}
		t.made, t.format = mfg, "MM/YYYY"
	}
	return t
}

// gluedText prints full dates with clock times, lot codes, letters or a
// stray digit glued on without a space, as coders do when a field overflows.
func gluedText(r *rand.Rand) text {
	exp, mfg := expiryAndMade(r, false)
	t := text{expiry: exp}
	switch r.IntN(7) {
	case 0:
		t.lines = []string{"FAB:" + fd("{DD}/{MM}/{YYYY}", mfg) + clock(r), "VAL:" + fd("{DD}/{MM}/{YYYY}", exp) + clock(r), lot(r)}
		t.dateLine, t.made, t.format = 1, mfg, "DD/MM/YYYY"
	case 1:
		t.lines, t.format = []string{lot(r), "EXP " + fd("{DD}{MON}{YY}", exp) + clock(r)}, "DDMONYY"
		t.dateLine = 1
	case 2:
		t.lines, t.format = []string{"EXP:" + fd("{MON}{DD}{YY}", exp) + fmt.Sprintf("LOT%d%c", 1+r.IntN(9), 'A'+rune(r.IntN(26)))}, "MONDDYY"
	case 3:
		t.lines, t.format = []string{fd("VAL{DD}/{MM}/{YY}", exp) + fmt.Sprintf("L%04d", r.IntN(10_000))}, "DD/MM/YY"
	case 4:
		t.lines = []string{fd("F{DD}{MM}{YY}", mfg) + " " + fd("E{DD}{MM}{YY}", exp)}
		t.made, t.format = mfg, "DDMMYY"
	case 5:
		t.lines, t.format = []string{fd("BB{DD}.{MM}.{YYYY}", exp) + clock(r), lot(r)}, "DD.MM.YYYY"
	default:
		t.lines = []string{"FAB " + fd("{DD}.{MM}.{YY}", mfg) + " VAL " + fd("{DD}.{MM}.{YY}", exp) + clock(r)}
		t.made, t.format = mfg, "DD.MM.YY"
	}
	return t
}

// euText prints day-first full dates of European and Latin American coders,
// with the lot code and clock time nearby.
func euText(r *rand.Rand) text {
	exp, mfg := expiryAndMade(r, false)
	t := text{expiry: exp}
	switch r.IntN(7) {
	case 0:
		t.lines, t.format = []string{fd("VAL {DD}/{MM}/{YY}", exp), lot(r) + " " + clock(r)}, "DD/MM/YY"
	case 1:
		t.lines, t.dateLine = near(r, fd("{DD}.{MM}.{YYYY}", exp), lot(r))
		t.format = "DD.MM.YYYY"
	case 2:
		t.lines, t.format = []string{fd("EXP {DD} {MON} {YYYY}", exp)}, "DD MON YYYY"
	case 3:
		t.lines, t.format = []string{"MFG " + fd("{DD}/{MM}/{YYYY}", mfg), "EXP " + fd("{DD}/{MM}/{YYYY}", exp)}, "DD/MM/YYYY"
		t.dateLine, t.made = 1, mfg
	case 4:
		t.lines, t.format = []string{lot(r) + " " + fd("VAL {DD} {MM} {YY}", exp)}, "DD MM YY"
	case 5:
		t.lines, t.format = []string{fd("{YYYY}.{MM}.{DD}", exp) + " " + clock(r)}, "YYYY.MM.DD"
	default:
		t.lines, t.format = []string{fmt.Sprintf("LOTTO L%02dX%02d", r.IntN(30), r.IntN(100)), fd("SCAD. {DD}/{MM}/{YYYY}", exp)}, "DD/MM/YYYY"
		t.dateLine = 1
	}
	return t
}

// anyText draws from every text family: the dot-matrix and curved families
// are about the print, not the wording.
// stackedText draws a code of two or more lines (any family's), the shape coders print
// stacked: drawn again until it has several lines, at most a few times, then given a lot line.
func stackedText(r *rand.Rand) text {
	var t text
	for range 8 {
		if t = anyText(r); len(t.lines) > 1 {
			return t
		}
	}
	t.lines = append(t.lines, lot(r))
	return t
}

func anyText(r *rand.Rand) text {
	switch r.IntN(4) {
	case 0:
		return usText(r)
	case 1:
		return monthYearText(r)
	case 2:
		return gluedText(r)
	default:
		return euText(r)
	}
}

// inkjetForms are the date formats of US continuous-inkjet coders;
// numericMonthFirst marks those whose day must exceed 12 to be decidable.
var inkjetForms = []struct {
	pattern, format              string
	monthOnly, numericMonthFirst bool
}{
	{"{MON} {DD} {YY}", "MON DD YY", false, false},
	{"{MON} {DD} {YYYY}", "MON DD YYYY", false, false},
	{"{MM}/{DD}/{YY}", "MM/DD/YY", false, true},
	{"{MM}/{DD}/{YYYY}", "MM/DD/YYYY", false, true},
	{"{MON}{DD}{YYYY}", "MONDDYYYY", false, false},
	{"{MM} {YYYY}", "MM YYYY", true, false},
}

// inkjetLot draws the lot and plant codes CIJ coders print next to the date:
// shift and line letters, dashes, runs of digits. The digit runs never read
// as a date: a six-digit run starts with 32..99, no day or month.
func inkjetLot(r *rand.Rand) string {
	const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	l := func() byte { return letters[r.IntN(len(letters))] }
	switch r.IntN(7) {
	case 0:
		return fmt.Sprintf("%c%d%c%c%c-%02d", l(), r.IntN(10), l(), l(), l(), r.IntN(100))
	case 1:
		return fmt.Sprintf("%c%c%02d%04d%c", l(), l(), 32+r.IntN(68), r.IntN(10_000), l())
	case 2:
		return fmt.Sprintf("L%04d", r.IntN(10_000))
	case 3:
		return fmt.Sprintf("LOT %d", 100+r.IntN(900))
	case 4:
		return fmt.Sprintf("%c%d", l(), r.IntN(10))
	case 5:
		return fmt.Sprintf("%d%c%c %d", 1+r.IntN(9), l(), l(), 10+r.IntN(90))
	default:
		return fmt.Sprintf("P%d %c%c%03d", 1+r.IntN(99), l(), l(), r.IntN(1000))
	}
}

// inkjetText prints what US continuous-inkjet coders put on bottles, cans and
// cartons: an optional wording, the date in a US format, then a lot code and a
// clock time (HH:MM or HHMM) on the same line or on up to two lines of their own.
func inkjetText(r *rand.Rand) text {
	f := inkjetForms[r.IntN(len(inkjetForms))]
	exp, _ := expiryAndMade(r, f.numericMonthFirst)
	words := []string{"", "", "BEST BY ", "BEST IF USED BY ", "USE BY ", "SELL BY ", "EXP ", "BB "}
	if f.monthOnly {
		words = []string{"", "EXP ", "BEST BY ", "USE BY "}
	}
	date := words[r.IntN(len(words))] + fd(f.pattern, exp)
	t := text{expiry: exp, monthOnly: f.monthOnly, format: f.format}
	hhmm := clock(r)
	if r.IntN(2) == 0 {
		hhmm = strings.ReplaceAll(hhmm, ":", "")
	}
	var extras []string
	switch r.IntN(4) {
	case 0:
		extras = []string{inkjetLot(r)}
	case 1:
		extras = []string{hhmm, inkjetLot(r)}
	default:
		extras = []string{inkjetLot(r), hhmm}
	}
	switch r.IntN(5) {
	case 0, 1: // one line
		t.lines = []string{date + " " + strings.Join(extras, " ")}
	case 2: // the date alone, the rest below
		t.lines = []string{date, strings.Join(extras, " ")}
	case 3: // the lot code first, the date below
		t.lines, t.dateLine = []string{strings.Join(extras, " "), date}, 1
	default: // one field a line
		t.lines = append([]string{date}, extras...)
	}
	return t
}
