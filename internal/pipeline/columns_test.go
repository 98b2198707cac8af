package pipeline

import (
	"math"
	"slices"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
)

// askew returns rs with every quad turned deg degrees about (0, 0): the same label photographed
// askew.
func askew(rs []Region, deg float64) []Region {
	a := deg * math.Pi / 180
	out := slices.Clone(rs)
	for k := range out {
		for j, p := range out[k].Quad {
			out[k].Quad[j] = imgproc.Point{X: p.X*math.Cos(a) - p.Y*math.Sin(a), Y: p.X*math.Sin(a) + p.Y*math.Cos(a)}
		}
	}
	return out
}

func lineTexts(ls []Line) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Text)
	}
	return out
}

// A column of labels with its values stamped beside it a little over half a line higher: each
// value is read with its own label, in order, upright or askew; without as many values as
// labels, or with values that drift from their labels, nothing is paired.
func TestLabelColumnPairsWithItsValues(t *testing.T) {
	labels := []Region{
		region(100, 200, 80, 30, "Lote:", 0.9),
		region(100, 260, 70, 30, "Fab:", 0.9),
		region(100, 320, 70, 30, "Val:", 0.9),
	}
	values := []Region{
		region(420, 178, 160, 36, "K12B7", 0.9),
		region(420, 238, 140, 36, "03/26", 0.9),
		region(420, 298, 140, 36, "03/28", 0.9),
	}
	want := []string{"Lote: K12B7", "Fab: 03/26", "Val: 03/28"}
	for _, deg := range []float64{0, 8, -12} {
		rs := askew(append(slices.Clone(labels), values...), deg)
		if got := lineTexts(GroupLines(rs, 0.5)); !slices.Equal(got, want) {
			t.Errorf("turned %v°: read %q, want %q", deg, got, want)
		}
	}

	// Askew, the short labels are boxed level (their few letters show no slant) while the
	// long values show it: the column's way is its long text's.
	rs := askew(append(slices.Clone(labels), values...), -7)
	for k := range labels {
		c := geometry(rs[k].Quad).c
		rs[k] = region(c.X-40, c.Y-15, 80, 30, labels[k].Text.Text, 0.9)
	}
	if got := lineTexts(GroupLines(rs, 0.5)); !slices.Equal(got, want) {
		t.Errorf("level labels beside askew values: read %q, want %q", got, want)
	}

	// Two values for three labels: which goes with which is not known.
	short := append(slices.Clone(labels), values[1:]...)
	for _, l := range lineTexts(GroupLines(short, 0.5)) {
		if l == "Fab: 03/26" || l == "Val: 03/28" || l == "Lote: 03/26" {
			t.Errorf("paired %q with a value missing", l)
		}
	}

	// Values drifting from their labels by more than columnSlack are no column of them.
	drift := slices.Clone(values)
	drift[2] = region(420, 318, 140, 36, "03/28", 0.9)
	got := lineTexts(GroupLines(append(slices.Clone(labels), drift...), 0.5))
	if slices.Contains(got, "Lote: K12B7") {
		t.Errorf("paired values that drift: %q", got)
	}
}
