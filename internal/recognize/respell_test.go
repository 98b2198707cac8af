package recognize

import "testing"

// Each character gets the digit its frames rated most probable, over all the frames of its
// run; a character whose frames kept no digit gets none.
func TestChoices(t *testing.T) {
	d := testDict(t) // 1:"0" 2:"1" 3:"2" 4:"/" 5:"A" 6:" "
	rows := []map[int]float32{
		{6: 0.9},                  // leading space, trimmed
		{5: 0.8, 3: 0.1},          // "A", 2 its second choice
		{5: 0.7, 2: 0.05, 3: 0.2}, // still "A": 2 rated higher over the run than 1
		{0: 0.9},
		{4: 0.9, 6: 0.1}, // "/": no digit kept
		{2: 0.9},         // "1"
		{5: 0.9, 6: 0.1}, // "A", no digit kept
	}
	g := d.DecodeGreedy(soft(7, rows), len(rows), 7)
	got := d.Choices(g, isDigit)
	want := []rune{'2', 0, '1', 0}
	if g.Text != "A/1A" || string(got) != string(want) {
		t.Fatalf("text %q choices %q, want %q", g.Text, string(got), string(want))
	}
	g.Greedy = "A/1B" // a beam re-read: its text no longer lines up with its frames
	if d.Choices(g, isDigit) != nil {
		t.Fatal("choices for a re-read text")
	}
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
