package server

import (
	"context"
	"sync/atomic"
	"time"
)

// admission bounds the work the server accepts. A request enters (one of at most
// maxInFlight+maxQueue at once) or is rejected at once with ErrOverloaded; inside, each image
// waits for one of maxInFlight slots before inference. Memory is therefore bounded by the
// admitted requests' bodies, and overload never piles up goroutines.
type admission struct {
	slots    chan struct{}
	capacity int64
	admitted atomic.Int64 // requests inside (running or queued)
	waiting  atomic.Int64 // images waiting for a slot
	hold     atomic.Int64 // moving average of how long an image holds a slot, ns (admission_wait.go)
	// retryAfter is suggested to rejected clients: about one image's processing time.
	retryAfter time.Duration
}

func newAdmission(maxInFlight, maxQueue int) *admission {
	return &admission{
		slots:      make(chan struct{}, maxInFlight),
		capacity:   int64(maxInFlight + maxQueue),
		retryAfter: time.Second,
	}
}

// enter admits a request or fails fast; leave must follow a successful enter.
func (a *admission) enter() error {
	if a.admitted.Add(1) > a.capacity {
		a.admitted.Add(-1)
		return a.busy()
	}
	return nil
}

func (a *admission) leave() { a.admitted.Add(-1) }

// full reports whether enter would fail now, so a request can be refused before its body is
// read (the refusal still drains the body).
func (a *admission) full() bool { return a.admitted.Load() >= a.capacity }

func (a *admission) busy() error { return &retryError{err: ErrOverloaded, after: a.retryAfter} }

// slot waits for an inference slot; release must follow a nil error.
func (a *admission) slot(ctx context.Context) (release func(), err error) {
	select {
	case a.slots <- struct{}{}:
		return a.release, nil
	default:
	}
	a.waiting.Add(1)
	defer a.waiting.Add(-1)
	select {
	case a.slots <- struct{}{}:
		return a.release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a *admission) release() { <-a.slots }

// inFlight is the number of images being processed now.
func (a *admission) inFlight() int { return len(a.slots) }
