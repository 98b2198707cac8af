package memtrim

import (
	"context"
	"log/slog"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/datalid/datalid/internal/onnx"
)

// Release hands back what a burst of reads left behind: the Go heap's free pages, ONNX
// Runtime's free arena regions, then the C allocator's free memory. The arena goes before the
// C heap: its regions are malloc'd, so trimming the C heap first would leave them.
func Release(log *slog.Logger) {
	// Two collections: the first only moves sync.Pool contents (net/http's buffers, among
	// others) to their victim caches; the second, FreeOSMemory's, frees them with the rest.
	runtime.GC()
	debug.FreeOSMemory()
	if err := onnx.ShrinkArena(); err != nil {
		log.Debug("ONNX Runtime arena not shrunk", "err", err)
	}
	Trim()
}

// IdleAfter is how long a process must be idle after work before memory is handed back:
// long enough that a steady stream of requests never pays for it, short enough that RSS
// after a burst falls back before anyone wonders.
const IdleAfter = 5 * time.Second

// idlePoll is how often WhenIdle looks at the Activity: a second late is nothing against
// IdleAfter, and a look costs two atomic loads.
const idlePoll = time.Second

// Activity counts the work that leaves memory behind (reads that reach the runtime): how
// many run now and how many ever began, so that a read that begins and ends between two of
// WhenIdle's samples still counts as work.
type Activity struct {
	running, begun atomic.Int64
}

// Begin records a read starting; end must be called when it is over.
func (a *Activity) Begin() (end func()) {
	a.running.Add(1)
	a.begun.Add(1)
	return func() { a.running.Add(-1) }
}

// WhenIdle runs Release whenever a has been idle for IdleAfter after work, until ctx ends.
// It is the one owner of memory hand-back for every front end that reads photos (serve and
// worker pass their server's Activity).
func WhenIdle(ctx context.Context, a *Activity, log *slog.Logger) {
	t := time.NewTicker(idlePoll)
	defer t.Stop()
	var w idleWatch
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if w.due(now, a.running.Load() > 0, a.begun.Load()) {
				Release(log)
			}
		}
	}
}

// idleWatch decides, from the samples, when memory is due back: once, IdleAfter after the
// last work, then not again until there has been work. (A second release 20 s later was
// measured to free nothing more once the allocator's thresholds were fixed, allocator.go.)
type idleWatch struct {
	lastBusy time.Time
	begun    int64 // Activity.begun at the last sample
	dirty    bool  // work since the last release
}

// due records one sample (a read running now; reads begun so far) and reports whether to
// release now.
func (w *idleWatch) due(now time.Time, running bool, begun int64) bool {
	if running || begun != w.begun {
		w.lastBusy, w.begun, w.dirty = now, begun, true
		return false
	}
	if !w.dirty || now.Sub(w.lastBusy) < IdleAfter {
		return false
	}
	w.dirty = false
	return true
}
