package engine

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
)

func cachedConfig(t testing.TB, tiers ...string) config.Config {
	c := testConfig(t)
	c.Cache.Tiers = tiers
	c.Cache.Dir = t.TempDir()
	return c
}

func open(t testing.TB, c config.Config) *Engine {
	t.Helper()
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func renderedJPEG(t testing.TB) []byte {
	p, err := synth.Render(synth.Spec{Seed: 11, Expiry: time.Date(2027, 4, 9, 0, 0, 0, 0, time.UTC), Layout: "EXP {DD}/{MM}/{YYYY}", Font: "bold",
		Extra: []string{"LOT 4471"}})
	if err != nil {
		t.Fatal(err)
	}
	return encodeJPEG(t, p)
}

// A hit gives back the read the miss produced, before per-request filtering, and crops on
// request; concurrent identical reads run the pipeline once.
func TestReadCachedHitEqualsMiss(t *testing.T) {
	e := open(t, cachedConfig(t, "memory"))
	defer e.Close()
	ctx := context.Background()
	data := renderedJPEG(t)
	var runs atomic.Int32
	gate := func(context.Context) (func(), error) { runs.Add(1); return func() {}, nil }

	var wg sync.WaitGroup
	outcomes := make([]CacheOutcome, 50)
	results := make([]*pipeline.Result, 50)
	for i := range 50 {
		wg.Go(func() {
			res, out, err := readCached(e, ctx, data, pipeline.Options{}, gate)
			if err != nil {
				t.Error(err)
			}
			outcomes[i], results[i] = out, res
		})
	}
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("50 concurrent identical reads ran the pipeline %d times", runs.Load())
	}
	misses := 0
	for _, o := range outcomes {
		if o.Status == "miss" {
			misses++
		} else if o.Status != "hit" {
			t.Fatalf("outcome %+v", o)
		}
	}
	if misses != 1 {
		t.Fatalf("%d misses among 50 identical reads, want 1", misses)
	}
	miss := results[0]
	if miss.Dates.Best == nil || miss.Dates.Best.Date.String() != "2027-04-09" {
		t.Fatalf("miss read %+v", miss.Dates.Best)
	}

	hit, out, err := readCached(e, ctx, data, pipeline.Options{KeepCrops: true}, gate)
	if err != nil || out != (CacheOutcome{"hit", "memory"}) {
		t.Fatalf("second read: %+v %v", out, err)
	}
	if runs.Load() != 1 {
		t.Fatal("a hit ran the pipeline")
	}
	if hit.Dates.Best != &hit.Dates.Candidates[indexOf(t, miss)] {
		t.Fatal("best date does not point into the candidates")
	}
	if !reflect.DeepEqual(hit.Dates, miss.Dates) || !reflect.DeepEqual(hit.Lines, miss.Lines) || len(hit.Regions) != len(miss.Regions) {
		t.Fatalf("hit differs from miss:\n%+v\n%+v", hit.Dates, miss.Dates)
	}
	for i, r := range hit.Regions {
		m := miss.Regions[i]
		if r.Quad != m.Quad || r.Score != m.Score || r.Text.Text != m.Text.Text || !reflect.DeepEqual(r.Text.CharProbs, m.Text.CharProbs) {
			t.Fatalf("region %d differs: %+v vs %+v", i, r, m)
		}
		if r.Crop == nil || r.Crop.Rect.Dx() < 1 {
			t.Fatalf("region %d: no crop on a hit that asked for crops", i)
		}
	}
	if hit.Timings.Detection() != 0 || hit.Timings.Total <= 0 {
		t.Fatalf("hit timings %+v: want the lookup only", hit.Timings)
	}
	// detection_confidence is applied to the stored full read, on a hit as on a miss.
	if got, want := len(e.filterRegions(hit, 0.99).Regions), len(e.filterRegions(miss, 0.99).Regions); got != want {
		t.Fatalf("filtered hit has %d regions, filtered miss %d", got, want)
	}
}

func indexOf(t *testing.T, r *pipeline.Result) int {
	for i := range r.Dates.Candidates {
		if &r.Dates.Candidates[i] == r.Dates.Best {
			return i
		}
	}
	t.Fatal("best not among the candidates")
	return -1
}

// Entries written under one configuration or model set are never read under another; the
// disk tier keeps them across engines (restarts).
func TestCacheKeySplitsOnConfigAndModels(t *testing.T) {
	ctx := context.Background()
	data := renderedJPEG(t)
	base := cachedConfig(t, "disk")
	read := func(c config.Config) CacheOutcome {
		e := open(t, c)
		defer e.Close()
		_, out, err := readCached(e, ctx, data, pipeline.Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if out := read(base); out.Status != "miss" {
		t.Fatalf("first read: %+v", out)
	}
	if out := read(base); out != (CacheOutcome{"hit", "disk"}) {
		t.Fatalf("same config after a restart: %+v, want a disk hit", out)
	}
	thresh := base
	thresh.Detection.BoxThresh += 0.05
	if out := read(thresh); out.Status != "miss" {
		t.Fatalf("other detection.box_thresh: %+v, want a miss", out)
	}
	noCls := base
	noCls.Classifier.Enabled = false
	if out := read(noCls); out.Status != "miss" {
		t.Fatalf("without the classifier model: %+v, want a miss", out)
	}
	// Presentation and service settings do not split the cache.
	svc := base
	svc.Server.MaxInFlight, svc.Log.Level, svc.Pipeline.Workers = 7, "debug", 3
	if out := read(svc); out.Status != "hit" {
		t.Fatalf("server/log/pipeline.workers changed: %+v, want a hit", out)
	}
}

// A model file with other contents (same name) gives another fingerprint.
func TestFingerprintHashesModelContents(t *testing.T) {
	c := testConfig(t)
	a, err := Fingerprint(c)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := testmodels.Dir(t)
	for _, name := range []string{c.Models.Detector, c.Models.Recognizer, c.Models.Classifier, c.Models.Dictionary} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == c.Models.Dictionary {
			b = append(b, "¤\n"...)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	lib := filepath.Base(c.Models.RuntimeLibraryPath())
	if err := os.Symlink(filepath.Join(src, lib), filepath.Join(dir, lib)); err != nil {
		t.Fatal(err)
	}
	c.Models.Dir = dir
	b, err := Fingerprint(c)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("a changed dictionary left the fingerprint unchanged")
	}
	c.Detection.Thresh += 0.01
	if c2, _ := Fingerprint(c); c2 == b {
		t.Fatal("detection.thresh left the fingerprint unchanged")
	}
}

// readCached is one plain read through Answer: the result, before pictures.
func readCached(e *Engine, ctx context.Context, data []byte, opt pipeline.Options, gate Gate) (*pipeline.Result, CacheOutcome, error) {
	a, err := e.Answer(ctx, Request{Data: data, KeepCrops: opt.KeepCrops, Gate: gate})
	return a.Result, a.Outcome, err
}
