package server

import (
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/engine"
)

// cacheCollector reports each cache tier's counters as they are when scraped: the tiers
// count for themselves (the CLI shows the same numbers), so nothing is counted twice.
type cacheCollector struct {
	stats func() []cache.TierStats
	descs map[string]*prometheus.Desc
}

// cacheSeries are the per-tier series: name → help, counter or gauge.
var cacheSeries = []struct {
	name, help string
	counter    bool
	value      func(cache.TierStats) float64
}{
	{"datalid_cache_hits_total", "Lookups the tier answered.", true, func(s cache.TierStats) float64 { return float64(s.Hits) }},
	{"datalid_cache_misses_total", "Lookups the tier could not answer (errors and damaged entries included).", true, func(s cache.TierStats) float64 { return float64(s.Misses) }},
	{"datalid_cache_evictions_total", "Entries evicted to stay within the bound or TTL.", true, func(s cache.TierStats) float64 { return float64(s.Evictions) }},
	{"datalid_cache_errors_total", "Failed lookups and writes (Redis down or slow, disk errors).", true, func(s cache.TierStats) float64 { return float64(s.Errors) }},
	{"datalid_cache_corrupt_total", "Damaged entries found, deleted and counted as misses.", true, func(s cache.TierStats) float64 { return float64(s.Corrupt) }},
	{"datalid_cache_bytes", "Bytes held by the tier (-1: unknown, Redis).", false, func(s cache.TierStats) float64 { return float64(s.Bytes) }},
	{"datalid_cache_max_bytes", "The tier's byte bound (0: none of datalid's own).", false, func(s cache.TierStats) float64 { return float64(s.MaxBytes) }},
	{"datalid_cache_entries", "Entries held by the tier (-1: unknown, Redis).", false, func(s cache.TierStats) float64 { return float64(s.Entries) }},
	{"datalid_cache_up", "1 while the tier answers, 0 while it is skipped after a failure.", false, func(s cache.TierStats) float64 {
		if s.State == "ok" {
			return 1
		}
		return 0
	}},
}

func newCacheCollector(stats func() []cache.TierStats) *cacheCollector {
	c := &cacheCollector{stats: stats, descs: map[string]*prometheus.Desc{}}
	for _, s := range cacheSeries {
		c.descs[s.name] = prometheus.NewDesc(s.name, s.help, []string{"tier"}, nil)
	}
	return c
}

func (c *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.stats() {
		for _, s := range cacheSeries {
			kind := prometheus.GaugeValue
			if s.counter {
				kind = prometheus.CounterValue
			}
			ch <- prometheus.MustNewConstMetric(c.descs[s.name], kind, s.value(st), st.Tier)
		}
	}
}

// xCache is the X-Cache header of one read: "hit; tier=memory", "miss" or "off".
func xCache(o engine.CacheOutcome) string {
	if o.Status == "hit" {
		return "hit; tier=" + o.Tier
	}
	return o.Status
}

func apiCacheTiers(st []cache.TierStats) []api.CacheTier {
	out := make([]api.CacheTier, len(st))
	for i, s := range st {
		out[i] = api.CacheTier{Tier: s.Tier, State: s.State, Hits: s.Hits, Misses: s.Misses, Evictions: s.Evictions,
			Errors: s.Errors, Corrupt: s.Corrupt, Bytes: s.Bytes, MaxBytes: s.MaxBytes, Entries: s.Entries}
	}
	return out
}

// cacheHealth is "healthy" with each tier's state and hit count, or "degraded" while a tier
// is down (reads still succeed: they miss that tier).
func cacheHealth(st []cache.TierStats) api.ComponentStatus {
	c := api.ComponentStatus{Status: "healthy"}
	var parts []string
	for _, s := range st {
		if s.State != "ok" {
			c.Status = "degraded"
		}
		parts = append(parts, fmt.Sprintf("%s %s (%d hits, %d misses, %d errors)", s.Tier, s.State, s.Hits, s.Misses, s.Errors))
	}
	c.Message = strings.Join(parts, ", ")
	return c
}
