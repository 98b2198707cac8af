package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestMemoryNeverOverBound writes 20 times the bound from 8 goroutines, in entries of random
// size, and checks after every write that both otter's accounting and the real bytes of the
// entries held are within the bound.
func TestMemoryNeverOverBound(t *testing.T) {
	const bound = 1 << 20
	m, err := NewMemory(bound, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	check := func() error {
		m.setMu.Lock() // no write in progress
		defer m.setMu.Unlock()
		if w := m.WeightedBytes(); w > bound {
			return fmt.Errorf("weighted size %d > bound %d", w, bound)
		}
		var real int64
		for k, v := range m.c.All() {
			real += weight(k, v)
		}
		if real > bound {
			return fmt.Errorf("entries weigh %d > bound %d", real, bound)
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	var written int64
	var mu sync.Mutex
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for i := 0; ; i++ {
				mu.Lock()
				done := written > 20*bound
				mu.Unlock()
				if done {
					return
				}
				v := make([]byte, 1+r.IntN(bound/maxEntryShare-200))
				m.Set(context.Background(), fmt.Sprintf("g%d-%d", g, i), v)
				mu.Lock()
				written += int64(len(v))
				mu.Unlock()
				if err := check(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s := m.Stats()
	if s.Evictions == 0 || s.Bytes == 0 || s.Bytes > bound {
		t.Fatalf("after writing 20× the bound: %+v", s)
	}
	// An entry over its share of the bound is not kept (it would flush the others).
	m.Set(context.Background(), "huge", make([]byte, bound/maxEntryShare+1))
	if _, err := m.Get(context.Background(), "huge"); err != ErrMiss {
		t.Fatalf("huge entry: %v, want a miss", err)
	}
}

func TestTieredFillsFasterTiers(t *testing.T) {
	ctx := context.Background()
	m, err := NewMemory(1<<20, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := OpenDisk(t.TempDir(), 1<<20, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := NewTiered(m, d)
	defer c.Close()
	if _, _, err := c.Get(ctx, "k"); err != ErrMiss {
		t.Fatalf("empty cache: %v", err)
	}
	if err := d.Set(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	v, tier, err := c.Get(ctx, "k")
	if err != nil || string(v) != "v" || tier != "disk" {
		t.Fatalf("first get: %q %s %v, want v from disk", v, tier, err)
	}
	v, tier, err = c.Get(ctx, "k")
	if err != nil || string(v) != "v" || tier != "memory" {
		t.Fatalf("second get: %q %s %v, want v from memory (filled back)", v, tier, err)
	}
	st := c.Stats()
	if st[0].Hits != 1 || st[0].Misses != 2 || st[1].Hits != 1 {
		t.Fatalf("stats %+v", st)
	}
	if err := c.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Get(ctx, "k"); err != ErrMiss {
		t.Fatalf("after clear: %v", err)
	}
}
