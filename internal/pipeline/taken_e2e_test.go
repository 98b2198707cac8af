package pipeline_test

import (
	"context"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

// A label whose two numeric dates read either way round: the day the photo was taken,
// from its EXIF metadata, rules out the order that would put the manufacture date after
// it, and the expiry date is read the same way.
func TestPhotoDateDecidesDayMonthOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	p := newPipeline(t, false)
	_, jpg := renderJPEG(t, synth.Spec{
		Seed: 4, Width: 1200, Height: 900, Expiry: time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC),
		Lines: []string{"MFG 11/02/2025", "USE BY 10/02/2026"}, DateLine: 1,
		Font: "bold", TextHeight: 48, Contrast: 0.9,
	}, 92)
	for _, c := range []struct {
		taken time.Time
		want  string
	}{
		{time.Time{}, "2026-10-02"},                                   // no photo date: the US phrase reads month first
		{time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC), "2026-02-10"}, // 2 November 2025 had not come
		{time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC), "2026-10-02"},  // both days had come: undecided
	} {
		res, err := p.Read(context.Background(), imageio.WithTaken(jpg, c.taken), pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := "-"
		if b := res.Dates.Best; b != nil {
			got = b.Date.String()
		}
		if got != c.want {
			t.Errorf("photo taken %v: best date %s, want %s (lines %+v)", c.taken, got, c.want, res.Lines)
		}
	}
}
