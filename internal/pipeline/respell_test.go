package pipeline

import "testing"

// Letters standing where a numeric date's digits do are read as the recogniser's digit
// choice there; tokens without a date's shape, or with a letter it offered no digit for, are
// left alone. In digits, "." marks a letter the recogniser offered no digit for.
func TestRespellToken(t *testing.T) {
	cases := []struct{ tok, digits, want string }{
		{"OE/ES/E4", "06.25.24", "06/25/24"},
		{"O7/22/EE", "07.22.26", "07/22/26"},
		{"1E.O3.2O25", "16.03.2025", "16.03.2025"},
		{"OE/25", "06.25", "06/25"},
		{"O7/22/EE", "07.22.2.", ""}, // no digit for the last letter
		{"12/2025", "12.2025", ""},   // nothing to respell
		{"X1BCM-09", "81300.09", ""}, // not a date's shape
		{"LOTE", "1073", ""},
		{"OEIE/E5", "0216.25", ""}, // a separator lost: left to the beam
		{"E4", "24", ""},
		{"E0E5", "2025", "2025"},
		{"ZOZO", "2020", ""}, // no digit read: a word
		{"E0E5", "8085", ""},
	}
	for _, c := range cases {
		digits := []rune(c.digits)
		for k, r := range digits {
			if r == '.' {
				digits[k] = 0
			}
		}
		got, ok := respellToken([]rune(c.tok), digits)
		if string(got) != c.want || ok != (c.want != "") {
			t.Errorf("respellToken(%q) = %q %v, want %q", c.tok, string(got), ok, c.want)
		}
	}
}
