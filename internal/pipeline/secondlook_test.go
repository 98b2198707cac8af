package pipeline

import (
	"image"
	"slices"
	"testing"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

func TestTileRectsCoverWithOverlap(t *testing.T) {
	for _, c := range []struct{ w, h, grid int }{{2048, 1536, 2}, {1000, 3000, 3}, {17, 9, 2}} {
		rs := tileRects(c.w, c.h, c.grid, 0.15)
		if len(rs) != c.grid*c.grid {
			t.Fatalf("%v: %d tiles", c, len(rs))
		}
		full := image.Rect(0, 0, c.w, c.h)
		var union image.Rectangle
		for i, r := range rs {
			if !r.In(full) || r.Empty() {
				t.Fatalf("%v: tile %v outside the image", c, r)
			}
			union = union.Union(r)
			if i > 0 && c.w > 100 && rs[i-1].Max.Y == r.Max.Y && !rs[i-1].Overlaps(r) {
				t.Errorf("%v: neighbours %v %v do not overlap", c, rs[i-1], r)
			}
		}
		if union != full {
			t.Errorf("%v: tiles cover %v", c, union)
		}
	}
}

func quad(x, y, w, h float64) imgproc.Quad {
	return imgproc.Quad{{X: x, Y: y}, {X: x + w, Y: y}, {X: x + w, Y: y + h}, {X: x, Y: y + h}}
}

func TestCoveredSkipsRegionsAlreadyRead(t *testing.T) {
	rs := []Region{{Quad: quad(200, 200, 200, 40), Text: recognize.Text{Text: "LOT 12", Confidence: 0.9}}} // original pixels; working scale is half
	if !covered(quad(102, 101, 96, 18), rs, nil, 2) {
		t.Error("a box inside a region read already is not new")
	}
	garbage := []Region{{Quad: quad(200, 200, 200, 40), Text: recognize.Text{Text: "味", Confidence: 0.3}}}
	if covered(quad(102, 101, 96, 18), garbage, nil, 2) {
		t.Error("a box inside a region read as garbage is new")
	}
	if covered(quad(10, 10, 50, 10), rs, nil, 2) {
		t.Error("a box elsewhere is new")
	}
	found := []detect.Box{{Quad: quad(10, 10, 50, 10)}}
	if !covered(quad(12, 10, 50, 10), nil, found, 2) {
		t.Error("a box another tile found is not new")
	}
}

func TestParseChain(t *testing.T) {
	c, err := ParseChain("expand + clahe+sharpen")
	if err != nil || c.String() != "expand+clahe+sharpen" || !c.expands() {
		t.Fatalf("%v %v", c, err)
	}
	for _, bad := range []string{"clahe+expand", "blur", "clahe+"} {
		if _, err := ParseChain(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if c, err := ParseChain("none"); err != nil || c != nil {
		t.Errorf("none: %v %v", c, err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 40, 12))
	for _, name := range OpNames() {
		c, err := ParseChain(name)
		if err != nil {
			t.Fatal(err)
		}
		if out := c.Apply(img); out.Rect.Empty() {
			t.Errorf("%s emptied the crop", name)
		}
	}
}

func TestConfigKnowsEveryStep(t *testing.T) {
	a, b := slices.Sorted(slices.Values(OpNames())), slices.Sorted(slices.Values(config.PreprocessingSteps))
	if !slices.Equal(a, b) {
		t.Fatalf("pipeline steps %v, config steps %v", a, b)
	}
}

func TestExpandQuadGrowsAlongTheLine(t *testing.T) {
	q := expandQuad(quad(10, 10, 100, 20), 12)
	if q[0].X != -2 || q[1].X != 122 || q[3].X != -2 || q[2].X != 122 || q[0].Y != 10 || q[3].Y != 30 {
		t.Fatalf("got %v", q)
	}
}

func TestSplitTextBecomesLines(t *testing.T) {
	rs := []Region{region(10, 10, 200, 60, "PROD:01/02/2023\nEXP:01/02/2026", 0.9), region(10, 100, 100, 20, "L123", 0.9)}
	lines := GroupLines(rs, 0.5)
	if len(lines) != 3 || lines[0].Text != "PROD:01/02/2023" || lines[1].Text != "EXP:01/02/2026" || lines[1].Regions[0] != 0 {
		t.Fatalf("lines %+v", lines)
	}
	j := join([]recognize.Text{{Text: "A", Confidence: 1, CharProbs: []float32{1}}, {}, {Text: "BC", Confidence: 0.5, CharProbs: []float32{0.5, 0.5}}})
	if j.Text != "A\nBC" || j.Confidence < 0.66 || j.Confidence > 0.67 {
		t.Fatalf("join %+v", j)
	}
}

func TestRecoveryFromConfig(t *testing.T) {
	cfg := Config{
		Preprocessing: Preprocessing{Profile: "", RetryVariants: []string{"expand+pad", "none"}, MaxRetryRegions: 3},
		SecondLook:    SecondLook{Enabled: true, MinConfidence: 0.4, BeamWidth: 8, TileGrid: 2, TileOverlap: 0.1},
	}
	_, r, err := cfg.recovery()
	if err != nil || len(r.Variants) != 1 || r.Beam.Width != 8 || r.TileGrid != 2 || !r.on() {
		t.Fatalf("%+v %v", r, err)
	}
	cfg.SecondLook.Enabled = false
	if _, r, _ := cfg.recovery(); r.on() {
		t.Fatal("disabled second looks still on")
	}
	cfg.Preprocessing.Profile = "blur"
	if _, _, err := cfg.recovery(); err == nil {
		t.Fatal("unknown step accepted")
	}
}

func TestDateLike(t *testing.T) {
	for in, want := range map[string]bool{
		"2924.12.25": true, "BE5T IF USED BY 05/27/2823": true, "13.94.2O26": false, "1/2/24": true,
		"GET IN TOUCH 1-800-280-6934": false, "CNPI:17.226994/00": false, "66g/3 DS1": false,
		"12:30 45.67": false, "": false, "2026-05": false,
		"FEV/2?": true, "val: out.2": true, "MAYO 2": false, "SETUP/4": false, "OCTANE-9": false,
	} {
		if got := dateLike(in); got != want {
			t.Errorf("dateLike(%q) = %v", in, got)
		}
	}
}

// A second reading of a look's box is not taken for a date that a line cut short at its end
// also gives: a month with a two-digit year. A day, or a four-digit year, is no such shape.
func TestCutShape(t *testing.T) {
	p := &Pipeline{}
	for _, c := range []struct {
		text string
		want bool
	}{
		{"EXP 11/27", true},     // of "EXP 11/27/2029"
		{"BB OCT 28", true},     // of "BB OCT 28 28"
		{"EXP 11/27/29", false}, // a day
		{"BEST BY 10 2028", false},
		{"SEP142027", false},
		{"LOT 4471", false}, // no date at all
	} {
		if got := cutShape(p.bestDate(c.text)); got != c.want {
			t.Errorf("cutShape(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// Of two readings of one box, the second is kept for a stronger date, or for a surer reading
// where the dates are as strong, but never for a date a cut line also gives.
func TestSecondReadingBetter(t *testing.T) {
	p := &Pipeline{}
	read := func(text string, conf float64) Region {
		return Region{Text: recognize.Text{Text: text, Confidence: conf}}
	}
	for _, c := range []struct {
		name       string
		alt, first Region
		want       bool
	}{
		{"a date over none", read("JUN052028", 0.6), read("JUNOSZOZB", 0.8), true},
		{"the whole date over its start", read("EXP 06/05/2028", 0.7), read("EXP 06/05/", 0.9), true},
		{"not its start over the whole", read("EXP 06/05/", 0.9), read("EXP 06/05/2028", 0.7), false},
		{"no cut-shaped date over none", read("EXP 06/28", 0.9), read("EXP 0G/", 0.5), false},
		{"as strong: the surer", read("LOT 4471", 0.9), read("L0T 44T1", 0.6), true},
		{"as strong: not the less sure", read("L0T 44T1", 0.6), read("LOT 4471", 0.9), false},
	} {
		if got := p.secondReadingBetter(c.alt, c.first); got != c.want {
			t.Errorf("%s: secondReadingBetter = %v, want %v", c.name, got, c.want)
		}
	}
}
