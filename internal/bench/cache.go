package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// cacheTarget is implemented by targets that can tell whether a read was answered from a
// result cache (a server's X-Cache header).
type cacheTarget interface {
	ReadCache(ctx context.Context, data []byte) (stages map[string]time.Duration, xcache string, err error)
}

// CacheResult splits one configuration's reads by the server's X-Cache answer, so the cost of
// a hit is measured beside the cost of a miss in the same run.
type CacheResult struct {
	Hits    int     `json:"hits"`
	Misses  int     `json:"misses"`
	HitRate float64 `json:"hit_rate"` // hits / (hits + misses)
	// ByTier counts hits per tier (memory, disk, redis, shared).
	ByTier      map[string]int `json:"by_tier,omitempty"`
	HitLatency  Latency        `json:"hit_latency_ms"`
	MissLatency Latency        `json:"miss_latency_ms"`
}

// summarizeCache builds the cache split from each successful read's X-Cache value and
// latency; nil when the target reported no cache (none configured, or not a server).
func summarizeCache(xs []string, lats []time.Duration) *CacheResult {
	c := &CacheResult{ByTier: map[string]int{}}
	var hit, miss []time.Duration
	for i, x := range xs {
		switch {
		case strings.HasPrefix(x, "hit"):
			c.Hits++
			_, tier, _ := strings.Cut(x, "tier=")
			c.ByTier[tier]++
			hit = append(hit, lats[i])
		case x == "miss":
			c.Misses++
			miss = append(miss, lats[i])
		}
	}
	if c.Hits+c.Misses == 0 {
		return nil
	}
	c.HitRate = float64(c.Hits) / float64(c.Hits+c.Misses)
	c.HitLatency, c.MissLatency = Summarize(hit), Summarize(miss)
	return c
}

// freshTrailer is how many random bytes Fresh appends to each photo.
const freshTrailer = 16

// Fresh returns the inputs with random bytes appended after the image data, unique to this
// call: decoders stop at the image's end marker, so each photo reads the same, but its bytes
// (and so its cache key) are new, and the first read of each is a miss in any result cache.
func Fresh(in []Input) []Input {
	out := make([]Input, len(in))
	for i, x := range in {
		b := make([]byte, len(x.Data)+freshTrailer)
		copy(b, x.Data)
		rand.Read(b[len(x.Data):])
		out[i] = Input{Name: x.Name, Data: b}
	}
	return out
}

// writeCacheTable prints the hit/miss split of the configurations that have one.
func writeCacheTable(w io.Writer, rs []Result) error {
	var any bool
	for _, r := range rs {
		any = any || r.Cache != nil
	}
	if !any {
		return nil
	}
	fmt.Fprintln(w, "\nresult cache (X-Cache): latency ms of hits beside misses, same run")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "configuration\thits\tmisses\thit rate\thit p50\thit p95\thit p99\tmiss p50\tmiss p95\ttiers\t")
	for _, r := range rs {
		c := r.Cache
		if c == nil {
			continue
		}
		var tiers []string
		for t, n := range c.ByTier {
			tiers = append(tiers, fmt.Sprintf("%s:%d", t, n))
		}
		slices.Sort(tiers)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f%%\t%.2f\t%.2f\t%.2f\t%.0f\t%.0f\t%s\t\n", r.Label(), c.Hits, c.Misses, 100*c.HitRate,
			c.HitLatency.P50, c.HitLatency.P95, c.HitLatency.P99, c.MissLatency.P50, c.MissLatency.P95, strings.Join(tiers, " "))
	}
	return tw.Flush()
}
