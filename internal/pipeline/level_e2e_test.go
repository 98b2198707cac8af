package pipeline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/synth"
)

// A small dot-matrix code photographed at a slant, as on a bottle bottom: the detector cuts
// the slanted line into pieces, and the level look reads it turned level.
func TestLevelLookReadsSlantedCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	p := newPipeline(t, true)
	exp := time.Date(2027, 5, 17, 0, 0, 0, 0, time.UTC)
	angles := []float64{-55, -40, 35, 50}
	levelled := 0
	for _, deg := range angles {
		_, res := readRendered(t, p, synth.Spec{
			Seed: 5, Width: 2400, Height: 1800, Expiry: exp,
			Lines: []string{"BB 17.05.2027 03:14", "LOT B0210"}, DateLine: 0,
			Font: "dot5x7", TextHeight: 30, Angle: deg, Blur: 0.8, Contrast: 0.8, Noise: 0.02,
			Dots: synth.DotStyle{Size: 0.55, Jitter: 0.05},
		}, 88)
		read := sourcedTexts(res)
		for _, rg := range res.Regions {
			if rg.Source == "level" && strings.Contains(rg.Text.Text, "17.05.2027") {
				levelled++
			}
		}
		got := "-"
		if b := res.Dates.Best; b != nil {
			got = b.Date.String()
		}
		t.Logf("%v°: %s, read %q", deg, got, read)
		// Measured: the pieces read "BB" | "1" | "05.2027 03:14", which alone is May 2027.
		if got != "2027-05-17" {
			t.Errorf("%v°: best date %s, want 2027-05-17", deg, got)
		}
	}
	// Measured: every angle's line read whole on the levelled photo; one may be lucky
	// without it under another ONNX Runtime.
	if levelled < len(angles)-1 {
		t.Errorf("the date line was read levelled on %d of %d photos", levelled, len(angles))
	}
}
