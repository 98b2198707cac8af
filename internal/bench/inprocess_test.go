package bench

import (
	"context"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/testmodels"
)

func modelConfig(t testing.TB) config.Config {
	cfg := config.Default()
	cfg.Models.Dir = testmodels.Dir(t)
	return cfg
}

// TestInProcess runs the whole in-process path on real models: two synthetic photos, a
// concurrency sweep, every stage timed and the share outside the runtime measured.
func TestInProcess(t *testing.T) {
	inputs, err := Synthetic(2, 3)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	cfg := modelConfig(t)
	// Runtime time is wall time inside Run: batches on lent cores that share a loaded CPU
	// (go test runs packages side by side) count their waits twice, and the share outside
	// the runtime reads 0. Without lending it is bounded by the reads' own latency.
	cfg.Pipeline.LendIdleCores = false
	rep, err := InProcess(context.Background(), cfg, inputs,
		Sweep{Threads: []int{1}, BatchSizes: []int{4}, Concurrency: []int{1, 2}},
		Options{Warmup: 1, Iterations: 2}, func(n string) { names = append(names, n) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 || len(names) != 2 || rep.Provider != "cpu" || rep.RuntimeVersion == "" {
		t.Fatalf("report %+v", rep)
	}
	for _, r := range rep.Results {
		if r.Images != 2 || r.Errors != 0 {
			t.Errorf("%s: %d images, %d errors (%s)", r.Name, r.Images, r.Errors, r.FirstError)
		}
		for _, s := range []string{StageDecode, StageDetectRun, StageRecognize, StageORTRun} {
			if r.StagesMS[s] <= 0 {
				t.Errorf("%s: stage %s not timed: %v", r.Name, s, r.StagesMS)
			}
		}
		if r.OutsideRuntimeShare <= 0 || r.OutsideRuntimeShare >= 1 || r.PeakRSS <= 0 || r.CPU.Seconds <= 0 {
			t.Errorf("%s: outside %v, peak RSS %d, CPU %v", r.Name, r.OutsideRuntimeShare, r.PeakRSS, r.CPU)
		}
		if r.BatchSize != 4 || r.Threads != 1 {
			t.Errorf("%s: configuration not recorded: %+v", r.Name, r)
		}
	}
	if rep.BestThroughput == "" || rep.BestLatency == "" {
		t.Errorf("best not named: %+v", rep)
	}
}

func TestConfigure(t *testing.T) {
	base := config.Default()
	c := Configure(base, 2, 16)
	if c.Runtime.IntraOpThreads != 2 || c.Recognition.BatchSize != 16 || c.Classifier.BatchSize != 16 ||
		c.Batching.MaxBatchSize != 16 || len(c.Cache.Tiers) != 0 {
		t.Errorf("configured %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
	if same := Configure(base, 0, 0); same.Runtime.IntraOpThreads != base.Runtime.IntraOpThreads || same.Recognition.BatchSize != base.Recognition.BatchSize {
		t.Error("zero overrides changed the configuration")
	}
}

// BenchmarkInProcess is one read of a synthetic photo through the harness (bench-smoke keeps
// it compiling and running; `datalid bench` is the measuring tool).
func BenchmarkInProcess(b *testing.B) {
	inputs, err := Synthetic(1, 5)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := InProcess(context.Background(), modelConfig(b), inputs, Sweep{}, Options{Iterations: 1}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummarize(b *testing.B) {
	ds := make([]time.Duration, 1000)
	for i := range ds {
		ds[i] = time.Duration(i%97) * time.Millisecond
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Summarize(ds)
	}
}
