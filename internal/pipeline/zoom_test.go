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
