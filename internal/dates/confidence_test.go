package dates

import (
	"strings"
	"testing"
)

// abstain is the threshold the tests use; the shipped default lives in config.
var abstain = Options{MinConfidence: 0.25}

// Class 6: only a manufacture date read while the expiry line is garbage. The manufacture
// date is withheld, not given as the expiry.
func TestManufactureOnlyWithheld(t *testing.T) {
	for _, in := range []string{
		"MFG 14/03/2026",
		"FAB: 02/2025\nVAL: 0Z/2?Z7",
		"PROD 2026.03.14\nEXP 2O2?.O3.l4",
		"F02/2024 V0?/20Z6",
	} {
		res := Find(linesOf(in), abstain)
		if res.Best != nil {
			t.Errorf("%q: gave %s (%s)", in, res.Best.Date, res.Best.Reason)
			continue
		}
		w := res.Withheld
		if w == nil || w.Kind != KindManufacture || !strings.Contains(w.Reason, "withheld") || res.Top() != w {
			t.Errorf("%q: withheld %+v", in, w)
		}
		if zero := Find(linesOf(in), Options{}); zero.Best == nil || zero.Withheld != nil {
			t.Errorf("%q: MinConfidence 0 must give the date: %+v", in, zero.Best)
		}
	}
}

// A date earlier than the manufacture date beside it cannot be the expiry.
func TestEarlierThanManufactureIsUnsure(t *testing.T) {
	res := Find(linesOf("MFG 14/03/2026\n11/02/2019"), Options{})
	plain := Find(linesOf("11/02/2019"), Options{})
	if res.Best == nil || plain.Best == nil || res.Best.Confidence >= plain.Best.Confidence*0.6 {
		t.Fatalf("got %+v vs %+v", res.Best, plain.Best)
	}
	if !strings.Contains(res.Best.Reason, "earlier than a manufacture date") {
		t.Errorf("reason %q", res.Best.Reason)
	}
}

// Each risk lowers the confidence of an otherwise identical read.
func TestConfidenceFactors(t *testing.T) {
	conf := func(lines []Line) float64 {
		t.Helper()
		res := Find(lines, Options{})
		if res.Best == nil {
			t.Fatalf("no date in %+v", lines)
		}
		return res.Best.Confidence
	}
	one := func(text string, ocr float64, reread bool) []Line {
		return []Line{{Text: text, Confidence: ocr, Reread: reread}}
	}
	cases := []struct {
		name        string
		sure, risky []Line
	}{
		{"order guessed by default", one("VAL 14/03/2026", 0.9, false), one("VAL 04/03/2026", 0.9, false)},
		{"second look", one("VAL 14/03/2026", 0.9, false), one("VAL 14/03/2026", 0.9, true)},
		{"low OCR confidence", one("VAL 14/03/2026", 0.9, false), one("VAL 14/03/2026", 0.5, false)},
		{"weak format", one("VAL 14/03/2026", 0.9, false), one("VAL 03/26", 0.9, false)},
		{"no keyword", one("VAL 14/03/2026", 0.9, false), one("14/03/2026", 0.9, false)},
		{"crowded", one("14/03/2026 15/04/2026", 0.9, false), one("14/03/2026 15/04/2026 16/05/2026", 0.9, false)},
	}
	for _, c := range cases {
		if s, r := conf(c.sure), conf(c.risky); r >= s {
			t.Errorf("%s: risky %.3f >= sure %.3f", c.name, r, s)
		}
	}
}

// Below the threshold the choice is withheld, at or above it it is given.
func TestMinConfidenceThreshold(t *testing.T) {
	lines := []Line{{Text: "03/29", Confidence: 0.6}}
	c := Find(lines, Options{}).Best.Confidence
	if res := Find(lines, Options{MinConfidence: c + 0.01}); res.Best != nil || res.Withheld == nil {
		t.Errorf("threshold above %.3f gave %+v", c, res.Best)
	}
	if res := Find(lines, Options{MinConfidence: c}); res.Best == nil || res.Withheld != nil {
		t.Errorf("threshold %.3f withheld %+v", c, res.Withheld)
	}
	// Strong, labelled dates are far above the shipped default.
	if res := Find(linesOf("EXP 14/03/2026"), abstain); res.Best == nil || res.Best.Confidence < 0.6 {
		t.Errorf("labelled date: %+v", res.Best)
	}
}

// One digit of the date read unsure (how "2030" becomes "2038") lowers the confidence more
// than the line's mean shows; unsure letters outside the date do not.
func TestWeakestCharacterOfTheDate(t *testing.T) {
	const text = "EXP 05/2038 LOT Q7"
	probs := func(weak int, p float32) []float32 {
		out := make([]float32, len(text))
		for i := range out {
			out[i] = 0.97
		}
		out[weak] = p
		return out
	}
	find := func(cp []float32) *Candidate {
		t.Helper()
		r := Find([]Line{{Text: text, Confidence: 0.95, CharProbs: cp}}, Options{})
		if r.Best == nil {
			t.Fatal("no date")
		}
		return r.Best
	}
	sure, unknown := find(probs(0, 0.97)), find(nil)
	inDate := find(probs(strings.Index(text, "8"), 0.2))
	outside := find(probs(strings.Index(text, "Q"), 0.2))
	if sure.Confidence != unknown.Confidence || sure.Weakest < 0.96 || unknown.Weakest != 1 {
		t.Errorf("sure characters changed the confidence: %.3f vs %.3f (weakest %.2f, %.2f)", sure.Confidence, unknown.Confidence, sure.Weakest, unknown.Weakest)
	}
	if inDate.Confidence > 0.7*sure.Confidence || inDate.Weakest > 0.21 {
		t.Errorf("a weak digit in the date: confidence %.3f vs %.3f sure (weakest %.2f)", inDate.Confidence, sure.Confidence, inDate.Weakest)
	}
	if outside.Confidence != sure.Confidence {
		t.Errorf("a weak letter outside the date changed its confidence: %.3f vs %.3f", outside.Confidence, sure.Confidence)
	}
	// Probabilities that do not match the text are ignored, not misapplied.
	if short := find(probs(0, 0.97)[:5]); short.Weakest != 1 {
		t.Errorf("mismatched probabilities used: weakest %.2f", short.Weakest)
	}
}

// An expiry many years after the manufacture date beside it is most likely misread; a usual
// shelf life is not touched.
func TestLongAfterManufactureIsUnsure(t *testing.T) {
	far := Find(linesOf("MFG 05/05/2027\nEXP 02/10/2051"), Options{})
	usual := Find(linesOf("MFG 05/05/2027\nEXP 02/10/2029"), Options{})
	if far.Best == nil || usual.Best == nil {
		t.Fatalf("no date: %+v %+v", far.Best, usual.Best)
	}
	if far.Best.Confidence > 0.6*usual.Best.Confidence || !strings.Contains(far.Best.Reason, "after the manufacture date") {
		t.Errorf("24 years of shelf life: %.2f (%s) vs %.2f", far.Best.Confidence, far.Best.Reason, usual.Best.Confidence)
	}
	if strings.Contains(usual.Best.Reason, "after the manufacture date") {
		t.Errorf("two years of shelf life called unsure: %s", usual.Best.Reason)
	}
}

// A bare MM20YY run ("MM YYYY" whose space OCR dropped) has one date reading; read as
// dot-matrix print usually is (mean character confidence 0.8), it is given at the shipped
// threshold.
func TestBareCompactMonthYearGiven(t *testing.T) {
	shipped := Options{MinConfidence: 0.3}
	for _, in := range []string{"122024", "012032", "LOT 8841\n072027"} {
		var lines []Line
		for _, l := range strings.Split(in, "\n") {
			lines = append(lines, Line{Text: l, Confidence: 0.8})
		}
		res := Find(lines, shipped)
		if res.Best == nil || res.Best.Precision != PrecisionMonth {
			t.Errorf("%q: got %+v, withheld %+v", in, res.Best, res.Withheld)
		}
	}
}
