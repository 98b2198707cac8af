package memtrim

import (
	"testing"
	"time"
)

// TestIdleWatchReleasesAfterWork: nothing is handed back before any work or while busy;
// after work, once at IdleAfter, then not again until the next work, which a read too short
// to be seen running still is.
func TestIdleWatchReleasesAfterWork(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var w idleWatch
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	for s := range 60 {
		if w.due(at(time.Duration(s)*time.Second), false, 0) {
			t.Fatalf("released at %d s without any work", s)
		}
	}
	// A burst from 60 s to 70 s, then idle; samples every second as WhenIdle takes them.
	var got []time.Duration
	for s := 60; s < 200; s++ {
		now := at(time.Duration(s) * time.Second)
		if w.due(now, s < 70, int64(min(s, 69)-59)) { // one read begun per busy second
			got = append(got, now.Sub(at(69*time.Second)))
		}
	}
	if len(got) != 1 || got[0] != IdleAfter {
		t.Fatalf("releases at %v after the last busy sample, want one at %v", got, IdleAfter)
	}
	// A read that began and ended between two samples (never seen running) is work too:
	// the next release is IdleAfter after the sample that saw it.
	if w.due(at(300*time.Second), false, 12) || w.due(at(300*time.Second+IdleAfter-time.Second), false, 12) {
		t.Fatal("released at once after work, or before IdleAfter")
	}
	if !w.due(at(300*time.Second+IdleAfter), false, 12) {
		t.Fatal("no release IdleAfter after a read seen only by its count")
	}
}
