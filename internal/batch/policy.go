// Package batch owns dynamic batching: concurrent model calls whose inputs have the same
// per-item shape are concatenated along the batch dimension, run once, and their outputs split
// back. The decision of what to run when is a pure Policy (no goroutines, no clocks), and a
// small loop (Batcher) applies it. Batcher satisfies the Runner interface of detect and
// recognize, so the model code never knows it is being batched.
package batch

import (
	"time"
)

// Policy decides when a group of waiting inputs runs: as soon as MaxSize items share a key,
// or when the oldest has waited MaxWait. It holds no state; the loop passes in what waits.
type Policy struct {
	MaxSize int           // most items (sum of batch dimensions) in one run
	MaxWait time.Duration // longest the oldest input waits for company
}

// Pending is what the policy sees of one waiting call.
type Pending struct {
	Key     string    // inputs with equal keys can share a run
	N       int       // items in this call (its batch dimension)
	Arrived time.Time // when it was queued
}

// Decision is the policy's answer: run Take (indices into the pending list, in arrival order)
// now, or, when Take is empty, look again after Wait (or on the next arrival, if sooner).
type Decision struct {
	Take []int
	Wait time.Duration
}

// Next decides what to run given the calls waiting (in arrival order) at now. The group is
// the oldest call's key, so no key starves; within it calls are taken in arrival order while
// they fit MaxSize. A call larger than MaxSize runs alone. Calls with other keys wait for
// their own turn. When the model is idle (nothing of it running) the group runs at once:
// on a CPU, waiting for company costs an idle core, and batches form anyway while runs are
// in progress (measured: waiting on an idle model cut server throughput by a quarter).
func (p Policy) Next(q []Pending, now time.Time, idle bool) Decision {
	if len(q) == 0 {
		return Decision{}
	}
	maxSize := max(1, p.MaxSize)
	key := q[0].Key
	var take []int
	n := 0
	full := false
	for i, it := range q {
		if it.Key != key {
			continue
		}
		if n > 0 && n+it.N > maxSize {
			full = true
			break
		}
		take = append(take, i)
		n += it.N
		if n >= maxSize {
			full = true
			break
		}
	}
	if full || idle {
		return Decision{Take: take}
	}
	if waited := now.Sub(q[0].Arrived); waited < p.MaxWait {
		return Decision{Wait: p.MaxWait - waited}
	}
	return Decision{Take: take}
}
