package server

import (
	"sync"
	"time"
)

// A request admitted into a queue it cannot leave before server.request_timeout only turns
// into a 504 later, after its client waited for nothing: at 2× capacity on a slowed machine
// (0.5 image/s) the 40 places of the production preset meant 80 s of queue against a 30 s
// timeout. Admission therefore also refuses (503 + Retry-After, which a client can act on)
// when the predicted wait is over a share of the timeout.

// waitShare is the share of request_timeout a predicted queue wait may take: the prediction
// is an average, and the request still needs its own processing time after the wait.
const waitShare = 0.5

// holdWeight is the weight of the newest observation in the moving average (about the last
// ten images), so the prediction follows a machine that slows down within seconds.
const holdWeight = 0.1

// observe records how long an image held its slot. The first observation replaces the
// start-up prior outright: it is this machine now, the prior a guess from one read alone.
func (a *admission) observe(d time.Duration) {
	if a.guessed.Swap(false) {
		a.hold.Store(int64(d))
		return
	}
	for {
		old := a.hold.Load()
		nv := int64(d)
		if old > 0 {
			nv = int64(float64(old)*(1-holdWeight) + float64(d)*holdWeight)
		}
		if a.hold.CompareAndSwap(old, nv) {
			return
		}
	}
}

// heldSlots is the number of images in slots and the sum of when they took them, kept
// together so their mean age is never computed from one without the other.
type heldSlots struct {
	mu  sync.Mutex
	n   int64
	sum int64 // Unix ns
}

func (h *heldSlots) add(t time.Time, n int64) {
	h.mu.Lock()
	h.n += n
	h.sum += n * t.UnixNano()
	h.mu.Unlock()
}

// meanAge is how long, on average, the images now in slots have held them.
func (h *heldSlots) meanAge(now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return 0
	}
	return time.Duration(now.UnixNano() - h.sum/h.n)
}

// holdNow is the slot time to plan with: the moving average or, when longer, the mean time the
// images in slots have held theirs so far, a lower bound the average has not caught up with.
// At start-up, when the prior is too short (a machine busier than during the warm-up), it
// corrects the plan before the first image has finished; the average alone would learn only
// from the images that finish, the quickest first.
func (a *admission) holdNow() time.Duration {
	return max(time.Duration(a.hold.Load()), a.held.meanAge(a.now()))
}

// predictedWait is how long a new image would wait for a slot: the images ahead of it (in
// slots and waiting), served cap(slots) at a time, each holding its slot for holdNow.
func (a *admission) predictedWait() time.Duration {
	return a.queueWait(int64(a.inFlight()) + a.waiting.Load())
}

// queueWait is the wait of an image with ahead images in slots or queued before it.
func (a *admission) queueWait(ahead int64) time.Duration {
	slots := int64(cap(a.slots))
	if ahead < slots {
		return 0
	}
	return time.Duration((ahead-slots)/slots+1) * a.holdNow()
}

// tooLate refuses a request whose predicted wait would eat the time it has.
func (a *admission) tooLate(timeout time.Duration) error {
	if timeout <= 0 {
		return nil
	}
	if w := a.predictedWait(); w > time.Duration(float64(timeout)*waitShare) {
		return a.overloaded(w)
	}
	return nil
}

// overloaded is the refusal of a request predicted to wait w for a slot.
func (a *admission) overloaded(w time.Duration) error {
	return withDetails(&retryError{err: ErrOverloaded, after: max(a.retryAfter, w/time.Duration(max(1, cap(a.slots))))},
		map[string]any{"predicted_wait_seconds": w.Seconds()})
}

// Before the first image has held a slot there is no average, so the predicted wait was 0 and
// the first wave of a burst filled every place; on a slowed machine those requests then timed
// out (504) instead of being refused. The average therefore starts from a prior measured on
// this machine at start-up: the warm-up read, run alone, scaled by how many images share the
// cores once every slot is busy.

// slotPrior is the slot time assumed until images have been observed: warmRead (one read
// alone, model loading excluded) times the number of reads each core serves when all slots
// run at once (slots × threads per read / cores, at least 1). The warm-up read is a first read
// (runtime set-up included), so the prior errs on the long side; the first image observed
// replaces it (observe).
func slotPrior(warmRead time.Duration, slots, threadsPerRead, cores int) time.Duration {
	share := float64(slots*max(1, threadsPerRead)) / float64(max(1, cores))
	return time.Duration(float64(warmRead) * max(1, share))
}

// prime seeds the slot-time average with d unless an image has already been observed.
func (a *admission) prime(d time.Duration) {
	if d > 0 && a.hold.CompareAndSwap(0, int64(d)) {
		a.guessed.Store(true)
	}
}
