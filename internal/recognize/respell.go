package recognize

// DigitChoices is, for each rune of t's greedy reading, the digit its frames rated most
// probable among the classes they kept (0 where they kept none). Dot-matrix digits are often
// read as letters ("E" for a dotted 2, 6 or 8) while the right digit is the model's second
// or third choice; a caller that knows a digit belongs there (the rune stands where a date's
// digits do) can take it. nil when t is not a greedy reading of its frames.
func (d *Dictionary) DigitChoices(t Text) []rune {
	if t.Greedy != "" || len(t.Frames) == 0 {
		return nil
	}
	var out []rune
	text := ""
	for _, e := range d.Emissions(t.Frames) {
		text += e.Char
		var best rune
		var bp float32
		for _, f := range t.Frames[e.First : e.Last+1] {
			for k := range TopK {
				if r, ok := d.digit(f.Class[k]); ok && f.Prob[k] > bp {
					best, bp = r, f.Prob[k]
				}
			}
		}
		for range []rune(e.Char) {
			out = append(out, best)
		}
	}
	if text != t.Text {
		return nil
	}
	return out
}

// digit reports class c's character when it is an ASCII digit.
func (d *Dictionary) digit(c int32) (rune, bool) {
	if c <= 0 || int(c) >= len(d.chars) {
		return 0, false
	}
	s := d.chars[c]
	if len(s) == 1 && s[0] >= '0' && s[0] <= '9' {
		return rune(s[0]), true
	}
	return 0, false
}
