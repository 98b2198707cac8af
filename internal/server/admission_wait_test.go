package server

import (
	"errors"
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
