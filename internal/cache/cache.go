// Package cache remembers results by key in up to three tiers: memory (otter, W-TinyLFU,
// bounded in bytes), disk (bbolt, bounded in bytes, survives restarts) and Redis (shared by
// replicas, with a TTL). It stores opaque bytes: what a key means and how a value is encoded
// belong to the caller (the engine). A failing tier is a miss and a counted error, never a
// failed read: the cache only ever saves work.
package cache

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ErrMiss is returned by Tier.Get when the key is absent (or its entry was unusable).
var ErrMiss = errors.New("cache: miss")

// Tier is one storage level. Implementations are safe for concurrent use.
type Tier interface {
	Name() string // "memory", "disk" or "redis"
	// Get returns the value stored under key, or ErrMiss; other errors are the tier failing.
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, val []byte) error
	Clear(ctx context.Context) error
	Stats() TierStats
	Close() error
}

// TierStats are one tier's counters since the process started (Bytes and Entries are current).
type TierStats struct {
	Tier      string `json:"tier"`
	State     string `json:"state"` // "ok", or "down" while a remote tier is unreachable
	Hits      uint64 `json:"hits"`
	Misses    uint64 `json:"misses"`
	Evictions uint64 `json:"evictions"`
	Errors    uint64 `json:"errors"`  // failed lookups and writes (each also a miss when a lookup)
	Corrupt   uint64 `json:"corrupt"` // entries found damaged, deleted and counted as misses
	Bytes     int64  `json:"bytes"`   // -1 when the tier cannot tell cheaply (Redis)
	MaxBytes  int64  `json:"max_bytes,omitempty"`
	Entries   int64  `json:"entries"` // -1 when the tier cannot tell cheaply
}

// counters are the shared part of each tier's statistics.
type counters struct {
	hits, misses, evictions, errors, corrupt atomic.Uint64
}

func (c *counters) fill(s *TierStats) {
	s.Hits, s.Misses, s.Evictions = c.hits.Load(), c.misses.Load(), c.evictions.Load()
	s.Errors, s.Corrupt = c.errors.Load(), c.corrupt.Load()
}

// Tiered reads its tiers fastest first and fills the faster ones on a hit.
type Tiered struct {
	tiers []Tier
}

// NewTiered chains tiers in the order given (fastest first).
func NewTiered(tiers ...Tier) *Tiered { return &Tiered{tiers: tiers} }

// Tiers are the tiers, fastest first.
func (t *Tiered) Tiers() []Tier { return t.tiers }

// Get returns the value and the name of the tier that had it, or ErrMiss. A tier that fails
// counts its error and the lookup goes on to the next one.
func (t *Tiered) Get(ctx context.Context, key string) ([]byte, string, error) {
	for i, tier := range t.tiers {
		v, err := tier.Get(ctx, key)
		if err != nil {
			continue
		}
		for _, faster := range t.tiers[:i] {
			_ = faster.Set(ctx, key, v) // a failed fill is counted by the tier and costs a later miss only
		}
		return v, tier.Name(), nil
	}
	return nil, "", ErrMiss
}

// Set stores val in every tier; failures are counted by each tier and joined.
func (t *Tiered) Set(ctx context.Context, key string, val []byte) error {
	var errs []error
	for _, tier := range t.tiers {
		if err := tier.Set(ctx, key, val); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", tier.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Clear empties every tier.
func (t *Tiered) Clear(ctx context.Context) error {
	var errs []error
	for _, tier := range t.tiers {
		if err := tier.Clear(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", tier.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Stats lists each tier's statistics, fastest first.
func (t *Tiered) Stats() []TierStats {
	out := make([]TierStats, len(t.tiers))
	for i, tier := range t.tiers {
		out[i] = tier.Stats()
	}
	return out
}

// Close closes every tier.
func (t *Tiered) Close() error {
	var errs []error
	for _, tier := range t.tiers {
		errs = append(errs, tier.Close())
	}
	return errors.Join(errs...)
}

// expired reports whether an entry written at written has outlived ttl (0 = never).
func expired(written time.Time, ttl time.Duration, now time.Time) bool {
	return ttl > 0 && now.Sub(written) > ttl
}
