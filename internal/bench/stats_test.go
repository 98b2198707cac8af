package bench

import (
	"math"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	s := []float64{10, 20, 30, 40, 50}
	cases := []struct{ p, want float64 }{
		{0, 10}, {50, 30}, {100, 50}, {25, 20}, {90, 46}, {99, 49.6}, {-5, 10}, {120, 50},
	}
	for _, c := range cases {
		if got := Percentile(s, c.p); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile([]float64{7}, 99); got != 7 {
		t.Errorf("single value p99 = %v", got)
	}
	if !math.IsNaN(Percentile(nil, 50)) {
		t.Error("empty percentile is not NaN")
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	l := Summarize(ds)
	if l.Min != 1 || l.Max != 100 || l.Mean != 50.5 || l.P50 != 50.5 || math.Abs(l.P95-95.05) > 1e-9 || math.Abs(l.P99-99.01) > 1e-9 {
		t.Errorf("summary %+v", l)
	}
	if ds[0] != 100*time.Millisecond {
		t.Error("Summarize reordered its input")
	}
	if (Summarize(nil) != Latency{}) {
		t.Error("empty summary not zero")
	}
}

func TestBest(t *testing.T) {
	r := func(name string, ips, p95, p50 float64, images int) Result {
		return Result{Name: name, ThroughputIPS: ips, Images: images, Latency: Latency{P50: p50, P95: p95}}
	}
	rs := []Result{
		r("slow", 4, 200, 150, 10),
		r("fast-high-tail", 8.1, 900, 240, 10),
		r("fast-low-tail", 8.0, 400, 250, 10), // within 3 % of the top and a better p95: preferred
		r("failed", 50, 1, 1, 0),              // no successful image: never chosen
	}
	if i := Best(rs, 0.03); rs[i].Name != "fast-low-tail" {
		t.Errorf("Best with tolerance chose %s", rs[i].Name)
	}
	if i := Best(rs, 0); rs[i].Name != "fast-high-tail" {
		t.Errorf("Best without tolerance chose %s", rs[i].Name)
	}
	if i := FastestLatency(rs); rs[i].Name != "slow" {
		t.Errorf("FastestLatency chose %s", rs[i].Name)
	}
	if Best(nil, 0.03) != -1 || FastestLatency([]Result{r("x", 1, 1, 1, 0)}) != -1 {
		t.Error("no usable result should give -1")
	}
}

func TestPickBestBatchSize(t *testing.T) {
	rep := Report{Results: []Result{
		{Name: "b1", BatchSize: 1, Images: 5, ThroughputIPS: 5, Latency: Latency{P50: 100, P95: 120}},
		{Name: "b8", BatchSize: 8, Images: 5, ThroughputIPS: 7, Latency: Latency{P50: 150, P95: 200}},
	}}
	rep.pickBest(true)
	if rep.BestThroughput != "b8" || rep.BestBatchSize != 8 || rep.BestLatency != "b1" {
		t.Errorf("best: %+v", rep)
	}
}

func TestNiceCeil(t *testing.T) {
	for v, want := range map[float64]float64{0: 1, 0.7: 1, 3: 5, 8.2: 10, 12: 20, 51: 100} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}
