package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoseNothing: 200 photos; one worker's connection dies mid-read (its photos are never
// acked) and the JetStream server restarts mid-queue; every photo ends with exactly one
// result, its own.
func TestLoseNothing(t *testing.T) {
	addr, dir := freeAddr(t), t.TempDir()
	srv := startServer(t, addr, dir)
	cfg := testConfig("nats://" + addr)
	gw := openQueue(t, cfg)
	const n = 200
	job := submit(t, gw, n, "")
	if job.Total != n || job.State != JobQueued {
		t.Fatalf("submitted job: %+v", job.Counts)
	}

	proc := &hashProcessor{delay: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	run := func(q *Queue, id string, ctx context.Context) {
		w := NewWorker(q, proc.process, WorkerOptions{ID: id, Concurrency: 4})
		wg.Go(func() { w.Run(ctx) })
	}
	run(openQueue(t, cfg), "steady", ctx)
	// The doomed worker's reads block until its connection is gone, so the photos it holds
	// are never acked and must come back to the steady worker after AckWait.
	doomedQ := openQueue(t, cfg)
	hold := make(chan struct{})
	var held atomic.Int32 // reads the doomed worker started
	doomed := NewWorker(doomedQ, func(ctx context.Context, b []byte, f map[string]string) (json.RawMessage, error) {
		held.Add(1)
		<-hold
		return nil, errors.New("unreachable: this worker is dead")
	}, WorkerOptions{ID: "doomed", Concurrency: 4})
	dctx, dcancel := context.WithCancel(ctx)
	wg.Go(func() { doomed.Run(dctx) })

	waitFor(t, 10*time.Second, func() bool { j, _ := gw.Job(ctx, job.ID); return j != nil && j.Counts.Done >= 40 })
	if held.Load() == 0 {
		t.Fatal("the doomed worker holds no photo when it dies")
	}
	doomedQ.Close() // the "kill": nothing it holds is acked, its heartbeats stop
	dcancel()
	close(hold)

	waitFor(t, 20*time.Second, func() bool { j, _ := gw.Job(ctx, job.ID); return j != nil && j.Counts.Done >= 100 })
	srv.Shutdown()
	srv.WaitForShutdown()
	time.Sleep(500 * time.Millisecond)
	startServer(t, addr, dir) // same store: the queue survives

	got := waitDone(t, gw, job.ID, 60*time.Second)
	checkExactlyOnce(t, got, n)
	// Every photo was read, and none by the steady worker more than a handful of times
	// (only those whose ack or result write met the restart can be read twice).
	proc.mu.Lock()
	defer proc.mu.Unlock()
	for i := range n {
		if proc.calls[digest(photo(i))] == 0 {
			t.Errorf("photo %d never read", i)
		}
	}
	st, err := gw.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 || st.InFlight != 0 {
		t.Errorf("queue not drained: %+v", st)
	}
}

// TestDeadLetter: a photo whose read panics every time, and one whose read hangs past
// AckWait, both end dead-lettered with their reason after MaxDeliver tries; the rest of the
// job is unaffected.
func TestDeadLetter(t *testing.T) {
	addr := freeAddr(t)
	startServer(t, addr, t.TempDir())
	cfg := testConfig("nats://" + addr)
	cfg.AckWait = time.Second
	gw := openQueue(t, cfg)
	release := make(chan struct{})
	var mu sync.Mutex
	tries := map[string]int{}
	proc := func(ctx context.Context, b []byte, f map[string]string) (json.RawMessage, error) {
		mu.Lock()
		tries[string(b)]++
		mu.Unlock()
		switch string(b) {
		case "poison":
			panic("decoder blew up")
		case "hang":
			<-release // ignores its context, like a stuck native call
		case "not an image":
			return nil, Permanent(errors.New("not_image: unknown format"))
		}
		return json.RawMessage(`{"ok":true}`), nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(release) // the hung reads return only now
	defer cancel()
	w := NewWorker(openQueue(t, cfg), proc, WorkerOptions{ID: "w1", Concurrency: 6, ReadTimeout: 1500 * time.Millisecond})
	wg.Go(func() { w.Run(ctx) })

	s, _, err := gw.Begin(ctx, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"fine", "poison", "hang", "not an image", "fine too"} {
		if err := s.Add(ctx, p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	job, err := s.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := waitDone(t, gw, job.ID, 30*time.Second)
	want := []string{StateDone, StateDead, StateDead, StateFailed, StateDone}
	for i, p := range got.Photos {
		if p.State != want[i] {
			t.Errorf("photo %d (%s): state %s, want %s (%s)", i, p.Name, p.State, want[i], p.Error)
		}
	}
	if r := got.Photos[1].Error; !strings.Contains(r, "read panicked: decoder blew up") || !strings.Contains(r, "after 3 tries") {
		t.Errorf("poison photo's reason: %q", r)
	}
	if r := got.Photos[2].Error; !strings.Contains(r, "neither finished nor failed within ack_wait") {
		t.Errorf("hung photo's reason: %q", r)
	}
	if got.Photos[3].Attempts != 1 || !strings.Contains(got.Photos[3].Error, "not_image") {
		t.Errorf("a bad photo is not retried: %+v", got.Photos[3])
	}
	mu.Lock()
	if tries["poison"] != cfg.MaxDeliver || tries["hang"] != cfg.MaxDeliver {
		t.Errorf("tries: poison %d, hang %d, want %d each", tries["poison"], tries["hang"], cfg.MaxDeliver)
	}
	mu.Unlock()
	dl, err := gw.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dl) != 2 || dl[0].Job != job.ID {
		t.Fatalf("dead letters: %+v", dl)
	}
}

// TestIdempotencyKey: the same key returns the first job and queues nothing new.
func TestIdempotencyKey(t *testing.T) {
	addr := freeAddr(t)
	startServer(t, addr, t.TempDir())
	gw := openQueue(t, testConfig("nats://"+addr))
	first := submit(t, gw, 3, "order-42")
	again := submit(t, gw, 5, "order-42")
	if again.ID != first.ID || !again.Replayed || again.Total != 3 {
		t.Fatalf("repeated key: got job %s (%d photos, replayed %v), first %s", again.ID, again.Total, again.Replayed, first.ID)
	}
	other := submit(t, gw, 1, "order-43")
	if other.ID == first.ID {
		t.Fatal("a different key shares the job")
	}
	st, err := gw.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 4 {
		t.Fatalf("queued photos: %d, want 4", st.Pending)
	}
	if _, _, err := gw.Begin(context.Background(), strings.Repeat("k", 300), nil); !errors.Is(err, ErrBadKey) {
		t.Fatalf("long key: %v", err)
	}
}

// TestCancel: photos not started are cancelled, the queue still drains, and a watch ends.
func TestCancel(t *testing.T) {
	addr := freeAddr(t)
	startServer(t, addr, t.TempDir())
	cfg := testConfig("nats://" + addr)
	gw := openQueue(t, cfg)
	job := submit(t, gw, 10, "")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	var last *Job
	watched := make(chan error, 1)
	wg.Go(func() {
		var err error
		last, err = gw.Watch(ctx, job.ID, func(*Job) error { return nil })
		watched <- err
	})
	c, err := gw.Cancel(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != JobCanceled || c.Counts.Canceled != 10 {
		t.Fatalf("after cancel: %s %+v", c.State, c.Counts)
	}
	proc := &hashProcessor{}
	w := NewWorker(openQueue(t, cfg), proc.process, WorkerOptions{ID: "w", Concurrency: 2})
	wg.Go(func() { w.Run(ctx) })
	waitFor(t, 10*time.Second, func() bool {
		s, err := gw.Stats(ctx)
		return err == nil && s.Pending == 0 && s.InFlight == 0
	})
	if len(proc.calls) != 0 {
		t.Fatalf("cancelled photos were read: %v", proc.calls)
	}
	select {
	case err := <-watched:
		if err != nil || last.State != JobCanceled {
			t.Fatalf("watch ended with %v, %+v", err, last)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("watch did not end on cancel")
	}
	if _, err := gw.Job(ctx, "0123456789abcdef0123456789abcdef"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown job: %v", err)
	}
	if _, err := gw.Job(ctx, "../etc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("bad id: %v", err)
	}
}

func waitFor(t *testing.T, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestEmbeddedBusyPort: a taken port is an error at once that says what to change, not a
// 30-second wait for a server that never becomes ready.
func TestEmbeddedBusyPort(t *testing.T) {
	addr := freeAddr(t)
	startServer(t, addr, t.TempDir())
	t0 := time.Now()
	_, err := StartEmbedded(EmbeddedOptions{Listen: addr, StoreDir: t.TempDir(), Name: "second"})
	if err == nil || !strings.Contains(err.Error(), "nats.listen") || time.Since(t0) > 5*time.Second {
		t.Fatalf("second server on %s: %v after %s", addr, err, time.Since(t0))
	}
}
