package pipeline

import (
	"image"
	"testing"

	"github.com/datalid/datalid/internal/recognize"
)

// A region is looked at again (split into lines, or zoomed) when its crop holds merged lines
// or its reading is unsure and dateless. A tall crop goes again even with a date in its
// reading: two lines read as one piece a date together from both.
func TestZoomWorthy(t *testing.T) {
	p := &Pipeline{}
	line := image.NewRGBA(image.Rect(0, 0, 200, 30))  // one line: height 0.15 of the width
	block := image.NewRGBA(image.Rect(0, 0, 200, 60)) // two lines: 0.3 of the width
	cases := []struct {
		name   string
		crop   *image.RGBA
		text   string
		conf   float64
		source string
		want   bool
	}{
		{"two lines read as one date", block, "M:11/2024", 0.7, "", true},
		{"two lines read as nothing", block, "", 0, "", true},
		{"two lines read surely, no date", block, "NET WT 200g", 0.95, "", true},
		{"one line with its date", line, "EXP 14/09/2027", 0.7, "", false},
		{"one line, unsure, no date", line, "EXF 1A/O9", 0.4, "", true},
		{"one line, sure, no date", line, "LOT 4471", 0.9, "", false},
		{"one line whose date only the decoder found", line, "EXP 14/09/2027", 0.5, "beam", true},
	}
	for _, c := range cases {
		r := Region{Crop: c.crop, Source: c.source, Text: recognize.Text{Text: c.text, Confidence: c.conf}}
		if c.source == "beam" {
			r.Text.Greedy = "EXP 1A/#9/2Z"
		}
		if got := p.zoomWorthy(r); got != c.want {
			t.Errorf("%s: zoomWorthy = %v, want %v", c.name, got, c.want)
		}
	}
}

// A sure reading of one line does not hide a second one unless its crop is too high for the
// characters it read: a box drawn over two lines, read as the longer.
func TestDeeperThanRead(t *testing.T) {
	crop := func(w, h int) *image.RGBA { return image.NewRGBA(image.Rect(0, 0, w, h)) }
	cases := []struct {
		name string
		crop *image.RGBA
		text string
		want bool
	}{
		{"one line of twelve", crop(240, 40), "EXP 11/08/27", false},
		{"a short word", crop(60, 40), "LOT", false},
		{"condensed print", crop(110, 40), "2024.03.17", false},
		{"a box over two lines read as one", crop(90, 60), "4418302", true},
		{"a box over three lines read as one", crop(120, 100), "L 55120", true},
		{"nothing read", crop(90, 60), "", false},
	}
	for _, c := range cases {
		r := Region{Crop: c.crop, Text: recognize.Text{Text: c.text, Confidence: 0.95}}
		if got := deeperThanRead(r); got != c.want {
			t.Errorf("%s: deeperThanRead = %v, want %v", c.name, got, c.want)
		}
	}
}

// A line the sideways look read on the photo turned a quarter is split like any other, but
// not zoomed: the zoom detects around it on the photo as it stands, where its print runs up
// the page and breaks into characters.
func TestZoomCandidatesLeaveSidewaysLinesToSplit(t *testing.T) {
	p := &Pipeline{}
	block := image.NewRGBA(image.Rect(0, 0, 200, 60))
	rs := []Region{
		{Crop: block, Source: "", Text: recognize.Text{Text: "U:1220I3", Confidence: 0.5}},
		{Crop: block, Source: "sideways+beam", Text: recognize.Text{Text: "U:1220I3", Confidence: 0.5, Greedy: "U:1220I3"}},
	}
	if got := p.zoomCandidates(rs, 0, false); len(got) != 1 || got[0] != 0 {
		t.Errorf("zoomed %v, want only the upright line [0]", got)
	}
	if got := p.zoomCandidates(rs, 0, true); len(got) != 2 {
		t.Errorf("split %v, want both lines", got)
	}
}
