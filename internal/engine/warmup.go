package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

// Warmup loads the models if needed and reads one rendered photo through every stage, so the
// runtime's first-run allocations and graph preparations happen before real traffic. A
// server reports ready only after it succeeds.
func (e *Engine) Warmup(ctx context.Context) error {
	if err := e.load(); err != nil {
		return err
	}
	p, err := synth.Render(synth.Spec{Seed: 1, Width: 640, Height: 480, Expiry: time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return fmt.Errorf("warm-up photo: %w", err)
	}
	img := &imageio.Image{RGBA: p.Image, Format: "png", OrigW: p.Image.Rect.Dx(), OrigH: p.Image.Rect.Dy(), Scale: 1, Orientation: 1}
	res, err := e.pipe.ReadImage(ctx, img, pipeline.Options{})
	if err != nil {
		return fmt.Errorf("warm-up read: %w", err)
	}
	if len(res.Regions) == 0 {
		return fmt.Errorf("warm-up read found no text in a rendered photo")
	}
	return nil
}
