package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGroupRunsOnce(t *testing.T) {
	var g Group[int]
	var runs, shared atomic.Int32
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			<-start
			v, sh, err := g.Do(context.Background(), "k", func(context.Context) (int, error) {
				runs.Add(1)
				time.Sleep(100 * time.Millisecond) // long enough for all 50 to arrive
				return 42, nil
			})
			if err != nil || v != 42 {
				t.Errorf("got %d %v", v, err)
			}
			if sh {
				shared.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if runs.Load() != 1 || shared.Load() != 49 {
		t.Fatalf("runs %d, shared %d; want 1 and 49", runs.Load(), shared.Load())
	}
}

// A waiter does not inherit the leader's cancellation: it runs the computation itself.
func TestGroupLeaderCancelled(t *testing.T) {
	var g Group[int]
	leaderCtx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	go g.Do(leaderCtx, "k", func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done()
		return 0, ctx.Err()
	})
	<-started
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	v, _, err := g.Do(context.Background(), "k", func(context.Context) (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Fatalf("waiter got %d %v, want 7", v, err)
	}
	boom := errors.New("boom")
	if _, _, err := g.Do(context.Background(), "e", func(context.Context) (int, error) { return 0, boom }); err != boom {
		t.Fatalf("error not passed on: %v", err)
	}
}
