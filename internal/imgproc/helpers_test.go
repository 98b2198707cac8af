package imgproc

import (
	"image"
	"image/color"
	"testing"
)

// gray builds a w×h opaque image whose pixel (x, y) has all colour channels
// set to f(x, y).
func gray(w, h int, f func(x, y int) uint8) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := f(x, y)
			m.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	return m
}

// at returns the red channel of pixel (x, y) relative to m.Rect.Min.
func at(m *image.RGBA, x, y int) int {
	return int(m.RGBAAt(m.Rect.Min.X+x, m.Rect.Min.Y+y).R)
}

// offset returns a copy of m whose Rect starts at (dx, dy), to check that
// functions index relative to Rect.Min.
func offset(m *image.RGBA, dx, dy int) *image.RGBA {
	big := image.NewRGBA(image.Rect(0, 0, m.Rect.Dx()+dx+3, m.Rect.Dy()+dy+2))
	for i := range big.Pix {
		big.Pix[i] = 77
	}
	for y := range m.Rect.Dy() {
		for x := range m.Rect.Dx() {
			big.SetRGBA(x+dx, y+dy, m.RGBAAt(x, y))
		}
	}
	return big.SubImage(image.Rect(dx, dy, dx+m.Rect.Dx(), dy+m.Rect.Dy())).(*image.RGBA)
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// sameImage fails unless a and b have the same size and differ by at most tol
// in every channel.
func sameImage(t *testing.T, a, b *image.RGBA, tol int) {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("size %v, want %v", a.Rect.Size(), b.Rect.Size())
	}
	for y := range a.Rect.Dy() {
		for x := range a.Rect.Dx() {
			p := a.RGBAAt(a.Rect.Min.X+x, a.Rect.Min.Y+y)
			q := b.RGBAAt(b.Rect.Min.X+x, b.Rect.Min.Y+y)
			if absInt(int(p.R)-int(q.R)) > tol || absInt(int(p.G)-int(q.G)) > tol ||
				absInt(int(p.B)-int(q.B)) > tol || absInt(int(p.A)-int(q.A)) > tol {
				t.Fatalf("pixel (%d,%d) = %v, want %v (±%d)", x, y, p, q, tol)
			}
		}
	}
}
