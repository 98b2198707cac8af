package pipeline

import "testing"

// Of what the faint look reads, only a whole date or a labelled one counts: a bare month
// and year is what amplified grain, or a date that lost its day in it, leaves.
func TestFaintDate(t *testing.T) {
	p := &Pipeline{}
	for _, c := range []struct {
		text string
		want bool
	}{
		{"USE BY 01/20/2023", true},
		{"JAN 22 2030 1XU 95", true},
		{"VAL 03/2026", true}, // labelled
		{"AUG 2027", false},   // of "BB AUG 26 2027"
		{"10/126 7/2020", false},
		{"LOT 4471 1324", false},
	} {
		if got := p.faintDate(c.text); got != c.want {
			t.Errorf("faintDate(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
