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
		// Per-character confidence: the geometric mean of the reading's probability, so
		// long and short lines compare.
		n := max(1, utf8.RuneCountInString(text))
		conf := math.Pow(b.total(), 1/float64(n))
		cp := make([]float32, n)
		for i := range cp {
			cp[i] = float32(conf)
		}
		return Text{Text: text, Confidence: conf, CharProbs: cp, Frames: t.Frames, Greedy: t.Text, Prob: p}, true
	}
	return Text{}, false
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
