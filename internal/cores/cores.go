// Package cores counts the CPU cores that reads leave idle, so that one read can borrow them
// for work that splits into independent model runs (recognition batches, tiles) without
// slowing the others: with every core busy nothing is lent, and a loaded server behaves as if
// the package did not exist, while a read alone on the machine finishes sooner.
package cores

import (
	"sync"
	"sync/atomic"
)

// Pool is a count of idle cores. A nil *Pool lends nothing. It is safe for concurrent use.
type Pool struct{ idle atomic.Int64 }

// New returns a pool of n cores, all idle.
func New(n int) *Pool {
	p := &Pool{}
	p.idle.Store(int64(max(0, n)))
	return p
}

// Hold marks one core busy with a read until release is called. It never blocks: more reads
// than cores just leave nothing to borrow.
func (p *Pool) Hold() (release func()) {
	if p == nil {
		return func() {}
	}
	p.idle.Add(-1)
	return sync.OnceFunc(func() { p.idle.Add(1) })
}

// Borrow takes up to want idle cores and reports how many it got; release gives them back.
func (p *Pool) Borrow(want int) (n int, release func()) {
	if p == nil || want <= 0 {
		return 0, func() {}
	}
	for {
		idle := p.idle.Load()
		k := min(int64(want), idle)
		if k <= 0 {
			return 0, func() {}
		}
		if p.idle.CompareAndSwap(idle, idle-k) {
			// Once: a deferred release after an early one must not lend the cores twice.
			return int(k), sync.OnceFunc(func() { p.idle.Add(k) })
		}
	}
}

// Idle reports the cores idle now (for metrics and tests).
func (p *Pool) Idle() int {
	if p == nil {
		return 0
	}
	return int(p.idle.Load())
}
