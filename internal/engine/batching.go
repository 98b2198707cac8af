package engine

import (
	"context"
	"runtime"
	"time"

	"github.com/datalid/datalid/internal/batch"
	"github.com/datalid/datalid/internal/onnx"
)

// runner is what detect and recognize call; onnx.Session and batch.Batcher both satisfy it.
type runner interface {
	Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error)
}

// Option adjusts an engine at construction.
type Option func(*options)

type options struct {
	observeBatch func(model string, items int, wait time.Duration)
	tap          func(role string, shape []int64, data []float32)
}

// WithBatchObserver is called once per batched model run with the model's role (detector,
// classifier, recognizer), the items in the run and how long the oldest waited. The server
// feeds its metrics from it; the engine itself stays free of any metrics library.
func WithBatchObserver(f func(model string, items int, wait time.Duration)) Option {
	return func(o *options) { o.observeBatch = f }
}

type namedBatcher struct {
	role string
	*batch.Batcher
}

// batched wraps s in a dynamic batcher when batching is enabled (the detector and recogniser
// code cannot tell the difference). Workers follow
// pipeline.workers, so as many runs proceed at once as there are images in parallel
// without batching, and batches form only from what queues behind them.
func (e *Engine) batched(role string, s *onnx.Session, bucket func(int64) int64) runner {
	if e.opts.tap != nil {
		return tapped{role: role, s: s, tap: e.opts.tap}
	}
	bc := e.cfg.Batching
	if !bc.Enabled {
		return s
	}
	workers := e.cfg.Pipeline.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cfg := batch.Config{
		Policy:    batch.Policy{MaxSize: bc.MaxBatchSize, MaxWait: bc.MaxWait},
		QueueSize: bc.QueueSize,
		Workers:   workers,
		Bucket:    bucket,
	}
	if f := e.opts.observeBatch; f != nil {
		cfg.Observe = func(items int, wait time.Duration) { f(role, items, wait) }
	}
	b := &namedBatcher{role: role, Batcher: batch.New(s, cfg)}
	e.batchers = append(e.batchers, b)
	return b
}

// QueueDepths reports, per model role, the calls waiting in its batcher (empty when
// batching is off or models are not loaded yet).
func (e *Engine) QueueDepths() map[string]int {
	if !e.loaded.Load() {
		return nil
	}
	out := make(map[string]int, len(e.batchers))
	for _, b := range e.batchers {
		out[b.role] = b.Depth()
	}
	return out
}

// Batching reports whether model calls are dynamically batched.
func (e *Engine) Batching() bool { return e.cfg.Batching.Enabled }

func (e *Engine) closeBatchers() {
	for _, b := range e.batchers {
		b.Close()
	}
	e.batchers = nil
}
