package e2e

import (
	"bytes"
	"context"
	"image/jpeg"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/server"
	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
	"github.com/prometheus/client_golang/prometheus"
)

// realConfig is the production preset over the fetched models, without its result cache:
// these tests send the same photos again and mean to exercise the pipeline each time (the
// cache tests turn it on).
func realConfig(t testing.TB) config.Config {
	t.Helper()
	c, err := config.Preset("production")
	if err != nil {
		t.Fatal(err)
	}
	c.Models.Dir = testmodels.Dir(t)
	c.Cache.Tiers = nil
	return c
}

// startReal serves a real engine on 127.0.0.1:0 and waits until it is ready.
func startReal(t testing.TB, cfg config.Config) string {
	t.Helper()
	reg := prometheus.NewRegistry()
	bm := server.NewBatchMetrics(reg)
	eng, err := engine.New(cfg, engine.WithBatchObserver(bm.Observe))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Config: cfg, Engine: eng, Registry: reg, Logger: slog.New(slog.DiscardHandler), Version: "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		eng.Close()
	})
	deadline := time.Now().Add(2 * time.Minute)
	for !srv.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("not ready after 2 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + ln.Addr().String()
}

// photo renders a labelled synthetic photo as JPEG.
func photo(t testing.TB, seed int64, expiry time.Time, w, h int) []byte {
	t.Helper()
	p, err := synth.Render(synth.Spec{Seed: seed, Expiry: expiry, Width: w, Height: h, Layout: "VAL {DD}/{MM}/{YYYY}", Font: "bold"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, p.Image, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postFile sends one multipart /process request.
func postFile(client *http.Client, url string, data []byte, fields map[string]string) (int, http.Header, []byte, error) {
	r, err := api.PostProcess(context.Background(), client, url, "", data, fields)
	return r.Status, r.Header, r.Body, err
}
