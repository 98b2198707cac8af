package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datalid/datalid/internal/engine"
)

// Input is one photo to read.
type Input struct {
	Name string
	Data []byte
}

// Stage names, in pipeline order; Target implementations report their times under these.
// The pipeline's own are the engine's (engine.Stages), named here for the reports.
const (
	StageDecode     = engine.StageDecode
	StageDetectPre  = engine.StageDetectPre
	StageDetectRun  = engine.StageDetectRun
	StageDetectPost = engine.StageDetectPost
	StageCrop       = engine.StageCrop
	StageClassify   = engine.StageClassify
	StageRecognize  = engine.StageRecognize
	StageSecondLook = engine.StageSecondLook
	StageDates      = engine.StageDates
	// StageDetection is the whole detector (pre + run + post), for targets that report only
	// the total (a server's metrics).
	StageDetection = "detection"
	// StageORTRun is the time inside ONNX Runtime's Run for all models (in-process only); it
	// overlaps the stages above, which include their model runs.
	StageORTRun = "ort_run"
)

// StageOrder lists stage names in the order reports print them.
var StageOrder = []string{StageDecode, StageDetection, StageDetectPre, StageDetectRun, StageDetectPost, StageCrop, StageClassify, StageRecognize, StageSecondLook, StageDates, StageORTRun}

// Target reads one photo and reports its per-stage times (nil when unknown). It must be safe
// for concurrent use: the harness calls it from Options.Concurrency goroutines.
type Target interface {
	Read(ctx context.Context, data []byte) (map[string]time.Duration, error)
}

// runtimeClock is implemented by targets that can report the cumulative time spent inside the
// inference runtime by this process, for the share of time outside it.
type runtimeClock interface {
	RuntimeTime() time.Duration
}

// Options control one timed configuration.
type Options struct {
	Concurrency int           // parallel callers; < 1 means 1
	Warmup      int           // reads before timing starts (sessions, arenas and caches settle)
	Iterations  int           // counted reads; 0 with Duration 0 means one pass over the inputs
	Duration    time.Duration // when > 0 and Iterations is 0: keep reading until it has passed
	// OnDone, when set, is called after each counted read (for a progress bar).
	OnDone func()
}

func (o Options) count(inputs int) int {
	switch {
	case o.Iterations > 0:
		return o.Iterations
	case o.Duration > 0:
		return -1
	}
	return inputs
}

// ErrNoInputs is returned by Run without inputs.
var ErrNoInputs = errors.New("bench: no inputs")

// Run reads inputs round-robin through t: Warmup reads untimed, then the counted reads with
// opt.Concurrency callers, and summarises them. Failed reads are counted as errors and left
// out of the latency figures. Only ctx's cancellation stops it early.
func Run(ctx context.Context, t Target, inputs []Input, opt Options) (Result, error) {
	if len(inputs) == 0 {
		return Result{}, ErrNoInputs
	}
	conc := max(1, opt.Concurrency)
	if opt.Warmup > 0 {
		var next atomic.Int64
		parallel(conc, func() {
			for i := next.Add(1) - 1; i < int64(opt.Warmup) && ctx.Err() == nil; i = next.Add(1) - 1 {
				_, _ = t.Read(ctx, inputs[i%int64(len(inputs))].Data)
			}
		})
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	runtime.GC() // start every configuration from the same heap, not the last one's garbage

	total := opt.count(len(inputs))
	type sample struct {
		lat    time.Duration
		stages map[string]time.Duration
		xcache string
		err    error
	}
	ct, hasCache := t.(cacheTarget)
	var (
		mu      sync.Mutex
		samples []sample
		next    atomic.Int64
	)
	hwmReset := resetPeakRSS()
	mem := startSampler(50 * time.Millisecond)
	clock, hasClock := t.(runtimeClock)
	var rt0 time.Duration
	if hasClock {
		rt0 = clock.RuntimeTime()
	}
	cpu0, start := cpuTime(), time.Now()
	deadline := start.Add(opt.Duration)
	parallel(conc, func() {
		for ctx.Err() == nil {
			i := next.Add(1) - 1
			if total >= 0 && i >= int64(total) || total < 0 && !time.Now().Before(deadline) {
				return
			}
			var s sample
			t0 := time.Now()
			if hasCache {
				s.stages, s.xcache, s.err = ct.ReadCache(ctx, inputs[i%int64(len(inputs))].Data)
			} else {
				s.stages, s.err = t.Read(ctx, inputs[i%int64(len(inputs))].Data)
			}
			s.lat = time.Since(t0)
			mu.Lock()
			samples = append(samples, s)
			mu.Unlock()
			if opt.OnDone != nil {
				opt.OnDone()
			}
		}
	})
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	var rt time.Duration
	if hasClock {
		rt = clock.RuntimeTime() - rt0
	}
	r := Result{Concurrency: conc, WallSeconds: wall.Seconds(), Memory: mem.finish(hwmReset)}
	if err := ctx.Err(); err != nil {
		return r, err
	}

	lats := make([]time.Duration, 0, len(samples))
	var xcaches []string
	stageSum := map[string]time.Duration{}
	var latSum time.Duration
	for _, s := range samples {
		if s.err != nil {
			if r.Errors == 0 {
				r.FirstError = s.err.Error()
			}
			r.Errors++
			continue
		}
		lats = append(lats, s.lat)
		xcaches = append(xcaches, s.xcache)
		latSum += s.lat
		for k, v := range s.stages {
			stageSum[k] += v
		}
	}
	r.Images = len(lats)
	r.Latency = Summarize(lats)
	r.Cache = summarizeCache(xcaches, lats)
	r.LatenciesMS = make([]float64, len(lats))
	for i, d := range lats {
		r.LatenciesMS[i] = float64(d) / float64(time.Millisecond)
	}
	if wall > 0 {
		r.ThroughputIPS = float64(r.Images) / wall.Seconds()
		r.CPU = CPU{Seconds: cpu.Seconds(), Cores: cpu.Seconds() / wall.Seconds(), Utilisation: cpu.Seconds() / wall.Seconds() / float64(runtime.NumCPU())}
	}
	if r.Images > 0 {
		if hasClock {
			stageSum[StageORTRun] = rt
			// Against CPU time when that is larger than the summed latency: a read that runs
			// batches side by side on idle cores spends more time in the runtime than its
			// own wall time.
			if d := max(latSum, cpu); d > 0 {
				r.OutsideRuntimeShare = max(0, 1-float64(rt)/float64(d))
			}
		}
		r.StagesMS = map[string]float64{}
		for k, v := range stageSum {
			r.StagesMS[k] = float64(v) / float64(time.Millisecond) / float64(r.Images)
		}
	}
	return r, nil
}

// parallel runs fn in n goroutines and waits for them.
func parallel(n int, fn func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(fn)
	}
	wg.Wait()
}

// CPU is the process's CPU use during the counted reads.
type CPU struct {
	Seconds     float64 `json:"seconds"`     // user + system, all threads
	Cores       float64 `json:"cores"`       // Seconds / wall time: cores kept busy on average
	Utilisation float64 `json:"utilisation"` // Cores / logical CPUs, 0..1
}

// Result is one configuration's measurement.
type Result struct {
	Name        string `json:"name"`
	Mode        string `json:"mode"`               // in-process | server
	Provider    string `json:"provider,omitempty"` // execution provider in use (cpu, cuda, tensorrt)
	Threads     int    `json:"intra_op_threads,omitempty"`
	BatchSize   int    `json:"batch_size,omitempty"`
	Concurrency int    `json:"concurrency"`

	Images        int     `json:"images"` // successful counted reads
	Errors        int     `json:"errors"`
	FirstError    string  `json:"first_error,omitempty"`
	WallSeconds   float64 `json:"wall_seconds"`
	ThroughputIPS float64 `json:"throughput_ips"`
	Latency       Latency `json:"latency_ms"`
	// StagesMS is the mean time per image in each stage, in milliseconds.
	StagesMS map[string]float64 `json:"stages_ms,omitempty"`
	// OutsideRuntimeShare is the fraction of the reads' time (summed latency, or the
	// process's CPU time where larger) spent outside ONNX Runtime's Run (decode, resizes,
	// post-processing, Go); in-process only.
	OutsideRuntimeShare float64 `json:"outside_runtime_share,omitempty"`
	CPU                 CPU     `json:"cpu"`
	Memory
	// Cache splits the reads by the server's X-Cache answer; nil without a result cache.
	Cache *CacheResult `json:"cache,omitempty"`

	LatenciesMS []float64 `json:"-"` // every counted latency, for the histogram
}

// Label is a short human name for the configuration.
func (r Result) Label() string {
	if r.Name != "" {
		return r.Name
	}
	return fmt.Sprintf("c%d", r.Concurrency)
}
