package imgproc

import (
	"image"
	"image/draw"
	"math"
	"testing"
)

// Two lines of dot-matrix print stacked a row of dots apart or touching (the next line's top
// row where an empty row would be): the profile's valleys lie between a character's rows of
// dots as deep as between the lines, and the crop is cut by its lines' height, within a row
// of dots of where the lines meet. One line of the same print stays whole.
func TestSplitLinesCutsStackedDotLines(t *testing.T) {
	for _, pitch := range []float64{5, 6, 8} {
		for _, rows := range []int{7, 8} { // the second line's top row, in rows below the first's
			line := printDots(glyphs7, pitch, 0.8*pitch, 0, false)
			h := int(float64(rows+11) * pitch)
			img := image.NewRGBA(image.Rect(0, 0, line.Rect.Dx(), h))
			for i := range img.Pix {
				img.Pix[i] = 235
			}
			draw.Draw(img, line.Rect, line, image.Point{}, draw.Src)
			// The second line's dots go over the first's paper: the darker pixel of the two.
			off := int(float64(rows) * pitch)
			for y := range line.Rect.Dy() {
				for x := range line.Rect.Dx() {
					if y+off < h {
						o, q := img.PixOffset(x, y+off), line.PixOffset(x, y)
						for c := range 3 {
							img.Pix[o+c] = min(img.Pix[o+c], line.Pix[q+c])
						}
					}
				}
			}
			// printDots puts a line's first row two pitches down: the lines meet halfway
			// between the first's last row and the second's first.
			meet := (8*pitch + float64(rows+2)*pitch) / 2
			b := SplitLines(img)
			if len(b) != 2 || math.Abs(float64(b[0].Max.Y)-meet) > pitch {
				t.Errorf("pitch %v, second line %d rows down: bands %v, want two meeting near %.0f", pitch, rows, b, meet)
			}
			if one := SplitLines(line); one != nil {
				t.Errorf("pitch %v: one line cut into %v", pitch, one)
			}
		}
	}
}

// Two lines of grey print under a dark band the box clipped (a coloured panel above the
// print): the ink threshold parts the band from the rest and counts the print as paper, so
// the lines are found by the strokes crossing their rows, and cut between them.
func TestSplitLinesBesideADarkBand(t *testing.T) {
	const w, h = 150, 48
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(215)
			switch {
			case y < 16:
				v = 35 // the band
			case (y >= 20 && y < 30 || y >= 36 && y < 46) && x > 10 && x < w-10 && x%7 < 2:
				v = 120 // strokes
			}
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = v, v, v, 255
		}
	}
	if b := cutLines(inkProfile(img), w, smoothShares[0]); b != nil {
		t.Fatalf("the ink profile already cuts this crop (%v): the case is not the one meant", b)
	}
	b := SplitLines(img)
	if len(b) != 2 || b[0].Max.Y < 29 || b[0].Max.Y > 37 {
		t.Errorf("two lines under a dark band split into %v, want two cut between rows 29 and 37", b)
	}
}
