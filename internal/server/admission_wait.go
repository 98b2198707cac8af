package server

import "time"

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

// observe records how long an image held its slot.
func (a *admission) observe(d time.Duration) {
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

// predictedWait is how long a new image would wait for a slot: the images ahead of it (in
// slots and waiting), served cap(slots) at a time, each holding its slot for the average.
func (a *admission) predictedWait() time.Duration {
	ahead := int64(a.inFlight()) + a.waiting.Load()
	slots := int64(cap(a.slots))
	if ahead < slots {
		return 0
	}
	return time.Duration((ahead-slots)/slots+1) * time.Duration(a.hold.Load())
}

// tooLate refuses a request whose predicted wait would eat the time it has.
func (a *admission) tooLate(timeout time.Duration) error {
	if timeout <= 0 {
		return nil
	}
	if w := a.predictedWait(); w > time.Duration(float64(timeout)*waitShare) {
		return withDetails(&retryError{err: ErrOverloaded, after: max(a.retryAfter, w/time.Duration(max(1, cap(a.slots))))},
			map[string]any{"predicted_wait_seconds": w.Seconds()})
	}
	return nil
}
