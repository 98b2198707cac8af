package recognize

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// BeamOptions bound the date-aware decoder.
type BeamOptions struct {
	Width int // prefixes kept per frame
	// Confident frames, whose best class has at least this probability, are not branched:
	// only the frames the model hesitated on can change the reading.
	Confident float32
}

// DefaultBeam is wide enough for the two or three hesitant characters of a date line and
// cheap enough (well under a millisecond per crop) to run on every crop without a date.
var DefaultBeam = BeamOptions{Width: 24, Confident: 0.97}

type beamEntry struct {
	pb, pnb float64 // probability of the prefix ending in blank / in its last class
	last    int32   // last class of the prefix (0 for the empty prefix)
	chars   []int32
	logMass float64
}

func (e *beamEntry) total() float64 { return e.pb + e.pnb }

// DecodeConstrained runs CTC prefix beam search over t.Frames and returns the most probable
// reading that accept approves, as a Text whose Greedy field holds t.Text and whose Prob is
// the reading's share of the probability mass of the final beam. ok is false when no reading
// in the beam is accepted, or the accepted one is the greedy text itself.
//
// accept is the grammar: the pipeline passes "holds a valid date", so the search finds e.g.
// 07/07/2024 in a dot-matrix line greedily read 07/07/2O2A, which the dates package rejects.
func (d *Dictionary) DecodeConstrained(t Text, accept func(string) bool, opt BeamOptions) (Text, bool) {
	if len(t.Frames) == 0 || accept == nil {
		return Text{}, false
	}
	width := max(1, opt.Width)
	beams := map[string]*beamEntry{"": {pb: 1}}
	key := func(cs []int32) string {
		var sb strings.Builder
		for _, c := range cs {
			sb.WriteString(string(rune(c)))
		}
		return sb.String()
	}
	for _, f := range t.Frames {
		next := make(map[string]*beamEntry, 2*len(beams))
		get := func(cs []int32) *beamEntry {
			k := key(cs)
			e := next[k]
			if e == nil {
				e = &beamEntry{chars: cs}
				if len(cs) > 0 {
					e.last = cs[len(cs)-1]
				}
				next[k] = e
			}
			return e
		}
		n := TopK
		if f.Prob[0] >= opt.Confident {
			n = 1
		}
		for _, b := range beams {
			tot := b.total()
			for k := 0; k < n && f.Prob[k] > 0; k++ {
				c, p := f.Class[k], float64(f.Prob[k])
				switch {
				case c == 0:
					get(b.chars).pb += tot * p
				case c == b.last:
					get(b.chars).pnb += b.pnb * p // repeat collapses
					ext := append(append([]int32(nil), b.chars...), c)
					get(ext).pnb += b.pb * p // blank between: a doubled character
				default:
					ext := append(append([]int32(nil), b.chars...), c)
					get(ext).pnb += tot * p
				}
			}
		}
		beams = prune(next, width)
	}
	list := make([]*beamEntry, 0, len(beams))
	var mass float64
	for _, b := range beams {
		list = append(list, b)
		mass += b.total()
	}
	sort.Slice(list, func(i, j int) bool { return list[i].total() > list[j].total() })
	for _, b := range list {
		text := d.text(b.chars)
		if text == "" || !accept(text) {
			continue
		}
		if text == t.Text || mass <= 0 {
			return Text{}, false
		}
		p := b.total() / mass
		// The reading's confidence: the geometric mean of its probability, so long and short
		// lines compare; each character's too, but for a character the search added where
		// the model read no character at all (a year digit added to a cut line): that one
		// carries what the model gave it there, and shows as unsure. A character read as
		// another (the model's 8 taken for a 0) keeps the mean: the grammar chose between
		// the model's choices, and measured on the synthetic sets such swaps are mostly right
		// (scoring them by the model's own probability withheld six right dates for one wrong
		// one avoided).
		n := max(1, utf8.RuneCountInString(text))
		conf := math.Pow(b.total(), 1/float64(n))
		probs, added := alignedProbs(t.Frames, b.chars)
		for i := range probs {
			if !added[i] {
				probs[i] = conf
			}
		}
		cp := d.runeProbs(b.chars, probs)
		return Text{Text: text, Confidence: conf, CharProbs: cp, Frames: t.Frames, Greedy: t.Text, Prob: p}, true
	}
	return Text{}, false
}

// runeProbs spreads per-class probabilities over the runes of the text chars spell, with the
// spaces d.text trims off its ends left out, so there is one per rune of that text.
func (d *Dictionary) runeProbs(chars []int32, probs []float64) []float32 {
	var out []float32
	for i, c := range chars {
		if int(c) >= len(d.chars) {
			continue
		}
		for range []rune(d.chars[c]) {
			out = append(out, float32(probs[i]))
		}
	}
	full := []rune(d.text(chars))
	lead := 0
	for _, c := range chars {
		if int(c) >= len(d.chars) || strings.TrimSpace(d.chars[c]) != "" {
			break
		}
		lead += utf8.RuneCountInString(d.chars[c])
	}
	return out[lead : lead+len(full)]
}

// alignedProbs is, for each of chars, the highest probability a frame gave it along the most
// probable CTC alignment of chars to frames (Viterbi over the frames' kept classes; a class a
// frame did not keep counts as nearly impossible there), and whether the frames it is aligned to all read as blank: a
// character the greedy reading has no counterpart for.
func alignedProbs(frames []Frame, chars []int32) ([]float64, []bool) {
	const floor = 1e-9
	prob := func(f *Frame, c int32) float64 {
		for k := range TopK {
			if f.Class[k] == c && f.Prob[k] > 0 {
				return float64(f.Prob[k])
			}
		}
		return floor
	}
	// States: blank, chars[0], blank, chars[1], ..., blank.
	ns := 2*len(chars) + 1
	label := func(s int) int32 {
		if s%2 == 0 {
			return 0
		}
		return chars[s/2]
	}
	out := make([]float64, len(chars))
	added := make([]bool, len(chars))
	for i := range added {
		added[i] = true
	}
	if len(frames) == 0 || len(chars) == 0 {
		return out, added
	}
	neg := math.Inf(-1)
	score := make([]float64, ns)
	from := make([][]int32, len(frames)) // the state each frame's state came from
	for s := range score {
		score[s] = neg
	}
	score[0] = math.Log(prob(&frames[0], 0))
	if ns > 1 {
		score[1] = math.Log(prob(&frames[0], label(1)))
	}
	next := make([]float64, ns)
	for t := 1; t < len(frames); t++ {
		from[t] = make([]int32, ns)
		for s := range ns {
			best, arg := score[s], s
			if s >= 1 && score[s-1] > best {
				best, arg = score[s-1], s-1
			}
			if s >= 2 && s%2 == 1 && label(s) != label(s-2) && score[s-2] > best {
				best, arg = score[s-2], s-2
			}
			next[s] = best + math.Log(prob(&frames[t], label(s)))
			from[t][s] = int32(arg)
		}
		score, next = next, score
	}
	s := ns - 1
	if ns >= 2 && score[ns-2] > score[s] {
		s = ns - 2
	}
	for t := len(frames) - 1; t >= 0; t-- {
		if s%2 == 1 {
			out[s/2] = max(out[s/2], prob(&frames[t], label(s)))
			added[s/2] = added[s/2] && frames[t].Class[0] == 0
		}
		if t > 0 {
			s = int(from[t][s])
		}
	}
	return out, added
}

func prune(m map[string]*beamEntry, width int) map[string]*beamEntry {
	if len(m) <= width {
		return m
	}
	list := make([]*beamEntry, 0, len(m))
	for _, e := range m {
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].total() > list[j].total() })
	out := make(map[string]*beamEntry, width)
	for _, e := range list[:width] {
		out[string(keyOf(e.chars))] = e
	}
	return out
}

func keyOf(cs []int32) []rune {
	r := make([]rune, len(cs))
	for i, c := range cs {
		r[i] = rune(c)
	}
	return r
}

func (d *Dictionary) text(cs []int32) string {
	var sb strings.Builder
	for _, c := range cs {
		if int(c) < len(d.chars) {
			sb.WriteString(d.chars[c])
		}
	}
	return strings.TrimSpace(sb.String())
}
