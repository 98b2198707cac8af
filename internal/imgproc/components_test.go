package imgproc

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// parseMask reads rows of '#' (set) and '.' (clear).
func parseMask(rows ...string) ([]bool, int, int) {
	w, h := len(rows[0]), len(rows)
	m := make([]bool, 0, w*h)
	for _, r := range rows {
		for _, c := range r {
			m = append(m, c == '#')
		}
	}
	return m, w, h
}

func TestComponents(t *testing.T) {
	tests := []struct {
		name          string
		rows          []string
		minPx, maxCmp int
		want          [][]Point
	}{
		{"empty mask", []string{"....", "...."}, 1, 0, nil},
		{"two blobs in raster order", []string{
			"##....",
			"##..##",
			"....##",
			"....##",
		}, 1, 0, [][]Point{
			{{0, 0}, {1, 0}, {1, 1}, {0, 1}},
			{{4, 1}, {5, 1}, {5, 3}, {4, 3}},
		}},
		{"diagonal neighbours are one component", []string{
			"#...",
			".#..",
			"..#.",
			"...#",
		}, 1, 0, [][]Point{{{0, 0}, {3, 3}}}},
		{"anti-diagonal too", []string{
			"..#",
			".#.",
			"#..",
		}, 1, 0, [][]Point{{{0, 2}, {2, 0}}}},
		{"U shape merges late", []string{
			"#.#",
			"#.#",
			"###",
		}, 1, 0, [][]Point{{{0, 0}, {2, 0}, {2, 2}, {0, 2}}}},
		{"minPixels drops the small one", []string{
			"#.....",
			"...###",
			"...###",
		}, 2, 0, [][]Point{{{3, 1}, {5, 1}, {5, 2}, {3, 2}}}},
		{"maxComponents keeps the largest, in raster order", []string{
			"#.##.###",
			"........",
			"###.#...",
		}, 1, 2, [][]Point{{{5, 0}, {7, 0}}, {{0, 2}, {2, 2}}}},
		{"single pixel", []string{"...", ".#.", "..."}, 1, 0, [][]Point{{{1, 1}}}},
		{"hole is ignored", []string{
			"###",
			"#.#",
			"###",
		}, 1, 0, [][]Point{{{0, 0}, {2, 0}, {2, 2}, {0, 2}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, w, h := parseMask(tc.rows...)
			got := Components(m, w, h, tc.minPx, tc.maxCmp)
			if !slices.EqualFunc(got, tc.want, func(a, b []Point) bool { return slices.Equal(a, b) }) {
				t.Errorf("\n%s\ngot  %v\nwant %v", strings.Join(tc.rows, "\n"), got, tc.want)
			}
		})
	}
	if got := Components(nil, 0, 0, 1, 0); got != nil {
		t.Errorf("zero-size mask gave %v", got)
	}
}

// TestComponentsMatchesFloodFill compares labels on random masks with a plain
// 8-connected flood fill: same number of components, and every pixel of a
// component inside its hull.
func TestComponentsMatchesFloodFill(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := range 50 {
		w, h := 1+r.IntN(40), 1+r.IntN(40)
		m := make([]bool, w*h)
		for i := range m {
			m[i] = r.Float64() < 0.3
		}
		comps := floodFill(m, w, h)
		got := Components(m, w, h, 1, 0)
		if len(got) != len(comps) {
			t.Fatalf("trial %d: %d components, flood fill %d", trial, len(got), len(comps))
		}
		for i, pix := range comps {
			for _, p := range pix {
				if !insideHull(got[i], p) {
					t.Fatalf("trial %d: component %d: pixel %v outside hull %v", trial, i, p, got[i])
				}
			}
		}
	}
}

// floodFill returns the pixels of each 8-connected component, components in
// raster order of their first pixel.
func floodFill(m []bool, w, h int) [][]Point {
	seen := make([]bool, len(m))
	var out [][]Point
	for i := range m {
		if !m[i] || seen[i] {
			continue
		}
		var pix []Point
		stack := []int{i}
		seen[i] = true
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			pix = append(pix, Point{float64(x), float64(y)})
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if k := ny*w + nx; m[k] && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		out = append(out, pix)
	}
	return out
}

func insideHull(hull []Point, p Point) bool {
	switch len(hull) {
	case 1:
		return hull[0] == p
	case 2:
		a, b := hull[0], hull[1]
		return cross(a, b, p) == 0 && min(a.X, b.X) <= p.X && p.X <= max(a.X, b.X) &&
			min(a.Y, b.Y) <= p.Y && p.Y <= max(a.Y, b.Y)
	}
	for i := range hull {
		if cross(hull[i], hull[(i+1)%len(hull)], p) < 0 {
			return false
		}
	}
	return true
}

// textMask draws about 50 text-line blobs (ragged filled bars with character
// gaps and holes) on a 960×720 mask, like a thresholded DB probability map.
func textMask() ([]bool, int, int) {
	const w, h = 960, 720
	r := rand.New(rand.NewPCG(11, 12))
	m := make([]bool, w*h)
	for row := range 10 {
		for col := range 5 {
			x0 := col*190 + 5 + r.IntN(20)
			y0 := row*70 + 10 + r.IntN(20)
			bw, bh := 80+r.IntN(90), 16+r.IntN(16)
			for y := y0; y < y0+bh; y++ {
				l, rr := x0+r.IntN(3), x0+bw-r.IntN(3)
				for x := l; x < rr; x++ {
					inGap := (x-x0)%14 == 13 && x < x0+bw-16 && y > y0+3 && y < y0+bh-3
					inHole := (x-x0)%14 == 6 && (y-y0)%7 == 3
					m[y*w+x] = !inGap && !inHole
				}
			}
		}
	}
	return m, w, h
}

func BenchmarkComponents(b *testing.B) {
	m, w, h := textMask()
	if n := len(Components(m, w, h, 1, 0)); n != 50 {
		b.Fatalf("mask has %d components, want 50", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		Components(m, w, h, 3, 1000)
	}
}
