package engine

import (
	"testing"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/pipeline"
)

// The engine gives no best date below dates.min_confidence, while the pipeline it wraps
// keeps every choice for its second looks.
func TestWithholdFollowsConfig(t *testing.T) {
	lines := []dates.Line{{Text: "MFG 14/03/2026", Confidence: 0.9}}
	for _, c := range []struct {
		min      float64
		withheld bool
	}{{0, false}, {config.Default().Dates.MinConfidence, true}} {
		cfg := config.Default()
		cfg.Dates.MinConfidence = c.min
		e := &Engine{cfg: cfg}
		res := &pipeline.Result{Dates: dates.Find(lines, dates.Options{})}
		if res.Dates.Best == nil {
			t.Fatal("the pipeline's own choice must not be withheld")
		}
		e.withhold(res)
		if got := res.Dates.Best == nil && res.Dates.Withheld != nil; got != c.withheld {
			t.Errorf("min %v: best %+v withheld %+v", c.min, res.Dates.Best, res.Dates.Withheld)
		}
	}
	(&Engine{cfg: config.Default()}).withhold(nil) // a failed read has no result
}
