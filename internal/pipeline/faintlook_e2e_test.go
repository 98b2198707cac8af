package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

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
