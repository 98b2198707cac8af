package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

type ctxKey int

const requestIDKey ctxKey = 0

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestID takes the client's X-Request-ID when it is short and plain, else makes one, and
// echoes it in the response, so one ID follows a request through proxies, logs and errors.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validID(id) {
			var b [12]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// recorder remembers the status and size written, for the log and metrics.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// accessLog writes one structured line per request.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t0 := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		level := slogLevel(rec.status, r.URL.Path)
		s.log.Log(r.Context(), level, "request",
			"method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes,
			"duration_ms", float64(time.Since(t0).Microseconds())/1000,
			"client", clientIP(r), "request_id", requestID(r.Context()))
	})
}

// instrument turns a handler's error into the envelope and records metrics under the route
// pattern (a bounded label, unlike the raw path).
func (s *Server) instrument(route string, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t0 := time.Now()
		s.metrics.inFlight.Inc()
		defer s.metrics.inFlight.Dec()
		rec := &recorder{ResponseWriter: w}
		if err := h(rec, r); err != nil {
			s.writeError(rec, r, err)
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.metrics.request(route, r.Method, rec.status, time.Since(t0))
	})
}

// exempt routes need neither an API key nor a rate-limit token: probes and scrapers, and the
// page and spec, which hold no data.
func exempt(path string) bool {
	switch path {
	case "/health", "/readiness", "/metrics", "/", "/openapi.json", "/favicon.ico":
		return true
	}
	return strings.HasPrefix(path, "/static/")
}

// auth checks X-API-Key (when keys are configured) and the per-client rate limit.
func (s *Server) auth(next http.Handler) http.Handler {
	keys := make([][32]byte, len(s.cfg.Server.APIKeys))
	for i, k := range s.cfg.Server.APIKeys {
		keys[i] = sha256.Sum256([]byte(k))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions || exempt(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if len(keys) > 0 {
			// Hashing first gives equal lengths, so the comparison time says nothing about the key.
			got := sha256.Sum256([]byte(r.Header.Get("X-API-Key")))
			ok := 0
			for _, k := range keys {
				ok |= subtle.ConstantTimeCompare(got[:], k[:])
			}
			if ok == 0 {
				s.writeError(w, r, withDetails(ErrUnauthorized, map[string]any{"header": "X-API-Key"}))
				s.metrics.request("auth", r.Method, http.StatusUnauthorized, 0)
				return
			}
		}
		if s.limiter != nil {
			if wait, ok := s.limiter.allow(clientIP(r), time.Now()); !ok {
				w.Header().Set("X-RateLimit-Limit", itoa(s.cfg.Server.RateLimitPerMinute))
				s.writeError(w, r, withDetails(&retryError{err: ErrRateLimited, after: wait},
					map[string]any{"limit": s.cfg.Server.RateLimitPerMinute, "window": "1 minute"}))
				s.metrics.request("rate_limit", r.Method, http.StatusTooManyRequests, 0)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// corsAllowHeaders are the request headers a browser may send cross-origin: the form's
// Content-Type, our key and request ID, and Cache-Control, which fetch(…, {cache: 'no-cache'})
// in Datalid's front end may add.
const corsAllowHeaders = "Content-Type, X-API-Key, X-Request-ID, Cache-Control"

// cors answers preflights and sets Access-Control-* for the configured origins.
func (s *Server) cors(next http.Handler) http.Handler {
	origins := s.cfg.Server.CORSOrigins
	any := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || len(origins) == 0 || !(any || slices.Contains(origins, origin)) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		if any {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		h.Set("Access-Control-Expose-Headers", "X-Request-ID, Retry-After, X-RateLimit-Limit")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the peer address. X-Forwarded-For is not trusted: behind a proxy, rate limits
// belong in the proxy, and a forgeable header must not choose whose budget a request spends.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientLimiter is a token bucket per client (perMinute tokens, refilled evenly, burst the
// same), with idle clients forgotten so the map stays bounded by recent clients.
type clientLimiter struct {
	mu        sync.Mutex
	perMinute int
	clients   map[string]*clientBucket
	swept     time.Time
}

type clientBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// The client map is swept once a minute (a sweep walks it all, under the lock), dropping
// clients unseen for two minutes: a bucket refills fully in one, so a forgotten client
// starts again exactly where it would have been.
const (
	limiterSweepEvery  = time.Minute
	limiterForgetAfter = 2 * time.Minute
)

func newClientLimiter(perMinute int) *clientLimiter {
	return &clientLimiter{perMinute: perMinute, clients: map[string]*clientBucket{}}
}

// allow takes a token for client, or says how long until one is available.
func (l *clientLimiter) allow(client string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > limiterSweepEvery {
		for k, b := range l.clients {
			if now.Sub(b.seen) > limiterForgetAfter {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	b := l.clients[client]
	if b == nil {
		b = &clientBucket{lim: rate.NewLimiter(rate.Every(time.Minute/time.Duration(l.perMinute)), l.perMinute)}
		l.clients[client] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, false
	}
	return 0, true
}
