package detect

import (
	"math"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
)

// paint returns a w×h mask set where in(x, y) holds.
func paint(w, h int, in func(x, y int) bool) []bool {
	m := make([]bool, w*h)
	for y := range h {
		for x := range w {
			m[y*w+x] = in(x, y)
		}
	}
	return m
}

// whole returns the one component of m as hull and rectangle.
func whole(t *testing.T, m []bool, w, h int) ([]imgproc.Point, imgproc.RotatedRect) {
	t.Helper()
	hulls := imgproc.Components(m, w, h, 2, 0)
	if len(hulls) != 1 {
		t.Fatalf("test mask has %d components, want 1", len(hulls))
	}
	return hulls[0], imgproc.MinAreaRect(hulls[0])
}

func bar(x, y, x0, y0, x1, y1 int) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }

func TestSplitLinesPartsTouchingLines(t *testing.T) {
	const w, h = 200, 60
	// Two lines 8 px thick, 4 px apart, joined by a 2 px bridge (a descender meeting an
	// ascender), and a third line touching the second.
	m := paint(w, h, func(x, y int) bool {
		return bar(x, y, 10, 10, 190, 18) || bar(x, y, 12, 22, 185, 30) || bar(x, y, 60, 18, 62, 22) ||
			bar(x, y, 15, 34, 170, 42) || bar(x, y, 120, 30, 121, 34)
	})
	hull, r := whole(t, m, w, h)
	parts := splitLines(m, w, h, hull, r)
	if len(parts) != 3 {
		t.Fatalf("got %d parts, want 3", len(parts))
	}
	n := 0
	for _, p := range parts {
		n += len(p)
		pr := imgproc.MinAreaRect(p)
		if pr.ShortSide() > 12 {
			t.Errorf("a part is %.0f px thick: still holds more than one line", pr.ShortSide())
		}
	}
	total := 0
	for _, on := range m {
		if on {
			total++
		}
	}
	if n != total {
		t.Errorf("parts hold %d pixels, the component %d: every pixel belongs to one line", n, total)
	}
}

func TestSplitLinesKeepsOneLine(t *testing.T) {
	const w, h = 200, 60
	cases := map[string][]bool{
		// one thick line
		"bar": paint(w, h, func(x, y int) bool { return bar(x, y, 10, 10, 190, 30) }),
		// a line with a thin waist where two characters meet
		"waist": paint(w, h, func(x, y int) bool {
			return bar(x, y, 10, 10, 95, 22) || bar(x, y, 97, 10, 190, 22) || bar(x, y, 95, 15, 97, 17)
		}),
		// a line bent around a can: its pieces are short along the chord
		"arc": paint(w, h, func(x, y int) bool {
			cy := 10 + 30*math.Pow((float64(x)-100)/90, 2)
			return x >= 10 && x < 190 && math.Abs(float64(y)-cy) < 5
		}),
	}
	for name, m := range cases {
		hull, r := whole(t, m, w, h)
		if parts := splitLines(m, w, h, hull, r); parts != nil {
			t.Errorf("%s: split into %d parts, want it whole", name, len(parts))
		}
	}
}
