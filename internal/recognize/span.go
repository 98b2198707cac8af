package recognize

import (
	"strings"
	"unicode"
)

// Emission is one character of a greedy reading and the run of frames, First to Last, whose
// best class it was.
type Emission struct {
	Char        string
	First, Last int
}

// Emissions splits the greedy reading of frames into its characters, each with its frames,
// spaces at either end left out as DecodeGreedy trims them: the frames between two
// characters are where a caller may ask what else they could spell (SpanProb).
func (d *Dictionary) Emissions(frames []Frame) []Emission {
	var out []Emission
	prev := int32(-1)
	for t, f := range frames {
		c := f.Class[0]
		switch {
		case c == prev && c != 0 && len(out) > 0:
			out[len(out)-1].Last = t
		case c != 0 && int(c) < len(d.chars):
			out = append(out, Emission{Char: d.chars[c], First: t, Last: t})
		}
		prev = c
	}
	for len(out) > 0 && strings.TrimSpace(out[0].Char) == "" {
		out = out[1:]
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1].Char) == "" {
		out = out[:len(out)-1]
	}
	return out
}

// BestPathProb is the product of each frame's best probability: the probability of the
// greedy reading's own alignment over frames, the yardstick for SpanProb.
func BestPathProb(frames []Frame) float64 {
	p := 1.0
	for _, f := range frames {
		p *= float64(f.Prob[0])
	}
	return p
}

// SpanProb is the CTC probability that frames spell s and nothing else: the sum over all of
// s's alignments (blanks between and around, repeated frames of a character) of the product
// of each frame's probability. Letters count in either case, as print is read case-blind. A
// class outside a frame's kept choices gets an even share of what the frame did not keep.
func (d *Dictionary) SpanProb(frames []Frame, s string) float64 {
	rs := []rune(s)
	if len(rs) == 0 || len(frames) < len(rs) {
		return 0
	}
	// alpha[k]: probability of the frames so far ending at state k of blank, s0, blank, s1, …
	states := 2*len(rs) + 1
	alpha := make([]float64, states)
	next := make([]float64, states)
	for t, f := range frames {
		for k := range states {
			a := 0.0
			if t == 0 {
				if k <= 1 {
					a = 1
				}
			} else {
				a = alpha[k]
				if k >= 1 {
					a += alpha[k-1]
				}
				// A letter may follow the previous letter straight on unless both are the same.
				if k >= 2 && k%2 == 1 && rs[k/2] != rs[k/2-1] {
					a += alpha[k-2]
				}
			}
			if a == 0 {
				next[k] = 0
				continue
			}
			if k%2 == 0 {
				next[k] = a * d.frameProb(f, 0)
			} else {
				next[k] = a * d.runeProb(f, rs[k/2])
			}
		}
		alpha, next = next, alpha
	}
	return alpha[states-1] + alpha[states-2]
}

// runeProb is a frame's probability of r in either case.
func (d *Dictionary) runeProb(f Frame, r rune) float64 {
	up, lo := unicode.ToUpper(r), unicode.ToLower(r)
	p := d.charProb(f, up)
	if lo != up {
		p += d.charProb(f, lo)
	}
	return p
}

// charProb is a frame's probability of r; a character the dictionary lacks counts as
// unlikely as any class the frame did not keep.
func (d *Dictionary) charProb(f Frame, r rune) float64 {
	c, ok := d.class[string(r)]
	if !ok {
		c = -1
	}
	return d.frameProb(f, c)
}

// frameProb is a frame's probability of class c (c < 0: a class it cannot have kept).
func (d *Dictionary) frameProb(f Frame, c int32) float64 {
	kept, n := 0.0, 0
	for k := range TopK {
		if f.Prob[k] <= 0 {
			continue
		}
		if f.Class[k] == c {
			return float64(f.Prob[k])
		}
		kept += float64(f.Prob[k])
		n++
	}
	rest := max(0, 1-kept)
	return rest / float64(max(1, len(d.chars)-n))
}
