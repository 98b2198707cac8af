package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Time and memory limits that hold against a hostile client. Every byte a client sends or
// receives has a deadline, and every byte the server keeps for a request is reserved from a
// budget before it is kept, so neither a slow client nor a heavy picture can hold the service.
const (
	// minTransferRate is the slowest upload or download served (64 KiB/s, a poor mobile
	// uplink): a 10 MiB photo may take up to ~2.5 min; a client sending a byte every 2 s is
	// cut after transferGrace.
	minTransferRate = 64 << 10
	// transferGrace is allowed before the rate applies (TCP slow start, a radio waking up).
	transferGrace = 10 * time.Second
	// maxBodyTime caps any body, whatever its size and rate.
	maxBodyTime = 3 * time.Minute
	// maxReadChunk bounds one Read, so each deadline covers at most this much.
	maxReadChunk = 64 << 10
	// maxBatchBody bounds a whole batch body (50 × 10 MiB added 1.6 GB of RSS): photos are a
	// few MB, so a batch of a dozen fits; larger sets go in several requests.
	maxBatchBody = 64 << 20
	// formOverhead is multipart framing allowed beyond the files' bytes.
	formOverhead = 64 << 10
	// drainLimit and drainTime bound how much of a rejected body is read and thrown away so
	// the rejection arrives as an answer: a server that answers and closes with unread bytes
	// in the socket makes the kernel send a reset, and the client never sees the status.
	drainLimit = maxBatchBody + formOverhead
	drainTime  = 10 * time.Second
	// stopCut is what a body still arriving or an answer still unread gets once SIGTERM came,
	// so shutdown ends well within its grace period.
	stopCut = 2 * time.Second
	// decodeBudgetPictures sizes the decode memory budget: this many maximal decodes (per
	// imageio's decode budget) at once, however many slots are busy. Photos cost 1-2 % of a
	// maximal decode at the working size, so ordinary traffic never waits on it.
	decodeBudgetPictures = 2
)

// Body errors: each maps to a status the client can act on.
var (
	ErrBodyTimeout = errors.New("request body arrived too slowly")
	ErrBodyCut     = errors.New("request body cut short")
	errBodyBudget  = fmt.Errorf("%w: request bodies in memory are at the server's budget", ErrOverloaded)
	errStopping    = errors.New("server shutting down")
)

// budget is a weighted semaphore of bytes. take waits; tryTake does not. One holder may take
// more than the total when nothing else is held, so an item never waits forever.
type budget struct {
	mu          sync.Mutex
	total, used int64
	wake        chan struct{} // closed and replaced whenever bytes are given back
}

func newBudget(total int64) *budget { return &budget{total: total, wake: make(chan struct{})} }

func (b *budget) tryTake(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used > 0 && b.used+n > b.total {
		return false
	}
	b.used += n
	return true
}

func (b *budget) take(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.total {
			b.used += n
			b.mu.Unlock()
			return nil
		}
		w := b.wake
		b.mu.Unlock()
		select {
		case <-w:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (b *budget) give(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	close(b.wake)
	b.wake = make(chan struct{})
	b.mu.Unlock()
}

func (b *budget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// exchanges tracks the requests being served, so shutdown can cut their transfers.
type exchanges struct {
	mu       sync.Mutex
	live     map[*exchange]struct{}
	stopping atomic.Bool
	bodies   *budget // body bytes kept in memory, all requests together
	reading  atomic.Int64
	// The thresholds above, copied so tests can shorten them.
	grace, stopCut, drainTime time.Duration
	rate                      float64 // bytes per second
}

func newExchanges(bodyBudget int64) *exchanges {
	return &exchanges{
		live: map[*exchange]struct{}{}, bodies: newBudget(bodyBudget),
		grace: transferGrace, stopCut: stopCut, drainTime: drainTime, rate: minTransferRate,
	}
}

// allowed is how long n bytes may take: grace plus n at the minimum rate.
func (xs *exchanges) allowed(n int64) time.Duration {
	return xs.grace + time.Duration(float64(n)/xs.rate*float64(time.Second))
}

func (xs *exchanges) add(x *exchange) {
	xs.mu.Lock()
	xs.live[x] = struct{}{}
	xs.mu.Unlock()
}

func (xs *exchanges) remove(x *exchange) {
	xs.mu.Lock()
	delete(xs.live, x)
	xs.mu.Unlock()
}

// stop cuts every body still arriving now and gives every answer stopCut to be read.
func (xs *exchanges) stop() {
	xs.stopping.Store(true)
	xs.mu.Lock()
	defer xs.mu.Unlock()
	for x := range xs.live {
		x.cut()
	}
}

// exchange is one request's transfers: its body reads and answer writes get deadlines from
// the minimum rate, and the body's bytes are reserved from the body budget as they arrive.
type exchange struct {
	xs       *exchanges
	rc       *http.ResponseController
	raw      io.ReadCloser
	start    time.Time
	n        int64 // body bytes read (by the handler goroutine only)
	reserved int64
	mu       sync.Mutex // orders cut against the reads' deadline changes
	reading  bool       // a deadline is set on the connection for the body
	eof      bool
}

type exchangeKey struct{}

func exchangeOf(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// limitIO is the outermost middleware: it puts deadlines on the request's body and answer
// and returns the body's reserved bytes when the request ends.
func (s *Server) limitIO(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x := &exchange{xs: s.xio, rc: http.NewResponseController(w), raw: r.Body, start: time.Now()}
		s.xio.add(x)
		defer func() {
			s.xio.remove(x)
			x.xs.bodies.give(x.reserved)
		}()
		if s.xio.stopping.Load() {
			x.cut()
		}
		r.Body = &limitedBody{x}
		next.ServeHTTP(&deadlineWriter{ResponseWriter: w, x: x}, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
	})
}

// cut ends a body still arriving and shortens the answer's deadline (shutdown).
func (x *exchange) cut() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.reading && !x.eof {
		x.rc.SetReadDeadline(time.Now())
	}
	x.rc.SetWriteDeadline(time.Now().Add(x.xs.stopCut))
}

// limitedBody is the request body as handlers see it.
type limitedBody struct{ x *exchange }

func (b *limitedBody) Read(p []byte) (int, error) { return b.x.read(p) }
func (b *limitedBody) Close() error               { return b.x.raw.Close() }

func (x *exchange) read(p []byte) (int, error) {
	if x.eof {
		return 0, io.EOF
	}
	if x.xs.stopping.Load() {
		return 0, errStopping
	}
	p = p[:min(len(p), maxReadChunk)]
	// The deadline grows with what has arrived: grace plus the bytes at the minimum rate.
	allowed := x.xs.allowed(x.n + int64(len(p)))
	x.mu.Lock()
	if !x.reading {
		x.reading = true
		x.xs.reading.Add(1)
	}
	x.rc.SetReadDeadline(x.start.Add(min(allowed, maxBodyTime)))
	x.mu.Unlock()
	n, err := x.raw.Read(p)
	x.n += int64(n)
	// Bytes are reserved as they arrive, so a slow uploader holds what it sent, not its
	// announced Content-Length.
	if n > 0 && !x.xs.bodies.tryTake(int64(n)) {
		x.n -= int64(n)
		x.finishReading(false)
		return 0, &retryError{err: errBodyBudget, after: time.Second}
	}
	x.reserved += int64(n)
	if err != nil {
		x.finishReading(err == io.EOF)
	}
	switch {
	case err == nil, err == io.EOF:
		return n, err
	case errors.Is(err, os.ErrDeadlineExceeded):
		if x.xs.stopping.Load() {
			return n, errStopping
		}
		return n, fmt.Errorf("%w: %d bytes in %v, under %.0f KiB/s", ErrBodyTimeout, x.n, time.Since(x.start).Round(time.Millisecond), x.xs.rate/1024)
	}
	return n, err
}

// finishReading clears the body deadline: once the body is in, net/http reads the connection
// in the background to notice a client that leaves, and a stale deadline there would cancel
// the request.
func (x *exchange) finishReading(eof bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.reading {
		x.reading = false
		x.xs.reading.Add(-1)
		if !x.xs.stopping.Load() {
			x.rc.SetReadDeadline(time.Time{})
		}
	}
	x.eof = x.eof || eof
}

// release gives back the body bytes reserved so far, for a handler that hands the body on as
// it reads (a job upload stores each photo in the queue) and so no longer holds them.
// Handler goroutine only, like read.
func (x *exchange) release() {
	x.xs.bodies.give(x.reserved)
	x.reserved = 0
}

// doneReading is called by handlers when they have all they need from the body.
func (x *exchange) doneReading() { x.finishReading(false) }

// drain reads what is left of a body, within bounds, before a rejection is written.
// Nothing is drained while shutting down, nor from a client already too slow.
func (x *exchange) drain() {
	if x == nil || x.xs.stopping.Load() {
		return
	}
	x.mu.Lock()
	if x.eof {
		x.mu.Unlock()
		return
	}
	x.eof = true
	x.rc.SetReadDeadline(time.Now().Add(x.xs.drainTime))
	x.mu.Unlock()
	io.Copy(io.Discard, io.LimitReader(x.raw, drainLimit))
	x.mu.Lock()
	if !x.xs.stopping.Load() {
		x.rc.SetReadDeadline(time.Time{})
	}
	x.mu.Unlock()
}

// deadlineWriter gives each write grace plus its bytes at the minimum rate (stopCut once
// shutting down), so a client that never reads its answer frees its goroutine and memory.
type deadlineWriter struct {
	http.ResponseWriter
	x *exchange
}

func (w *deadlineWriter) Write(b []byte) (int, error) {
	d := w.x.xs.allowed(int64(len(b)))
	if w.x.xs.stopping.Load() {
		d = w.x.xs.stopCut
	}
	w.x.rc.SetWriteDeadline(time.Now().Add(d))
	return w.ResponseWriter.Write(b)
}

func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// count is the number of requests being served.
func (xs *exchanges) count() int {
	xs.mu.Lock()
	defer xs.mu.Unlock()
	return len(xs.live)
}
