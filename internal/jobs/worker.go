package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// WorkerOptions configure a worker.
type WorkerOptions struct {
	ID          string        // shown in results, /health and metrics; "" = host-pid
	Concurrency int           // photos read at once, ≥ 1
	ReadTimeout time.Duration // a read's deadline; heartbeats stop after it; 0 = 10 × AckWait
	Logger      *slog.Logger
	Metrics     *WorkerMetrics // nil = not reported
}

// retryDelay is how long a photo whose read failed waits before its next try: long enough
// for a restarting dependency, short against AckWait.
const retryDelay = time.Second

// fetchWait is how long one pull waits for work; short so that shutdown is prompt.
const fetchWait = time.Second

// Worker pulls photos from the queue and reads them with a Processor.
type Worker struct {
	q    *Queue
	proc Processor
	opt  WorkerOptions
	log  *slog.Logger
	host string

	mu   sync.Mutex
	jobs map[string]jobState // job → cancelled?, see stopped

	started   time.Time
	processed atomic.Int64
	failed    atomic.Int64
	inFlight  atomic.Int32
}

// NewWorker builds a worker on q; Run starts it.
func NewWorker(q *Queue, proc Processor, opt WorkerOptions) *Worker {
	host, _ := os.Hostname()
	if opt.ID == "" {
		opt.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	opt.ID = strings.Map(func(r rune) rune { // the id is a KV key: keep it to [A-Za-z0-9_-]
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, opt.ID)
	opt.Concurrency = max(1, opt.Concurrency)
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = 10 * q.cfg.AckWait
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Worker{q: q, proc: proc, opt: opt, log: opt.Logger.With("worker", opt.ID), host: host, started: time.Now().UTC(),
		jobs: map[string]jobState{}}
}

// ID is the worker's id.
func (w *Worker) ID() string { return w.opt.ID }

// Run pulls and reads photos until ctx ends, then waits for the reads in progress (each
// is cancelled and handed back to the queue at once). It owns every goroutine it starts.
func (w *Worker) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { w.announce(ctx) })
	slots := make(chan struct{}, w.opt.Concurrency)
	for ctx.Err() == nil {
		free := w.opt.Concurrency - len(slots)
		if free == 0 {
			select { // wait for a slot
			case slots <- struct{}{}:
				<-slots
			case <-ctx.Done():
			}
			continue
		}
		// Only as many messages as there are free slots: a fetched photo's AckWait is
		// already running, so none may wait behind a busy read.
		batch, err := w.q.cons.Fetch(free, jetstream.FetchMaxWait(fetchWait))
		if err != nil {
			if ctx.Err() == nil {
				w.log.Warn("fetch", "err", err)
				sleep(ctx, 250*time.Millisecond) // server restarting or electing: try again
			}
			continue
		}
		for msg := range batch.Messages() {
			slots <- struct{}{}
			wg.Go(func() {
				defer func() { <-slots }()
				w.handle(ctx, msg)
			})
		}
		if err := batch.Error(); err != nil && ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
			w.log.Debug("fetch batch", "err", err)
		}
	}
	return nil
}

// handle takes one delivery of a photo to a final state, or hands it back for another try.
func (w *Worker) handle(ctx context.Context, msg jetstream.Msg) {
	w.inFlight.Add(1)
	defer w.inFlight.Add(-1)
	md, err := msg.Metadata()
	if err != nil {
		w.log.Error("message without metadata", "err", err)
		msg.Term()
		return
	}
	var t task
	if err := json.Unmarshal(msg.Data(), &t); err != nil || !validID(t.Job) {
		w.log.Error("malformed task, dropped", "err", err)
		msg.TermWithReason("malformed task")
		return
	}
	n := int(md.NumDelivered)
	key := photoKey(t.Job, t.Index)
	if n > 1 {
		w.opt.Metrics.redelivered()
	}
	// Only a redelivery can find a result already written (an earlier delivery finished but
	// its ack was lost); the first delivery skips the look-up, one round trip fewer per photo.
	if n > 1 {
		if _, err := w.q.state.Get(ctx, "res."+key); err == nil {
			w.finish(ctx, msg, t, n)
			return
		}
	}
	if n > w.q.cfg.MaxDeliver {
		w.deadLetter(ctx, msg, t, n-1)
		return
	}
	if w.stopped(ctx, t.Job) {
		w.record(ctx, msg, t, PhotoResult{State: StateCanceled, Attempts: n - 1}, n)
		return
	}
	if n > 1 {
		// Tries after the first are recorded as they start, so that a photo whose worker
		// dies on every try is dead-lettered naming the last one (first tries of healthy
		// photos skip the two writes this costs).
		w.putAttempt(ctx, key, attempt{Worker: w.opt.ID, Number: n, Started: time.Now().UTC()})
	}

	photo := t.Photo
	if t.Object != "" {
		err := retry(ctx, w.q.cfg.AckWait/2, func(ctx context.Context) error {
			var err error
			photo, err = w.q.photos.GetBytes(ctx, t.Object)
			return err
		})
		if err != nil {
			w.retryLater(ctx, msg, key, n, fmt.Errorf("fetching the photo from the object store: %w", err))
			return
		}
	}
	t0 := time.Now()
	res, err := w.read(ctx, msg, photo, t.Fields)
	ms := float64(time.Since(t0).Microseconds()) / 1000
	switch {
	case err == nil:
		w.processed.Add(1)
		w.opt.Metrics.read(w.opt.ID, "done", ms)
		w.record(ctx, msg, t, PhotoResult{State: StateDone, Result: res, Attempts: n, ReadMS: ms}, n)
	case IsPermanent(err):
		w.failed.Add(1)
		w.opt.Metrics.read(w.opt.ID, "failed", ms)
		w.record(ctx, msg, t, PhotoResult{State: StateFailed, Error: err.Error(), Attempts: n, ReadMS: ms}, n)
	case ctx.Err() != nil:
		msg.Nak() // shutting down: another worker takes it now
	default:
		w.opt.Metrics.read(w.opt.ID, "retried", ms)
		w.retryLater(ctx, msg, key, n, err)
	}
}

// read runs the processor, sending in-progress heartbeats while it runs (so a long read
// keeps its photo) and turning a panic into an error (so one bad photo costs one try, not
// the worker). Heartbeats stop at the read deadline: a read that hangs past it loses the
// photo to another worker even if it never returns.
func (w *Worker) read(ctx context.Context, msg jetstream.Msg, photo []byte, fields map[string]string) (res json.RawMessage, err error) {
	rctx, cancel := context.WithTimeout(ctx, w.opt.ReadTimeout)
	defer cancel()
	done := make(chan struct{})
	var hb sync.WaitGroup
	defer hb.Wait()
	defer close(done)
	hb.Go(func() {
		tick := time.NewTicker(w.q.cfg.AckWait / 3)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				msg.InProgress()
			case <-done:
				return
			case <-rctx.Done():
				return
			}
		}
	})
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("read panicked: %v", p)
		}
	}()
	return w.proc(rctx, photo, fields)
}

// retryLater records why a try failed and hands the photo back after a delay.
func (w *Worker) retryLater(ctx context.Context, msg jetstream.Msg, key string, n int, cause error) {
	w.log.Warn("read failed; will retry", "photo", key, "try", n, "err", cause)
	w.putAttempt(ctx, key, attempt{Worker: w.opt.ID, Number: n, Started: time.Now().UTC(), Error: cause.Error()})
	msg.NakWithDelay(retryDelay)
}

// deadLetter ends a photo that used up its tries: the reason is the last try's error, or,
// when no try returned, that the worker went silent (it died or hung).
func (w *Worker) deadLetter(ctx context.Context, msg jetstream.Msg, t task, tries int) {
	key := photoKey(t.Job, t.Index)
	reason := fmt.Sprintf("no result after %d tries", tries)
	if e, err := w.q.state.Get(ctx, "try."+key); err == nil {
		var a attempt
		if json.Unmarshal(e.Value(), &a) == nil {
			if a.Error != "" {
				reason = fmt.Sprintf("%s; last try (%d, worker %s): %s", reason, a.Number, a.Worker, a.Error)
			} else {
				reason = fmt.Sprintf("%s; last try (%d, worker %s, started %s) neither finished nor failed within ack_wait: the worker died or the read hung",
					reason, a.Number, a.Worker, a.Started.Format(time.RFC3339))
			}
		}
	}
	d, _ := json.Marshal(DeadLetter{Job: t.Job, Index: t.Index, Name: t.Name, Reason: reason, Attempts: tries, At: time.Now().UTC()})
	if err := retry(ctx, w.q.cfg.AckWait/2, func(ctx context.Context) error {
		_, err := w.q.js.Publish(ctx, deadSubject, d, jetstream.WithMsgID("dead."+key))
		return err
	}); err != nil {
		w.log.Error("dead letter not published; photo stays queued", "photo", key, "err", err)
		return
	}
	w.opt.Metrics.dead()
	w.log.Warn("dead-lettered", "photo", key, "reason", reason)
	w.record(ctx, msg, t, PhotoResult{State: StateDead, Error: reason, Attempts: tries}, tries+1)
}

// record writes a photo's final state (once: Create refuses a second) and then acks.
func (w *Worker) record(ctx context.Context, msg jetstream.Msg, t task, r PhotoResult, n int) {
	r.Index, r.Name, r.Worker, r.Finished = t.Index, t.Name, w.opt.ID, time.Now().UTC()
	data, _ := json.Marshal(r)
	err := retry(ctx, w.q.cfg.AckWait/2, func(ctx context.Context) error {
		_, err := w.q.state.Create(ctx, "res."+photoKey(t.Job, t.Index), data)
		return err
	})
	if err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
		// Not acked: the photo comes back after AckWait and the next try writes it.
		w.log.Error("result not stored", "photo", photoKey(t.Job, t.Index), "err", err)
		return
	}
	if errors.Is(err, jetstream.ErrKeyExists) {
		w.opt.Metrics.duplicate()
	}
	w.finish(ctx, msg, t, n)
}

// finish acknowledges a photo that has its final state and drops its stored copy (and the
// try record, which only deliveries after the first or a failed try write).
func (w *Worker) finish(ctx context.Context, msg jetstream.Msg, t task, n int) {
	if err := retry(ctx, w.q.cfg.AckWait/2, msg.DoubleAck); err != nil {
		// The result is stored; a redelivery finds it and only acks.
		w.log.Warn("ack not confirmed", "photo", photoKey(t.Job, t.Index), "err", err)
	}
	if t.Object != "" {
		w.q.photos.Delete(ctx, t.Object)
	}
	if n > 1 {
		w.q.state.Delete(ctx, "try."+photoKey(t.Job, t.Index))
	}
}

// stopCheck is how stale a worker's view of a job's cancellation may be: a cancel reaches
// photos started after it within this time, and a worker reads each job's record at most
// this often instead of once per photo.
const stopCheck = time.Second

type jobState struct {
	stopped bool
	at      time.Time
}

// stopped reports whether the job was cancelled or aborted, from a short-lived cache.
func (w *Worker) stopped(ctx context.Context, job string) bool {
	w.mu.Lock()
	js, ok := w.jobs[job]
	w.mu.Unlock()
	if ok && time.Since(js.at) < stopCheck {
		return js.stopped
	}
	m, err := w.q.meta(ctx, job)
	js = jobState{stopped: err == nil && (m.State == JobCanceled || m.State == JobAborted), at: time.Now()}
	w.mu.Lock()
	if len(w.jobs) >= maxCachedJobs {
		clear(w.jobs) // jobs are few at a time; dropping all is simpler than an LRU
	}
	w.jobs[job] = js
	w.mu.Unlock()
	return js.stopped
}

// maxCachedJobs bounds the cancellation cache.
const maxCachedJobs = 1024

func (w *Worker) putAttempt(ctx context.Context, key string, a attempt) {
	data, _ := json.Marshal(a)
	if _, err := w.q.state.Put(ctx, "try."+key, data); err != nil {
		w.log.Debug("attempt not recorded", "photo", key, "err", err)
	}
}

// announce keeps the worker's entry in the workers bucket fresh (its TTL drops the entry of
// a worker that stops announcing): at once when its counts change (at most once per
// announceCheck), and every heartbeatTick regardless.
func (w *Worker) announce(ctx context.Context) {
	tick := time.NewTicker(announceCheck)
	defer tick.Stop()
	var last WorkerInfo
	for {
		info := WorkerInfo{ID: w.opt.ID, Host: w.host, Concurrency: w.opt.Concurrency, Started: w.started,
			Processed: w.processed.Load(), Failed: w.failed.Load(), InFlight: int(w.inFlight.Load())}
		now := time.Now().UTC()
		if info.Processed != last.Processed || info.Failed != last.Failed || info.InFlight != last.InFlight || now.Sub(last.Seen) >= heartbeatTick {
			info.Seen = now
			data, _ := json.Marshal(info)
			pctx, cancel := context.WithTimeout(ctx, opTimeout)
			if _, err := w.q.workers.Put(pctx, w.opt.ID, data); err == nil {
				last = info
			}
			cancel()
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.Background(), time.Second)
			w.q.workers.Delete(dctx, w.opt.ID)
			cancel()
			return
		}
	}
}

// announceCheck is how often a worker looks whether its counts changed; /health and the
// metrics are at most this stale.
const announceCheck = time.Second

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}
