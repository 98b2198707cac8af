package imgproc

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// textBars draws three dark horizontal strokes on a light background: the row profile of a
// printed line.
func textBars(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(220)
			if (y/6)%3 == 1 && x > w/8 && x < w*7/8 {
				v = 30
			}
			o := img.Pix[y*img.Stride+4*x:]
			o[0], o[1], o[2], o[3] = v, v, v, 255
		}
	}
	return img
}

func grayAt(img *image.RGBA, x, y int) uint8 { return img.Pix[y*img.Stride+4*x] }

func TestGrayWorldEqualisesChannels(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 200, 150, 100, 255
	}
	o := GrayWorld(img).Pix
	if o[0] != o[1] || o[1] != o[2] || o[0] != 150 {
		t.Fatalf("got %v", o[:4])
	}
}

func TestCLAHERaisesLocalContrast(t *testing.T) {
	img := textBars(64, 36)
	// Low contrast: ink 110, paper 140.
	for i := 0; i < len(img.Pix); i += 4 {
		v := pick8(img.Pix[i] > 100)
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = 110+v/9, 110+v/9, 110+v/9
	}
	before := int(grayAt(img, 32, 0)) - int(grayAt(img, 32, 8))
	out := CLAHE(img, 2, 4)
	after := int(grayAt(out, 32, 0)) - int(grayAt(out, 32, 8))
	if after <= before {
		t.Fatalf("contrast %d → %d", before, after)
	}
	if out.Rect.Dx() != 64 || out.Rect.Dy() != 36 {
		t.Fatal("size changed")
	}
	if e := CLAHE(image.NewRGBA(image.Rect(0, 0, 0, 0)), 2, 8); e.Rect.Dx() != 0 {
		t.Fatal("empty image")
	}
}

func TestSharpenDenoiseInvertPad(t *testing.T) {
	img := textBars(40, 30)
	s := Sharpen(img, 1)
	if grayAt(s, 20, 6) > grayAt(img, 20, 6) || grayAt(s, 20, 5) < grayAt(img, 20, 5) {
		t.Error("sharpen should deepen ink and lighten paper next to an edge")
	}
	speck := textBars(40, 30)
	copy(speck.Pix[2*speck.Stride+4*20:], []uint8{0, 0, 0})
	if m := Median3(speck); grayAt(m, 20, 2) != 220 {
		t.Errorf("median left the speck: %d", grayAt(m, 20, 2))
	}
	if b := BoxDenoise(img, 1); grayAt(b, 20, 6) <= grayAt(img, 20, 6) {
		t.Error("box blur did not soften the edge")
	}
	if _, inv := InvertIfDark(img); inv {
		t.Error("light image inverted")
	}
	dark := Invert(img)
	back, inv := InvertIfDark(dark)
	if !inv || grayAt(back, 0, 0) != 220 {
		t.Error("dark image not inverted back")
	}
	p := Pad(img, 5, 255)
	if p.Rect.Dx() != 50 || p.Rect.Dy() != 40 || grayAt(p, 0, 0) != 255 || grayAt(p, 5, 5) != 220 {
		t.Error("padding wrong")
	}
}

func TestThresholds(t *testing.T) {
	img := textBars(40, 30)
	th := Otsu(img)
	if th < 30 || th >= 220 {
		t.Fatalf("otsu %d", th)
	}
	b := Threshold(img, th)
	if grayAt(b, 20, 0) != 255 || grayAt(b, 20, 6) != 0 {
		t.Error("global threshold")
	}
	a := AdaptiveThreshold(img, 11, 2)
	if grayAt(a, 20, 7) != 0 || grayAt(a, 20, 0) != 255 {
		t.Error("adaptive threshold")
	}
}

func TestDeskew(t *testing.T) {
	img := textBars(160, 60)
	if a := SkewAngle(img, 10, 0.5); a != 0 {
		t.Fatalf("straight text measured at %v°", a)
	}
	tilted := Rotate(img, 4)
	a := SkewAngle(tilted, 10, 0.5)
	if math.Abs(math.Abs(a)-4) > 1 {
		t.Fatalf("skew of a 4° tilt measured as %v°", a)
	}
	fixed, corr := Deskew(tilted, 10)
	if corr == 0 || math.Abs(SkewAngle(fixed, 10, 0.5)) > 1 {
		t.Fatalf("deskew left %v° (corrected %v°)", SkewAngle(fixed, 10, 0.5), corr)
	}
	if same, c := Deskew(img, 10); c != 0 || same != img {
		t.Fatal("straight text rotated")
	}
}

func TestSplitLines(t *testing.T) {
	img := textBars(120, 54) // strokes at rows 6-11, 24-29, 42-47
	bands := SplitLines(img)
	if len(bands) != 3 {
		t.Fatalf("bands %v", bands)
	}
	for i, b := range bands {
		mid := 6 + 18*i + 3
		if b.Min.Y > mid || b.Max.Y <= mid || b.Dx() != 120 {
			t.Errorf("band %d = %v does not hold row %d", i, b, mid)
		}
	}
	if b := SplitLines(textBars(120, 14)); b != nil {
		t.Errorf("one line split into %v", b)
	}
}

func TestLocalContrastLiftsFaintPrintOnAnyPanel(t *testing.T) {
	// A stroke 6 grey levels darker than its panel, on a dark and on a bright panel: both
	// come out far darker than their surroundings, and the two panels alike.
	for _, panel := range []uint8{60, 200} {
		img := gray(80, 40, func(x, y int) uint8 {
			if y >= 18 && y < 22 && x >= 20 && x < 60 {
				return panel - 6
			}
			return panel
		})
		out := LocalContrast(img, 8, 6)
		ink, paper := at(out, 40, 20), at(out, 40, 4)
		if paper-ink < 30 {
			t.Errorf("panel %d: stroke %d on paper %d", panel, ink, paper)
		}
		if absInt(paper-128) > 8 {
			t.Errorf("panel %d: paper away from the stroke at %d, not mid-grey", panel, paper)
		}
	}
	if e := LocalContrast(image.NewRGBA(image.Rect(0, 0, 0, 0)), 4, 6); e.Rect.Dx() != 0 {
		t.Fatal("empty image")
	}
}

func TestOpsOnOddSizes(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {20, 7}, {7, 20}, {3, 50}, {129, 31}} {
		img := textBars(sz[0], sz[1])
		for name, out := range map[string]*image.RGBA{
			"clahe": CLAHE(img, 2, 8), "sharpen": Sharpen(img, 1), "median": Median3(img),
			"box": BoxDenoise(img, 2), "adaptive": AdaptiveThreshold(img, 31, 4),
			"pad": Pad(img, 3, 0), "gray": Gray(img), "grayworld": GrayWorld(img),
			"contrast": LocalContrast(img, 4, 6),
		} {
			if name != "pad" && out.Rect != img.Rect {
				t.Errorf("%s on %v: size %v", name, sz, out.Rect)
			}
		}
		Deskew(img, 10)
		SplitLines(img)
	}
}

func TestMergeDotsJoinsDots(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 20, 5))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 255, 255, 255, 255
	}
	for x := 2; x < 18; x += 4 { // dots 4 px apart on row 2
		copy(img.Pix[2*img.Stride+4*x:], []uint8{0, 0, 0})
	}
	m := MergeDots(img, 2)
	for x := 2; x < 15; x++ {
		if grayAt(m, x, 2) != 0 {
			t.Fatalf("gap at x=%d not closed", x)
		}
	}
	if grayAt(m, 17, 2) != 255 || grayAt(m, 0, 2) != 0 {
		t.Errorf("ink grew %d, %d px away", grayAt(m, 17, 2), grayAt(m, 0, 2))
	}
}

// Two lines printed 3 rows apart in a 90-row crop, a few strokes crossing the gap, split in
// two; one line of dot-matrix print stays whole, and two lines of it split in two.
func TestSplitLinesCloseAndDotted(t *testing.T) {
	paint := func(w, h int, ink func(x, y int) bool) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				v := uint8(255)
				if ink(x, y) {
					v = 0
				}
				img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
			}
		}
		return img
	}
	close := paint(300, 90, func(x, y int) bool {
		inLine := (y >= 10 && y < 48) || (y >= 51 && y < 82)
		return (inLine && x%10 < 3) || (y >= 48 && y < 51 && x%50 < 6)
	})
	if b := SplitLines(close); len(b) != 2 || b[0].Max.Y < 46 || b[0].Max.Y > 53 {
		t.Errorf("two lines 3 rows apart split into %v", b)
	}
	dotted := paint(300, 60, func(x, y int) bool { return y >= 8 && y < 46 && (y-8)%6 < 2 && x%6 < 2 })
	if b := SplitLines(dotted); b != nil {
		t.Errorf("one dotted line split into %v", b)
	}
	// Two lines of large dots, 12 rows apart: two bands, not one a row of dots.
	big := paint(700, 250, func(x, y int) bool {
		inLine := (y >= 40 && y < 112) || (y >= 140 && y < 212)
		return inLine && y%12 < 6 && x%12 < 6
	})
	if b := SplitLines(big); len(b) != 2 {
		t.Errorf("two lines of large dots split into %v", b)
	}
}
