package batch

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPolicyNext(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	p := Policy{MaxSize: 4, MaxWait: 10 * time.Millisecond}
	cases := []struct {
		name string
		q    []Pending
		now  time.Time
		take []int
		wait time.Duration
		idle bool
	}{
		{"empty", nil, at(0), nil, 0, false},
		{"alone waits for company", []Pending{{"a", 1, at(0)}}, at(3), nil, 7 * time.Millisecond, false},
		{"alone runs after max wait", []Pending{{"a", 1, at(0)}}, at(10), []int{0}, 0, false},
		{"full runs at once", []Pending{{"a", 2, at(0)}, {"a", 2, at(1)}, {"a", 1, at(2)}}, at(2), []int{0, 1}, 0, false},
		{"next would overflow", []Pending{{"a", 3, at(0)}, {"a", 2, at(1)}}, at(1), []int{0}, 0, false},
		{"oversized runs alone", []Pending{{"a", 9, at(0)}, {"a", 1, at(0)}}, at(0), []int{0}, 0, false},
		{"oldest key first, others skipped", []Pending{{"a", 1, at(0)}, {"b", 3, at(1)}, {"a", 1, at(2)}}, at(12), []int{0, 2}, 0, false},
		{"other key does not fill", []Pending{{"a", 1, at(0)}, {"b", 4, at(1)}}, at(1), nil, 9 * time.Millisecond, false},
		{"idle model runs at once", []Pending{{"a", 1, at(0)}, {"b", 4, at(1)}, {"a", 2, at(1)}}, at(1), []int{0, 2}, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := p.Next(c.q, c.now, c.idle)
			if !slices.Equal(d.Take, c.take) || d.Wait != c.wait {
				t.Errorf("Next = %v wait %v, want %v wait %v", d.Take, d.Wait, c.take, c.wait)
			}
		})
	}
}

func TestWidthBucket(t *testing.T) {
	prev := int64(0)
	for w := int64(1); w <= 4000; w++ {
		b := WidthBucket(w)
		if b < w || b%8 != 0 || (w > 32 && float64(b) > 1.25*float64(w)) || b < prev {
			t.Fatalf("WidthBucket(%d) = %d", w, b)
		}
		prev = b
	}
}

// echo returns each item's first value repeated in a [N, 2] output and records run sizes.
type echo struct {
	mu    sync.Mutex
	sizes []int64
	gate  chan struct{} // when set, runs wait for it
	runs  atomic.Int64
}

func (e *echo) Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	e.runs.Add(1)
	if e.gate != nil {
		<-e.gate
	}
	e.mu.Lock()
	e.sizes = append(e.sizes, shape[0])
	e.mu.Unlock()
	per := len(data) / int(shape[0])
	out := make([]float32, 0, 2*shape[0])
	for i := range int(shape[0]) {
		out = append(out, data[i*per], float32(len(data[i*per:(i+1)*per])))
	}
	return []int64{shape[0], 2}, out, nil
}

// occupy starts a call with its own key that holds the only worker until e.gate closes, so
// later calls queue (an idle model would run each call at once). It returns the call's error.
func occupy(t *testing.T, b *Batcher, e *echo) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, _, err := b.Run(context.Background(), []int64{1, 99}, make([]float32, 99)); done <- err }()
	for e.runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	return done
}

func waitDepth(b *Batcher, n int) {
	for b.Depth() < n {
		time.Sleep(time.Millisecond)
	}
}

func TestBatcherRunsAtOnceWhenIdle(t *testing.T) {
	e := &echo{}
	b := New(e, Config{Policy: Policy{MaxSize: 8, MaxWait: time.Hour}, QueueSize: 16, Workers: 1})
	defer b.Close()
	if _, _, err := b.Run(context.Background(), []int64{1, 4}, make([]float32, 4)); err != nil {
		t.Fatal(err)
	}
}

func TestBatcherGroupsAndSplits(t *testing.T) {
	e := &echo{gate: make(chan struct{})}
	b := New(e, Config{Policy: Policy{MaxSize: 8, MaxWait: 50 * time.Millisecond}, QueueSize: 16, Workers: 1})
	defer b.Close()
	first := occupy(t, b, e)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			in := []float32{float32(i), 0, 0, 0}
			s, d, err := b.Run(context.Background(), []int64{1, 4}, in)
			if err != nil || !slices.Equal(s, []int64{1, 2}) || d[0] != float32(i) {
				t.Errorf("call %d: %v %v %v", i, s, d, err)
			}
		})
	}
	waitDepth(b, 8)
	close(e.gate)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if got := e.sizes; len(got) != 2 || got[1] != 8 {
		t.Errorf("runs %v, want the occupier then one run of 8", got)
	}
}

func TestBatcherPadsBuckets(t *testing.T) {
	e := &echo{gate: make(chan struct{})}
	b := New(e, Config{Policy: Policy{MaxSize: 2, MaxWait: time.Second}, QueueSize: 4, Workers: 1, Bucket: WidthBucket})
	defer b.Close()
	first := occupy(t, b, e)
	var wg sync.WaitGroup
	for _, w := range []int64{36, 40} { // both in bucket 40: padded to 40, one run
		wg.Go(func() {
			in := make([]float32, 2*w)
			in[0] = float32(w)
			_, d, err := b.Run(context.Background(), []int64{1, 2, w}, in)
			if err != nil || d[0] != float32(w) || d[1] != 80 {
				t.Errorf("width %d: %v %v", w, d, err)
			}
		})
	}
	waitDepth(b, 2)
	close(e.gate)
	wg.Wait()
	<-first
	if len(e.sizes) != 2 || e.sizes[1] != 2 {
		t.Errorf("runs %v, want the occupier then one of 2", e.sizes)
	}
}

func TestBatcherDropsCancelled(t *testing.T) {
	e := &echo{gate: make(chan struct{})}
	b := New(e, Config{Policy: Policy{MaxSize: 1}, QueueSize: 4, Workers: 1})
	defer b.Close()
	first := make(chan error, 1)
	go func() { _, _, err := b.Run(context.Background(), []int64{1, 1}, []float32{1}); first <- err }()
	for e.runs.Load() == 0 { // the first call occupies the only worker
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error, 1)
	go func() { _, _, err := b.Run(ctx, []int64{1, 1}, []float32{2}); second <- err }()
	for b.Depth() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-second; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: %v", err)
	}
	close(e.gate)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// A later call forces a loop pass; the cancelled one must never reach the model.
	if _, _, err := b.Run(context.Background(), []int64{1, 1}, []float32{3}); err != nil {
		t.Fatal(err)
	}
	if n := e.runs.Load(); n != 2 {
		t.Errorf("model ran %d times, want 2 (cancelled call dropped)", n)
	}
}

func TestBatcherClose(t *testing.T) {
	e := &echo{gate: make(chan struct{})}
	b := New(e, Config{Policy: Policy{MaxSize: 4, MaxWait: time.Hour}, QueueSize: 4, Workers: 1})
	first := occupy(t, b, e)
	errc := make(chan error, 1)
	go func() { _, _, err := b.Run(context.Background(), []int64{1, 1}, []float32{1}); errc <- err }()
	waitDepth(b, 1)
	go b.Close()
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Fatalf("queued call after Close: %v", err)
	}
	close(e.gate)
	if err := <-first; err != nil {
		t.Fatalf("running call must finish: %v", err)
	}
	b.Close()
	if _, _, err := b.Run(context.Background(), []int64{1, 1}, []float32{1}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Run after Close: %v", err)
	}
}
