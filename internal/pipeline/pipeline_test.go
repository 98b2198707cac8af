package pipeline

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

func region(x, y, w, h float64, text string, conf float64) Region {
	return Region{
		Quad: imgproc.Quad{{X: x, Y: y}, {X: x + w, Y: y}, {X: x + w, Y: y + h}, {X: x, Y: y + h}},
		Text: recognize.Text{Text: text, Confidence: conf, CharProbs: charProbs(text, conf)},
	}
}

// charProbs gives every rune of text the probability p, as a recogniser sure to p would.
func charProbs(text string, p float64) []float32 {
	out := make([]float32, len([]rune(text)))
	for i := range out {
		out[i] = float32(p)
	}
	return out
}

func TestGroupLines(t *testing.T) {
	rs := []Region{
		region(300, 102, 80, 30, "27", 0.9),        // same line as the next two, rightmost
		region(10, 100, 120, 30, "VAL", 0.9),       // same line, leftmost
		region(150, 98, 120, 34, "30 04", 0.9),     // same line, middle
		region(10, 160, 200, 30, "LOTE 12A", 0.95), // next line
		region(10, 200, 200, 30, "noise", 0.2),     // below min confidence: left out
		region(10, 240, 200, 30, "", 0.9),          // empty: left out
		region(400, 20, 100, 30, "FAB 01/01/25", 0.9),
	}
	lines := GroupLines(rs, 0.5)
	want := []string{"FAB 01/01/25", "VAL 30 04 27", "LOTE 12A"}
	if len(lines) != len(want) {
		t.Fatalf("lines %+v", lines)
	}
	for i, w := range want {
		if lines[i].Text != w {
			t.Errorf("line %d = %q want %q", i, lines[i].Text, w)
		}
	}
	if got := lines[1].Regions; len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 0 {
		t.Errorf("line regions %v", got)
	}
	if c := lineConfidence(rs, lines[1]); c < 0.89 || c > 0.91 {
		t.Errorf("line confidence %v", c)
	}
}

// A label photographed upside down: each crop was turned upright, and the lines read in
// print order again, keyword before date and the MFG line first. An upright row with one
// crop turned (a classifier mistake on a short piece) keeps its order.
func TestGroupLinesReadsTurnedPrintInOrder(t *testing.T) {
	turned := func(r Region) Region { r.Flipped = true; return r }
	rs := []Region{
		turned(region(10, 100, 150, 30, "01/2026", 0.9)), // the EXP line, at the top of the photo
		turned(region(180, 100, 60, 30, "EXP", 0.9)),
		turned(region(10, 160, 150, 30, "01/2024", 0.9)), // the MFG line below it
		turned(region(180, 160, 60, 30, "MFG", 0.9)),
	}
	want := []string{"MFG 01/2024", "EXP 01/2026"}
	lines := GroupLines(rs, 0.5)
	if len(lines) != len(want) || lines[0].Text != want[0] || lines[1].Text != want[1] {
		t.Errorf("turned label read %+v, want %q", lines, want)
	}

	upright := []Region{region(10, 100, 120, 30, "BEST BY", 0.9), turned(region(150, 100, 40, 30, "12", 0.9)), region(200, 100, 60, 30, "2026", 0.9)}
	if lines := GroupLines(upright, 0.5); len(lines) != 1 || lines[0].Text != "BEST BY 12 2026" {
		t.Errorf("upright row read %+v", lines)
	}
}

// A product held sideways: its print runs down the page. Regions read on the photo turned a
// quarter come back with their top edges running down (the letters' tops face right, so the
// rightmost line is read first); boxes the first pass found standing tall were read turned
// a quarter, their lines running down their right edges. Either way the lines join along the
// print, not across it, while a lone glyph standing taller than wide stays in its level row.
func TestGroupLinesReadsPrintRunningDownThePage(t *testing.T) {
	// down is a region whose text starts at (x, y) and runs h pixels down, w pixels high.
	down := func(x, y, w, h float64, text string) Region {
		r := region(0, 0, 0, 0, text, 0.9)
		r.Quad = imgproc.Quad{{X: x + w, Y: y}, {X: x + w, Y: y + h}, {X: x, Y: y + h}, {X: x, Y: y}}
		return r
	}
	turned := []Region{
		down(100, 300, 30, 90, "02 2014"), // the second line, on the left
		down(160, 300, 30, 90, "10 2014"),
		down(100, 200, 30, 60, "FAB."),
		down(160, 200, 30, 60, "VAL."),
	}
	want := []string{"VAL. 10 2014", "FAB. 02 2014"}
	if lines := GroupLines(turned, 0.5); len(lines) != 2 || lines[0].Text != want[0] || lines[1].Text != want[1] {
		t.Errorf("print running down read %+v, want %q", lines, want)
	}

	standing := []Region{region(100, 300, 30, 120, "12/2026", 0.9), region(100, 200, 30, 60, "EXP", 0.9)}
	if lines := GroupLines(standing, 0.5); len(lines) != 1 || lines[0].Text != "EXP 12/2026" {
		t.Errorf("boxes standing tall read %+v, want one line EXP 12/2026", lines)
	}

	level := []Region{region(10, 100, 60, 30, "LOT", 0.9), region(80, 96, 16, 36, "7", 0.9), region(110, 100, 60, 30, "A12", 0.9)}
	if lines := GroupLines(level, 0.5); len(lines) != 1 || lines[0].Text != "LOT 7 A12" {
		t.Errorf("level row with a tall glyph read %+v", lines)
	}
}

// A photo taken at a slant of about 45°: the detector boxes the pieces of one line at
// angles either side of the diagonal, and they still join into the line.
func TestGroupLinesJoinsPiecesAcrossTheDiagonal(t *testing.T) {
	// at is a region centred d pixels along the line from (100, 100), its box turned deg.
	at := func(d, w, deg float64, text string) Region {
		r := region(0, 0, 0, 0, text, 0.9)
		line := 45 * math.Pi / 180
		c := imgproc.Point{X: 100 + d*math.Cos(line), Y: 100 + d*math.Sin(line)}
		a := deg * math.Pi / 180
		u := imgproc.Point{X: math.Cos(a) * w / 2, Y: math.Sin(a) * w / 2}
		v := imgproc.Point{X: -math.Sin(a) * 15, Y: math.Cos(a) * 15}
		r.Quad = imgproc.Quad{{X: c.X - u.X - v.X, Y: c.Y - u.Y - v.Y}, {X: c.X + u.X - v.X, Y: c.Y + u.Y - v.Y},
			{X: c.X + u.X + v.X, Y: c.Y + u.Y + v.Y}, {X: c.X - u.X + v.X, Y: c.Y - u.Y + v.Y}}
		return r
	}
	rs := []Region{at(0, 60, 43, "EXP"), at(70, 60, 47, "NOV"), at(140, 60, 44, "03"), at(210, 80, 46, "2026")}
	if lines := GroupLines(rs, 0.5); len(lines) != 1 || lines[0].Text != "EXP NOV 03 2026" {
		t.Errorf("diagonal line read %+v", lines)
	}
}

// Each line carries one probability per rune, lined up with its text: across the spaces that
// join regions and the line breaks of a crop read line by line, whose recogniser
// probabilities leave the breaks out. The lot code beside the box's second line joins it.
func TestGroupLinesCarriesCharacterProbabilities(t *testing.T) {
	split := region(10, 100, 200, 60, "F 03/24\nV 03/26", 0.9)
	split.Text.CharProbs = []float32{0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.2}
	rs := []Region{split, region(230, 130, 60, 30, "L7", 0.8)}
	lines, probs := groupLines(rs, 0.5)
	if len(lines) != 2 || lines[1].Text != "V 03/26 L7" {
		t.Fatalf("lines %+v", lines)
	}
	for i, l := range lines {
		if len(probs[i]) != len([]rune(l.Text)) {
			t.Fatalf("%q: %d probabilities", l.Text, len(probs[i]))
		}
	}
	if p := probs[1][strings.Index(lines[1].Text, "6")]; p != 0.2 {
		t.Errorf("the last digit of %q has probability %v, want 0.2: %v", lines[1].Text, p, probs[1])
	}
}

func TestCropTurnsTallRegions(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for y := range 100 {
		for x := range 100 {
			img.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 2), 0, 255})
		}
	}
	wide := Crop(img, imgproc.Quad{{X: 10, Y: 10}, {X: 70, Y: 10}, {X: 70, Y: 30}, {X: 10, Y: 30}})
	if b := wide.Bounds(); b.Dx() != 60 || b.Dy() != 20 {
		t.Errorf("wide crop %v", b)
	}
	if r := wide.RGBAAt(0, 0).R; r < 18 || r > 22 {
		t.Errorf("wide crop origin red %d, want ≈20 (x=10)", r)
	}
	tall := Crop(img, imgproc.Quad{{X: 10, Y: 10}, {X: 30, Y: 10}, {X: 30, Y: 70}, {X: 10, Y: 70}})
	if b := tall.Bounds(); b.Dx() != 60 || b.Dy() != 20 {
		t.Errorf("tall crop not turned: %v", b)
	}
}

func TestNewRequiresStages(t *testing.T) {
	if _, err := New(Config{}, Stages{}); err == nil {
		t.Error("pipeline without stages accepted")
	}
}

func TestCropUnmirrorsCounterClockwiseCorners(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for y := range 100 {
		for x := range 100 {
			img.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 2), 0, 255})
		}
	}
	// Bottom-left, bottom-right, top-right, top-left: a vertical mirror of the usual order.
	c := Crop(img, imgproc.Quad{{X: 10, Y: 30}, {X: 70, Y: 30}, {X: 70, Y: 10}, {X: 10, Y: 10}})
	if g := c.RGBAAt(30, 0).G; g > 24 {
		t.Errorf("top row of the crop has green %d: the crop is mirrored", g)
	}
}

func TestKeepRegionsRechoosesDates(t *testing.T) {
	p := &Pipeline{cfg: Config{MinTextConfidence: 0.5}}
	res := &Result{Regions: []Region{
		region(10, 10, 200, 30, "VAL 05/12/2025", 0.9),
		region(10, 60, 200, 30, "EXP 01/01/2027", 0.9),
	}}
	res.Regions[0].Score, res.Regions[1].Score = 0.95, 0.65
	p.findDates(res)
	if got := p.KeepRegions(res, 0.5); got != res {
		t.Error("nothing dropped but a new result returned")
	}
	kept := p.KeepRegions(res, 0.9)
	if len(kept.Regions) != 1 || kept.Dates.Best == nil || kept.Dates.Best.Date.String() != "2025-12-05" {
		t.Fatalf("kept %+v best %+v", kept.Regions, kept.Dates.Best)
	}
	if len(res.Regions) != 2 || len(res.Lines) != 2 {
		t.Error("KeepRegions changed its input")
	}
}
