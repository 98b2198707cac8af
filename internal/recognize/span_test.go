package recognize

import (
	"math"
	"testing"
)

// Emissions gives each greedy character the run of frames it was read from, without the
// spaces DecodeGreedy trims.
func TestEmissions(t *testing.T) {
	d := testDict(t) // 1:"0" 2:"1" 3:"2" 4:"/" 5:"A" 6:" "
	rows := []map[int]float32{{6: 0.9}, {5: 0.9}, {5: 0.9}, {0: 0.9}, {2: 0.9}, {0: 0.9}, {2: 0.9}, {6: 0.9}}
	g := d.DecodeGreedy(soft(7, rows), len(rows), 7)
	em := d.Emissions(g.Frames)
	want := []Emission{{"A", 1, 2}, {"1", 4, 4}, {"1", 6, 6}}
	if g.Text != "A11" || len(em) != len(want) {
		t.Fatalf("text %q emissions %+v", g.Text, em)
	}
	for i := range want {
		if em[i] != want[i] {
			t.Fatalf("emission %d: %+v, want %+v", i, em[i], want[i])
		}
	}
}

// SpanProb sums a spelling's alignments: a sure reading spells itself with probability
// near 1 and another word not at all; a second choice spells its word with its own weight.
func TestSpanProb(t *testing.T) {
	d := testDict(t)
	sure := d.DecodeGreedy(soft(7, []map[int]float32{{5: 0.99}, {0: 0.99}, {2: 0.99}}), 3, 7).Frames
	if p := d.SpanProb(sure, "A1"); p < 0.95 {
		t.Fatalf("A1 over its own frames: %v", p)
	}
	if p := d.SpanProb(sure, "1A"); p > 1e-3 {
		t.Fatalf("1A over A1's frames: %v", p)
	}
	if p := d.SpanProb(sure, "A1A1"); p != 0 {
		t.Fatalf("four characters over three frames: %v", p)
	}
	// The middle frame hesitates between "1" and "2": "A2" gets about 0.3/0.6 of the
	// greedy path's probability.
	unsure := d.DecodeGreedy(soft(7, []map[int]float32{{5: 0.99}, {2: 0.6, 3: 0.3}, {0: 0.99}}), 3, 7).Frames
	ratio := d.SpanProb(unsure, "A2") / BestPathProb(unsure)
	if math.Abs(ratio-0.5) > 0.05 {
		t.Fatalf("A2 / best path = %v, want about 0.5", ratio)
	}
}

// A letter counts in either case: print is read case-blind.
func TestSpanProbCaseBlind(t *testing.T) {
	d, err := ParseDictionary([]byte("a\nA\nb"))
	if err != nil {
		t.Fatal(err)
	}
	frames := d.DecodeGreedy(soft(5, []map[int]float32{{1: 0.5, 2: 0.4}}), 1, 5).Frames
	if p := d.SpanProb(frames, "A"); math.Abs(p-0.9) > 0.01 {
		t.Fatalf("A in either case: %v, want 0.9", p)
	}
	if p := d.SpanProb(frames, "Z"); p > 0.1 {
		t.Fatalf("a letter the dictionary lacks: %v", p)
	}
}
