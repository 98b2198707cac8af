package bench

import (
	"context"
	"fmt"
	"runtime"
	"slices"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/engine"
)

// Sweep lists the values to try; an empty list means the configuration's own value. Every
// combination is measured; an engine is built per (threads, batch size) and reused across
// concurrency levels.
type Sweep struct {
	Threads     []int // runtime.intra_op_threads
	BatchSizes  []int // recognition/classifier batch_size and batching.max_batch_size
	Concurrency []int // parallel callers (pipeline.workers in-process)
}

// Report is a whole benchmark run.
type Report struct {
	Mode           string   `json:"mode"` // in-process | server
	Target         string   `json:"target,omitempty"`
	Preset         string   `json:"preset,omitempty"`
	Provider       string   `json:"provider,omitempty"`
	RuntimeVersion string   `json:"runtime_version,omitempty"`
	Inputs         int      `json:"inputs"`
	CPUs           int      `json:"cpus"`
	GoVersion      string   `json:"go_version"`
	Results        []Result `json:"results"`
	// BestThroughput and BestLatency name the configurations to use for each goal.
	BestThroughput string `json:"best_throughput,omitempty"`
	BestLatency    string `json:"best_latency,omitempty"`
	// BestBatchSize is the batch size of the highest-throughput configuration when batch sizes
	// were swept (the seed's "find the optimal batch size"), else 0.
	BestBatchSize int `json:"best_batch_size,omitempty"`
}

// bestTolerance: throughputs within 3 % are a tie on this kind of noisy machine.
const bestTolerance = 0.03

func (r *Report) pickBest(batchSwept bool) {
	if i := Best(r.Results, bestTolerance); i >= 0 {
		r.BestThroughput = r.Results[i].Name
		if batchSwept {
			r.BestBatchSize = r.Results[i].BatchSize
		}
	}
	if i := FastestLatency(r.Results); i >= 0 {
		r.BestLatency = r.Results[i].Name
	}
}

// Configure returns base with one configuration's overrides applied. The result cache is
// turned off: a benchmark that re-reads the same photos would otherwise measure cache hits.
func Configure(base config.Config, threads, batch int) config.Config {
	c := base
	if threads > 0 {
		c.Runtime.IntraOpThreads = threads
	}
	if batch > 0 {
		c.Recognition.BatchSize = batch
		c.Classifier.BatchSize = batch
		c.Batching.MaxBatchSize = batch
	}
	c.Cache.Tiers = nil
	c.Models.LazyLoading = false
	return c
}

func orOne(vs []int, def int) []int {
	if len(vs) == 0 {
		return []int{def}
	}
	return vs
}

// InProcess measures every combination of sw on engines built from base. progress, when set,
// is called before each configuration with its name; opt.OnDone still reports each read.
func InProcess(ctx context.Context, base config.Config, inputs []Input, sw Sweep, opt Options, progress func(name string)) (Report, error) {
	rep := Report{Mode: "in-process", Preset: base.Preset, Inputs: len(inputs), CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	for _, th := range orOne(sw.Threads, base.Runtime.IntraOpThreads) {
		for _, bs := range orOne(sw.BatchSizes, base.Recognition.BatchSize) {
			cfg := Configure(base, th, bs)
			concs := orOne(sw.Concurrency, max(1, cfg.Pipeline.Workers))
			cfg.Pipeline.Workers = slices.Max(concs)
			eng, err := engine.New(cfg)
			if err != nil {
				return rep, err
			}
			info, err := eng.Info()
			if err != nil {
				eng.Close()
				return rep, err
			}
			rep.Provider, rep.RuntimeVersion = info.Provider, info.RuntimeVersion
			for _, c := range concs {
				name := fmt.Sprintf("threads=%d batch=%d conc=%d", th, bs, c)
				if progress != nil {
					progress(name)
				}
				o := opt
				o.Concurrency = c
				r, err := Run(ctx, EngineTarget{Engine: eng}, inputs, o)
				r.Name, r.Mode, r.Provider, r.Threads, r.BatchSize = name, rep.Mode, info.Provider, th, bs
				if err != nil {
					eng.Close()
					return rep, err
				}
				rep.Results = append(rep.Results, r)
			}
			if err := eng.Close(); err != nil {
				return rep, err
			}
		}
	}
	rep.pickBest(len(sw.BatchSizes) > 1)
	return rep, nil
}

// Server measures a running server at each concurrency level.
func Server(ctx context.Context, t ServerTarget, inputs []Input, concurrency []int, opt Options, progress func(name string)) (Report, error) {
	rep := Report{Mode: "server", Target: t.URL, Inputs: len(inputs), CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	for _, c := range orOne(concurrency, 1) {
		name := fmt.Sprintf("conc=%d", c)
		if progress != nil {
			progress(name)
		}
		o := opt
		o.Concurrency = c
		r, err := Run(ctx, t, inputs, o)
		r.Name, r.Mode = name, rep.Mode
		if err != nil {
			return rep, err
		}
		rep.Results = append(rep.Results, r)
	}
	rep.pickBest(false)
	return rep, nil
}
