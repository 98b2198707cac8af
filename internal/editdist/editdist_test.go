package editdist

import "testing"

func TestDistance(t *testing.T) {
	vowel := func(x, y byte) bool { return x == '0' && y == 'O' }
	for _, c := range []struct {
		a, b string
		same func(x, y byte) bool
		want int
	}{
		{"", "", nil, 0},
		{"abc", "", nil, 3},
		{"", "abc", nil, 3},
		{"kitten", "sitting", nil, 3},
		{"VUIDADE", "VALIDADE", nil, 2},
		{"BEF0RE", "BEFORE", nil, 1},
		{"BEF0RE", "BEFORE", vowel, 0},
		{"BEFORE", "BEF0RE", vowel, 1}, // same is asked (text byte, word byte), in that order
		// Past the rows kept on the stack.
		{"BEST BEFORE END OF THE MONTH PRINTED", "BEST BEFORE END OF THE MONTH PRINTEDX", nil, 1},
	} {
		if got := Distance(c.a, c.b, c.same); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
