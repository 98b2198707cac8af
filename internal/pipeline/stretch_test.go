package pipeline

import (
	"context"
	"image"
	"testing"

	"github.com/datalid/datalid/internal/recognize"
)

// A best date shaped like a cut one that ends its line is read again past the line's ends.
// The reading replaces the line only when it holds the same month with a day equal to the
// digits first taken for the year; a date not at its line's end, or not cut-shaped, is not
// read again at all. With no date, a line naming an expiry date and ending in digits is read
// again, and its reading replaces it when it holds a date. The recogniser here reads every
// crop as the case's stretched text.
func TestStretchReadsTheLineOnPastACutDate(t *testing.T) {
	dict := charDict(t, "0123456789/:EXPFBVLOTUYSR")
	cases := []struct {
		name      string
		pieces    []string // the line as the detector cut it, left to right
		stretched string   // what the recogniser reads from the stretched crop
		want      string   // the best date after the check
		reads     int      // crops the check read
	}{
		{"the last field was the year", []string{"EXP", "FEB", "21"}, "EXP FEB 21 21", "2021-02-21", 1},
		{"a numeric date's year after its separator", []string{"BY 10/27"}, "BY 10/27/26", "2026-10-27", 1},
		{"another day: not the same date", []string{"EXP", "FEB", "21"}, "EXP FEB 22 21", "2021-02-28", 1},
		{"another month", []string{"EXP", "FEB", "21"}, "EXP 03 21 21", "2021-02-28", 1},
		{"a number past a space is no numeric date's year", []string{"V 03 26"}, "V 03 26 12", "2026-03-31", 1},
		{"nothing more on the line", []string{"EXP", "FEB", "21"}, "EXP FEB 21", "2021-02-28", 1},
		{"a field after the date: not cut", []string{"EXP", "FEB", "21", "LOT"}, "EXP FEB 21 21 LOT", "2021-02-28", 0},
		{"a four-digit year is no cut shape", []string{"EXP", "FEB", "2021"}, "EXP FEB 21 2021", "2021-02-28", 0},
		// A two-digit year reading the century: the box may have ended inside a four-digit year.
		{"cut after the century", []string{"V:12/08/20"}, "V:12/08/2027", "2027-08-12", 1},
		{"a month and year cut after the century", []string{"VL", "09/20"}, "VL 09/2031", "2031-09-30", 1},
		// The fake recogniser merges a repeated character (CTC), so no text repeats one.
		{"after the century another day", []string{"V:12/08/20"}, "V:13/08/2027", "2020-08-12", 1},
		{"after the century still two digits", []string{"V:12/08/20"}, "V:12/08/20 7", "2020-08-12", 1},
		{"a two-digit year other than the century", []string{"V:12/08/21"}, "V:12/08/2127", "2021-08-12", 0},
		{"the century not at the line's end", []string{"V:12/08/20", "L0T"}, "V:12/08/2027 L0T", "2020-08-12", 0},
		// No date: a line naming an expiry date and ending in digits is read on.
		{"no date: the end of the line had dropped", []string{"BEST BEFORE:037047"}, "BEST BEFORE:03704723", "2023-04-03", 1},
		{"no date: still none read on", []string{"BEST BEFORE:037047"}, "BEST BEFORE:0370472", "", 1},
		{"no date: no expiry keyword", []string{"LOT:037047"}, "LOT:03704723", "", 0},
		{"no date: too few digits", []string{"EXP", "03"}, "EXP 03/04/23", "", 0},
	}
	for _, c := range cases {
		run := &greyReader{dict: dict, says: []string{c.stretched}}
		p := &Pipeline{st: Stages{Recognizer: recognize.NewRecognizer(run, dict, 48, 1600, 8)}, rec: Recovery{MinConfidence: 0.4}}
		work := image.NewRGBA(image.Rect(0, 0, 800, 200))
		for i := range work.Pix {
			work.Pix[i] = 50
		}
		res := &Result{}
		x := 100.0
		for _, s := range c.pieces {
			w := 20 * float64(len(s))
			res.Regions = append(res.Regions, Region{Quad: quad(x, 80, w, 24), Text: recognize.Text{Text: s, Confidence: 0.9}})
			x += w + 30
		}
		p.findDates(res)
		l := &look{ctx: context.Background(), work: work, full: work, toOrig: 1, res: res}
		if err := p.stretch(l); err != nil {
			t.Fatal(err)
		}
		if len(run.batches) != c.reads {
			t.Errorf("%s: %d crops read, want %d", c.name, len(run.batches), c.reads)
		}
		b := res.Dates.Top()
		if c.want == "" && b != nil {
			t.Errorf("%s: best %+v, want none", c.name, b)
		}
		if c.want != "" && (b == nil || b.Date.String() != c.want) {
			t.Errorf("%s: best %+v, want %s", c.name, b, c.want)
		}
	}
}

// The stretched crop follows a slanted line of fields by their centres, stays one line high
// where a field's box is taller than the others, and reaches past both ends.
func TestStretchQuadFollowsTheLine(t *testing.T) {
	// Three fields along a line falling 1 in 4, the middle one boxed twice as high.
	rs := []Region{{Quad: quad(100, 100, 60, 20)}, {Quad: quad(200, 115, 60, 40)}, {Quad: quad(300, 150, 40, 20)}}
	l := &look{toOrig: 1, res: &Result{Regions: rs}}
	g := make([]geom, len(rs))
	for i, r := range rs {
		g[i] = geometry(r.Quad)
	}
	q := stretchQuad(l, g, []int{0, 1, 2})
	if h := (q[3].Y - q[0].Y); h > 30 || h < 20 {
		t.Errorf("stretched crop %.1f high, want about one 20-pixel line", h)
	}
	slope := (q[1].Y - q[0].Y) / (q[1].X - q[0].X)
	if slope < 0.2 || slope > 0.3 {
		t.Errorf("stretched crop slopes %.2f, want the line's 0.25", slope)
	}
	if q[0].X > 100-stretchReach*20+10 || q[1].X < 340+stretchReach*20-10 {
		t.Errorf("stretched crop %v does not reach past the line's ends", q)
	}
}
