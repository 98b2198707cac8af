package imgproc

import (
	"image"
	"math/rand/v2"
	"testing"
)

func TestResize(t *testing.T) {
	checker := gray(2, 2, func(x, y int) uint8 { return uint8(255 * ((x + y) % 2)) })
	stripes := gray(16, 16, func(x, y int) uint8 { return uint8(255 * (x % 2)) })
	ramp := gray(8, 1, func(x, y int) uint8 { return uint8(x * 32) })
	tests := []struct {
		name  string
		src   *image.RGBA
		w, h  int
		check func(t *testing.T, got *image.RGBA)
	}{
		{"constant stays constant shrinking", gray(37, 23, func(x, y int) uint8 { return 200 }), 9, 5,
			func(t *testing.T, got *image.RGBA) { allEqual(t, got, 200) }},
		{"constant stays constant enlarging", gray(5, 3, func(x, y int) uint8 { return 13 }), 17, 11,
			func(t *testing.T, got *image.RGBA) { allEqual(t, got, 13) }},
		{"constant stays constant, mixed", gray(100, 7, func(x, y int) uint8 { return 255 }), 33, 20,
			func(t *testing.T, got *image.RGBA) { allEqual(t, got, 255) }},
		{"checkerboard 2x2 to 4x4 corners", checker, 4, 4, func(t *testing.T, got *image.RGBA) {
			want := map[[2]int]int{{0, 0}: 0, {3, 0}: 255, {0, 3}: 255, {3, 3}: 0}
			for p, v := range want {
				if g := at(got, p[0], p[1]); g != v {
					t.Errorf("corner %v = %d, want %d", p, g, v)
				}
			}
			// (1,0) samples x = 0.25 between 0 and 255.
			if g := at(got, 1, 0); g != 64 {
				t.Errorf("(1,0) = %d, want 64", g)
			}
		}},
		{"shrink 4x of 1-pixel stripes averages", stripes, 4, 4,
			func(t *testing.T, got *image.RGBA) { allEqual(t, got, 128) }},
		{"shrink 2x of stripes averages (area, not bilinear)", stripes, 8, 8,
			func(t *testing.T, got *image.RGBA) { allEqual(t, got, 128) }},
		{"non-integer shrink of stripes averages", gray(30, 30, func(x, y int) uint8 { return uint8(255 * (y % 2)) }), 12, 12,
			func(t *testing.T, got *image.RGBA) {
				for y := range 12 {
					for x := range 12 {
						if g := at(got, x, y); g < 102 || g > 153 {
							t.Fatalf("(%d,%d) = %d, want ≈128", x, y, g)
						}
					}
				}
			}},
		{"bilinear shrink 1.6x of a ramp", ramp, 5, 1, func(t *testing.T, got *image.RGBA) {
			// x' = (i+0.5)*1.6-0.5 → 0.3, 1.9, 3.5, 5.1, 6.7; value 32·x'
			want := []int{10, 61, 112, 163, 214}
			for i, v := range want {
				if g := at(got, i, 0); absInt(g-v) > 1 {
					t.Errorf("x=%d: %d, want %d", i, g, v)
				}
			}
		}},
		{"extreme vertical shrink of a constant", gray(3, 5000, func(x, y int) uint8 { return 201 }), 3, 7,
			func(t *testing.T, got *image.RGBA) { allEqual(t, got, 201) }},
		{"extreme shrink of stripes averages", gray(700, 700, func(x, y int) uint8 { return uint8(255 * ((x + y) % 2)) }), 3, 2,
			func(t *testing.T, got *image.RGBA) { allEqual(t, got, 128) }},
		{"extreme shrink of a vertical ramp", gray(2, 600, func(x, y int) uint8 { return uint8(y * 256 / 600) }), 2, 2,
			func(t *testing.T, got *image.RGBA) {
				// Means of 0..299 and 300..599 scaled: ≈ 63.6 and 191.6.
				if a, b := at(got, 0, 0), at(got, 1, 1); absInt(a-64) > 1 || absInt(b-192) > 1 {
					t.Errorf("got %d, %d, want ≈64, ≈192", a, b)
				}
			}},
		{"identity copies", ramp, 8, 1, func(t *testing.T, got *image.RGBA) { sameImage(t, got, ramp, 0) }},
		{"sub-image source", offset(gray(4, 4, func(x, y int) uint8 { return uint8(10 * (x + 4*y)) }), 5, 3), 2, 2,
			func(t *testing.T, got *image.RGBA) {
				// 2× area average of 2×2 blocks.
				want := [][]int{{25, 45}, {105, 125}}
				for y := range 2 {
					for x := range 2 {
						if g := at(got, x, y); g != want[y][x] {
							t.Errorf("(%d,%d) = %d, want %d", x, y, g, want[y][x])
						}
					}
				}
			}},
		{"zero size", ramp, 0, 3, func(t *testing.T, got *image.RGBA) {
			if !got.Rect.Empty() {
				t.Errorf("got %v, want empty", got.Rect)
			}
		}},
		{"empty source gives black", image.NewRGBA(image.Rect(0, 0, 0, 0)), 3, 2, func(t *testing.T, got *image.RGBA) {
			if got.Rect.Dx() != 3 || got.Rect.Dy() != 2 {
				t.Errorf("got %v", got.Rect)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Resize(tc.src, tc.w, tc.h)
			if got.Rect.Min != (image.Point{}) || got.Rect.Dx() != max(tc.w, 0) || got.Rect.Dy() != max(tc.h, 0) {
				t.Fatalf("rect %v, want 0,0-%d,%d", got.Rect, tc.w, tc.h)
			}
			tc.check(t, got)
		})
	}
}

func allEqual(t *testing.T, m *image.RGBA, v int) {
	t.Helper()
	for y := range m.Rect.Dy() {
		for x := range m.Rect.Dx() {
			p := m.RGBAAt(x, y)
			if int(p.R) != v || int(p.G) != v || int(p.B) != v || p.A != 255 {
				t.Fatalf("(%d,%d) = %v, want %d", x, y, p, v)
			}
		}
	}
}

// TestResizeParallelDeterministic checks the row-parallel path gives the same
// bytes as a single pass and matches a float reference within one level.
func TestResizeParallelDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	src := image.NewRGBA(image.Rect(0, 0, 613, 411))
	for i := range src.Pix {
		src.Pix[i] = uint8(r.IntN(256))
	}
	for _, sz := range [][2]int{{300, 220}, {150, 380}, {700, 450}, {40, 20}, {613, 25}} {
		got := Resize(src, sz[0], sz[1])
		one := image.NewRGBA(got.Rect)
		hf, vf := newAxisFilter(613, sz[0]), newAxisFilter(411, sz[1])
		resizeRows(one, src, &hf, &vf, 0, sz[1])
		sameImage(t, got, one, 0)
		ref := referenceResize(src, sz[0], sz[1])
		sameImage(t, got, ref, 1)
	}
}

// referenceResize is a slow float64 version of the same filters.
func referenceResize(src *image.RGBA, w, h int) *image.RGBA {
	type tap struct {
		k int
		w float64
	}
	weights := func(s, d int) [][]tap {
		out := make([][]tap, d)
		sc := float64(s) / float64(d)
		for i := range d {
			if sc >= 2 {
				lo, hi := float64(i)*sc, float64(i+1)*sc
				for k := int(lo); k < s && float64(k) < hi; k++ {
					if ov := min(hi, float64(k+1)) - max(lo, float64(k)); ov > 0 {
						out[i] = append(out[i], tap{k, ov / sc})
					}
				}
				continue
			}
			x := (float64(i)+0.5)*sc - 0.5
			x0 := int(x)
			if x < 0 {
				x0 = -1
			}
			fr := x - float64(x0)
			clamp := func(k int) int { return min(max(k, 0), s-1) }
			out[i] = []tap{{clamp(x0), 1 - fr}, {clamp(x0 + 1), fr}}
		}
		return out
	}
	hw, vw := weights(src.Rect.Dx(), w), weights(src.Rect.Dy(), h)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			for c := range 4 {
				var s float64
				for _, ty := range vw[y] {
					for _, tx := range hw[x] {
						s += tx.w * ty.w * float64(src.Pix[ty.k*src.Stride+4*tx.k+c])
					}
				}
				dst.Pix[y*dst.Stride+4*x+c] = uint8(s + 0.5)
			}
		}
	}
	return dst
}

func BenchmarkResize(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	src := image.NewRGBA(image.Rect(0, 0, 2000, 1500))
	for i := range src.Pix {
		src.Pix[i] = uint8(r.IntN(256))
	}
	b.ReportAllocs()
	for b.Loop() {
		Resize(src, 960, 720)
	}
}
