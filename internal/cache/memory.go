package cache

import (
	"context"
	"sync"
	"time"

	"github.com/maypok86/otter/v2"
)

// entryOverhead is what one memory entry costs beyond its key and value bytes (otter's node,
// the map slot, two slice headers), counted so that many tiny entries respect the bound too.
const entryOverhead = 128

// maxEntryShare: no single entry may take more than 1/maxEntryShare of the memory bound, so
// one huge result cannot flush everything else out.
const maxEntryShare = 8

// Memory is the in-process tier: otter's W-TinyLFU bounded by the bytes of its entries.
type Memory struct {
	c   *otter.Cache[string, []byte]
	max int64
	// setMu serialises writes so that each one's eviction is finished (CleanUp) before the
	// next begins: the weighted size is within max whenever no Set is in progress.
	setMu sync.Mutex
	n     counters
}

// NewMemory returns a memory tier holding at most maxBytes (keys, values and per-entry
// overhead); ttl 0 keeps entries until they are evicted.
func NewMemory(maxBytes int64, ttl time.Duration) (*Memory, error) {
	m := &Memory{max: maxBytes}
	o := &otter.Options[string, []byte]{
		MaximumWeight: uint64(maxBytes),
		Weigher:       func(k string, v []byte) uint32 { return uint32(weight(k, v)) },
		OnAtomicDeletion: func(e otter.DeletionEvent[string, []byte]) {
			if e.WasEvicted() {
				m.n.evictions.Add(1)
			}
		},
	}
	if ttl > 0 {
		o.ExpiryCalculator = otter.ExpiryWriting[string, []byte](ttl)
	}
	c, err := otter.New(o)
	if err != nil {
		return nil, err
	}
	m.c = c
	return m, nil
}

func weight(k string, v []byte) int64 { return int64(len(k)+len(v)) + entryOverhead }

func (m *Memory) Name() string { return "memory" }

func (m *Memory) Get(_ context.Context, key string) ([]byte, error) {
	if v, ok := m.c.GetIfPresent(key); ok {
		m.n.hits.Add(1)
		return v, nil
	}
	m.n.misses.Add(1)
	return nil, ErrMiss
}

// Set stores val (the caller must not change it afterwards). An entry over the per-entry
// share of the bound is not kept.
func (m *Memory) Set(_ context.Context, key string, val []byte) error {
	if weight(key, val) > m.max/maxEntryShare {
		return nil
	}
	m.setMu.Lock()
	defer m.setMu.Unlock()
	m.c.Set(key, val)
	m.c.CleanUp() // apply the write and evict now, not on a background goroutine later
	return nil
}

func (m *Memory) Clear(context.Context) error {
	m.setMu.Lock()
	defer m.setMu.Unlock()
	m.c.InvalidateAll()
	m.c.CleanUp()
	return nil
}

// WeightedBytes is the bytes the entries weigh now, as otter accounts them.
func (m *Memory) WeightedBytes() int64 { return int64(m.c.WeightedSize()) }

func (m *Memory) Stats() TierStats {
	s := TierStats{Tier: m.Name(), State: "ok", Bytes: m.WeightedBytes(), MaxBytes: m.max, Entries: int64(m.c.EstimatedSize())}
	m.n.fill(&s)
	return s
}

func (m *Memory) Close() error {
	m.c.StopAllGoroutines()
	return nil
}
