package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Layout is a built-in date format. MonthFirst marks layouts that print the month
// before the day; for numeric ones Random picks days above 12 so that the order
// can be told from the text alone (elsewhere day-first is the convention).
type Layout struct {
	Name, Pattern string
	MonthOnly     bool
	MonthFirst    bool
}

var layouts = []Layout{
	{Name: "val-slash", Pattern: "VAL {DD}/{MM}/{YYYY}"},
	{Name: "val-dot-yy", Pattern: "VAL: {DD}.{MM}.{YY}"},
	{Name: "exp-dash", Pattern: "EXP {DD}-{MM}-{YYYY}"},
	{Name: "best-by-mon", Pattern: "BEST BY {MON} {DD} {YYYY}", MonthFirst: true},
	{Name: "bb-slash-yy", Pattern: "BB {DD}/{MM}/{YY}"},
	{Name: "venc-mes", Pattern: "VENC {DD}/{MES}/{YYYY}"},
	{Name: "iso-dot", Pattern: "{YYYY}.{MM}.{DD}"},
	{Name: "val-month", Pattern: "VAL {MM}/{YYYY}", MonthOnly: true},
	{Name: "exp-mon-month", Pattern: "EXP {MON}{YYYY}", MonthOnly: true},
	{Name: "use-by-mon", Pattern: "USE BY {DD} {MON} {YYYY}"},
	{Name: "validade-slash", Pattern: "VALIDADE {DD}/{MM}/{YYYY}"},
	{Name: "bare-dot", Pattern: "{DD}.{MM}.{YYYY}"},
	{Name: "best-before-compact", Pattern: "BEST BEFORE {DD}{MON}{YYYY}"},
	{Name: "best-if-used-us", Pattern: "BEST IF USED BY {MM}/{DD}/{YYYY}", MonthFirst: true},
}

// Layouts returns the built-in formats; the slice is a copy.
func Layouts() []Layout {
	return append([]Layout(nil), layouts...)
}

var (
	monEN = [12]string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	monPT = [12]string{"JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ"}
	// mfgKeywords decide which Extra lines print above the date line.
	mfgKeywords = []string{"FAB", "MFG", "PROD"}
	// ptKeywords mark Portuguese layouts, whose manufacture line says FAB.
	ptKeywords = []string{"VAL", "VENC"}
)

// formatDate substitutes the placeholders of pattern with d's civil date.
func formatDate(pattern string, d time.Time) (string, error) {
	y, m, day := d.Date()
	var b strings.Builder
	rest := pattern
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("synth: unclosed placeholder in layout %q", pattern)
		}
		switch name := rest[i+1 : i+j]; name {
		case "DD":
			fmt.Fprintf(&b, "%02d", day)
		case "MM":
			fmt.Fprintf(&b, "%02d", int(m))
		case "YY":
			fmt.Fprintf(&b, "%02d", y%100)
		case "YYYY":
			fmt.Fprintf(&b, "%04d", y)
		case "MON":
			b.WriteString(monEN[m-1])
		case "MES":
			b.WriteString(monPT[m-1])
		default:
			return "", fmt.Errorf("synth: unknown placeholder {%s} in layout %q", name, pattern)
		}
		rest = rest[i+j+1:]
	}
	return b.String(), nil
}

// splitKeyword separates a pattern's leading keyword ("VAL:", "BEST BY") from
// its date part, so the manufacture line can reuse the date part.
func splitKeyword(pattern string) (keyword, datePart string) {
	i := strings.IndexByte(pattern, '{')
	if i < 0 {
		return strings.TrimSpace(pattern), ""
	}
	return strings.TrimSpace(pattern[:i]), pattern[i:]
}

// Random returns a varied Spec drawn from r: expiry in 2020..2032, one of the
// Layouts, a font, angle −8..8°, blur 0..1.2, contrast 0.6..1, noise 0..0.08,
// and sometimes an earlier manufacture date, a lot code and a clock time.
func Random(r *rand.Rand, width, height int) Spec {
	if width == 0 && height == 0 {
		width, height = defaultWidth, defaultHeight
	}
	l := layouts[r.IntN(len(layouts))]
	numericMonthFirst := l.MonthFirst && strings.Contains(l.Pattern, "{MM}") && strings.Contains(l.Pattern, "{DD}")
	exp := randomDate(r, 2020, 2032, numericMonthFirst)
	s := Spec{
		Seed:       r.Int64(),
		Width:      width,
		Height:     height,
		Expiry:     exp,
		Layout:     l.Pattern,
		MonthOnly:  l.MonthOnly,
		Font:       pickFont(r),
		TextHeight: max(8, height/(11+r.IntN(6))),
		Angle:      r.Float64()*16 - 8,
		Contrast:   0.6 + 0.4*r.Float64(),
		Noise:      0.08 * r.Float64(),
	}
	if r.IntN(4) > 0 {
		s.Blur = 1.2 * r.Float64()
	}
	if r.IntN(2) == 0 {
		s.Extra = append(s.Extra, manufactureLine(r, l, exp, numericMonthFirst))
	}
	lot, clock := r.IntN(5) < 3, r.IntN(3) == 0
	switch {
	case lot && clock && r.IntN(2) == 0:
		s.Extra = append(s.Extra, lotCode(r)+" "+clockTime(r))
	case lot && clock:
		s.Extra = append(s.Extra, lotCode(r), clockTime(r))
	case lot:
		s.Extra = append(s.Extra, lotCode(r))
	case clock:
		s.Extra = append(s.Extra, clockTime(r))
	}
	// Shrink rather than fail: Random must always produce a renderable Spec.
	if lines, _, err := buildLines(s); err == nil {
		for {
			if _, err := fitTextHeight(s, lines); err == nil {
				break
			}
			if s.TextHeight <= 8 {
				s.TextHeight = 0 // let Render find the largest height that fits
				break
			}
			s.TextHeight = s.TextHeight * 9 / 10
		}
	}
	return s
}

func randomDate(r *rand.Rand, fromYear, toYear int, dayAbove12 bool) time.Time {
	y := fromYear + r.IntN(toYear-fromYear+1)
	m := time.Month(1 + r.IntN(12))
	daysIn := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := 1 + r.IntN(daysIn)
	if dayAbove12 {
		d = 13 + r.IntN(daysIn-12)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// manufactureLine prints a date 31..730 days before exp in the layout's own date
// format. At least 31 days back keeps month-only manufacture dates strictly earlier.
func manufactureLine(r *rand.Rand, l Layout, exp time.Time, dayAbove12 bool) string {
	mfg := exp.AddDate(0, 0, -(31 + r.IntN(700)))
	if dayAbove12 && mfg.Day() <= 12 {
		mfg = time.Date(mfg.Year(), mfg.Month(), 13+r.IntN(16), 0, 0, 0, 0, time.UTC)
	}
	kw, datePart := splitKeyword(l.Pattern)
	prefix := mfgKeywords[1+r.IntN(2)]
	if kw == "" {
		prefix = mfgKeywords[r.IntN(len(mfgKeywords))]
	}
	for _, pt := range ptKeywords {
		if strings.HasPrefix(kw, pt) {
			prefix = "FAB"
		}
	}
	if strings.HasSuffix(kw, ":") {
		prefix += ":"
	}
	text, err := formatDate(datePart, mfg)
	if err != nil {
		panic(err) // built-in layouts are valid; a failure here is a bug in this package
	}
	return prefix + " " + text
}

func pickFont(r *rand.Rand) string {
	switch n := r.IntN(20); {
	case n < 6:
		return "dotmatrix"
	case n < 10:
		return "bold"
	case n < 14:
		return "monobold"
	case n < 17:
		return "mono"
	default:
		return "regular"
	}
}

func lotCode(r *rand.Rand) string {
	const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("L %02d%02d%c", r.IntN(30), 1+r.IntN(52), letters[r.IntN(len(letters))])
	case 1:
		return fmt.Sprintf("LOTE %d%c", 1+r.IntN(99), letters[r.IntN(len(letters))])
	default:
		return fmt.Sprintf("LOT %c%04d", letters[r.IntN(len(letters))], r.IntN(10000))
	}
}

func clockTime(r *rand.Rand) string {
	return fmt.Sprintf("%02d:%02d", r.IntN(24), r.IntN(60))
}
