package main

import (
	"fmt"
	"net"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/jobs"
	"github.com/datalid/datalid/internal/server"
)

func newWorkerCmd(g *globalFlags) *cobra.Command {
	var (
		natsURL     string
		id          string
		concurrency int
	)
	cmd := &cobra.Command{
		Use:   "worker --nats URL",
		Short: "Read queued photos from a NATS JetStream job queue (scale out: run one per machine)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.loadModels()
			if err != nil {
				return err
			}
			if natsURL != "" {
				cfg.NATS.URL = natsURL
			}
			if cfg.NATS.URL == "" {
				return fmt.Errorf("--nats URL (or nats.url) is required: a worker joins an existing queue")
			}
			if concurrency > 0 {
				cfg.NATS.Workers = concurrency
			}
			cfg.NATS.Workers = max(1, cfg.NATS.Workers)
			// The reads share the server's inference slots: one per concurrent photo.
			cfg.Server.MaxInFlight = cfg.NATS.Workers
			log := serverLogger(cfg.Log.Level, cfg.Log.Format, g.verbose)
			reg := prometheus.NewRegistry()
			bm := server.NewBatchMetrics(reg)
			eng, err := engine.New(cfg, engine.WithBatchObserver(bm.Observe))
			if err != nil {
				return err
			}
			defer eng.Close()
			ctx := cmd.Context()
			if err := eng.Warmup(ctx); err != nil {
				return err
			}
			srv, err := server.New(server.Options{Config: cfg, Engine: eng, Registry: reg, Logger: log, Version: version})
			if err != nil {
				return err
			}
			q, stop, err := openQueue(ctx, cfg.NATS, "datalid-worker", log)
			if err != nil {
				return err
			}
			defer stop()
			var wg sync.WaitGroup
			defer wg.Wait()
			if cfg.Server.AdminAddr != "" {
				aln, err := net.Listen("tcp", cfg.Server.AdminAddr)
				if err != nil {
					return err
				}
				wg.Go(func() {
					if err := srv.ServeAdmin(ctx, aln); err != nil {
						log.Error("admin listener", "err", err)
					}
				})
			}
			w := jobs.NewWorker(q, srv.JobProcessor(), jobs.WorkerOptions{
				ID: id, Concurrency: cfg.NATS.Workers, ReadTimeout: cfg.Pipeline.Timeout,
				Logger: log, Metrics: jobs.NewWorkerMetrics(reg),
			})
			// A worker idles between bursts of jobs as a server does between bursts of
			// requests: the memory a burst took goes back the same way.
			wg.Go(func() { srv.ReleaseWhenIdle(ctx) })
			fmt.Fprintf(cmd.OutOrStdout(), "datalid worker %s reading %d photos at once from %s\n", w.ID(), cfg.NATS.Workers, cfg.NATS.URL)
			return w.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&natsURL, "nats", "", "NATS server URL(s), nats://host:4222 (default: nats.url from the config)")
	f.StringVar(&id, "id", "", "worker id shown in results and /health (default: host-pid)")
	f.IntVar(&concurrency, "concurrency", 0, "photos read at once (default: nats.workers from the config)")
	return cmd
}
