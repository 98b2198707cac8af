package pipeline_test

import (
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
