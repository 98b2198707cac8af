package pipeline

import "testing"

// Characters standing where a numeric date's digits or separators do are read as the
// recogniser's next choice of that kind there; tokens that take no date's shape so, or
// that keep no character as read, are left alone. In digits and seps, "_" marks a character
// whose frames offered nothing of that kind.
func TestRespellToken(t *testing.T) {
	cases := []struct{ tok, digits, seps, want string }{
		{"OE/ES/E4", "06_25_24", "________", "06/25/24"},
		{"O7/22/EE", "07_22_26", "________", "07/22/26"},
		{"1E.O3.2O25", "16_03_2025", "__________", "16.03.2025"},
		{"OE/25", "06_25", "_____", "06/25"},
		{"03704723", "03704723", "__/__/__", "03/04/23"}, // slashes read as 7s
		{"E0E5", "2025", "____", "2025"},
		{"O7/22/EE", "07_22_2_", "________", ""}, // no digit offered for the last letter
		{"03704723", "03704723", "________", ""}, // no slash offered: a number
		{"12/2025", "12_2025", "_______", ""},    // nothing to read again
		{"X1BCM-09", "81300_09", "________", ""}, // no date's shape
		{"OEIE/E5", "0216_25", "_______", ""},    // a separator lost: left to the beam
		{"ZOZO", "2020", "____", ""},             // a word: nothing kept as read
		{"E0E5", "8085", "____", ""},
		{"E4", "24", "__", ""},
		{"JANOEEOEE", "___062026", "_________", "JAN062026"},
		{"O5MAYE0E7", "05___2027", "_________", "05MAY2027"},
		{"TULOIEOES", "___012028", "_________", ""}, // no month word as read
		{"LOTOIEOES", "___012028", "_________", ""},
		{"3O25", "2025", "____", ""}, // a digit read stays as read
	}
	for _, c := range cases {
		got, ok := respellToken([]rune(c.tok), marks(c.digits), marks(c.seps))
		if string(got) != c.want || ok != (c.want != "") {
			t.Errorf("respellToken(%q) = %q %v, want %q", c.tok, string(got), ok, c.want)
		}
	}
}

// marks is s with each "_" as 0, no choice.
func marks(s string) []rune {
	out := []rune(s)
	for k, r := range out {
		if r == '_' {
			out[k] = 0
		}
	}
	return out
}
