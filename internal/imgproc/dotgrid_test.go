package imgproc

import (
	"image"
	"image/draw"
	"math"
	"strings"
	"testing"
)

// Two invented glyph sets: a 7-row "20" and a 5-row "25", as coders' fonts draw them.
var (
	glyphs7 = []string{
		".###. #...# ....# ...#. ..#.. .#... #####",
		".###. #...# #...# #...# #...# #...# .###.",
	}
	glyphs5 = []string{
		"####. ....# .###. #.... #####",
		"##### #.... ####. ....# ####.",
	}
)

// printDots draws glyphs (rows of '#' and '.', space-separated) as an inkjet coder prints
// them: round dots of the given size on a pitch-spaced lattice with one empty column between
// characters, each row shifted right by lean pixels per row above the baseline (italic). A
// row of stray dots from the line above may be cut into the top of the crop.
func printDots(glyphs []string, pitch, size, lean float64, strayAbove bool) *image.RGBA {
	rows := len(strings.Fields(glyphs[0]))
	h := int(float64(rows+4) * pitch)
	w := int(float64(len(glyphs)*6+4)*pitch + lean*float64(rows))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 235
	}
	dot := func(cx, cy float64) {
		for y := int(cy - size); y <= int(cy+size); y++ {
			for x := int(cx - size); x <= int(cx+size); x++ {
				if x >= 0 && y >= 0 && x < w && y < h && math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) <= size/2 {
					o := img.PixOffset(x, y)
					img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 30, 30, 40
				}
			}
		}
	}
	top := 2 * pitch
	for g, glyph := range glyphs {
		for r, row := range strings.Fields(glyph) {
			for c, on := range row {
				if on == '#' {
					dot(2*pitch+float64(g*6+c)*pitch+lean*float64(rows-1-r), top+float64(r)*pitch)
				}
			}
		}
	}
	if strayAbove {
		for c := range len(glyphs) * 6 {
			if c%6 != 5 {
				dot(2*pitch+float64(c)*pitch, top-2*pitch)
			}
		}
	}
	return img
}

func TestDotGridFitsTheLattice(t *testing.T) {
	for _, c := range []struct {
		name   string
		glyphs []string
		lean   float64
		stray  bool
	}{
		{"7 rows upright", glyphs7, 0, false},
		{"7 rows italic", glyphs7, 2.5, false},
		{"5 rows, line above cut in", glyphs5, 0, true},
		{"5 rows italic", glyphs5, 2, false},
	} {
		img := printDots(c.glyphs, 9, 6, c.lean, c.stray)
		p, ok := FindDots(img)
		if !ok {
			t.Fatalf("%s: no dots found", c.name)
		}
		lats := DotGrids(img, p)
		rows := len(strings.Fields(c.glyphs[0]))
		if len(lats) != 1 || lats[0].Rows != rows || math.Abs(lats[0].Pitch-9) > 1 {
			t.Fatalf("%s: lattices %+v, want one of %d rows 9 apart", c.name, lats, rows)
		}
		if got := cellsOf(lats[0]); got != strings.Join(c.glyphs, "|") {
			t.Errorf("%s: cells\n%q\nwant\n%q", c.name, got, strings.Join(c.glyphs, "|"))
		}
	}
}

// Two lines printed a row apart, which the detector boxes as one, are two lattices, top first.
func TestDotGridsPartStackedLines(t *testing.T) {
	top, bottom := printDots(glyphs7, 9, 6, 0, false), printDots(glyphs7[1:], 9, 6, 0, false)
	// The bottom line ("0") goes under the top one ("20"), one empty row between them.
	img := image.NewRGBA(image.Rect(0, 0, top.Rect.Dx(), 18*9))
	for i := range img.Pix {
		img.Pix[i] = 235
	}
	draw.Draw(img, top.Rect, top, image.Point{}, draw.Src)
	draw.Draw(img, bottom.Rect.Add(image.Pt(0, 8*9)), bottom, image.Point{}, draw.Src)
	p, ok := FindDots(img)
	if !ok {
		t.Fatal("no dots found")
	}
	lats := DotGrids(img, p)
	if len(lats) != 2 || lats[0].Top > lats[1].Top {
		t.Fatalf("lattices %+v, want two, top first", lats)
	}
	if a, b := cellsOf(lats[0]), cellsOf(lats[1]); a != strings.Join(glyphs7, "|") || b != glyphs7[1] {
		t.Errorf("cells %q and %q", a, b)
	}
}

// cellsOf reads back each glyph's cells from a lattice's columns, glyphs split at empty
// columns, as "rows|rows".
func cellsOf(lat DotLattice) string {
	rows := lat.Rows
	var got []string
	for k := 0; k < len(lat.Cols); {
		end := k + 1
		for end < len(lat.Cols) && lat.Cols[end].X-lat.Cols[end-1].X < 1.5*lat.Pitch {
			end++
		}
		first := lat.Cols[k].X
		cells := make([][]byte, rows)
		for r := range cells {
			cells[r] = []byte(".....")
		}
		for _, col := range lat.Cols[k:end] {
			x := int(math.Round((col.X - first) / lat.Pitch))
			for r := range rows {
				if col.On[r] && x < 5 {
					cells[r][x] = '#'
				}
			}
		}
		var b []string
		for _, r := range cells {
			b = append(b, string(r))
		}
		got = append(got, strings.Join(b, " "))
		k = end
	}
	return strings.Join(got, "|")
}

// A drawn lattice is solid dark print on white, its glyphs taller than wide.
func TestDrawLatticeIsSolidPrint(t *testing.T) {
	img := printDots(glyphs5, 9, 6, 0, false)
	p, _ := FindDots(img)
	lats := DotGrids(img, p)
	if len(lats) != 1 {
		t.Fatalf("lattices %+v, want one", lats)
	}
	out := DrawLattice(lats[0])
	g, w, h := luma(out)
	dark := 0
	x0, y0, x1, y1 := w, h, 0, 0
	for i, v := range g {
		if v < 128 {
			dark++
			x, y := i%w, i/w
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	if dark == 0 {
		t.Fatal("nothing drawn")
	}
	// Two glyphs and the gap between them: 11 columns; a glyph 1.5 times as tall as wide.
	glyphW := float64(x1-x0+1) * 5 / 11
	if aspect := float64(y1-y0+1) / glyphW; aspect < 1.2 || aspect > 1.8 {
		t.Errorf("glyph aspect %.2f, want about %.1f", aspect, glyphAspect)
	}
}

// BenchmarkDotGrids fits the lattice of a ten-character italic line at a 9 px dot pitch,
// both ways up, as the lattice look does.
func BenchmarkDotGrids(b *testing.B) {
	line := append(append(append([]string{}, glyphs7...), glyphs7...), glyphs7...)
	img := printDots(append(line, glyphs7...), 9, 6, 2, false)
	p, ok := FindDots(img)
	if !ok {
		b.Fatal("no dots")
	}
	turned := Rotate180(img)
	b.ResetTimer()
	for b.Loop() {
		DotGrids(img, p)
		DotGrids(turned, p)
	}
}
