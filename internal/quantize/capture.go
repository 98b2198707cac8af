package quantize

import (
	"context"
	"fmt"
	"sync"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/pipeline"
)

// Roles are the model roles in the engine's words, in the order they are quantized.
var Roles = []string{"detector", "classifier", "recognizer"}

// Limits bound how many inputs of each role are kept from the photos read: calibration runs the
// model once per sample, and detector inputs are up to 8 MB each.
type Limits map[string]int

// DefaultLimits calibrate in about a minute on 2 cores: a few detector passes, and enough
// recogniser crops (of many widths and texts) that rare activations show up.
var DefaultLimits = Limits{"detector": 12, "classifier": 48, "recognizer": 96}

// Collect reads every photo with the FP32 models of cfg and returns the model inputs they
// produced, per role: the real detector inputs, rectified crops as the classifier and the
// recogniser see them. Inputs are kept evenly across photos: each photo may add at most its
// share of a role's limit, in the order the pipeline ran them.
func Collect(ctx context.Context, cfg config.Config, photos [][]byte, lim Limits) (map[string][]Sample, error) {
	if len(photos) == 0 {
		return nil, fmt.Errorf("%w: no calibration photos", ErrModel)
	}
	cfg.Batching.Enabled = false
	cfg.Pipeline.LendIdleCores = false // one run at a time: the tap sees a stable order
	var mu sync.Mutex
	out := map[string][]Sample{}
	perPhoto := map[string]int{}
	tap := func(role string, shape []int64, data []float32) {
		mu.Lock()
		defer mu.Unlock()
		share := max(1, (lim[role]+len(photos)-1)/len(photos))
		if perPhoto[role] >= share || len(out[role]) >= lim[role] {
			return
		}
		perPhoto[role]++
		out[role] = append(out[role], Sample{Shape: append([]int64(nil), shape...), Data: append([]float32(nil), data...)})
	}
	eng, err := engine.New(cfg, engine.WithRunTap(tap))
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	for i, p := range photos {
		mu.Lock()
		clear(perPhoto)
		mu.Unlock()
		if _, err := eng.Read(ctx, p, pipeline.Options{}); err != nil && ctx.Err() != nil {
			return nil, err
		} else if err != nil {
			return nil, fmt.Errorf("calibration photo %d: %w", i+1, err)
		}
	}
	return out, nil
}
