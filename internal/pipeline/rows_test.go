package pipeline

import (
	"context"
	"slices"
	"testing"

	"github.com/datalid/datalid/internal/recognize"
)

// Pieces of one printed line that hold no date together are read again as one crop, which
// replaces them when it reads a date; a far piece, a line holding a date and a box twice the
// line's height are no part of such a row.
func TestRowsReadPiecesOfALineAsOne(t *testing.T) {
	dict, err := recognize.ParseDictionary([]byte("0\n1\n2\n3\n7\n/\nL\nO\nT\nV"))
	if err != nil {
		t.Fatal(err)
	}
	run := &greyReader{dict: dict, says: []string{"31/12/2027"}}
	p := &Pipeline{
		st:  Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)},
		rec: Recovery{MinConfidence: 0.4, MaxRetryRegions: 4},
	}
	txt := func(s string, conf float64) recognize.Text { return recognize.Text{Text: s, Confidence: conf} }
	res := &Result{Regions: []Region{
		{Quad: quad(10, 100, 20, 20), Text: txt("V", 0.3)},
		{Quad: quad(50, 100, 40, 20), Text: txt("", 0)},
		{Quad: quad(110, 100, 80, 20), Text: txt("2O27", 0.6)},
		{Quad: quad(400, 100, 40, 20), Text: txt("LOT", 0.9)},       // 10 heights away
		{Quad: quad(10, 300, 80, 20), Text: txt("31/12/2027", 0.9)}, // already a date …
		{Quad: quad(110, 300, 40, 20), Text: txt("L0T", 0.4)},       // … with its neighbour
		{Quad: quad(10, 500, 40, 40), Text: txt("", 0)},             // a box over two lines …
		{Quad: quad(60, 510, 40, 20), Text: txt("12", 0.5)},         // … beside one line
	}}
	l := &look{ctx: context.Background(), work: greyCrop(0), toOrig: 1, res: res}
	if err := p.rows(l); err != nil {
		t.Fatal(err)
	}
	if len(run.batches) != 1 || run.batches[0] != 1 {
		t.Fatalf("recogniser batches %v, want one crop: the first row", run.batches)
	}
	var texts []string
	for _, r := range res.Regions {
		texts = append(texts, r.Text.Text+"|"+r.Source)
	}
	want := []string{"LOT|", "31/12/2027|", "L0T|", "|", "12|", "31/12/2027|row"}
	if !slices.Equal(texts, want) {
		t.Fatalf("regions %q, want %q", texts, want)
	}
	x0, y0, x1, y1 := res.Regions[len(res.Regions)-1].Quad.Bounds()
	if x0 != 10 || y0 != 97 || x1 != 190 || y1 != 123 {
		t.Errorf("row box %v %v %v %v, want the pieces' span with its margin, 10 97 190 123", x0, y0, x1, y1)
	}
}
