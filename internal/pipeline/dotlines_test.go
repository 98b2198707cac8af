package pipeline

import (
	"context"
	"image"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// zeros draws n "0" glyphs of a 5×7 dot-matrix font, dots 5 px across on an 8 px pitch, dark
// on light grey.
func zeros(n int) *image.RGBA {
	glyph := []string{".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."}
	const pitch = 8
	img := image.NewRGBA(image.Rect(0, 0, (6*n+3)*pitch, 11*pitch))
	for i := range img.Pix {
		img.Pix[i] = 235
	}
	for g := range n {
		for r, row := range glyph {
			for c, on := range row {
				if on != '#' {
					continue
				}
				cx, cy := (2+6*g+c)*pitch, (2+r)*pitch
				for y := cy - 2; y <= cy+2; y++ {
					for x := cx - 2; x <= cx+2; x++ {
						if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= 5 {
							o := img.PixOffset(x, y)
							img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 30, 30, 30
						}
					}
				}
			}
		}
	}
	return img
}

// The lattice look reads the first pass's dot-matrix crops that hold no date from their
// redrawn lattices, both ways up, and keeps a reading that holds a date; crops of solid
// print and crops that already read a date are left alone.
func TestLatticeLookReadsDotMatrixCrops(t *testing.T) {
	dict, err := recognize.ParseDictionary([]byte("0\n1\n2\n3\n7\n/\nL\nO\nT"))
	if err != nil {
		t.Fatal(err)
	}
	// Grey 0-99 reads "LOT", 100-199 "L0T", 200 and up (the redrawn lattices' white) the date.
	run := &greyReader{dict: dict, says: []string{"LOT", "L0T", "31/12/2027"}}
	p := &Pipeline{
		st:  Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)},
		rec: Recovery{MinConfidence: 0.4, DotMatrix: true},
	}
	txt := func(s string, conf float64) recognize.Text { return recognize.Text{Text: s, Confidence: conf} }
	res := &Result{Regions: []Region{
		{Quad: quad(0, 0, 200, 80), Text: txt("8888", 0.3), Crop: zeros(4)},
		{Quad: quad(0, 100, 200, 80), Text: txt("LOT", 0.9), Crop: greyCrop(120)},
		{Quad: quad(0, 200, 200, 80), Text: txt("01/01/2026", 0.9), Crop: zeros(4)},
	}}
	l := &look{ctx: context.Background(), work: greyCrop(0), toOrig: 1, res: res}
	if err := p.lattice(l); err != nil {
		t.Fatal(err)
	}
	if len(run.batches) != 1 || run.batches[0] != 2 {
		t.Fatalf("recogniser batches %v, want one of the dotted crop's lattice, both ways up", run.batches)
	}
	if r := res.Regions[0]; r.Text.Text != "31/12/2027" || r.Source != latticeSource {
		t.Errorf("dotted crop reads %q from %q", r.Text.Text, r.Source)
	}
	if res.Regions[1].Text.Text != "LOT" || res.Regions[2].Text.Text != "01/01/2026" || res.Regions[2].Source != "" {
		t.Errorf("regions %+v", res.Regions[1:])
	}
}

// A box that hugs the dots' centres cuts the top and bottom rows off; the lattice is also
// fitted on the box grown across its line, where all seven rows are whole.
func TestLatticeCropKeepsTheOuterRows(t *testing.T) {
	img := zeros(4)
	const pitch = 8
	w := float64(img.Rect.Dx())
	tight := quad(pitch, 2*pitch+2, w-2*pitch, 6*pitch-4) // rows at 2..8 pitches: the outer ones cut off
	p := &Pipeline{}
	crop := Crop(img, tight)
	rows := func(c *image.RGBA) int {
		dp, ok := imgproc.FindDots(c)
		if !ok {
			return 0
		}
		lats := imgproc.DotGrids(c, dp)
		if len(lats) == 0 {
			return 0
		}
		return lats[0].Rows
	}
	if n := rows(crop); n == 7 {
		t.Fatalf("the box's own crop fits all 7 rows: the test shows nothing")
	}
	grown := Crop(img, growAcross(tight, latticeMargin))
	if n := rows(grown); n != 7 {
		t.Errorf("grown crop fits %d rows, want 7", n)
	}
	// Both crops are fitted, each both ways up, each read on its own.
	var d dotLines
	dp, ok := imgproc.FindDots(crop)
	p.addLattices(&d, 0, ownCrop{crop, dp, ok}, img, tight, false, crop)
	if d.n != 4 {
		t.Errorf("%d groups of lattice lines, want 4 (two crops, both ways up)", d.n)
	}
}
