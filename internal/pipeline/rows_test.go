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
	// The pieces span 10..190 × 100..120; the row reaches 0.8 heights past its ends and
	// 0.15 above and below.
	if x0 != -6 || y0 != 97 || x1 != 206 || y1 != 123 {
		t.Errorf("row box %v %v %v %v, want the pieces' span with its reach and margin, -6 97 206 123", x0, y0, x1, y1)
	}
}

// The rejoin look reads only the rows holding a piece a detecting look found: the rows look
// read the first pass's rows already.
func TestRejoinReadsRowsOfLaterPieces(t *testing.T) {
	dict, err := recognize.ParseDictionary([]byte("0\n1\n2\n3\n7\n/\nA\nP\nR"))
	if err != nil {
		t.Fatal(err)
	}
	run := &greyReader{dict: dict, says: []string{"APR 12 2027"}}
	p := &Pipeline{
		st:  Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)},
		rec: Recovery{MinConfidence: 0.4, MaxRetryRegions: 4},
	}
	txt := func(s string) recognize.Text { return recognize.Text{Text: s, Confidence: 0.6} }
	res := &Result{Regions: []Region{
		{Quad: quad(10, 100, 40, 20), Text: txt("APR")}, // first pass's row …
		{Quad: quad(60, 100, 30, 20), Text: txt("12")},
		{Quad: quad(10, 300, 40, 20), Text: txt("APR"), Source: "tile"}, // … and one found by tiles
		{Quad: quad(60, 300, 30, 20), Text: txt("12"), Source: "tile"},
		{Quad: quad(100, 300, 40, 20), Text: txt("202"), Source: "tile"},
	}}
	l := &look{ctx: context.Background(), work: greyCrop(0), toOrig: 1, res: res}
	if err := p.rejoin(l); err != nil {
		t.Fatal(err)
	}
	if len(run.batches) != 1 || run.batches[0] != 1 {
		t.Fatalf("recogniser batches %v, want one crop: the tiles' row", run.batches)
	}
	last := res.Regions[len(res.Regions)-1]
	if last.Source != rowSource || last.Text.Text != "APR 12 2027" || len(res.Regions) != 3 {
		t.Errorf("regions %+v: want the first pass's two pieces and the tiles' row read as one", res.Regions)
	}
}
