package cores

import (
	"sync"
	"testing"
)

func TestBorrowLendsOnlyIdleCores(t *testing.T) {
	p := New(4)
	r1 := p.Hold()
	if n, rel := p.Borrow(8); n != 3 {
		t.Fatalf("one read on 4 cores borrowed %d, want 3", n)
	} else {
		if m, _ := p.Borrow(1); m != 0 {
			t.Fatalf("borrowed %d cores while all were busy", m)
		}
		rel()
		rel() // a second release must not lend the cores twice
	}
	if p.Idle() != 3 {
		t.Fatalf("idle %d after release, want 3", p.Idle())
	}
	r2, r3, r4, r5 := p.Hold(), p.Hold(), p.Hold(), p.Hold() // more reads than cores
	if n, _ := p.Borrow(2); n != 0 {
		t.Fatalf("borrowed %d cores from an oversubscribed pool", n)
	}
	for _, r := range []func(){r1, r2, r3, r4, r5, r5} {
		r()
	}
	if p.Idle() != 4 {
		t.Fatalf("idle %d after every read ended, want 4", p.Idle())
	}
}

func TestNilPoolLendsNothing(t *testing.T) {
	var p *Pool
	p.Hold()()
	if n, rel := p.Borrow(3); n != 0 {
		t.Fatalf("nil pool lent %d", n)
	} else {
		rel()
	}
}

func TestConcurrentBorrowNeverOverlends(t *testing.T) {
	p := New(3)
	var wg sync.WaitGroup
	var mu sync.Mutex
	out, peak := 0, 0
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				n, rel := p.Borrow(2)
				mu.Lock()
				out += n
				peak = max(peak, out)
				mu.Unlock()
				mu.Lock()
				out -= n
				mu.Unlock()
				rel()
			}
		}()
	}
	wg.Wait()
	if peak > 3 || p.Idle() != 3 {
		t.Fatalf("peak lent %d (max 3), idle at end %d (want 3)", peak, p.Idle())
	}
}
