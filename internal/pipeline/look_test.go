package pipeline

import (
	"context"
	"image"
	"slices"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// The driver runs the enabled looks in list order and stops at the first that leaves a
// confident date; disabled looks never run.
func TestSecondLooksRunCheapestFirstAndStopWhenConfident(t *testing.T) {
	var ran []string
	fake := func(name string, readsDate bool) step {
		return step{name: name, on: func(r Recovery) bool { return name != "off" }, run: func(p *Pipeline, l *look) error {
			ran = append(ran, name)
			if readsDate {
				l.res.Regions = append(l.res.Regions, Region{Quad: quad(0, 0, 100, 20), Text: recognize.Text{Text: "EXP 31/12/2027", Confidence: 0.99, CharProbs: charProbs("EXP 31/12/2027", 0.99)}})
			}
			return nil
		}}
	}
	saved := secondLooks
	defer func() { secondLooks = saved }()
	secondLooks = []step{fake("a", false), fake("off", true), fake("b", true), fake("c", true)}
	p := &Pipeline{rec: Recovery{MinConfidence: 0.4, Beam: recognize.BeamOptions{Width: 1}}}
	l := &look{ctx: context.Background(), res: &Result{}, trace: &Trace{}}
	if err := p.secondLook(l); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ran, []string{"a", "b"}) {
		t.Errorf("looks ran %v, want [a b]", ran)
	}
	if l.res.Dates.Best == nil || l.res.Dates.Best.Date.String() != "2027-12-31" {
		t.Errorf("best %+v", l.res.Dates.Best)
	}
	var traced []string
	for _, lt := range l.trace.Looks {
		traced = append(traced, lt.Name)
	}
	if !slices.Equal(traced, []string{"a", "b"}) || len(l.trace.Looks[1].Regions) != 1 {
		t.Errorf("trace %v", l.trace.Looks)
	}
}

func TestStepNamesInOrder(t *testing.T) {
	want := []string{"beam", "split", "sideways", "retry", "lattice", "rows", "zoom", "dots", "dense", "tiles", "faint", "rejoin"}
	if got := StepNames(); !slices.Equal(got, want) {
		t.Errorf("StepNames() = %v, want %v", got, want)
	}
}

// Regions close together form one area; an area whose text already holds a date and
// nothing else with digits is not worth a look; areas with more digits come first.
func TestDenseAreasGroupNearbyLinesAndRankByDigits(t *testing.T) {
	work := image.NewRGBA(image.Rect(0, 0, 2000, 1500))
	txt := func(s string, conf float64) recognize.Text { return recognize.Text{Text: s, Confidence: conf} }
	res := &Result{Regions: []Region{
		// a block of three lines near the top left
		{Quad: quad(100, 100, 200, 20), Text: txt("LOTE", 0.99)},
		{Quad: quad(100, 130, 150, 20), Text: txt("8 23", 0.4)},
		{Quad: quad(100, 160, 150, 20), Text: txt("0 9/2 5", 0.3)},
		// a lone dated line far away
		{Quad: quad(1500, 1200, 200, 20), Text: txt("VAL 31/12/2027", 0.95)},
		// a code far away with a few digits
		{Quad: quad(1500, 200, 200, 20), Text: txt("12", 0.9)},
	}}
	p := &Pipeline{}
	areas := p.denseAreas(&look{work: work, toOrig: 1, res: res})
	if len(areas) != 2 {
		t.Fatalf("areas %+v, want 2", areas)
	}
	block := image.Rect(100, 100, 300, 180)
	if !block.In(areas[0].rect) || areas[0].rect.Dx() > 400 {
		t.Errorf("first area %v should hold the three-line block %v and little else", areas[0].rect, block)
	}
	if areas[0].lineH != 20 {
		t.Errorf("line height %v, want 20", areas[0].lineH)
	}
	if !image.Rect(1500, 200, 1700, 220).In(areas[1].rect) {
		t.Errorf("second area %v should be the code", areas[1].rect)
	}
}

// A box found on the working image turned a quarter counter-clockwise maps back onto the
// text it covers in the working image, then to original pixels.
func TestTurnedFrameMapsBack(t *testing.T) {
	work := image.NewRGBA(image.Rect(0, 0, 40, 20))
	turned := imgproc.Rotate90CCW(work) // 20×40
	f := frame{img: turned, scale: 2, back: quarterBack(40)}
	// In the turned image, the box x 2..8, y 10..30 covers the working image's x 10..30, y 2..8.
	q := f.orig(quad(2, 10, 6, 20))
	x0, y0, x1, y1 := q.Bounds()
	if x0 != 20 || x1 != 60 || y0 != 4 || y1 != 16 {
		t.Errorf("mapped back to %v %v %v %v, want 20 4 60 16", x0, y0, x1, y1)
	}
}

func TestStandingRegions(t *testing.T) {
	r := func(w, h float64, text string) Region {
		return Region{Quad: quad(0, 0, w, h), Text: recognize.Text{Text: text}}
	}
	upright := []Region{r(20, 80, "2023"), r(20, 60, "LOT"), r(18, 70, "VAL"), r(100, 20, "EXP")}
	if !standing(upright) {
		t.Error("most regions taller than wide: text runs up the page")
	}
	fragments := []Region{r(20, 15, "1"), r(20, 15, "2"), r(20, 15, "0"), r(20, 15, "A"), r(100, 20, "VALIDADE")}
	if !standing(fragments) {
		t.Error("mostly single characters: the detector split lines running up the page")
	}
	across := []Region{r(60, 20, "024"), r(60, 20, "NO0"), r(60, 20, "V55"), r(20, 15, "E"), r(100, 20, "MECN LTDA")}
	if !standing(across) {
		t.Error("mostly runs of three across stacked lines: their print runs up the page")
	}
	normal := []Region{r(100, 20, "VALIDADE"), r(120, 20, "12/2027"), r(80, 20, "LOTE 12"), r(20, 15, "A")}
	if standing(normal) {
		t.Error("ordinary lines taken for sideways text")
	}
	if !standing([]Region{r(400, 700, "220")}) {
		t.Error("a close-up whose one box stands tall: its print runs up the page")
	}
	if standing(nil) {
		t.Error("no regions taken for sideways text")
	}
}

// A look's new regions replace the old ones they cover, except where an old region reads a
// stronger date than the new one over it: a dense re-read of "05/2024" as "F2日2/54" (which
// parses, weakly, as February 2054) must not erase it.
func TestSupersedeKeepsStrongerDates(t *testing.T) {
	txt := func(s string) recognize.Text { return recognize.Text{Text: s, Confidence: 0.9} }
	l := &look{res: &Result{Regions: []Region{
		{Quad: quad(0, 0, 100, 20), Text: txt("FAB")},
		{Quad: quad(0, 40, 100, 20), Text: txt("05/2024")},
		{Quad: quad(0, 80, 100, 20), Text: txt("L0T 88")},
	}}}
	scores := map[string]float64{"05/2024": 0.6, "F2日2/54": 0.3, "FAB 03/2023": 0.7}
	l.supersede([]Region{
		{Quad: quad(0, 0, 100, 20), Text: txt("FAB 03/2023")},
		{Quad: quad(0, 40, 100, 20), Text: txt("F2日2/54")},
		{Quad: quad(0, 80, 100, 20), Text: txt("LOT 88")},
	}, func(r Region) float64 { return scores[r.Text.Text] })
	var got []string
	for _, r := range l.res.Regions {
		got = append(got, r.Text.Text)
	}
	if want := []string{"05/2024", "FAB 03/2023", "LOT 88"}; !slices.Equal(got, want) {
		t.Errorf("regions %q, want %q", got, want)
	}
}
