package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Finding 5's 504s: at 2× capacity on a slow machine, admitted requests timed out in the
// queue. Admission now refuses with 503 + Retry-After when the predicted wait is too long.
func TestAdmissionRefusesHopelessWaits(t *testing.T) {
	a := newAdmission(2, 40)
	for range 10 {
		a.observe(4 * time.Second)
	}
	if err := a.tooLate(30 * time.Second); err != nil {
		t.Fatalf("empty server refused: %v", err)
	}
	a.slots <- struct{}{}
	a.slots <- struct{}{}
	a.waiting.Store(4) // 2 in slots + 4 waiting: 3 rounds of 4 s = 12 s
	if err := a.tooLate(30 * time.Second); err != nil {
		t.Errorf("12 s predicted against 30 s refused: %v", err)
	}
	a.waiting.Store(8) // 5 rounds: 20 s > 15 s
	err := a.tooLate(30 * time.Second)
	var re *retryError
	if !errors.Is(err, ErrOverloaded) || !errors.As(err, &re) || re.after < 2*time.Second {
		t.Errorf("20 s predicted against 30 s: %v", err)
	}
	if a.tooLate(0) != nil {
		t.Error("no request_timeout, yet refused")
	}
}

// The plain scenario's first wave: with no slot time observed yet the prediction was 0 and a
// burst filled every place. The prior from the warm-up read refuses it from the first request.
func TestSlotPriorRefusesFirstWave(t *testing.T) {
	// production: 8 slots, 1 thread per read, 2 cores; a warm-up read of 3 s (a loaded machine).
	prior := slotPrior(3*time.Second, 8, 1, 2)
	if prior != 12*time.Second {
		t.Fatalf("prior %v, want 12 s (8 reads on 2 cores, 3 s each)", prior)
	}
	if got := slotPrior(3*time.Second, 1, 1, 2); got != 3*time.Second {
		t.Errorf("one slot on 2 cores: prior %v, want the read itself", got)
	}
	fill := func(a *admission) {
		for range 8 {
			a.slots <- struct{}{}
		}
		a.waiting.Store(8) // 2 rounds ahead
	}
	cold := newAdmission(8, 32)
	fill(cold)
	if err := cold.tooLate(30 * time.Second); err != nil {
		t.Fatalf("without a prior the first wave should be admitted (the old behaviour): %v", err)
	}
	primed := newAdmission(8, 32)
	primed.prime(prior)
	fill(primed)
	err := primed.tooLate(30 * time.Second)
	var re *retryError
	if !errors.Is(err, ErrOverloaded) || !errors.As(err, &re) || re.after < time.Second {
		t.Fatalf("24 s predicted against 30 s: %v, want 503 with Retry-After", err)
	}
	// An observation already made is not overwritten by a late prior.
	seen := newAdmission(8, 32)
	seen.observe(time.Second)
	seen.prime(prior)
	if got := time.Duration(seen.hold.Load()); got != time.Second {
		t.Errorf("prime overwrote an observation: %v", got)
	}
}

// The server primes admission from its own warm-up: a warm-up that took 300 ms (no loading)
// leaves a slot-time prior of at least that.
func TestServerPrimesFromWarmup(t *testing.T) {
	if warmRead(5*time.Second, 4*time.Second) != time.Second || warmRead(time.Second, 0) != time.Second ||
		warmRead(time.Second, 3*time.Second) != time.Second {
		t.Fatal("warmRead does not subtract loading only when it was part of the warm-up")
	}
	eng := &fakeEngine{warm: make(chan struct{})}
	r := start(t, testConfig(t), eng, false)
	time.Sleep(300 * time.Millisecond)
	close(eng.warm)
	deadline := time.Now().Add(time.Minute)
	for !r.srv.Ready() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := time.Duration(r.srv.adm.hold.Load()); got < 300*time.Millisecond {
		t.Fatalf("slot-time prior %v after a 300 ms warm-up", got)
	}
}

// The first wave of a burst: all its requests passed admission together, before any reached
// the queue, and so all saw an empty one. At the queue each image's place is exact: with a
// 10 s slot time and 30 s left, only the first round behind the busy slots can still finish
// (10 s wait + 15 s, slotMargin × the slot time), and the rest are refused at once with 503 +
// Retry-After, not after waiting into a 504.
func TestFirstWaveRefusedAtTheQueue(t *testing.T) {
	a := newAdmission(8, 32)
	a.prime(10 * time.Second)
	for range 8 {
		a.slots <- struct{}{} // the slots are busy
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var queued, refused atomic.Int64
	for range 32 {
		wg.Go(func() {
			_, err := a.slot(ctx)
			var re *retryError
			if errors.As(err, &re) && errors.Is(err, ErrOverloaded) && re.after > 0 {
				refused.Add(1)
				return
			}
			queued.Add(1) // only the cancel below ends its wait
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for refused.Load() < 24 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if a.waiting.Load() != 8 || refused.Load() != 24 {
		t.Fatalf("first wave of 32 behind 8 busy slots: %d waiting, %d refused; want 8 and 24", a.waiting.Load(), refused.Load())
	}
	cancel()
	wg.Wait()
}

// An image queued for a slot with less than the average slot time left before its deadline
// cannot finish in time: it gets 503 + Retry-After now, not 504 at the deadline. With time
// enough it waits, and takes the slot when one frees.
func TestHopelessWaitRefused(t *testing.T) {
	a := newAdmission(1, 4)
	a.prime(10 * time.Second)
	release, err := a.slot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = a.slot(short)
	var re *retryError
	if !errors.Is(err, ErrOverloaded) || !errors.As(err, &re) || re.after < 10*time.Second {
		t.Fatalf("5 s left against a 10 s slot time: %v, want 503 with Retry-After ≥ the slot time", err)
	}
	if a.waiting.Load() != 0 {
		t.Fatalf("the refused image still counts as waiting: %d", a.waiting.Load())
	}
	long, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	got := make(chan error, 1)
	go func() {
		r, err := a.slot(long)
		if err == nil {
			r()
		}
		got <- err
	}()
	release()
	if err := <-got; err != nil {
		t.Fatalf("a minute left against a 10 s slot time: %v, want the slot", err)
	}
}

// The start-up prior is a guess from one read alone: the first slot time observed replaces
// it outright, and later ones blend into the average as before.
func TestFirstObservationReplacesPrior(t *testing.T) {
	a := newAdmission(8, 32)
	a.prime(2 * time.Second)
	a.observe(10 * time.Second)
	if got := time.Duration(a.hold.Load()); got != 10*time.Second {
		t.Fatalf("after the first observation of 10 s the slot time is %v, want 10 s", got)
	}
	a.observe(20 * time.Second)
	if got := time.Duration(a.hold.Load()); got != 11*time.Second {
		t.Fatalf("second observation of 20 s: slot time %v, want 11 s (one tenth of the way)", got)
	}
}

// Images still in their slots 20 s after taking them prove the slot time is at least that,
// whatever the prior said (a machine busier than at the warm-up): an image queued behind
// them with 5 s left gives up at once, and the predicted wait counts 20 s a round.
func TestSlotTimeAtLeastTheAgeOfHeldSlots(t *testing.T) {
	a := newAdmission(1, 4)
	a.prime(time.Second)
	t0 := time.Unix(1000, 0)
	clock := t0
	a.now = func() time.Time { return clock }
	release, err := a.slot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	clock = t0.Add(20 * time.Second)
	if got := a.holdNow(); got != 20*time.Second {
		t.Fatalf("slot time with an image 20 s in its slot: %v, want 20 s", got)
	}
	if got := a.predictedWait(); got != 20*time.Second {
		t.Fatalf("predicted wait behind it: %v, want one round of 20 s", got)
	}
	short, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = a.slot(short)
	var re *retryError
	if !errors.Is(err, ErrOverloaded) || !errors.As(err, &re) {
		t.Fatalf("5 s left behind an image 20 s in its slot: %v, want 503 with Retry-After", err)
	}
}
