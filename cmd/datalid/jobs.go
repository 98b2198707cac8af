package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/datalid/datalid/internal/cache"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/jobs"
	"github.com/datalid/datalid/internal/server"
)

// queueConfig is the jobs package's view of the nats section.
func queueConfig(n config.NATSConfig, name string) jobs.Config {
	return jobs.Config{
		URL: n.URL, Replicas: n.Replicas, AckWait: n.AckWait, MaxDeliver: n.MaxDeliver, ResultTTL: n.ResultTTL,
		ObjectThreshold: int(n.ObjectThreshold), MaxJobPhotos: n.MaxJobPhotos, Name: name,
	}
}

// openQueue connects to the configured NATS cluster, or starts the embedded server first
// when nats.url is empty. The returned stop closes both.
func openQueue(ctx context.Context, n config.NATSConfig, name string, log *slog.Logger) (*jobs.Queue, func(), error) {
	stop := func() {}
	if n.URL == "" {
		dir, err := filepath.Abs(n.StoreDir)
		if err != nil {
			return nil, nil, err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("nats.store_dir: %w", err)
		}
		ns, err := jobs.StartEmbedded(jobs.EmbeddedOptions{Listen: n.Listen, StoreDir: dir, Name: "datalid"})
		if err != nil {
			return nil, nil, err
		}
		n.URL = ns.ClientURL()
		log.Info("embedded NATS JetStream", "url", n.URL, "store", dir)
		stop = func() { ns.Shutdown(); ns.WaitForShutdown() }
	}
	q, err := jobs.Open(ctx, queueConfig(n, name))
	if err != nil {
		stop()
		return nil, nil, err
	}
	return q, func() { q.Close(); stop() }, nil
}

// errGateway answers /process on a gateway: it has no engine of its own.
var errGateway = fmt.Errorf("%w: this server is a gateway (no local engine); submit photos to POST /v2/jobs", server.ErrNotReady)

// gatewayEngine stands in for the engine on a gateway: every read is refused, and the
// server is ready at once because there is nothing to warm up.
type gatewayEngine struct{}

func (gatewayEngine) Answer(context.Context, engine.Request) (engine.Answer, error) {
	return engine.Answer{Outcome: engine.CacheOutcome{Status: "off"}}, errGateway
}
func (gatewayEngine) CacheStats() []cache.TierStats { return nil }
func (gatewayEngine) Warmup(context.Context) error  { return nil }
func (gatewayEngine) Loaded() bool                  { return false }
func (gatewayEngine) Info() (engine.Info, error) {
	return engine.Info{}, errors.New("gateway: no engine")
}
func (gatewayEngine) QueueDepths() map[string]int { return nil }

// localJobs is serve's part of the queue: the connection and, unless serve is a gateway,
// a worker reading queued photos with the server's own engine and inference slots.
type localJobs struct {
	queue *jobs.Queue
	close func()
	wg    sync.WaitGroup
}

func startJobs(ctx context.Context, cfg config.Config, log *slog.Logger) (*localJobs, error) {
	l := &localJobs{close: func() {}}
	if !cfg.NATS.Enabled {
		return l, nil
	}
	q, stop, err := openQueue(ctx, cfg.NATS, "datalid-serve", log)
	if err != nil {
		return nil, err
	}
	l.queue, l.close = q, stop
	return l, nil
}

// work starts the local worker (nats.workers > 0); stop waits for it.
func (l *localJobs) work(ctx context.Context, srv *server.Server, reg prometheus.Registerer, cfg config.Config, log *slog.Logger) {
	if l.queue == nil || cfg.NATS.Workers == 0 {
		return
	}
	w := jobs.NewWorker(l.queue, srv.JobProcessor(), jobs.WorkerOptions{
		Concurrency: cfg.NATS.Workers, ReadTimeout: cfg.Pipeline.Timeout, Logger: log, Metrics: jobs.NewWorkerMetrics(reg),
	})
	l.wg.Go(func() { w.Run(ctx) })
}

func (l *localJobs) stop() {
	l.wg.Wait()
	l.close()
}
