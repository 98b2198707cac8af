package pipeline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/synth"
)

// A faint dot-matrix code on a mid-tone panel: neither the first pass nor the dots look's
// merged image shows it to the detector; equalised locally, it is found.
func TestDotsLookFindsFaintCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	p := newPipeline(t, true)
	_, res := readRendered(t, p, synth.Spec{
		Seed: 9, Width: 2048, Height: 1536, Expiry: time.Date(2027, 10, 9, 0, 0, 0, 0, time.UTC),
		Lines: []string{"RX4560 1324", "USE BY OCT092027"}, DateLine: 1,
		Font: "dot5x7", TextHeight: 26, Blur: 0.8, Contrast: 0.15, Noise: 0.02,
		Dots:    synth.DotStyle{Size: 0.55, Jitter: 0.05},
		Clutter: synth.Clutter{Art: 3, Words: 2, Ground: true},
	}, 88)
	read := sourcedTexts(res)
	code := false
	for _, rg := range res.Regions {
		// Measured: found only equalised, read "JSE BY 0CT0SZ027" (the day misread).
		code = code || strings.HasPrefix(rg.Source, "dots") && strings.Contains(rg.Text.Text, "CT0")
	}
	t.Logf("read %q", read)
	if !code {
		t.Errorf("the dots look found no region over the code")
	}
}
