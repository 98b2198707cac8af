package server

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"strconv"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/config"
)

func itoa(n int) string { return strconv.Itoa(n) }

// slogLevel keeps probes and scrapes out of the info log; failures are warnings.
func slogLevel(status int, p string) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelWarn
	case p == "/health" || p == "/readiness" || p == "/metrics":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	ok := func(msg string) api.ComponentStatus { return api.ComponentStatus{Status: "healthy", Message: msg} }
	bad := func(msg string) api.ComponentStatus { return api.ComponentStatus{Status: "degraded", Message: msg} }
	h := api.HealthResponse{
		Status: "healthy", Version: s.version, UptimeSeconds: time.Since(s.started).Seconds(),
		Components: map[string]api.ComponentStatus{}, Timestamp: s.now().Format(time.RFC3339Nano),
	}
	if s.eng.Loaded() {
		h.Components["models"] = ok("loaded")
	} else {
		h.Components["models"] = bad("not loaded")
	}
	switch s.state.Load() {
	case stateReady:
		h.Components["pipeline"] = ok("warmed up")
	case stateWarmFailed:
		// /health needs no key: the cause (paths, runtime errors) is in the server log only.
		h.Components["pipeline"] = bad("warm-up failed (see the server log)")
	case stateStopping:
		h.Components["pipeline"] = bad("shutting down")
	default:
		h.Components["pipeline"] = bad("warming up")
	}
	if st := s.eng.CacheStats(); st != nil {
		h.Components["cache"] = cacheHealth(st)
	}
	h.Components["admission"] = s.admissionStatus()
	s.queueHealth(r.Context(), &h)
	for _, c := range h.Components {
		if c.Status != "healthy" {
			h.Status = "degraded"
		}
	}
	// Liveness: the process answers, so 200 even when degraded (readiness is the gate).
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) handleReadiness(w http.ResponseWriter, r *http.Request) error {
	var reason string
	switch s.state.Load() {
	case stateReady:
		writeJSON(w, http.StatusOK, api.ReadinessResponse{Status: "ready"})
		return nil
	case stateWarmFailed:
		reason = "warmup_failed"
	case stateStopping:
		reason = "shutting_down"
	default:
		reason = "warming_up"
		if !s.eng.Loaded() {
			reason = "models_not_loaded"
		}
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(notReadyRetry/time.Second)))
	writeJSON(w, http.StatusServiceUnavailable, api.ReadinessResponse{Status: "not_ready", Reason: reason})
	return nil
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) error {
	sc := s.cfg.Server
	out := api.InfoResponse{
		Name: "datalid", Version: s.version,
		Description: "Reads expiry dates from photos of product packaging",
		Models:      map[string]api.ModelInfo{},
		OCREngines:  ocrEngines,
		Limits: api.Limits{
			MaxFileSizeMB:              float64(sc.MaxBodyBytes) / config.MiB,
			MaxBatchSize:               sc.MaxBatchFiles,
			AllowedExtensions:          []string{".jpg", ".jpeg", ".png", ".bmp", ".webp"},
			RateLimitRequestsPerMinute: sc.RateLimitPerMinute,
			RequestTimeoutSeconds:      sc.RequestTimeout.Seconds(),
			MaxInFlight:                sc.MaxInFlight,
			MaxQueue:                   sc.MaxQueue,
		},
		Batching: s.cfg.Batching.Enabled, Preset: s.cfg.Preset,
		DocsURL: "/", OpenAPIURL: "/openapi.json",
		Cache: apiCacheTiers(s.eng.CacheStats()),
	}
	if s.eng.Loaded() {
		info, err := s.eng.Info()
		if err != nil {
			return err
		}
		out.Provider, out.RuntimeVersion = info.Provider, info.RuntimeVersion
		types := map[string]string{"detector": "detection", "recognizer": "recognition", "classifier": "classification", "dictionary": "dictionary"}
		for role, p := range info.Models {
			mi := api.ModelInfo{Name: path.Base(p), Type: types[role], Path: p, Loaded: true}
			if st, err := os.Stat(p); err == nil {
				mi.SizeMB = float64(st.Size()*100/config.MiB) / 100
			}
			out.Models[role] = mi
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

//go:embed web
var webFS embed.FS

//go:embed openapi.json
var openAPISpec []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPISpec)
	return err
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) error {
	return s.serveWeb(w, "index.html")
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	return s.serveWeb(w, r.PathValue("file"))
}

// handleFavicon answers the icon browsers ask for at /favicon.ico (an SVG; index.html names
// it with its type), so page loads log no 404.
func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) error {
	return s.serveWeb(w, "favicon.svg")
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
}

func (s *Server) serveWeb(w http.ResponseWriter, name string) error {
	b, err := fs.ReadFile(webFS, "web/"+name)
	if err != nil {
		return ErrNotFound
	}
	h := w.Header()
	h.Set("Content-Type", contentTypes[path.Ext(name)])
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-cache")
	_, err = w.Write(b)
	return err
}
