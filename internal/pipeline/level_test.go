package pipeline

import (
	"math"
	"testing"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// tilted is a region w long and h high whose top edge runs deg degrees clockwise on screen.
func tilted(cx, cy, w, h, deg float64) Region {
	s, c := math.Sincos(deg * math.Pi / 180)
	u := imgproc.Point{X: c * w / 2, Y: s * w / 2}
	n := imgproc.Point{X: -s * h / 2, Y: c * h / 2}
	at := func(a, b float64) imgproc.Point {
		return imgproc.Point{X: cx + a*u.X + b*n.X, Y: cy + a*u.Y + b*n.Y}
	}
	return Region{Quad: imgproc.Quad{at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)}}
}

func TestSlantOfLongRegions(t *testing.T) {
	id := func(r Region) imgproc.Quad { return r.Quad }
	cases := []struct {
		name string
		rs   []Region
		want float64
		ok   bool
	}{
		{"level lines need no turn", []Region{tilted(100, 100, 300, 30, 0), tilted(100, 200, 200, 30, 3)}, 0, false},
		{"a slanted line", []Region{tilted(100, 100, 300, 30, 40)}, 40, true},
		{"read backwards, the same slant", []Region{tilted(100, 100, 300, 30, 40-180)}, 40, true},
		{"square pieces tell nothing", []Region{tilted(100, 100, 40, 30, 45), tilted(150, 150, 40, 30, 45)}, 0, false},
		{"near upright is the sideways look's", []Region{tilted(100, 100, 300, 30, 85)}, 0, false},
		{"the slanted code among level labels", []Region{tilted(100, 100, 600, 30, 0), tilted(300, 300, 200, 20, -35), tilted(300, 340, 160, 20, -31)}, -33.2, true},
		{"the longer of two slants", []Region{tilted(100, 100, 200, 20, 30), tilted(400, 400, 500, 30, 60)}, 60, true},
	}
	named := tilted(100, 100, 300, 30, 40)
	named.Text = recognize.Text{Text: "Lightly Salted", Confidence: 0.95}
	coded := tilted(100, 100, 300, 30, 40)
	coded.Text = recognize.Text{Text: "EXP 0S 2O27", Confidence: 0.95}
	cases = append(cases, []struct {
		name string
		rs   []Region
		want float64
		ok   bool
	}{
		{"a slanted name read surely", []Region{named}, 40, true},
		{"a slanted line with digits", []Region{coded}, 40, true},
	}...)
	for _, c := range cases {
		got, ok := slant(c.rs, id)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 0.5) {
			t.Errorf("%s: slant %.1f %v, want %.1f %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

// A date read on a slanted region is read again levelled, however sure; one on a level line
// is not.
func TestSlantedDate(t *testing.T) {
	for _, c := range []struct {
		deg  float64
		want bool
	}{{0, false}, {5, false}, {18, false}, {35, true}, {-60, true}} {
		r := tilted(300, 300, 260, 30, c.deg)
		r.Text.Text = "05.2027 03:14"
		l := &look{toOrig: 1, res: &Result{Regions: []Region{r}}}
		l.res.Lines = GroupLines(l.res.Regions, 0)
		l.res.Dates = dates.Find([]dates.Line{{Text: l.res.Lines[0].Text, Confidence: 1}}, dates.Options{})
		if l.res.Dates.Best == nil {
			t.Fatal("no date in the invented line")
		}
		if got := slantedDate(l); got != c.want {
			t.Errorf("%v°: slantedDate %v, want %v", c.deg, got, c.want)
		}
	}
}

func TestInQuad(t *testing.T) {
	q := tilted(100, 100, 200, 40, 30).Quad
	for _, c := range []struct {
		p    imgproc.Point
		want bool
	}{{imgproc.Point{X: 100, Y: 100}, true}, {imgproc.Point{X: 180, Y: 145}, true}, {imgproc.Point{X: 100, Y: 160}, false}, {imgproc.Point{X: 250, Y: 100}, false}} {
		if got := inQuad(c.p, q); got != c.want {
			t.Errorf("inQuad(%v) = %v, want %v", c.p, got, c.want)
		}
		r := imgproc.Quad{q[3], q[2], q[1], q[0]}
		if got := inQuad(c.p, r); got != c.want {
			t.Errorf("inQuad(%v) over the corners the other way round = %v, want %v", c.p, got, c.want)
		}
	}
}

// The level look reads only the boxes where a date may lie: around regions read with digits
// or unsurely, grown along their line.
func TestDateAreas(t *testing.T) {
	id := func(r Region) imgproc.Quad { return r.Quad }
	named := tilted(100, 100, 200, 20, 30)
	named.Text = recognize.Text{Text: "Lightly Salted", Confidence: 0.95}
	piece := tilted(500, 500, 30, 20, 30)
	piece.Text = recognize.Text{Text: "22", Confidence: 0.9}
	areas := dateAreas([]Region{named, piece}, id)
	if len(areas) != 1 {
		t.Fatalf("%d areas, want one: around the piece with digits", len(areas))
	}
	s, c := math.Sincos(30 * math.Pi / 180)
	for _, c := range []struct {
		p    imgproc.Point
		want bool
	}{
		{imgproc.Point{X: 500 + 70*c, Y: 500 + 70*s}, true},  // along the line, 3.5 heights on
		{imgproc.Point{X: 500 - 70*c, Y: 500 - 70*s}, true},  // and back
		{imgproc.Point{X: 500 - 60*s, Y: 500 + 60*c}, false}, // three heights across: another line
		{imgproc.Point{X: 100, Y: 100}, false},               // the name
	} {
		if got := inQuad(c.p, areas[0]); got != c.want {
			t.Errorf("point %v in the area: %v, want %v", c.p, got, c.want)
		}
	}
}
