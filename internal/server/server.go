// Package server owns datalid's HTTP front end: the Datalid-compatible routes, middleware
// (request IDs, access log, API keys, rate limits, CORS, metrics), admission control, the one
// error → status mapping, the OpenAPI spec and the embedded web page. It is the only package
// that imports net/http; it sees the engine through the small Engine interface.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/jobs"
	"github.com/datalid/datalid/internal/memtrim"
)

// Engine is what the server needs from the engine (engine.Engine satisfies it; tests fake it).
type Engine interface {
	// Answer reads one photo (through the cache) and returns the whole answer: the result
	// filtered by the request's region score, and the photo when pictures are asked for.
	Answer(ctx context.Context, req engine.Request) (engine.Answer, error)
	CacheStats() []cache.TierStats // nil without a cache
	Warmup(ctx context.Context) error
	Loaded() bool
	Info() (engine.Info, error)
	QueueDepths() map[string]int
}

// Options are a server's dependencies.
type Options struct {
	Config   config.Config        // server, decode, detection and batching sections are used
	Engine   Engine               // required
	Registry *prometheus.Registry // metrics registry; nil = a fresh one
	Logger   *slog.Logger         // access and error log; nil = slog.Default()
	Version  string
	Now      func() time.Time // clock for processed_at and days_until_expiry; nil = time.Now
	Jobs     *jobs.Queue      // the job queue behind /v2/jobs; nil = no /v2/jobs routes
}

// Server serves the API. Create with New, run with Serve.
type Server struct {
	cfg     config.Config
	eng     Engine
	reg     *prometheus.Registry
	log     *slog.Logger
	version string
	now     func() time.Time
	started time.Time

	jobs      *jobs.Queue
	jobsIn    prometheus.Counter // photos accepted on /v2/jobs (jobs.go)
	adm       *admission
	xio       *exchanges       // transfers in progress, their deadlines and body budget (limits.go)
	decodeMem *budget          // decode memory of the images being read (memory.go)
	reads     memtrim.Activity // reads holding a slot, for ReleaseWhenIdle (memory.go)
	limiter   *clientLimiter
	metrics   *metrics
	handler   http.Handler

	state   atomic.Int32 // readiness, see the ready* constants
	warmErr atomic.Pointer[string]
}

// Readiness states.
const (
	stateWarming int32 = iota
	stateReady
	stateWarmFailed
	stateStopping
)

// New builds a server; call Serve to run it.
func New(o Options) (*Server, error) {
	if o.Engine == nil {
		return nil, errors.New("server: an engine is required")
	}
	s := &Server{
		cfg: o.Config, eng: o.Engine, reg: o.Registry, log: o.Logger, version: o.Version, now: o.Now,
		started: time.Now(), jobs: o.Jobs,
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.version == "" {
		s.version = "dev"
	}
	sc := s.cfg.Server
	s.adm = newAdmission(max(1, sc.MaxInFlight), max(0, sc.MaxQueue))
	// Bodies of admitted and queued requests at the per-file limit: what the old admission
	// bounded, now held only by bytes that actually arrived.
	// At least one whole batch body, or a batch at its limit could never be read.
	s.xio = newExchanges(max(s.adm.capacity*max(1, sc.MaxBodyBytes+formOverhead), s.batchBodyLimit()+maxReadChunk))
	s.decodeMem = newBudget(decodeBudget(s.decodeOptions()))
	if sc.RateLimitPerMinute > 0 {
		s.limiter = newClientLimiter(sc.RateLimitPerMinute)
	}
	s.metrics = newMetrics(s.reg, s)
	s.handler = s.routes()
	return s, nil
}

// Handler is the whole API with its middleware (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve warms the engine up in the background (readiness turns 200 when done) and serves on
// ln until ctx ends; then it stops accepting, lets in-flight requests finish (up to the
// request timeout plus a margin) and returns. The caller owns ln's address; Serve closes it.
// One errgroup owns every goroutine Serve starts: none outlives it, and a listener that
// fails ends the others.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleConnTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		// Requests must outlive ctx (the signal), so that shutdown can let them finish.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { s.warmup(gctx); return nil })
	g.Go(func() error { s.ReleaseWhenIdle(gctx); return nil })
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done() // the signal, or the listener failed
		s.state.Store(stateStopping)
		s.xio.stop() // bodies still arriving end now; unread answers get stopCut
		grace := s.cfg.Server.RequestTimeout + shutdownMargin
		if s.cfg.Server.RequestTimeout <= 0 {
			grace = shutdownWithoutTimeout
		}
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	return g.Wait()
}

// Shutdown waits for in-flight requests: the request timeout bounds each, and the margin
// lets the last one's answer be written; without a request timeout, a minute.
const (
	shutdownMargin         = 5 * time.Second
	shutdownWithoutTimeout = time.Minute
)

// Connection timeouts of both listeners. Headers are a few hundred bytes: 10 s is ample on
// any link and frees a slot held by a client that never finishes them (slowloris); bodies
// have their own transfer-rate floor (limits.go). Idle keep-alive connections close after
// two minutes: a client sending photo after photo keeps its connection, one that went away
// does not hold a descriptor for long.
const (
	readHeaderTimeout = 10 * time.Second
	idleConnTimeout   = 2 * time.Minute
)

// notReadyRetry is the Retry-After of answers before warm-up ends or while shutting down:
// warm-up is one read (a few seconds on 2 cores); a restart behind a proxy is as long.
const notReadyRetry = 5 * time.Second

// ServeAdmin serves pprof and metrics on a separate listener (server.admin_addr), so profiling
// is never reachable on the public port.
func (s *Server) ServeAdmin(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
	defer context.AfterFunc(ctx, func() { srv.Close() })() // closing ends Serve; a returning Serve stops the watch
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) warmup(ctx context.Context) {
	t0 := time.Now()
	if err := s.eng.Warmup(ctx); err != nil {
		msg := err.Error()
		s.warmErr.Store(&msg)
		s.state.CompareAndSwap(stateWarming, stateWarmFailed)
		s.log.Error("warm-up failed", "err", err)
		return
	}
	warm := time.Since(t0)
	if info, err := s.eng.Info(); err == nil {
		s.metrics.load.Set(info.LoadTime.Seconds())
		warm = warmRead(warm, info.LoadTime)
	}
	s.primeAdmission(warm)
	s.state.CompareAndSwap(stateWarming, stateReady)
	s.log.Info("ready", "warmup", time.Since(t0).Round(time.Millisecond))
}

// Ready reports whether the server accepts image requests.
func (s *Server) Ready() bool { return s.state.Load() == stateReady }

// datalidRoute answers h's errors with Datalid's status codes (see datalidError).
func datalidRoute(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error { return datalidStatus(h(w, r)) }
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h func(http.ResponseWriter, *http.Request) error) {
		mux.Handle(pattern, s.instrument(pattern, h))
	}
	handle("POST /process", datalidRoute(s.handleProcess))
	handle("POST /process/batch", datalidRoute(s.handleBatch))
	handle("POST /process_batch", datalidRoute(s.handleBatch))
	handle("GET /health", s.handleHealth)
	handle("GET /readiness", s.handleReadiness)
	handle("GET /info", s.handleInfo)
	handle("GET /openapi.json", s.handleOpenAPI)
	handle("GET /{$}", s.handleIndex)
	handle("GET /static/{file}", s.handleStatic)
	handle("GET /favicon.ico", s.handleFavicon)
	s.jobRoutes(handle)
	mux.Handle("GET /metrics", s.instrument("GET /metrics", func(w http.ResponseWriter, r *http.Request) error {
		promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
		return nil
	}))
	handle("/", func(w http.ResponseWriter, r *http.Request) error {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/" {
				return ErrMethod // the path exists with another method
			}
		}
		return ErrNotFound
	})
	return s.limitIO(s.requestID(s.accessLog(s.cors(s.auth(mux)))))
}
