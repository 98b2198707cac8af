package imgproc

import "testing"

func TestMeanInQuad(t *testing.T) {
	const w, h = 20, 10
	constant := make([]float32, w*h)
	half := make([]float32, w*h) // left half 1, right half 0
	for y := range h {
		for x := range w {
			constant[y*w+x] = 0.7
			if x < w/2 {
				half[y*w+x] = 1
			}
		}
	}
	rect := func(x0, y0, x1, y1 float64) Quad { return Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}} }
	tests := []struct {
		name string
		prob []float32
		q    Quad
		want float64
	}{
		{"constant map", constant, rect(2, 1, 15, 8), 0.7},
		{"constant map, tilted quad", constant, Quad{{3, 2}, {14, 1}, {15, 8}, {4, 9}}, 0.7},
		// Columns 5..14 inclusive: 5 of them at 1.
		{"half-filled map", half, rect(5, 2, 14, 6), 0.5},
		{"entirely in the filled half", half, rect(1, 1, 8, 8), 1},
		{"fractional vertices truncate", half, rect(5.9, 2.2, 14.9, 6.7), 0.5},
		{"clipped at the map edge", half, rect(-10, -5, 9.5, 20), 1},
		{"outside the map", constant, rect(30, 30, 40, 40), 0},
		{"triangle-ish quad", half, Quad{{0, 0}, {9, 0}, {9, 0}, {0, 9}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MeanInQuad(tc.prob, w, h, tc.q); !near(got, tc.want, 1e-6) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if got := MeanInQuad(constant[:10], w, h, rect(0, 0, 5, 5)); got != 0 {
		t.Errorf("short map gave %v", got)
	}
}

// TestMeanInQuadCoverage checks the rasterised area of a diamond: the
// boundary is included, like cv2.fillPoly.
func TestMeanInQuadCoverage(t *testing.T) {
	const w, h = 11, 11
	prob := make([]float32, w*h)
	for y := range h {
		for x := range w {
			if absInt(x-5)+absInt(y-5) <= 4 {
				prob[y*w+x] = 1
			}
		}
	}
	diamond := Quad{{5, 1}, {9, 5}, {5, 9}, {1, 5}}
	if got := MeanInQuad(prob, w, h, diamond); got != 1 {
		t.Errorf("diamond covered %v inside pixels, want only inside pixels (1)", got)
	}
	// Pixels outside the diamond are 0: a mean of 1 only says nothing
	// outside was counted, so also check every inside pixel is counted.
	for i := range prob {
		prob[i] = 1 - prob[i]
	}
	if got := MeanInQuad(prob, w, h, diamond); got != 0 {
		t.Errorf("diamond counted %v outside pixels", got)
	}
}
