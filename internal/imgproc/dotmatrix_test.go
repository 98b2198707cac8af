package imgproc

import (
	"image"
	"testing"
)

// dotLine draws n glyph-like columns of dots (5 dots high, 3 wide, pitch px apart, dots of
// diameter size) in dark ink on white, as an inkjet coder prints a line of text.
func dotLine(glyphs, pitch, size int) *image.RGBA {
	h := 9 * pitch
	w := glyphs*4*pitch + 2*pitch
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for g := range glyphs {
		for cx := range 3 {
			for cy := range 7 {
				if (cx+cy+g)%3 == 0 {
					continue // gaps inside the glyph, as letters have
				}
				x0, y0 := pitch+(4*g+cx)*pitch, pitch+cy*pitch
				for y := y0; y < y0+size; y++ {
					for x := x0; x < x0+size; x++ {
						o := img.PixOffset(x, y)
						img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 20, 20, 20
					}
				}
			}
		}
	}
	return img
}

// solidLine draws glyph-like solid bars: the strokes of ordinary print.
func solidLine(glyphs, unit int) *image.RGBA {
	h := 9 * unit
	w := glyphs*4*unit + 2*unit
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for g := range glyphs {
		x0 := unit + 4*g*unit
		for y := unit; y < 8*unit; y++ {
			for x := x0; x < x0+3*unit; x++ {
				if x-x0 < unit || y-unit < unit || y >= 7*unit || (g%2 == 0 && x-x0 >= 2*unit) {
					o := img.PixOffset(x, y)
					img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 20, 20, 20
				}
			}
		}
	}
	return img
}

func TestFindDotsMeasuresThePitch(t *testing.T) {
	for _, c := range []struct{ pitch, size int }{{6, 3}, {8, 5}, {10, 6}} {
		p, ok := FindDots(dotLine(8, c.pitch, c.size))
		if !ok {
			t.Fatalf("pitch %d size %d: not found as dot-matrix", c.pitch, c.size)
		}
		if p.Pitch < float64(c.pitch)-0.5 || p.Pitch > float64(c.pitch)+0.5 || p.Size != float64(c.size) {
			t.Errorf("pitch %d size %d: measured %+v", c.pitch, c.size, p)
		}
	}
}

// looseInk is FindDots' first ink mask.
func looseInk(g []uint8, w, h int) []bool {
	return inkMask(g, boxBlur(g, w, h, max(2, h/4)), inkIsDark(g), dotContrasts[0])
}

// Inkjet dots that bleed into each other touch at their rims: one blob each row at the loose
// threshold, but their darker centres stand apart at a stricter one.
func TestFindDotsPartsBleedingDots(t *testing.T) {
	img := dotLine(8, 10, 9)
	g, w, h := luma(img)
	g = boxBlur(g, w, h, 1)
	img = fromGray(g, w, h)
	if p, ok := dotsAt(looseInk(g, w, h), w, h); ok {
		t.Fatalf("test picture: the loose threshold already parts the dots (%+v)", p)
	}
	p, ok := FindDots(img)
	if !ok {
		t.Fatal("bleeding dots not found as dot-matrix")
	}
	if p.Pitch < 9.5 || p.Pitch > 10.5 {
		t.Errorf("pitch measured %.1f, printed 10", p.Pitch)
	}
}

func TestFindDotsIgnoresSolidStrokes(t *testing.T) {
	if p, ok := FindDots(solidLine(8, 5)); ok {
		t.Errorf("solid print taken for dot-matrix: %+v", p)
	}
	blank := image.NewRGBA(image.Rect(0, 0, 200, 40))
	if _, ok := FindDots(blank); ok {
		t.Error("a blank crop taken for dot-matrix")
	}
}

// Joined, the dots of one glyph column become one stroke: far fewer separate ink blobs.
func TestJoinDotsMakesStrokes(t *testing.T) {
	img := dotLine(8, 8, 4)
	g, w, h := luma(img)
	before := len(blobsOf(looseInk(g, w, h), w, h))
	j := JoinDots(img)
	g, w, h = luma(j)
	after := len(blobsOf(looseInk(g, w, h), w, h))
	if after*4 > before {
		t.Errorf("ink blobs %d before joining, %d after: dots not joined", before, after)
	}
	if j.Rect != img.Rect {
		t.Errorf("size changed: %v → %v", img.Rect, j.Rect)
	}
	solid := solidLine(8, 5)
	if JoinDots(solid) != solid {
		t.Error("solid print was changed")
	}
}
