package imgproc

import (
	"image"
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
