package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/pipeline"
)

// EngineTarget reads photos in-process through an engine.
type EngineTarget struct{ Engine *engine.Engine }

// Read implements Target with the pipeline's own stage timings.
func (t EngineTarget) Read(ctx context.Context, data []byte) (map[string]time.Duration, error) {
	res, err := t.Engine.Read(ctx, data, pipeline.Options{})
	if err != nil {
		return nil, err
	}
	st := map[string]time.Duration{}
	for _, s := range engine.Stages(res.Timings) {
		st[s.Name] = s.Time
	}
	return st, nil
}

// RuntimeTime is the process's cumulative time inside ONNX Runtime's Run.
func (EngineTarget) RuntimeTime() time.Duration {
	_, d := onnx.RunStats()
	return d
}

// ServerTarget posts each photo to a running `datalid serve` (POST URL/process, multipart
// field "file") and takes stage times from the response's metrics.
type ServerTarget struct {
	URL    string // base URL, e.g. http://127.0.0.1:8000
	Client *http.Client
	APIKey string // sent as X-API-Key when set
}

// Read implements Target. A non-2xx status is an error carrying the body's first bytes.
func (t ServerTarget) Read(ctx context.Context, data []byte) (map[string]time.Duration, error) {
	st, _, err := t.ReadCache(ctx, data)
	return st, err
}

// ReadCache is Read that also returns the response's X-Cache header ("" when absent).
func (t ServerTarget) ReadCache(ctx context.Context, data []byte) (map[string]time.Duration, string, error) {
	reply, err := api.PostProcess(ctx, t.Client, t.URL, t.APIKey, data, nil)
	xc := reply.Header.Get("X-Cache")
	if err != nil {
		return nil, xc, err
	}
	r, err := reply.Response()
	if err != nil {
		return nil, xc, fmt.Errorf("bench: %w", err)
	}
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	m := r.Metrics
	return map[string]time.Duration{
		StageDecode: sec(m.DecodeTime), StageDetection: sec(m.DetectionTime),
		// recognition_time includes the crops and the second looks (report.Response).
		StageClassify: sec(m.ClassificationTime), StageRecognize: sec(m.RecognitionTime - m.SecondLookTime),
		StageSecondLook: sec(m.SecondLookTime), StageDates: sec(m.ParsingTime),
	}, xc, nil
}
