package pipeline_test

import (
	"testing"
	"time"

	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

// A box photographed sideways, its print running up or down the page and widely spaced: the
// detector cuts each line into its fields, and those are joined along the print, not
// across it, so the expiry line reads keyword, month and year together.
func TestPrintRunningUpOrDownReadsAsLines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	p := newPipeline(t, true)
	made := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	exp := time.Date(2027, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, deg := range []float64{90, -90} {
		ph, res := readRendered(t, p, synth.Spec{
			Seed: 9, Width: 1200, Height: 1600, Expiry: exp, Made: made, MonthOnly: true,
			Lines: []string{"FAB.    02    2024", "VAL.    10    2027"}, DateLine: 1,
			Font: "bold", TextHeight: 44, Angle: deg, Blur: 0.6, Contrast: 0.8, Noise: 0.02,
		}, 90)
		got := answered(res, ph.Label)
		t.Logf("%v°: %s, read %q", deg, got, sourcedTexts(res))
		if got != ph.Label {
			t.Errorf("%v°: best date %s, want %s", deg, got, ph.Label)
		}
	}
}

// Dot-matrix print on a photo taken sideways the other way: turned a quarter, it comes out
// upside down, and the angle classifier, judging each short dotted line alone, leaves some
// upright. The lines are read both ways and go the way the print reads surer. (Before, three
// of these six read right; dotted print on its side stays hard, so one miss is allowed.)
func TestUpsideDownDotsAfterTheQuarterTurn(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	sidewaysDots(t, 6, 1, 1200, 1600, 40)
}

// answered is the best date of res as precise as label ("-" for none): a month-only date
// ends on the month's last day.
func answered(res *pipeline.Result, label string) string {
	if b := res.Dates.Best; b != nil {
		return b.Date.String()[:len(label)]
	}
	return "-"
}

// Small dot-matrix print on a 12 MP photo taken sideways: the sideways look finds the print
// reads surer turned, but detects at the working image's scale, where such print is dots
// too small to box; the photo is then read whole turned, dense and dot looks included.
// (Before, two of these four read right, the other two gave the manufacture date.)
func TestSmallDotsOnASidewaysPhotoReadWholeTurned(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	sidewaysDots(t, 4, 1, 3000, 4000, 14)
}

// sidewaysDots reads seeds photos (w×h) of a dot-matrix lot, F and V line turned 90°, text
// height th, and fails when more than allowed miss the V line's date.
func sidewaysDots(t *testing.T, seeds int64, allowed, w, h, th int) {
	t.Helper()
	p := newPipeline(t, true)
	made := time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)
	exp := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	misses := 0
	for seed := int64(1); seed <= seeds; seed++ {
		ph, res := readRendered(t, p, synth.Spec{
			Seed: seed, Width: w, Height: h, Expiry: exp, Made: made, MonthOnly: true,
			Lines: []string{"L:A31K0927", "F:03/2023", "V:03/2026"}, DateLine: 2,
			Font: "dotmatrix", TextHeight: th, Angle: 90, Blur: 0.8, Contrast: 0.8, Noise: 0.03,
		}, 90)
		got := answered(res, ph.Label)
		t.Logf("seed %d: %s, read %q", seed, got, sourcedTexts(res))
		if got != ph.Label {
			misses++
		}
	}
	if misses > allowed {
		t.Errorf("%d of %d photos missed, want at most %d", misses, seeds, allowed)
	}
}
