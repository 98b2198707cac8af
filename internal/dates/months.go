package dates

import (
	"slices"
	"strings"
)

// monthNames maps folded (upper-case, accent-free) month names and the abbreviations
// printed on packaging to month numbers. Portuguese, English and Spanish come first because
// they are Datalid's markets; French, German, Dutch and Italian cover imported goods.
// Words that are also common non-month words (OUT, SET, MAY, MAR) are safe here because a
// month only counts when it sits next to date digits.
var monthNames = map[string]int{
	// Portuguese
	"JAN": 1, "JANEIRO": 1, "FEV": 2, "FEVEREIRO": 2, "MAR": 3, "MARCO": 3, "ABR": 4, "ABRIL": 4,
	"MAI": 5, "MAIO": 5, "JUN": 6, "JUNHO": 6, "JUL": 7, "JULHO": 7, "AGO": 8, "AGOSTO": 8,
	"SET": 9, "SETEMBRO": 9, "OUT": 10, "OUTUBRO": 10, "NOV": 11, "NOVEMBRO": 11, "DEZ": 12, "DEZEMBRO": 12,
	// English
	"JANUARY": 1, "FEB": 2, "FEBRUARY": 2, "MARCH": 3, "APR": 4, "APRIL": 4, "MAY": 5,
	"JUNE": 6, "JULY": 7, "AUG": 8, "AUGUST": 8, "SEP": 9, "SEPT": 9, "SEPTEMBER": 9,
	"OCT": 10, "OCTOBER": 10, "NOVEMBER": 11, "DEC": 12, "DECEMBER": 12,
	// Spanish
	"ENE": 1, "ENERO": 1, "FEBRERO": 2, "MARZO": 3, "MAYO": 5, "JUNIO": 6, "JULIO": 7,
	"SEPTIEMBRE": 9, "SETIEMBRE": 9, "OCTUBRE": 10, "NOVIEMBRE": 11, "DIC": 12, "DICIEMBRE": 12,
	// French
	"JANV": 1, "JANVIER": 1, "FEVR": 2, "FEVRIER": 2, "MARS": 3, "AVR": 4, "AVRIL": 4,
	"JUIN": 6, "JUIL": 7, "JUILLET": 7, "AOUT": 8, "SEPTEMBRE": 9, "OCTOBRE": 10, "NOVEMBRE": 11,
	"DECEMBRE": 12,
	// German
	"JANUAR": 1, "FEBRUAR": 2, "MARZ": 3, "MAERZ": 3, "MRZ": 3, "JUNI": 6, "JULI": 7,
	"OKT": 10, "OKTOBER": 10, "DEZEMBER": 12,
	// Dutch
	"JANUARI": 1, "FEBRUARI": 2, "MAART": 3, "MRT": 3, "MEI": 5, "AUGUSTUS": 8,
	// Italian
	"GEN": 1, "GENNAIO": 1, "FEBBRAIO": 2, "APRILE": 4, "MAG": 5, "MAGGIO": 5, "GIU": 6,
	"GIUGNO": 6, "LUG": 7, "LUGLIO": 7, "SETTEMBRE": 9, "OTT": 10, "OTTOBRE": 10,
}

// monthOf returns the month a folded word names, or 0.
func monthOf(word string) int {
	return monthNames[word]
}

// MonthLed reports text holding a month name followed at once by a separator and a digit
// ("FEV/2?", "OCT.1"): the start of a month and year, whether or not the rest parses.
func MonthLed(text string) bool {
	t := strings.ToUpper(text)
	for i := 0; i < len(t); {
		j := i
		for j < len(t) && t[j] >= 'A' && t[j] <= 'Z' {
			j++
		}
		if j > i && (i == 0 || !isLetterByte(t[i-1])) && monthOf(t[i:j]) > 0 && j+1 < len(t) &&
			strings.IndexByte("/.-", t[j]) >= 0 && t[j+1] >= '0' && t[j+1] <= '9' {
			return true
		}
		i = j + 1
	}
	return false
}

func isLetterByte(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 0x80 }

// misreadAs lists, for a letter OCR read, the letters of a month abbreviation it often stands
// for in date-coder print: round letters lose or gain a stroke (O as G, D, Q or C; a dotted
// U with its top row of dots read closed, as O), N and V lose one (H, M; U, Y), P gains
// one (R), a dotted A's open top reads as H's, a dotted U whose right side is faint as L.
var misreadAs = map[byte]string{
	'G': "OC", 'D': "O", 'Q': "O", 'C': "OG", 'O': "CU",
	'H': "NA", 'M': "N", 'N': "M",
	'U': "V", 'V': "U", 'Y': "V",
	'E': "F", 'F': "E", 'I': "J", 'L': "JU", 'R': "P",
}

// misreadMonth returns the month a three-letter word names with one letter misread
// ("GCT", "NOU", "HOV"), or 0 when it names none or more than one, or is a month or a
// keyword as it stands.
func misreadMonth(word string) int {
	if len(word) != 3 || monthOf(word) > 0 || lookupWord(word) != nil {
		return 0
	}
	found := 0
	b := []byte(word)
	for i, c := range b {
		for _, alt := range []byte(misreadAs[c]) {
			b[i] = alt
			if m := monthOf(string(b)); m > 0 {
				if found != 0 && found != m {
					return 0
				}
				found = m
			}
		}
		b[i] = c
	}
	return found
}

// monthSuffix finds a month name glued after a validity keyword in one letter run, as in
// "VALSET25", "EXPJAN26" or the "BYOCT" of "BEST BYOCT", and returns where the month starts
// (0 when there is none).
func monthSuffix(word string) int {
	for i := 1; i <= len(word)-3; i++ {
		if monthOf(word[i:]) == 0 {
			continue
		}
		if kw := lookupWord(word[:i]); kw != nil && kw.kind == KindExpiry && !kw.lone || expiryTails[word[:i]] {
			return i
		}
	}
	return 0
}

// shortMonths is monthNames' three-letter words, sorted, for a reader that asks which of them
// a misread word may be (ShortMonths).
var shortMonths = func() []string {
	var out []string
	for w := range monthNames {
		if len(w) == 3 {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}()

// ShortMonths returns the three-letter month words the parser knows, upper-case.
func ShortMonths() []string { return slices.Clone(shortMonths) }

// MonthNumber returns the month an upper-case, accent-free word names, or 0.
func MonthNumber(word string) int { return monthOf(word) }
