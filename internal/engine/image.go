package engine

import (
	"context"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/pipeline"
)

// ReadImage reads a photo the caller decoded already (with DecodeLimits and the working
// size), so a caller that also draws on the photo decodes it once.
func (e *Engine) ReadImage(ctx context.Context, img *imageio.Image, opt pipeline.Options) (*pipeline.Result, error) {
	if err := e.load(); err != nil {
		return nil, err
	}
	if t := e.cfg.Pipeline.Timeout; t > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t)
		defer cancel()
	}
	defer e.cores.Hold()()
	res, err := e.pipe.ReadImage(ctx, img, opt)
	e.withhold(res) // as Read does
	return res, err
}
