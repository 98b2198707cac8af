package imgproc

import (
	"image"
	"math"
	"testing"
)

func TestRotate(t *testing.T) {
	// 3 wide, 2 high:  1 2 3
	//                  4 5 6
	src := gray(3, 2, func(x, y int) uint8 { return uint8(1 + x + 3*y) })
	tests := []struct {
		name string
		fn   func(*image.RGBA) *image.RGBA
		src  *image.RGBA
		want [][]uint8
	}{
		{"ccw", Rotate90CCW, src, [][]uint8{{3, 6}, {2, 5}, {1, 4}}},
		{"cw", Rotate90CW, src, [][]uint8{{4, 1}, {5, 2}, {6, 3}}},
		{"180", Rotate180, src, [][]uint8{{6, 5, 4}, {3, 2, 1}}},
		{"ccw sub-image", Rotate90CCW, offset(src, 2, 5), [][]uint8{{3, 6}, {2, 5}, {1, 4}}},
		{"cw sub-image", Rotate90CW, offset(src, 1, 1), [][]uint8{{4, 1}, {5, 2}, {6, 3}}},
		{"180 sub-image", Rotate180, offset(src, 4, 0), [][]uint8{{6, 5, 4}, {3, 2, 1}}},
		{"ccw empty", Rotate90CCW, image.NewRGBA(image.Rect(0, 0, 0, 3)), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.fn(tc.src)
			if got.Rect.Min != (image.Point{}) {
				t.Fatalf("rect %v does not start at 0,0", got.Rect)
			}
			want := gray(len(firstOr(tc.want)), len(tc.want), func(x, y int) uint8 { return tc.want[y][x] })
			if tc.want == nil {
				if got.Rect.Dx()*got.Rect.Dy() != 0 {
					t.Fatalf("got %v, want empty", got.Rect)
				}
				return
			}
			sameImage(t, got, want, 0)
		})
	}
}

func firstOr(rows [][]uint8) []uint8 {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

func TestRotateRoundTrip(t *testing.T) {
	src := gray(7, 4, func(x, y int) uint8 { return uint8(x*31 + y*7) })
	sameImage(t, Rotate90CW(Rotate90CCW(src)), src, 0)
	sameImage(t, Rotate180(Rotate180(src)), src, 0)
	sameImage(t, Rotate90CW(Rotate90CW(src)), Rotate180(src), 0)
}

// Back names, for each point of the turned canvas, the source point Apply drew there.
func TestTurnBackMatchesApply(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for i := range src.Pix {
		src.Pix[i] = 255
	}
	const sx, sy = 45, 10
	for y := sy - 1; y <= sy+1; y++ {
		for x := sx - 1; x <= sx+1; x++ {
			o := src.PixOffset(x, y)
			src.Pix[o], src.Pix[o+1], src.Pix[o+2] = 0, 0, 0
		}
	}
	for _, deg := range []float64{30, -50, 75} {
		tu := NewTurn(60, 40, deg)
		out := tu.Apply(src)
		// The darkest canvas pixel must map back onto the dark square.
		best, bx, by := 256, 0, 0
		for y := range out.Rect.Dy() {
			for x := range out.Rect.Dx() {
				if v := int(out.Pix[out.PixOffset(x, y)]); v < best {
					best, bx, by = v, x, y
				}
			}
		}
		p := tu.Back(Point{X: float64(bx) + 0.5, Y: float64(by) + 0.5})
		if math.Abs(p.X-(sx+0.5)) > 1.5 || math.Abs(p.Y-(sy+0.5)) > 1.5 {
			t.Errorf("%v°: darkest canvas pixel (%d,%d) maps back to %v, want near (%d,%d)", deg, bx, by, p, sx, sy)
		}
		if deg > 0 && bx >= out.Rect.Dx()/2 && by >= out.Rect.Dy()/2 {
			t.Errorf("%v°: a point top right should turn counter-clockwise, not to the bottom right", deg)
		}
	}
}
