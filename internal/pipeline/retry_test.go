package pipeline

import (
	"context"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// greyReader spells out, for each crop, the text its grey level picks from says (one
// character a frame), and records the batch sizes it ran.
type greyReader struct {
	dict    *recognize.Dictionary
	says    []string
	batches []int64
}

func (g *greyReader) Run(_ context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	g.batches = append(g.batches, shape[0])
	classes := g.dict.Classes()
	n, t := shape[0], shape[3]/8
	plane := int(3 * shape[2] * shape[3])
	out := make([]float32, int(n*t)*classes)
	for i := range int(n) {
		grey := int(math.Round(float64(data[i*plane]+1) * 127.5))
		text := []rune(g.says[min(grey/100, len(g.says)-1)])
		for f := range int(t) {
			cls := 0 // blank
			if f < len(text) {
				for c := 1; c < classes; c++ {
					if g.dict.Char(c) == string(text[f]) {
						cls = c
					}
				}
			}
			out[(i*int(t)+f)*classes+cls] = 1
		}
	}
	return []int64{n, t, int64(classes)}, out, nil
}

// charDict is a recogniser dictionary of the characters of chars, one class each.
func charDict(t *testing.T, chars string) *recognize.Dictionary {
	t.Helper()
	dict, err := recognize.ParseDictionary([]byte(strings.Join(strings.Split(chars, ""), "\n")))
	if err != nil {
		t.Fatal(err)
	}
	return dict
}

func greyCrop(grey uint8) *image.RGBA {
	c := image.NewRGBA(image.Rect(0, 0, 96, 48))
	for i := range c.Pix {
		c.Pix[i] = grey
	}
	return c
}

// The region with the most digits is retried first, all variants in one batch, and a
// confident date there ends the retries: the other candidate is never run. A date read from
// the flip variant turns its region over.
func TestRetryStopsAtTheFirstRegionThatReadsADate(t *testing.T) {
	dict, err := recognize.ParseDictionary([]byte("0\n1\n2\n3\n7\n/\nL\nO\nT"))
	if err != nil {
		t.Fatal(err)
	}
	run := &greyReader{dict: dict, says: []string{"31/12/2027", "LOT"}}
	flip, _ := ParseChain("flip")
	pad, _ := ParseChain("pad")
	p := &Pipeline{
		st:  Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)},
		rec: Recovery{MinConfidence: 0.4, Variants: []Chain{flip, pad}, MaxRetryRegions: 4},
	}
	res := &Result{Regions: []Region{
		{Quad: imgproc.Quad{{X: 0, Y: 0}, {X: 96, Y: 0}, {X: 96, Y: 48}, {X: 0, Y: 48}}, Text: recognize.Text{Text: "L0T 7", Confidence: 0.5}},
		{Quad: imgproc.Quad{{X: 0, Y: 60}, {X: 96, Y: 60}, {X: 96, Y: 108}, {X: 0, Y: 108}}, Text: recognize.Text{Text: "8 18 88", Confidence: 0.4}},
		{Quad: imgproc.Quad{{X: 0, Y: 120}, {X: 96, Y: 120}, {X: 96, Y: 168}, {X: 0, Y: 168}}, Text: recognize.Text{Text: "5 5", Confidence: 0.5}},
	}}
	for i, grey := range []uint8{150, 0, 150} { // LOT, the date, LOT
		res.Regions[i].Crop = greyCrop(grey)
	}
	l := &look{ctx: context.Background(), work: greyCrop(0), toOrig: 1, res: res}
	if err := p.retry(l); err != nil {
		t.Fatal(err)
	}
	if len(run.batches) != 1 || run.batches[0] != 2 {
		t.Fatalf("recogniser batches %v, want one of the 2 variants of the date's crop", run.batches)
	}
	if r := res.Regions[1]; r.Text.Text != "31/12/2027" || r.Source != "retry:flip" {
		t.Fatalf("date region reads %q from %q", r.Text.Text, r.Source)
	}
	// Read turned over, the region now stands that way up, for the lines and later checks.
	if !res.Regions[1].Flipped || res.Regions[0].Flipped {
		t.Fatalf("flipped: date region %v, unread region %v; want true, false", res.Regions[1].Flipped, res.Regions[0].Flipped)
	}
	if res.Regions[0].Source != "" || res.Regions[2].Source != "" || res.Dates.Best == nil || res.Dates.Best.Date.String() != "2027-12-31" {
		t.Fatalf("regions %+v, best %+v", res.Regions, res.Dates.Best)
	}
}

func TestTurnLinesReversesAndRotates(t *testing.T) {
	top, bottom := greyCrop(10), greyCrop(200)
	top.Pix[0] = 1 // top-left pixel, bottom-right once turned
	out := turnLines([]*image.RGBA{top, bottom})
	if out[0].Pix[0] != 200 || out[1].Pix[len(out[1].Pix)-4] != 1 {
		t.Fatal("turned block does not start with the old bottom line, rotated")
	}
	if !turned([]bool{true, true, false}) || turned([]bool{true, false}) {
		t.Fatal("turned is not a strict majority")
	}
}

// A region the orientation check turned over stays that way up: its reading the other way was
// surer, so a turned variant's date (upside-down digits read as one) is passed over.
func TestRetryKeepsTheWayUpTheOrientationCheckChose(t *testing.T) {
	dict := charDict(t, "01237/")
	run := &greyReader{dict: dict, says: []string{"31/12/2027"}}
	flip, _ := ParseChain("flip")
	pad, _ := ParseChain("pad")
	p := &Pipeline{
		st:  Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)},
		rec: Recovery{MinConfidence: 0.4, Variants: []Chain{flip, pad}, MaxRetryRegions: 4},
	}
	q := imgproc.Quad{{X: 0, Y: 0}, {X: 96, Y: 0}, {X: 96, Y: 48}, {X: 0, Y: 48}}
	res := &Result{Regions: []Region{{Quad: q, Text: recognize.Text{Text: "8 18 88", Confidence: 0.4}, Crop: greyCrop(0)}}}
	l := &look{ctx: context.Background(), work: greyCrop(0), toOrig: 1, res: res, reoriented: map[imgproc.Quad]bool{q: true}}
	if err := p.retry(l); err != nil {
		t.Fatal(err)
	}
	if r := res.Regions[0]; r.Source != "retry:pad" || r.Flipped {
		t.Fatalf("region read from %q, flipped %v; want retry:pad, not flipped", r.Source, r.Flipped)
	}
}
