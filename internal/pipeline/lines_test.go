package pipeline

import (
	"image"
	"math"
	"slices"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// Two looks boxed the same print, or one boxed a piece of it again: the line reads it once,
// keeping the reading with more digits, then more text, while boxes that only touch at their
// margins all stay. A garbled reading over a keyword and its date gives way to both.
func TestGroupLinesReadsRepeatsOnce(t *testing.T) {
	for _, tc := range []struct {
		rs   []Region
		want []string
	}{
		{[]Region{region(100, 100, 200, 40, "042031", 0.9), region(104, 98, 200, 44, "042031", 0.8)}, []string{"042031"}},
		{[]Region{region(100, 100, 400, 40, "06 2029 L3593", 0.9), region(180, 100, 60, 40, "202", 0.9)}, []string{"06 2029 L3593"}},
		{[]Region{region(100, 100, 120, 40, "FEV/2", 0.7), region(104, 100, 130, 40, "FEV/27", 0.8)}, []string{"FEV/27"}},
		{[]Region{region(100, 100, 60, 40, "VAL", 0.9), region(150, 100, 40, 40, "07", 0.9), region(180, 100, 80, 40, "2025", 0.9)},
			[]string{"VAL 07 2025"}},
		{[]Region{region(100, 100, 60, 40, "EXP", 0.9), region(104, 100, 260, 40, "EXFOCTOE", 0.6), region(190, 100, 170, 40, "OCT0227", 0.8)},
			[]string{"EXP OCT0227"}},
		// A box read line by line is one print per line, each on its share of the box: a
		// piece of its first line boxed again repeats that line, not the box.
		{[]Region{region(100, 100, 160, 80, "F 08 2023\nV 07 2025", 0.9), region(104, 100, 150, 40, "08 2023", 0.9)},
			[]string{"F 08 2023", "V 07 2025"}},
		// Two printed lines stacked close, chained into one row: not one print read twice.
		{[]Region{region(100, 100, 160, 40, "V 07 2025", 0.9), region(110, 114, 150, 40, "F 08 2023", 0.9)},
			[]string{"V 07 2025 F 08 2023"}},
	} {
		if got := lineTexts(GroupLines(tc.rs, 0.5)); !slices.Equal(got, tc.want) {
			t.Errorf("read %q, want %q", got, tc.want)
		}
	}
}

// A flat label photographed askew: a line that starts far to the right sits higher on the
// image than the line above it starts, and is still read second. Print on a bent surface,
// whose lines run many ways, is ordered across the image's axis.
func TestRowsFollowTheWayThePrintRuns(t *testing.T) {
	rs := []Region{region(100, 100, 300, 40, "LINE ONE", 0.9), region(1500, 140, 300, 40, "LINE TWO", 0.9)}
	want := []string{"LINE ONE", "LINE TWO"}
	if got := lineTexts(GroupLines(askew(rs, -10), 0.5)); !slices.Equal(got, want) {
		t.Errorf("askew label read %q, want %q", got, want)
	}

	var g []geom
	for _, deg := range []float64{0, 12, -4, 9, 2} {
		g = append(g, geometry(askew([]Region{region(0, 0, 300, 40, "", 0)}, deg)[0].Quad))
	}
	if w := mainWay(g, []int{0, 1, 2, 3, 4}, imgproc.Point{X: 1}); w != (imgproc.Point{X: 1}) {
		t.Errorf("bent print's way %v, want the axis", w)
	}
	if w := mainWay(g[:1], []int{0}, imgproc.Point{X: 1}); w != (imgproc.Point{X: 1}) {
		t.Errorf("one level line's way %v", w)
	}
}

// A single letter's box has no slant of its own: the detector boxes a glyph at any angle.
// On a photo taken askew, a keyword letter boxed at a steeper angle than its line still
// reads with the value beside it, not with the next line's.
func TestALetterJoinsTheValueBesideIt(t *testing.T) {
	rs := askew([]Region{
		region(100, 100, 40, 50, "F", 0.9), region(170, 100, 400, 50, "08/23", 0.9),
		region(100, 170, 40, 50, "V", 0.9), region(170, 170, 400, 50, "08/25", 0.9),
	}, 6)
	rs[0].Quad = turnAbout(rs[0].Quad, 22)
	rs[2].Quad = turnAbout(rs[2].Quad, -8)
	want := []string{"F 08/23", "V 08/25"}
	if got := lineTexts(GroupLines(rs, 0.5)); !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
}

// turnAbout turns q by deg about its centre.
func turnAbout(q imgproc.Quad, deg float64) imgproc.Quad {
	c := geometry(q).c
	a := deg * math.Pi / 180
	for j, p := range q {
		x, y := p.X-c.X, p.Y-c.Y
		q[j] = imgproc.Point{X: c.X + x*math.Cos(a) - y*math.Sin(a), Y: c.Y + x*math.Sin(a) + y*math.Cos(a)}
	}
	return q
}

// A row's box runs along the region longest for its height, not the longest: a box around a
// block of print (as wide as tall, boxed at any angle) is longer than the line beside it but
// says nothing of the line's slant.
func TestRowBoxFollowsTheLine(t *testing.T) {
	rs := []Region{region(100, 100, 200, 190, "", 0.2), region(320, 170, 180, 40, "08/25", 0.9)}
	rs[0].Quad = turnAbout(rs[0].Quad, 30)
	l := &look{toOrig: 1, res: &Result{Regions: rs}}
	g := []geom{geometry(rs[0].Quad), geometry(rs[1].Quad)}
	q := rowQuad(l, g, []int{0, 1})
	if deg := math.Atan2(q[1].Y-q[0].Y, q[1].X-q[0].X) * 180 / math.Pi; math.Abs(deg) > 1 {
		t.Errorf("row box turned %.1f°, want the line's 0°", deg)
	}
}

// Print round a can or a cap: the detector boxes the line in pieces, each turned with the
// surface, and the last piece's centre lies well off the first piece's line. It continues
// the line where it starts at the first piece's end, turned towards the side it lies on;
// turned the other way, or not turned at all, or starting a text height back (the same
// print boxed again: "SELL BY 10/27" | "3/27/26"), it is a line of its own.
func TestABendingLineIsOneLine(t *testing.T) {
	// piece is "2032" turned deg, starting back pixels before the first piece's end (700, 130)
	// along it.
	piece := func(deg, back float64) Region {
		a := deg * math.Pi / 180
		cx, cy := 700-back+100*math.Cos(a), 130+100*math.Sin(a)
		r := region(cx-100, cy-30, 200, 60, "2032", 0.9)
		r.Quad = turnAbout(r.Quad, deg)
		return r
	}
	first := region(100, 100, 600, 60, "USE BY JAN 14", 0.9)
	against := piece(25, 0)
	against.Quad = turnAbout(against.Quad, -50)
	for _, c := range []struct {
		name string
		rs   []Region
		want []string
	}{
		{"bending down", []Region{first, piece(25, 0)}, []string{"USE BY JAN 14 2032"}},
		{"bending steeply", []Region{first, piece(38, 0)}, []string{"USE BY JAN 14 2032"}},
		{"turned against its side", []Region{first, against}, []string{"USE BY JAN 14", "2032"}},
		{"a level line below", []Region{first, region(700, 190, 200, 60, "2032", 0.9)}, []string{"USE BY JAN 14", "2032"}},
		{"starting a text height back", []Region{first, piece(38, 45)}, []string{"USE BY JAN 14", "2032"}},
	} {
		if got := lineTexts(GroupLines(c.rs, 0.5)); !slices.Equal(got, c.want) {
			t.Errorf("%s: read %q, want %q", c.name, got, c.want)
		}
	}
}

// A box read line by line puts each line on its share of the box, so a label beside one of
// its lines labels that line: labels in a column beside two stacked dates, the box centred
// between the label rows. Upside down (the photo turned 180°, every crop turned back by the
// classifier), the crop's first line is the box's bottom one, and the labels stand to its
// right, the first at the bottom.
func TestSplitLinesSitBesideTheirLabels(t *testing.T) {
	upright := []Region{region(100, 105, 150, 30, "MFG", 0.95), region(100, 145, 150, 30, "EXP", 0.95),
		region(300, 100, 120, 80, "09/23\n09/26", 0.8)}
	turned := []Region{region(450, 145, 150, 30, "MFG", 0.95), region(450, 105, 150, 30, "EXP", 0.95),
		region(300, 100, 120, 80, "09/23\n09/26", 0.8)}
	for i := range turned {
		turned[i].Flipped = true
	}
	want := []string{"MFG 09/23", "EXP 09/26"}
	for name, rs := range map[string][]Region{"upright": upright, "turned": turned} {
		if got := lineTexts(GroupLines(rs, 0.5)); !slices.Equal(got, want) {
			t.Errorf("%s: grouped %q, want %q", name, got, want)
		}
	}
}

// A reading line by line of the crop turned over turns the region over with it: the region
// now stands that way up, for the lines (turnRows) and the looks that crop it again.
func TestSplitReadingTurnsTheRegion(t *testing.T) {
	crop := image.NewRGBA(image.Rect(0, 0, 2, 1))
	crop.Pix[0] = 9 // the left pixel marks the way up
	for _, over := range []bool{false, true} {
		r := region(0, 0, 100, 60, "238", 0.5)
		r.Crop, r.Flipped, r.Source = crop, true, "joined"
		spans := [][2]float64{{0.1, 0.4}, {0.5, 0.9}}
		lineByLine{text: recognize.Text{Text: "09/23\n09/26", Confidence: 0.6}, over: over, spans: spans}.put(&r, "split")
		if r.Text.Text != "09/23\n09/26" || r.Source != "joined+split" || !slices.Equal(r.LineSpans, spans) {
			t.Errorf("over %v: region reads %q from %q, lines at %v", over, r.Text.Text, r.Source, r.LineSpans)
		}
		if r.Flipped == over || (r.Crop.Pix[0] == 9) == over {
			t.Errorf("over %v: flipped %v, crop's left pixel %d", over, r.Flipped, r.Crop.Pix[0])
		}
	}
}

// A box read line by line whose lines fill only its top (the detector's box reached below the
// print) places each line where splitRead found its print, not on equal shares of the box,
// so the second line still sits beside its label.
func TestSplitLinesSitWhereTheirPrintIs(t *testing.T) {
	split := region(300, 100, 120, 100, "09/23\n09/26", 0.8)
	split.LineSpans = [][2]float64{{0, 0.24}, {0.28, 0.52}}
	rs := []Region{region(100, 100, 150, 24, "MFG", 0.95), region(100, 128, 150, 24, "EXP", 0.95), split}
	want := []string{"MFG 09/23", "EXP 09/26"}
	if got := lineTexts(GroupLines(rs, 0.5)); !slices.Equal(got, want) {
		t.Errorf("grouped %q, want %q", got, want)
	}
	split.LineSpans = nil
	rs[2] = split
	if got := lineTexts(GroupLines(rs, 0.5)); slices.Equal(got, want) {
		t.Errorf("on equal shares too: %q; the case shows nothing", got)
	}
}

// lineSpans measures each band's print, in reading order; read turned over, from the bottom.
func TestLineSpansMeasureEachBandsPrint(t *testing.T) {
	crop := image.NewRGBA(image.Rect(0, 0, 100, 60))
	for y := range 60 {
		for x := range 100 {
			v := uint8(230)
			if ((y >= 5 && y < 16) || (y >= 40 && y < 51)) && x%4 < 2 {
				v = 20
			}
			o := crop.PixOffset(x, y)
			crop.Pix[o], crop.Pix[o+1], crop.Pix[o+2], crop.Pix[o+3] = v, v, v, 255
		}
	}
	bands := []image.Rectangle{image.Rect(0, 0, 100, 30), image.Rect(0, 30, 100, 60)}
	near := func(a, b [][2]float64) bool {
		return slices.EqualFunc(a, b, func(x, y [2]float64) bool {
			return math.Abs(x[0]-y[0]) < 1e-9 && math.Abs(x[1]-y[1]) < 1e-9
		})
	}
	want := [][2]float64{{5.0 / 60, 16.0 / 60}, {40.0 / 60, 51.0 / 60}}
	if got := lineSpans(crop, bands, false); !near(got, want) {
		t.Errorf("upright: %v, want %v", got, want)
	}
	want = [][2]float64{{1 - 51.0/60, 1 - 40.0/60}, {1 - 16.0/60, 1 - 5.0/60}}
	if got := lineSpans(crop, bands, true); !near(got, want) {
		t.Errorf("turned over: %v, want %v", got, want)
	}
}
