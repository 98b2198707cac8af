package pipeline

import (
	"context"
	"image"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// halves is a work image with one 96×48 box at the top left whose left half is grey a and
// right half grey b: greyReader reads it by its first pixel, so as it stands it reads a's
// text and turned 180° b's.
func halves(a, b uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := range 48 {
		for x := range 96 {
			v := a
			if x >= 48 {
				v = b
			}
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = v, v, v, 255
		}
	}
	return img
}

// The orientation check takes a turned reading surer than the region's own. After the
// second looks, whose date the line holds, it does so only when the line keeps a date:
// upside-down letters can read surer as digits than the look's reading of the date.
func TestOrientKeepsTheLooksDateAfterTheLooks(t *testing.T) {
	dict := charDict(t, "0123456789/LOT ")
	for _, c := range []struct {
		afterLooks bool
		want       string
	}{{false, "LOT 1234"}, {true, "12/2027"}} {
		run := &greyReader{dict: dict, says: []string{"12/2027", "LOT 1234"}}
		p := &Pipeline{st: Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)}}
		res := &Result{Regions: []Region{{
			Quad: imgproc.Quad{{X: 0, Y: 0}, {X: 96, Y: 0}, {X: 96, Y: 48}, {X: 0, Y: 48}},
			Text: recognize.Text{Text: "12/2027", Confidence: 0.5}, Source: "dots",
		}}}
		p.findDates(res)
		l := &look{ctx: context.Background(), work: halves(0, 150), toOrig: 1, res: res}
		if err := p.orient(l, c.afterLooks); err != nil {
			t.Fatal(err)
		}
		if len(run.batches) != 1 {
			t.Fatalf("after looks %v: recogniser batches %v, want one", c.afterLooks, run.batches)
		}
		if got := res.Regions[0].Text.Text; got != c.want {
			t.Errorf("after looks %v: region reads %q, want %q", c.afterLooks, got, c.want)
		}
	}
}

// After the looks, the check re-reads the regions the classifier turned on lines without a
// date: an upright date line it turned reads as upside-down garbage, and the right way up as
// the date ("VAL 12/2027"). A region it left as it stands is not read again, nor is any such
// region on the first pass, before the looks (the sideways one) have judged the photo; and a
// surer reading turned back is taken only when it holds a date.
func TestOrientRereadsTurnedRegionsOfDatelessLines(t *testing.T) {
	dict := charDict(t, "0123456789/VALTZO ")
	for _, c := range []struct {
		flipped, afterLooks bool
		upright             string
	}{{true, true, "VAL 12/2027"}, {false, true, "VAL 12/2027"}, {true, false, "VAL 12/2027"}, {true, true, "LOT 1234"}} {
		run := &greyReader{dict: dict, says: []string{c.upright, "ZZ8Z/TT TVA"}}
		p := &Pipeline{st: Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)}}
		res := &Result{Regions: []Region{{
			Quad:    imgproc.Quad{{X: 0, Y: 0}, {X: 96, Y: 0}, {X: 96, Y: 48}, {X: 0, Y: 48}},
			Text:    recognize.Text{Text: "ZZ8Z/TT TVA", Confidence: 0.7},
			Flipped: c.flipped,
		}}}
		p.findDates(res)
		l := &look{ctx: context.Background(), work: halves(0, 150), toOrig: 1, res: res}
		if err := p.orient(l, c.afterLooks); err != nil {
			t.Fatal(err)
		}
		want, batches := c.upright, 1
		switch {
		case !c.flipped || !c.afterLooks:
			want, batches = "ZZ8Z/TT TVA", 0
		case c.upright == "LOT 1234": // surer, but no date: left as it was
			want = "ZZ8Z/TT TVA"
		}
		if len(run.batches) != batches {
			t.Errorf("%+v: recogniser batches %v, want %d", c, run.batches, batches)
		}
		if got := res.Regions[0].Text.Text; got != want {
			t.Errorf("%+v: region reads %q, want %q", c, got, want)
		}
	}
}

// unsureReader reads every crop as text, but gives its character at frame at only share of
// the frame's probability, the rest to other: a misread the date-aware decoder can undo.
type unsureReader struct {
	dict        *recognize.Dictionary
	text        string
	at          int
	other       string
	share       float32
	invocations int
}

func (u *unsureReader) Run(_ context.Context, shape []int64, _ []float32) ([]int64, []float32, error) {
	u.invocations++
	classes := u.dict.Classes()
	class := func(s string) int {
		for c := 1; c < classes; c++ {
			if u.dict.Char(c) == s {
				return c
			}
		}
		return 0
	}
	n, t := shape[0], shape[3]/8
	out := make([]float32, int(n*t)*classes)
	text := []rune(u.text)
	for i := range int(n) {
		for f := range int(t) {
			row := out[(i*int(t)+f)*classes:]
			switch {
			case f >= len(text):
				row[0] = 1
			case f == u.at:
				row[class(string(text[f]))], row[class(u.other)] = u.share, 1-u.share
			default:
				row[class(string(text[f]))] = 1
			}
		}
	}
	return []int64{n, t, int64(classes)}, out, nil
}

// A turned region of a line without a date may read as letters alone ("EAES"), and its
// upright reading may need the date-aware decoder for its date ("VAL 1E/2027", the 2 read as
// E): it is read the other way up all the same, and takes the decoded date.
func TestOrientDecodesTheDateOfAnUnsureUprightReading(t *testing.T) {
	dict := charDict(t, "0123456789/VALEZ ")
	for _, beam := range []int{0, 8} {
		run := &unsureReader{dict: dict, text: "VAL 1E/2027", at: 5, other: "2", share: 0.6}
		p := &Pipeline{
			st:  Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)},
			rec: Recovery{Beam: recognize.BeamOptions{Width: beam, Confident: 0.95}, MinBeamProb: 0.01},
		}
		res := &Result{Regions: []Region{{
			Quad:    imgproc.Quad{{X: 0, Y: 0}, {X: 96, Y: 0}, {X: 96, Y: 48}, {X: 0, Y: 48}},
			Text:    recognize.Text{Text: "EAES", Confidence: 0.3},
			Flipped: true,
		}}}
		p.findDates(res)
		l := &look{ctx: context.Background(), work: halves(0, 150), toOrig: 1, res: res}
		if err := p.orient(l, true); err != nil {
			t.Fatal(err)
		}
		want := "VAL 12/2027"
		if beam == 0 { // no decoder: surer, but no date, so left as it was
			want = "EAES"
		}
		if run.invocations != 1 {
			t.Errorf("beam %d: %d recogniser runs, want 1", beam, run.invocations)
		}
		if got := res.Regions[0].Text.Text; got != want {
			t.Errorf("beam %d: region reads %q, want %q", beam, got, want)
		}
	}
}

// After the looks, with no date read anywhere, an unsure reading with digits the classifier
// left as it stands is read again turned over, and takes that reading when it holds a date:
// dotted print on its head reads as digits ("1202/20/20"). Not when a date was read
// elsewhere, not a sure reading, not one of fewer than two digits, and not before the looks.
func TestOrientTurnsUnsureDigitsOverWhenNoDate(t *testing.T) {
	dict := charDict(t, "0123456789/LOT ")
	for _, c := range []struct {
		name       string
		reads      string  // the region's reading as it stands
		conf       float64 // its confidence
		turned     string  // its reading turned over
		dated      bool    // another region holds a date
		afterLooks bool
		want       string
		batches    int
	}{
		{"a date on its head", "1202/20/20", 0.4, "07/07/2024", false, true, "07/07/2024", 1},
		{"turned over, still no date", "1202/20/20", 0.4, "LOT 4321", false, true, "1202/20/20", 1},
		{"a date read elsewhere", "1202/20/20", 0.4, "07/07/2024", true, true, "1202/20/20", 0},
		{"a sure reading", "1202/20/20", 0.9, "07/07/2024", false, true, "1202/20/20", 0},
		{"one digit", "LOT 4", 0.4, "07/07/2024", false, true, "LOT 4", 0},
		{"before the looks", "1202/20/20", 0.4, "07/07/2024", false, false, "1202/20/20", 0},
	} {
		run := &greyReader{dict: dict, says: []string{c.reads, c.turned}}
		p := &Pipeline{st: Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)}, rec: Recovery{MaxRetryRegions: 6}}
		res := &Result{Regions: []Region{{
			Quad: imgproc.Quad{{X: 0, Y: 0}, {X: 96, Y: 0}, {X: 96, Y: 48}, {X: 0, Y: 48}},
			Text: recognize.Text{Text: c.reads, Confidence: c.conf},
		}}}
		if c.dated {
			res.Regions = append(res.Regions, Region{
				Quad: imgproc.Quad{{X: 0, Y: 60}, {X: 96, Y: 60}, {X: 96, Y: 96}, {X: 0, Y: 96}},
				Text: recognize.Text{Text: "12/2027", Confidence: 0.99}, // too sure to check
			})
		}
		p.findDates(res)
		l := &look{ctx: context.Background(), work: halves(0, 150), toOrig: 1, res: res}
		if err := p.orient(l, c.afterLooks); err != nil {
			t.Fatal(err)
		}
		if len(run.batches) != c.batches {
			t.Errorf("%s: recogniser batches %v, want %d", c.name, run.batches, c.batches)
		}
		if got := res.Regions[0].Text.Text; got != c.want {
			t.Errorf("%s: region reads %q, want %q", c.name, got, c.want)
		}
	}
}
