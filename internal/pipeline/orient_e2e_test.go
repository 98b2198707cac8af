package pipeline_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

// A date line the angle classifier turned the wrong way up reads as another date
// ("03/20/23" upside down looks like "EZ/0Z/E0"); the orientation check reads the line both
// ways and keeps the surer reading. Only lines that hold a date are checked: there a
// misjudged orientation does harm, and elsewhere the second looks' flip retry is left to act.
func TestOrientationCheckUndoesClassifierMistake(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	// Turned, this line reads as 22/02/20 48, February 2048: past the 12-year horizon, which
	// drops such a misread by itself. The check is for misreads within it, so the horizon is
	// lifted here to keep the misread a date.
	p := newPipelineWith(t, false, func(c *pipeline.Config) { c.Dates.Latest = dates.Date{Year: 9999, Month: time.December, Day: 31} })
	ph, err := synth.Render(synth.Spec{
		Seed: 3, Width: 1400, Height: 1000, Expiry: time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC),
		Lines: []string{"USE BY 03/20/27 14:05", "LOT 4471"}, DateLine: 0,
		Font: "dot5x7", TextHeight: 40, Blur: 0.6, Contrast: 0.85, Noise: 0.02,
		Dots: synth.DotStyle{Size: 0.6, Jitter: 0.04},
	})
	if err != nil {
		t.Fatal(err)
	}
	texts, before, after, err := pipeline.ReadTurnedWrong(p, ph.Image)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read turned %q: %q, checked: %q", texts, before, after)
	// Measured: turned, the line reads as another date, which stops a read confidently.
	if strings.Contains(strings.Join(texts, " "), "03/20/27") || before == "" {
		t.Errorf("turned the wrong way the line read %q (%q): the check is not exercised", texts, before)
	}
	if after != "2027-03-20" {
		t.Errorf("best date after the check %q, want 2027-03-20", after)
	}
}

// A date line that only a second look boxes (dotted print the first pass missed) gets its
// orientation checked as well: the classifier, judging each piece alone, can turn the long
// pieces of a slanted dotted line upside down, and the line, most of its text then read
// turned, is put together backwards ("21:00 … 28 30 OCT 18 1538" reads 18 October 2030 …
// 2018). The rendered photo is an inkjet photo of the synthetic set (`datalid synth --layouts
// inkjet --seed 41`, its 40th): measured, before the check it read 2018-10-30.
func TestOrientationCheckedOnSecondLookLines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	r := rand.New(rand.NewPCG(41, 0x5eed))
	var smp synth.Sample
	for range 40 {
		var err error
		if smp, err = synth.RandomHard(r, "inkjet"); err != nil {
			t.Fatal(err)
		}
	}
	p := newPipeline(t, true)
	ph, res := readRendered(t, p, smp.Spec, smp.Quality)
	if ph.Label != "2028-10-30" {
		t.Fatalf("the set's 40th photo is labelled %s, not the one measured: the generator changed", ph.Label)
	}
	if got := res.Dates.Top(); got == nil || got.Date.String() != "2028-10-30" {
		t.Errorf("best date %v, want 2028-10-30; regions %q", got, sourcedTexts(res))
	}
}
