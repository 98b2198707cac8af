package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/pipeline"
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

// Dark red inkjet print on a red panel, a few grey levels apart: neither the first pass nor
// the dots look (merged, then equalised) nor the tiles find it; the faint look, over the
// local contrast amplified, finds the date line and reads it. The photo is the seventh of
// `datalid synth --layouts inkjet --seed 59`, measured when the look was written.
func TestFaintLookFindsPrintOnPanelOfItsColour(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	dir := t.TempDir()
	if err := synth.WriteSetOptions(dir, synth.SetOptions{N: 7, Seed: 59, Families: []string{"inkjet"}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "synth_0007.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(t, true)
	res, err := p.Read(context.Background(), data, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b := res.Dates.Best; b == nil || b.Date.String() != "2023-01-20" {
		t.Fatalf("best %+v, want 2023-01-20 (printed USE BY 01/20/2023); read %q", b, sourcedTexts(res))
	}
	faint := false
	for _, rg := range res.Regions {
		faint = faint || strings.HasPrefix(rg.Source, "faint") && strings.Contains(rg.Text.Text, "01/20/2023")
	}
	if !faint {
		t.Errorf("the date was not read from a region the faint look found: %q", sourcedTexts(res))
	}
}
