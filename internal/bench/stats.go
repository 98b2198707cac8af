// Package bench owns end-to-end benchmarking: a harness that warms up, then times counted
// reads of a set of photos through a Target (the engine in-process, or a server over HTTP)
// with N concurrent callers; latency percentiles, throughput, per-stage time, memory and CPU
// per configuration; sweeps over threads, batch sizes and concurrency with the best named;
// and the table, JSON and SVG reports. Performance claims in docs/performance.md come from it.
package bench

import (
	"math"
	"slices"
	"time"
)

// Latency summarises a set of latencies, in milliseconds (JSON keys are the documented ones).
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// Summarize computes the latency summary of ds; it does not modify ds.
func Summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	ms := make([]float64, len(ds))
	var sum float64
	for i, d := range ds {
		ms[i] = float64(d) / float64(time.Millisecond)
		sum += ms[i]
	}
	slices.Sort(ms)
	return Latency{
		Mean: sum / float64(len(ms)),
		P50:  Percentile(ms, 50),
		P95:  Percentile(ms, 95),
		P99:  Percentile(ms, 99),
		Min:  ms[0],
		Max:  ms[len(ms)-1],
	}
}

// Percentile is the p-th percentile (0..100) of sorted by linear interpolation between the
// closest ranks (the definition of NumPy's default and of most load-testing tools), so a
// small sample's p99 lies between its two largest values instead of jumping to the maximum.
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return math.NaN()
	case n == 1 || p <= 0:
		return sorted[0]
	case p >= 100:
		return sorted[n-1]
	}
	pos := p / 100 * float64(n-1)
	lo := int(pos)
	frac := pos - float64(lo)
	if lo+1 >= n {
		return sorted[n-1]
	}
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

// Best returns the index of the configuration with the highest throughput, preferring the
// lower p95 latency among those within tolerance (a fraction, e.g. 0.03) of the highest: on a
// noisy machine a 1 % throughput difference is not a reason to accept worse latency. It
// returns -1 when no configuration completed any image.
func Best(rs []Result, tolerance float64) int {
	top := 0.0
	for _, r := range rs {
		if r.Images > 0 {
			top = max(top, r.ThroughputIPS)
		}
	}
	best := -1
	for i, r := range rs {
		if r.Images == 0 || r.ThroughputIPS < top*(1-tolerance) {
			continue
		}
		if best < 0 || r.Latency.P95 < rs[best].Latency.P95 {
			best = i
		}
	}
	return best
}

// FastestLatency returns the index of the configuration with the lowest median latency
// (ties by p95), or -1 when none completed an image.
func FastestLatency(rs []Result) int {
	best := -1
	for i, r := range rs {
		if r.Images == 0 {
			continue
		}
		if best < 0 || r.Latency.P50 < rs[best].Latency.P50 ||
			(r.Latency.P50 == rs[best].Latency.P50 && r.Latency.P95 < rs[best].Latency.P95) {
			best = i
		}
	}
	return best
}
