package batch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Runner runs one model on one float tensor whose first dimension is the batch.
type Runner interface {
	Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error)
}

// Config configures a Batcher.
type Config struct {
	Policy
	// QueueSize bounds the calls waiting in the batcher; beyond it Run blocks until there is
	// room or its context ends, so memory stays bounded under any load.
	QueueSize int
	// Workers is how many batches run at once (one per core on CPU). While all are busy new
	// calls accumulate, which is what makes batches form under load.
	Workers int
	// Bucket, when set, maps the last dimension of an input (the crop width of a recogniser)
	// to a coarser bucket: calls in the same bucket share a run, padded with zeros to the
	// widest of them. Nil batches identical shapes only (a detector's H×W cannot be padded).
	Bucket func(w int64) int64
	// Observe, when set, is called once per run with its size and the oldest call's wait.
	Observe func(items int, wait time.Duration)
}

// ErrClosed is returned by Run after Close.
var ErrClosed = errors.New("batch: closed")

// Batcher groups concurrent Run calls into batched runs of the wrapped Runner.
type Batcher struct {
	cfg  Config
	next Runner
	in   chan *call
	done chan struct{}
	wg   sync.WaitGroup

	depth     atomic.Int64 // calls queued, not yet running
	closeOnce sync.Once
}

type call struct {
	ctx     context.Context
	shape   []int64
	data    []float32
	key     string
	arrived time.Time
	res     chan result // buffered: the loop never blocks on a caller that left
}

type result struct {
	shape []int64
	data  []float32
	err   error
}

// New starts a batcher in front of next. Close stops it.
func New(next Runner, cfg Config) *Batcher {
	cfg.Workers = max(1, cfg.Workers)
	cfg.QueueSize = max(1, cfg.QueueSize)
	cfg.MaxSize = max(1, cfg.MaxSize)
	b := &Batcher{cfg: cfg, next: next, in: make(chan *call), done: make(chan struct{})}
	b.wg.Add(1)
	go b.loop()
	return b
}

// Depth is the number of calls waiting to run (for a queue-depth gauge).
func (b *Batcher) Depth() int { return int(b.depth.Load()) }

// Run queues one call and waits for its share of a batched run. A call whose context ends
// while it waits is dropped before any compute is spent on it.
func (b *Batcher) Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if len(shape) < 2 || shape[0] < 1 {
		return nil, nil, fmt.Errorf("batch: input shape %v has no batch dimension", shape)
	}
	c := &call{ctx: ctx, shape: shape, data: data, key: b.key(shape), arrived: time.Now(), res: make(chan result, 1)}
	select {
	case b.in <- c:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	case <-b.done:
		return nil, nil, ErrClosed
	}
	select {
	case r := <-c.res:
		return r.shape, r.data, r.err
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// Close stops the loop; queued calls fail with ErrClosed, running batches finish first.
func (b *Batcher) Close() error {
	b.closeOnce.Do(func() { close(b.done) })
	b.wg.Wait()
	return nil
}

// key is the per-item shape, with the last dimension bucketed when Bucket is set.
func (b *Batcher) key(shape []int64) string {
	var sb strings.Builder
	for i, d := range shape[1:] {
		if i == len(shape)-2 && b.cfg.Bucket != nil {
			d = b.cfg.Bucket(d)
			sb.WriteByte('~')
		}
		sb.WriteString(strconv.FormatInt(d, 10))
		sb.WriteByte('x')
	}
	return sb.String()
}

func (b *Batcher) loop() {
	defer b.wg.Done()
	var (
		pending []*call
		busy    int
		view    []Pending
		timer   = time.NewTimer(time.Hour)
		free    = make(chan struct{}, b.cfg.Workers)
	)
	timer.Stop()
	for {
		pending = dropCancelled(pending)
		b.depth.Store(int64(len(pending)))
		var wake <-chan time.Time
		if len(pending) > 0 && busy < b.cfg.Workers {
			view = view[:0]
			for _, c := range pending {
				view = append(view, Pending{Key: c.key, N: int(c.shape[0]), Arrived: c.arrived})
			}
			d := b.cfg.Policy.Next(view, time.Now(), busy == 0)
			if len(d.Take) > 0 {
				var group []*call
				group, pending = extract(pending, d.Take)
				busy++
				b.wg.Add(1)
				go func() {
					defer b.wg.Done()
					b.exec(group)
					free <- struct{}{}
				}()
				continue
			}
			timer.Reset(d.Wait)
			wake = timer.C
		}
		// Stop reading new calls while the queue is full: callers then block in Run.
		in := b.in
		if len(pending) >= b.cfg.QueueSize {
			in = nil
		}
		select {
		case c := <-in:
			pending = append(pending, c)
		case <-wake:
		case <-free:
			busy--
		case <-b.done:
			timer.Stop()
			for _, c := range pending {
				c.res <- result{err: ErrClosed}
			}
			b.depth.Store(0)
			return
		}
		timer.Stop()
	}
}

// dropCancelled answers calls whose context ended and removes them from the queue.
func dropCancelled(q []*call) []*call {
	out := q[:0]
	for _, c := range q {
		if err := c.ctx.Err(); err != nil {
			c.res <- result{err: err}
			continue
		}
		out = append(out, c)
	}
	clear(q[len(out):])
	return out
}

// extract removes the calls at idx (ascending) from q, returning them and the rest.
func extract(q []*call, idx []int) (taken, rest []*call) {
	taken = make([]*call, 0, len(idx))
	j := 0
	rest = q[:0]
	for i, c := range q {
		if j < len(idx) && idx[j] == i {
			taken = append(taken, c)
			j++
			continue
		}
		rest = append(rest, c)
	}
	clear(q[len(rest):])
	return taken, rest
}

// exec runs one group as one model call and hands each caller its slice of the output.
func (b *Batcher) exec(group []*call) {
	if b.cfg.Observe != nil {
		n := 0
		for _, c := range group {
			n += int(c.shape[0])
		}
		b.cfg.Observe(n, time.Since(group[0].arrived))
	}
	if len(group) == 1 {
		c := group[0]
		s, d, err := b.next.Run(c.ctx, c.shape, c.data)
		c.res <- result{s, d, err}
		return
	}
	ctx, cancel := allDone(group)
	defer cancel()
	shape, data := concat(group)
	s, d, err := b.next.Run(ctx, shape, data)
	if err == nil && (len(s) < 1 || s[0] != shape[0] || int64(len(d))%s[0] != 0) {
		err = fmt.Errorf("batch: model output shape %v for a batch of %d", s, shape[0])
	}
	if err != nil {
		for _, c := range group {
			c.res <- result{err: err}
		}
		return
	}
	per := int64(len(d)) / s[0]
	off := int64(0)
	for _, c := range group {
		n := c.shape[0]
		cs := append([]int64{n}, s[1:]...)
		c.res <- result{shape: cs, data: d[off*per : (off+n)*per : (off+n)*per]}
		off += n
	}
}

// allDone is a context that ends when every caller's context has ended: a batch still runs
// while anyone waits for it, and stops (through the runtime's terminate flag) when nobody does.
func allDone(group []*call) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	left := atomic.Int64{}
	left.Store(int64(len(group)))
	stops := make([]func() bool, len(group))
	for i, c := range group {
		stops[i] = context.AfterFunc(c.ctx, func() {
			if left.Add(-1) == 0 {
				cancel()
			}
		})
	}
	return ctx, func() {
		for _, s := range stops {
			s()
		}
		cancel()
	}
}

// concat joins the inputs along the batch dimension, padding the last dimension with zeros
// to the widest input (only bucketed calls differ there).
func concat(group []*call) ([]int64, []float32) {
	shape := append([]int64(nil), group[0].shape...)
	last := len(shape) - 1
	var n int64
	for _, c := range group {
		n += c.shape[0]
		shape[last] = max(shape[last], c.shape[last])
	}
	shape[0] = n
	per := int64(1)
	for _, d := range shape[1:] {
		per *= d
	}
	out := make([]float32, n*per)
	w := shape[last]
	o := int64(0)
	for _, c := range group {
		cw := c.shape[last]
		if cw == w {
			o += int64(copy(out[o:], c.data))
			continue
		}
		// Same leading dims, narrower rows: copy row by row into the wider layout.
		rows := int64(len(c.data)) / cw
		for r := range rows {
			copy(out[o+r*w:o+r*w+cw], c.data[r*cw:(r+1)*cw])
		}
		o += rows * w
	}
	return shape, out
}

// WidthBucket rounds w up so that buckets grow by at most 25 % and stay multiples of 8:
// 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, … Recognition crops in one bucket pad by less
// than the recogniser's own width slack, so sharing a run costs little extra compute.
func WidthBucket(w int64) int64 {
	if w <= 32 {
		return 32
	}
	step := int64(8)
	for step*8 < w {
		step *= 2
	}
	return (w + step - 1) / step * step
}
