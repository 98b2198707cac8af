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
	guessed  atomic.Bool  // hold is still the start-up prior: the first observation replaces it
	held     heldSlots    // when the images now in slots took them (holdNow)
	now      func() time.Time
	// retryAfter is suggested to rejected clients: about one image's processing time.
	retryAfter time.Duration
}

func newAdmission(maxInFlight, maxQueue int) *admission {
	return &admission{
		slots:      make(chan struct{}, maxInFlight),
		capacity:   int64(maxInFlight + maxQueue),
		retryAfter: time.Second,
		now:        time.Now,
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

// slotMargin is the slot time, as a multiple of the average, that an image waiting for a slot
// must still have before its deadline: half of the images hold their slot longer than the
// average, and on a machine slowing down most do.
const slotMargin = 1.5

// slot waits for an inference slot; release must follow a nil error. An image that could no
// longer finish before ctx's deadline if it got a slot now (less than slotMargin × the slot
// time, holdNow, left) stops waiting with 503 + Retry-After: admission's prediction was too short (a
// machine that slowed down after start-up), and a status the client can back off on is
// better than the 504 the deadline would give it.
// The release observes the slot time (admission_wait.go).
func (a *admission) slot(ctx context.Context) (release func(), err error) {
	select {
	case a.slots <- struct{}{}:
		return a.take(), nil
	default:
	}
	ahead := int64(len(a.slots)) + a.waiting.Add(1) - 1
	defer a.waiting.Add(-1)
	deadline, bounded := ctx.Deadline()
	// Its place in the queue is known now, exactly: admission predicted before the request's
	// body was in, and requests arriving together all saw the same queue. One that cannot
	// reach its slot with slotMargin × the slot time left is refused before it waits at all.
	if hold := a.holdNow(); bounded && hold > 0 {
		if w := a.queueWait(ahead); time.Until(deadline) < w+time.Duration(float64(hold)*slotMargin) {
			return nil, a.overloaded(w)
		}
	}
	look := time.NewTicker(holdLook)
	defer look.Stop()
	for {
		if hold := a.holdNow(); bounded && hold > 0 && time.Until(deadline) < time.Duration(float64(hold)*slotMargin) {
			return nil, a.hopeless(hold)
		}
		select {
		case a.slots <- struct{}{}:
			return a.take(), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-look.C:
		}
	}
}

// holdLook is how often an image waiting for a slot looks again at the time it has left: the
// slot time it plans with grows while the images in slots hold them (holdNow), and a second
// is small against any slot time that could make an image give up.
const holdLook = time.Second

// take records a slot taken now; its release observes the slot time and gives the slot back.
func (a *admission) take() (release func()) {
	t0 := a.now()
	a.held.add(t0, 1)
	return func() {
		a.held.add(t0, -1)
		a.observe(a.now().Sub(t0))
		<-a.slots
	}
}

// hopeless is the refusal of an image that waited for a slot until too little time was left.
func (a *admission) hopeless(hold time.Duration) error {
	return withDetails(&retryError{err: ErrOverloaded, after: max(a.retryAfter, hold)},
		map[string]any{"reason": "queue_wait"})
}

// inFlight is the number of images being processed now.
func (a *admission) inFlight() int { return len(a.slots) }
