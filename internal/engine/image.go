package engine

import (
	"context"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/pipeline"
)

// ReadImage reads a photo the caller decoded already (with DecodeLimits and the working
// size), so a caller that also draws on the photo decodes it once.
func (e *Engine) ReadImage(ctx context.Context, img *imageio.Image, opt pipeline.Options) (*pipeline.Result, error) {
	return e.run(ctx, func(ctx context.Context) (*pipeline.Result, error) { return e.pipe.ReadImage(ctx, img, opt) })
}
