package pipeline

import (
	"context"
	"testing"

	"github.com/datalid/datalid/internal/recognize"
)

// The answer's line is read again under each variant: when every variant reads the same
// other date, and one of them is surer of its digits than the first reading was, it
// outvotes the first reading; when one variant sides with the first reading, a variant
// reads no date, or no variant is surer, the first reading stands. A date the recogniser
// did not hesitate on is not read again.
func TestConfirmOutvotesAMisreadDigit(t *testing.T) {
	dict := charDict(t, "0123456789/EXP")
	// Grey 0-99 (the crop) reads 05/06; 100-199 (its negative) 05/08; 200 and up no date.
	run := &greyReader{dict: dict, says: []string{"05/06/2027", "05/08/2027", "EXP"}}
	p := &Pipeline{st: Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)}, rec: Recovery{MinConfidence: 0.4}}
	cases := []struct {
		name     string
		variants []string
		conf     float64 // of the first reading's every character
		want     string
	}{
		{"both variants read another date", []string{"negative", "negative+gray"}, 0.9, "2027-08-05"},
		{"one variant sides with the first reading", []string{"negative", "flip"}, 0.9, "2027-06-05"},
		{"one variant reads no date", []string{"negative", "threshold"}, 0.9, "2027-06-05"},
		{"the variants are no surer than the first reading", []string{"negative", "negative+gray"}, 1, "2027-06-05"},
		{"a date read without doubt is not read again", []string{"negative", "negative+gray"}, confirmBelow + 0.01, "2027-06-05"},
	}
	for _, c := range cases {
		first := recognize.Text{Text: "05/06/2027", Confidence: c.conf, CharProbs: make([]float32, 10)}
		for i := range first.CharProbs {
			first.CharProbs[i] = float32(c.conf)
		}
		res := &Result{Regions: []Region{{Quad: quad(0, 0, 200, 40), Text: first, Crop: greyCrop(90)}}}
		p.findDates(res)
		var vs []Chain
		for _, v := range c.variants {
			vs = append(vs, mustChain(v))
		}
		if err := p.confirmWith(&look{ctx: context.Background(), res: res}, vs); err != nil {
			t.Fatal(err)
		}
		if b := res.Dates.Top(); b == nil || b.Date.String() != c.want {
			t.Errorf("%s: best %+v, want %s", c.name, b, c.want)
		}
	}
}
