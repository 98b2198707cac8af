package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

// Warmup loads the models if needed and reads one rendered photo through every stage, so the
// runtime's first-run allocations and graph preparations happen before real traffic. A
// server reports ready only after it succeeds.
//
// The photo fills the detector's input (detection.limit_side_len, 4:3): any camera photo is
// larger and is shrunk to that size, so the warm-up read costs what a real one does. The
// server's admission prior is measured on it; a smaller warm-up (it was 640×480) predicted
// half the real slot time, and the first wave of a burst was admitted into 504s.
func (e *Engine) Warmup(ctx context.Context) error {
	if err := e.load(); err != nil {
		return err
	}
	w, h := warmupSize(e.cfg)
	p, err := synth.Render(synth.Spec{Seed: 1, Width: w, Height: h, Expiry: time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)})
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

// warmupSize is the warm-up photo's size: the detector's full input at a camera's 4:3.
func warmupSize(cfg config.Config) (w, h int) {
	side := cfg.Detection.LimitSideLen
	return side, side * 3 / 4
}
