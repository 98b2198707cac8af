package cache

import (
	"context"
	"errors"
	"sync"
)

// Group runs one computation per key at a time: callers that arrive while it runs wait for
// its result instead of repeating it (50 uploads of one photo run the pipeline once).
type Group[T any] struct {
	mu    sync.Mutex
	calls map[string]*call[T]
}

type call[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// Do runs fn for key unless a call for key is in flight, in which case it waits for that one.
// shared reports that the value came from another caller's run. A waiter whose own ctx ends
// stops waiting; when the run it waited for was cancelled by its own caller, a waiter still
// in time runs fn itself rather than inherit someone else's cancellation.
func (g *Group[T]) Do(ctx context.Context, key string, fn func(context.Context) (T, error)) (v T, shared bool, err error) {
	for {
		g.mu.Lock()
		if g.calls == nil {
			g.calls = map[string]*call[T]{}
		}
		if c, ok := g.calls[key]; ok {
			g.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return v, false, ctx.Err()
			}
			if isCancel(c.err) && ctx.Err() == nil {
				continue
			}
			return c.val, true, c.err
		}
		// errPanicked stays if fn panics, so waiters get an error rather than a zero value.
		c := &call[T]{done: make(chan struct{}), err: errPanicked}
		g.calls[key] = c
		g.mu.Unlock()

		func() {
			defer func() {
				g.mu.Lock()
				delete(g.calls, key)
				g.mu.Unlock()
				close(c.done)
			}()
			c.val, c.err = fn(ctx)
		}()
		return c.val, false, c.err
	}
}

var errPanicked = errors.New("cache: the shared computation panicked")

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
