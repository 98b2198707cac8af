package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/server"
)

func newServeCmd(g *globalFlags) *cobra.Command {
	var (
		addr    string
		natsURL string
		gateway bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Datalid-compatible HTTP API and web page",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.loadModels()
			if err != nil {
				return err
			}
			if addr != "" {
				cfg.Server.Addr = addr
			}
			if natsURL != "" {
				cfg.NATS.Enabled, cfg.NATS.URL = true, natsURL
			}
			log := serverLogger(cfg.Log.Level, cfg.Log.Format, g.verbose)
			reg := prometheus.NewRegistry()
			var eng server.Engine = gatewayEngine{}
			if gateway {
				cfg.NATS.Enabled, cfg.NATS.Workers = true, 0
			} else {
				bm := server.NewBatchMetrics(reg)
				e, err := engine.New(cfg, engine.WithBatchObserver(bm.Observe))
				if err != nil {
					return err
				}
				defer e.Close()
				eng = e
			}
			local, err := startJobs(cmd.Context(), cfg, log)
			if err != nil {
				return err
			}
			defer local.stop()
			srv, err := server.New(server.Options{Config: cfg, Engine: eng, Registry: reg, Logger: log, Version: version, Jobs: local.queue})
			if err != nil {
				return err
			}
			local.work(cmd.Context(), srv, reg, cfg, log)
			ln, err := net.Listen("tcp", cfg.Server.Addr)
			if err != nil {
				return err
			}
			// One group owns both listeners: either failing stops the other, and serve returns
			// only when both are done.
			grp, ctx := errgroup.WithContext(cmd.Context())
			if cfg.Server.AdminAddr != "" {
				aln, err := net.Listen("tcp", cfg.Server.AdminAddr)
				if err != nil {
					ln.Close()
					return err
				}
				grp.Go(func() error { return srv.ServeAdmin(ctx, aln) })
				log.Info("admin (pprof, metrics)", "addr", "http://"+aln.Addr().String())
			}
			fmt.Fprintf(cmd.OutOrStdout(), "datalid serving on http://%s (preset %s)\n", ln.Addr(), cfg.Preset)
			grp.Go(func() error { return srv.Serve(ctx, ln) })
			return grp.Wait()
		},
	}
	cmd.Flags().StringVar(&natsURL, "nats", "", "join an external NATS cluster for /v2/jobs instead of the embedded server (nats.url)")
	cmd.Flags().BoolVar(&gateway, "gateway", false, "serve HTTP and queue jobs without a local engine; `datalid worker`s read the photos")
	cmd.Flags().StringVar(&addr, "addr", "", "listen address HOST:PORT (default: server.addr from the config, 127.0.0.1:8000)")
	return cmd
}

// serverLogger builds the access/error logger from the log section; -v forces debug.
func serverLogger(level, format string, verbose bool) *slog.Logger {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		lv = slog.LevelInfo
	}
	if verbose {
		lv = slog.LevelDebug
	}
	opt := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opt))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opt))
}
