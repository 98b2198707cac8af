package pipeline

import (
	"testing"

	"github.com/datalid/datalid/internal/recognize"
)

// framesFor builds a recogniser's reading of text: one frame per character with a blank
// frame between, each character sure unless alts gives its frame's choices (most probable
// first in the frame, as DecodeGreedy keeps them).
func framesFor(t *testing.T, dict *recognize.Dictionary, text string, alts map[int]map[string]float32) recognize.Text {
	t.Helper()
	classOf := map[string]int32{}
	for i := dict.Classes() - 1; i > 0; i-- {
		classOf[dict.Char(i)] = int32(i)
	}
	tx := recognize.Text{Text: text}
	for i, r := range []rune(text) {
		choices := alts[i]
		if choices == nil {
			choices = map[string]float32{string(r): 0.99}
		}
		var f recognize.Frame
		for c, p := range choices {
			k := recognize.TopK - 1
			for k > 0 && p > f.Prob[k-1] {
				f.Prob[k], f.Class[k] = f.Prob[k-1], f.Class[k-1]
				k--
			}
			f.Prob[k], f.Class[k] = p, classOf[c]
		}
		blank := recognize.Frame{}
		blank.Prob[0] = 0.99
		tx.Frames = append(tx.Frames, f, blank)
		tx.CharProbs = append(tx.CharProbs, f.Prob[0])
	}
	return tx
}

// A month word misread in dot-matrix print is read again from its frames: the month the
// model's second choices spell wins when it is clearly likelier than any other month; a
// tie between two months, a word the model was sure of, and a word with no date digits
// beside it are left as read.
func TestRereadMonth(t *testing.T) {
	dict := charDict(t, "0123456789ABEJLMNOPRSTUXYi")
	p := &Pipeline{st: Stages{Recognizer: recognize.NewRecognizer(nil, dict, 48, 1600, 8)}}
	cases := []struct {
		name, text string
		alts       map[int]map[string]float32
		want       string
	}{
		{"second choice names one month", "EXP JU1 05 2027", map[int]map[string]float32{6: {"1": 0.5, "N": 0.3, "L": 0.04}}, "EXP JUN 05 2027"},
		{"two months as likely", "EXP JU1 05 2027", map[int]map[string]float32{6: {"1": 0.4, "N": 0.28, "L": 0.25}}, ""},
		{"lost stroke, letter for digit", "BY M4Y 07 2031", map[int]map[string]float32{4: {"4": 0.6, "A": 0.35}}, "BY MAY 07 2031"},
		{"a sure word", "LOT 12 2025", nil, ""},
		{"a dotted 1 stays the day", "BY 0i SEA 2027", map[int]map[string]float32{8: {"A": 0.5, "P": 0.45}}, "BY 0i SEP 2027"},
		{"a month already read keeps its day", "EXP 28MAR31", map[int]map[string]float32{5: {"8": 0.55, "M": 0.4}}, ""},
		{"no date digits beside", "JU1 BOX", map[int]map[string]float32{2: {"1": 0.5, "N": 0.45}}, ""},
	}
	for _, c := range cases {
		tx := framesFor(t, dict, c.text, c.alts)
		if tx.Text != c.text {
			t.Fatalf("%s: greedy %q", c.name, tx.Text)
		}
		got, ok := p.rereadMonth(tx)
		if c.want == "" {
			if ok {
				t.Errorf("%s: re-read as %q", c.name, got.Text)
			}
			continue
		}
		if !ok || got.Text != c.want || got.Greedy != c.text || len(got.CharProbs) != len([]rune(c.want)) {
			t.Errorf("%s: got %q (greedy %q) ok=%v, want %q", c.name, got.Text, got.Greedy, ok, c.want)
		}
	}
}
