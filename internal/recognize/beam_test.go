package recognize

import (
	"strings"
	"testing"
)

// soft builds a [T, C] matrix from per-frame {class: prob} maps; the rest is spread evenly.
func soft(classes int, rows []map[int]float32) []float32 {
	out := make([]float32, len(rows)*classes)
	for t, r := range rows {
		var used float32
		for _, p := range r {
			used += p
		}
		for k := range classes {
			out[t*classes+k] = (1 - used) / float32(classes-len(r))
		}
		for c, p := range r {
			out[t*classes+c] = p
		}
	}
	return out
}

func TestDecodeGreedyKeepsTopK(t *testing.T) {
	d := testDict(t) // 1:"0" 2:"1" 3:"2" 4:"/" 5:"A" 6:" "
	got := d.DecodeGreedy(soft(7, []map[int]float32{{1: 0.6, 5: 0.3}, {0: 0.99}}), 2, 7)
	if got.Text != "0" || len(got.Frames) != 2 {
		t.Fatalf("got %+v", got)
	}
	f := got.Frames[0]
	if f.Class[0] != 1 || f.Class[1] != 5 || f.Prob[1] < 0.29 {
		t.Fatalf("frame %+v", f)
	}
	if g := got.Frames[1]; g.Prob[1] != 0 {
		t.Fatalf("improbable choices kept: %+v", g)
	}
}

func TestDecodeConstrained(t *testing.T) {
	d := testDict(t)
	// Greedy reads "A1/2"; the second choice of the first frame is "0", giving "01/2".
	rows := []map[int]float32{{5: 0.55, 1: 0.4}, {0: 0.99}, {2: 0.99}, {4: 0.99}, {3: 0.99}}
	g := d.DecodeGreedy(soft(7, rows), len(rows), 7)
	if g.Text != "A1/2" {
		t.Fatalf("greedy %q", g.Text)
	}
	noLetters := func(s string) bool { return !strings.Contains(s, "A") }
	alt, ok := d.DecodeConstrained(g, noLetters, DefaultBeam)
	if !ok || alt.Text != "01/2" || alt.Greedy != "A1/2" {
		t.Fatalf("got %+v ok=%v", alt, ok)
	}
	if alt.Prob <= 0.3 || alt.Prob >= 0.5 || alt.Confidence <= 0 || alt.Confidence > 1 {
		t.Fatalf("prob %v confidence %v", alt.Prob, alt.Confidence)
	}
	if _, ok := d.DecodeConstrained(g, func(string) bool { return true }, DefaultBeam); ok {
		t.Fatal("the greedy reading itself must not count as an alternative")
	}
	if _, ok := d.DecodeConstrained(g, func(string) bool { return false }, DefaultBeam); ok {
		t.Fatal("nothing accepted, yet ok")
	}
	// A doubled character needs a blank between its frames; a repeat without one collapses.
	rows = []map[int]float32{{2: 0.9}, {0: 0.6, 2: 0.35}, {2: 0.9}}
	g = d.DecodeGreedy(soft(7, rows), len(rows), 7)
	alt, ok = d.DecodeConstrained(g, func(s string) bool { return s == "1" }, DefaultBeam)
	if g.Text != "11" || !ok || alt.Text != "1" {
		t.Fatalf("greedy %q alt %+v ok=%v", g.Text, alt, ok)
	}
}

// A character a constrained reading adds where the model read none carries the probability
// the model gave it there, and stays unsure however sure the rest of the line is; the others
// carry the reading's mean, as a character read as another does.
func TestDecodeConstrainedCharProbs(t *testing.T) {
	d := testDict(t) // 1:"0" 2:"1" 3:"2" 4:"/" 5:"A" 6:" "
	// "10/2", a blank, then a last frame the model reads as blank, "2" a faint choice there.
	rows := []map[int]float32{{2: 0.99}, {1: 0.98}, {4: 0.99}, {3: 0.97}, {0: 0.99}, {0: 0.9, 3: 0.05}}
	g := d.DecodeGreedy(soft(7, rows), len(rows), 7)
	if g.Text != "10/2" {
		t.Fatalf("greedy %q", g.Text)
	}
	twoTwos := func(s string) bool { return s == "10/22" }
	alt, ok := d.DecodeConstrained(g, twoTwos, BeamOptions{Width: 24, Confident: 0.97})
	if !ok || alt.Text != "10/22" || len(alt.CharProbs) != 5 {
		t.Fatalf("got %+v ok=%v", alt, ok)
	}
	mean := float32(alt.Confidence)
	for i, want := range []float32{mean, mean, mean, mean, 0.05} {
		if got := alt.CharProbs[i]; got < want-0.005 || got > want+0.005 {
			t.Errorf("char %d of %q: probability %.3f, want %.2f", i, alt.Text, got, want)
		}
	}
	if mean < 0.3 {
		t.Errorf("mean %.2f: the added character must stand out from a surer line", mean)
	}
	// Spaces trimmed off the reading's ends take their probabilities with them.
	rows = []map[int]float32{{6: 0.6, 5: 0.3}, {1: 0.99}, {0: 0.99}, {2: 0.99}}
	g = d.DecodeGreedy(soft(7, rows), len(rows), 7)
	alt, ok = d.DecodeConstrained(g, func(s string) bool { return s == "A01" }, DefaultBeam)
	if !ok || alt.Text != "A01" || len(alt.CharProbs) != 3 {
		t.Fatalf("got %+v ok=%v", alt, ok)
	}
}
