package imageio

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// reference converts through the generic colour model and draw.Over onto
// white: slow, but independent of the fast paths under test.
func reference(m image.Image) *image.RGBA {
	b := m.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, m, b.Min, draw.Over)
	return dst
}

func fillBytes(b []byte, seed uint32) {
	for i := range b {
		seed = seed*1664525 + 1013904223
		b[i] = uint8(seed >> 24)
	}
}

func TestToRGBAMatchesReference(t *testing.T) {
	const w, h = 7, 5 // odd sizes catch chroma rounding errors
	var cases []struct {
		name string
		m    image.Image
		tol  int
	}
	add := func(name string, m image.Image, tol int) {
		cases = append(cases, struct {
			name string
			m    image.Image
			tol  int
		}{name, m, tol})
	}
	ratios := map[string]image.YCbCrSubsampleRatio{
		"444": image.YCbCrSubsampleRatio444, "422": image.YCbCrSubsampleRatio422,
		"420": image.YCbCrSubsampleRatio420, "440": image.YCbCrSubsampleRatio440,
		"411": image.YCbCrSubsampleRatio411, "410": image.YCbCrSubsampleRatio410,
	}
	for name, r := range ratios {
		y := image.NewYCbCr(image.Rect(0, 0, w, h), r)
		fillBytes(y.Y, 1)
		fillBytes(y.Cb, 2)
		fillBytes(y.Cr, 3)
		add("ycbcr"+name, y, 0)
		// A sub-image has a non-zero Min and shared strides.
		add("ycbcr"+name+"-sub", y.SubImage(image.Rect(1, 1, w, h)), 0)
		a := image.NewNYCbCrA(image.Rect(0, 0, w, h), r)
		fillBytes(a.Y, 4)
		fillBytes(a.Cb, 5)
		fillBytes(a.Cr, 6)
		fillBytes(a.A, 7)
		add("nycbcra"+name, a, 1)
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	fillBytes(nrgba.Pix, 8)
	add("nrgba", nrgba, 1)
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(rgba.Pix); i += 4 { // valid premultiplied data
		fillBytes(rgba.Pix[i:i+4], uint32(i))
		a := rgba.Pix[i+3]
		for c := range 3 {
			rgba.Pix[i+c] = uint8(int(rgba.Pix[i+c]) * int(a) / 255)
		}
	}
	add("rgba", rgba, 0)
	gray := image.NewGray(image.Rect(0, 0, w, h))
	fillBytes(gray.Pix, 9)
	add("gray", gray, 0)
	pal := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{
		color.RGBA{0, 0, 0, 0}, color.NRGBA{200, 10, 10, 128}, color.RGBA{10, 200, 30, 255},
	})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i % 3)
	}
	add("paletted", pal, 1)
	g16 := image.NewNRGBA64(image.Rect(0, 0, w, h))
	fillBytes(g16.Pix, 10)
	add("nrgba64 (generic)", g16, 0)
	cmyk := image.NewCMYK(image.Rect(0, 0, w, h))
	fillBytes(cmyk.Pix, 11)
	add("cmyk (generic)", cmyk, 0)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := reference(c.m) // before toRGBA, which may work in place
			got := toRGBA(c.m)
			if got.Rect != want.Rect {
				t.Fatalf("rect %v, want %v", got.Rect, want.Rect)
			}
			for y := range want.Rect.Dy() {
				for x := range want.Rect.Dx() {
					if g, wa := got.RGBAAt(x, y), want.RGBAAt(x, y); !near(g, wa, c.tol) {
						t.Fatalf("(%d,%d) = %v, want %v", x, y, g, wa)
					}
				}
			}
		})
	}
}

// Transparent pixels of a packaging cut-out must come out white, not black.
func TestTransparencyBecomesWhite(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	m.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 0})
	m.SetNRGBA(1, 0, color.NRGBA{0, 0, 0, 128})
	img, err := Decode(encodePNG(t, m), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := img.RGBA.RGBAAt(0, 0); got != white {
		t.Errorf("transparent pixel = %v, want white", got)
	}
	if got := img.RGBA.RGBAAt(1, 0); !near(got, color.RGBA{127, 127, 127, 255}, 1) {
		t.Errorf("half-transparent black = %v, want mid grey", got)
	}
}

func TestApplyOrientationOddSizes(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {3, 2}, {5, 3}, {2, 7}, {40, 33}} {
		w, h := size.X, size.Y
		src := image.NewRGBA(image.Rect(0, 0, w, h))
		fillBytes(src.Pix, uint32(w*h))
		// For each orientation: upright pixel (x, y) shows source pixel at(x, y).
		at := map[int]func(x, y int) (int, int){
			1: func(x, y int) (int, int) { return x, y },
			2: func(x, y int) (int, int) { return w - 1 - x, y },
			3: func(x, y int) (int, int) { return w - 1 - x, h - 1 - y },
			4: func(x, y int) (int, int) { return x, h - 1 - y },
			5: func(x, y int) (int, int) { return y, x },
			6: func(x, y int) (int, int) { return y, h - 1 - x },
			7: func(x, y int) (int, int) { return w - 1 - y, h - 1 - x },
			8: func(x, y int) (int, int) { return w - 1 - y, x },
		}
		for o := 1; o <= 8; o++ {
			in := image.NewRGBA(src.Rect)
			copy(in.Pix, src.Pix)
			out := applyOrientation(in, o)
			uw, uh := w, h
			if o >= 5 {
				uw, uh = h, w
			}
			if out.Rect != image.Rect(0, 0, uw, uh) {
				t.Fatalf("%v o=%d: rect %v", size, o, out.Rect)
			}
			for y := range uh {
				for x := range uw {
					sx, sy := at[o](x, y)
					if out.RGBAAt(x, y) != src.RGBAAt(sx, sy) {
						t.Fatalf("%v o=%d: (%d,%d) is not source (%d,%d)", size, o, x, y, sx, sy)
					}
				}
			}
		}
	}
}
