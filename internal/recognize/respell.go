package recognize

// Choices is, for each rune of t's greedy reading, the character its frames rated most
// probable among the classes they kept that want accepts (0 where they kept none). Dot-matrix
// digits are often read as letters ("E" for a dotted 2, 6 or 8) and slashes as 7s, while the
// right character is the model's second or third choice; a caller that knows which kind of
// character belongs at a rune (it stands where a date's digits do) can take it. nil when t
// is not a greedy reading of its frames.
func (d *Dictionary) Choices(t Text, want func(rune) bool) []rune {
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
				if r, ok := d.single(f.Class[k]); ok && want(r) && f.Prob[k] > bp {
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

// single reports class c's character when it is one rune.
func (d *Dictionary) single(c int32) (rune, bool) {
	if c <= 0 || int(c) >= len(d.chars) {
		return 0, false
	}
	r := []rune(d.chars[c])
	if len(r) != 1 {
		return 0, false
	}
	return r[0], true
}
