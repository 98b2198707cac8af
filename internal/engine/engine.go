// Package engine is the composition root: from a validated config it initialises the runtime,
// builds the model sessions (eagerly, or on first use with lazy loading), wires them into the
// pipeline and owns their lifetime. Every front end (CLI, server, worker) calls Engine.Read.
package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datalid/datalid/internal/batch"
	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/cores"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/recognize"
)

// Info describes what the engine loaded, for /info, logs and benchmark reports.
type Info struct {
	RuntimeVersion string
	Provider       string
	Models         map[string]string // role → file
	LoadTime       time.Duration
}

// Engine reads photos. It is safe for concurrent use.
type Engine struct {
	cfg config.Config

	once     sync.Once
	loadErr  error
	pipe     *pipeline.Pipeline
	cores    *cores.Pool // nil unless pipeline.lend_idle_cores
	sessions []*onnx.Session
	batchers []*namedBatcher
	info     Info
	opts     options

	loaded    atomic.Bool
	closeOnce sync.Once

	cache       *cache.Tiered // nil without cache tiers (cache.go)
	fingerprint string        // models and answer-changing config, part of every cache key
	flight      cache.Group[*pipeline.Result]
}

// New builds an engine. Unless cfg.Models.LazyLoading is set, models are loaded now, so a
// missing file or library is reported at start-up rather than on the first request.
func New(cfg config.Config, opts ...Option) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg}
	for _, o := range opts {
		o(&e.opts)
	}
	if len(cfg.Cache.Tiers) > 0 {
		fp, err := Fingerprint(cfg)
		if err != nil {
			return nil, err
		}
		if e.cache, err = OpenCache(cfg); err != nil {
			return nil, err
		}
		e.fingerprint = fp
	}
	if !cfg.Models.LazyLoading {
		if err := e.load(); err != nil {
			return nil, errors.Join(err, e.closeCache())
		}
	}
	return e, nil
}

// Config returns the configuration the engine was built with.
func (e *Engine) Config() config.Config { return e.cfg }

// Loaded reports whether the models are loaded (readiness).
func (e *Engine) Loaded() bool { return e.loaded.Load() }

// Read decodes and reads one photo. A per-image timeout from the config applies when ctx has
// no earlier deadline.
func (e *Engine) Read(ctx context.Context, data []byte, opt pipeline.Options) (*pipeline.Result, error) {
	return e.run(ctx, func(ctx context.Context) (*pipeline.Result, error) { return e.pipe.Read(ctx, data, opt) })
}

// run is every read's frame: models loaded, the per-image timeout, one core held, and the
// best date withheld where it is not sure enough.
func (e *Engine) run(ctx context.Context, read func(context.Context) (*pipeline.Result, error)) (*pipeline.Result, error) {
	if err := e.load(); err != nil {
		return nil, err
	}
	if t := e.cfg.Pipeline.Timeout; t > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t)
		defer cancel()
	}
	defer e.cores.Hold()()
	res, err := read(ctx)
	e.withhold(res)
	return res, err
}

// withhold gives no best date where it is not sure enough (dates.min_confidence).
func (e *Engine) withhold(res *pipeline.Result) {
	if res != nil {
		res.Dates.Withhold(e.cfg.Dates.MinConfidence)
	}
}

// Info reports the runtime, provider and models; it loads lazily loaded models first.
func (e *Engine) Info() (Info, error) {
	if err := e.load(); err != nil {
		return Info{}, err
	}
	return e.info, nil
}

// Limits are the decode limits in force.
func (e *Engine) Limits() imageio.Limits { return DecodeLimits(e.cfg) }

func (e *Engine) load() error {
	e.once.Do(func() { e.loadErr = e.build() })
	return e.loadErr
}

func (e *Engine) build() error {
	start := time.Now()
	m := e.cfg.Models
	version, err := onnx.Init(m.RuntimeLibraryPath())
	if err != nil {
		return err
	}
	rt := e.cfg.Runtime
	opt := onnx.Options{
		IntraOpThreads: rt.IntraOpThreads, InterOpThreads: rt.InterOpThreads,
		GraphOptimization: rt.GraphOptimization, CPUMemArena: rt.CPUMemArena,
		Provider: rt.Provider, DeviceID: rt.DeviceID, FP16: rt.FP16, EngineCacheDir: rt.EngineCacheDir,
	}
	open := func(name, precision string) (*onnx.Session, error) {
		path := m.ModelPath(name, precision)
		s, err := onnx.NewSession(path, opt)
		if err == nil {
			e.sessions = append(e.sessions, s)
		} else if _, statErr := os.Stat(path); statErr != nil && precision != "fp32" {
			err = fmt.Errorf("%w (the %s model comes from `datalid quantize`, which `make setup` runs)", err, precision)
		}
		return s, err
	}
	fail := func(err error) error { e.closeBatchers(); e.closeSessions(); return err }

	detS, err := open(m.Detector, m.DetectorPrecision)
	if err != nil {
		return fail(err)
	}
	dc := e.cfg.Detection
	det, err := detect.New(detect.Config{
		LimitSideLen: dc.LimitSideLen, Thresh: dc.Thresh, BoxThresh: dc.BoxThresh,
		UnclipRatio: dc.UnclipRatio, MaxCandidates: dc.MaxCandidates, MinSize: dc.MinSize,
		PolygonScore: dc.PolygonScore, Dilate: dc.Dilate, SplitLines: dc.SplitLines,
	}, e.batched("detector", detS, nil))
	if err != nil {
		return fail(err)
	}
	dict, err := recognize.LoadDictionary(m.Path(m.Dictionary))
	if err != nil {
		return fail(err)
	}
	recS, err := open(m.Recognizer, m.RecognizerPrecision)
	if err != nil {
		return fail(err)
	}
	rc := e.cfg.Recognition
	rec := recognize.NewRecognizer(e.batched("recognizer", recS, batch.WidthBucket), dict, rc.Height, rc.MaxWidth, rc.BatchSize)
	if e.cfg.Pipeline.LendIdleCores {
		// A read keeps intra_op_threads cores busy; the rest of the machine is lendable.
		e.cores = cores.New(runtime.GOMAXPROCS(0) / max(1, rt.IntraOpThreads))
		rec.Lend(e.cores)
	}
	st := pipeline.Stages{Detector: det, Recognizer: rec}
	models := map[string]string{"detector": m.ModelPath(m.Detector, m.DetectorPrecision),
		"recognizer": m.ModelPath(m.Recognizer, m.RecognizerPrecision), "dictionary": m.Path(m.Dictionary)}
	if cc := e.cfg.Classifier; cc.Enabled {
		clsS, err := open(m.Classifier, m.ClassifierPrecision)
		if err != nil {
			return fail(err)
		}
		st.Classifier = recognize.NewClassifier(e.batched("classifier", clsS, nil), cc.Thresh, cc.BatchSize)
		models["classifier"] = m.ModelPath(m.Classifier, m.ClassifierPrecision)
	}
	e.pipe, err = pipeline.New(pipeline.Config{
		Limits:            DecodeLimits(e.cfg),
		WorkingLongSide:   e.cfg.Decode.WorkingLongSide,
		MinTextConfidence: rc.MinConfidence,
		// No MinConfidence here: the second looks need every choice, withheld or not;
		// Read withholds once on the final result.
		Dates:         dates.Options{PreferMonthFirst: e.cfg.Dates.PreferMonthFirst},
		Preprocessing: pipeline.Preprocessing(e.cfg.Preprocessing),
		SecondLook:    pipeline.SecondLook(e.cfg.SecondLook),
	}, st)
	if err != nil {
		return fail(err)
	}
	e.info = Info{RuntimeVersion: version, Provider: detS.Provider(), Models: models, LoadTime: time.Since(start)}
	e.loaded.Store(true)
	return nil
}

// DecodeLimits are the decode limits cfg sets, for callers that decode a photo themselves.
func DecodeLimits(c config.Config) imageio.Limits {
	return imageio.Limits{MaxBytes: c.Decode.MaxBytes, MaxPixels: c.Decode.MaxPixels, MaxSide: c.Decode.MaxSide}
}

// ErrClosed is returned by Read after Close.
var ErrClosed = errors.New("engine: closed")

// Close releases the model sessions. Reads after Close fail.
func (e *Engine) Close() error {
	var err error
	e.closeOnce.Do(func() {
		e.once.Do(func() { e.loadErr = ErrClosed }) // a lazy engine never loads after Close
		e.closeBatchers()
		err = errors.Join(e.closeSessions(), e.closeCache())
	})
	return err
}

func (e *Engine) closeCache() error {
	if e.cache == nil {
		return nil
	}
	return e.cache.Close()
}

func (e *Engine) closeSessions() error {
	var errs []error
	for _, s := range e.sessions {
		if err := s.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing %s: %w", s.Name(), err))
		}
	}
	e.sessions = nil
	return errors.Join(errs...)
}
