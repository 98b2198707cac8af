package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/bench"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/server"
)

// newLoadtestCmd is a hidden measuring tool for docs/http.md: in one process and one run it
// reads the photos in-process with N workers (what `datalid read --workers N` does), then
// serves them over loopback HTTP to C concurrent clients with dynamic batching on and off.
func newLoadtestCmd(g *globalFlags) *cobra.Command {
	var clients, workers, rounds int
	cmd := &cobra.Command{
		Use:    "loadtest DIR|FILE...",
		Short:  "Compare in-process and HTTP throughput, batching on and off",
		Hidden: true,
		Args:   cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.loadModels()
			if err != nil {
				return err
			}
			cfg.Cache.Tiers = nil // every round re-sends the photos: measure reads, not cache hits
			files, err := expandPaths(args)
			if err != nil {
				return err
			}
			var photos [][]byte
			for _, f := range files {
				b, err := readLimited(f, cfg.Decode.MaxBytes)
				if err != nil {
					return err
				}
				photos = append(photos, b)
			}
			n := len(photos) * rounds
			ctx := cmd.Context()
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "mode\trequests\tok\timg/s\tp50\tp95\tp99\tother statuses\n")
			row := func(name string, r bench.LoadReport) {
				other := map[int]int{}
				for s, c := range r.Statuses {
					if s != 200 {
						other[s] = c
					}
				}
				l := bench.Summarize(r.Latencies)
				ms := func(v float64) time.Duration {
					return time.Duration(v * float64(time.Millisecond)).Round(time.Millisecond)
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%v\t%v\t%v\t%v\n", name, n, len(r.Latencies), r.Throughput(),
					ms(l.P50), ms(l.P95), ms(l.P99), other)
			}
			inproc, err := loadInProcess(ctx, cfg, photos, workers, n)
			if err != nil {
				return err
			}
			row(fmt.Sprintf("in-process, %d workers", workers), inproc)
			for _, batching := range []bool{true, false} {
				c := cfg
				c.Batching.Enabled = batching
				r, err := loadServer(ctx, c, photos, clients, n)
				if err != nil {
					return err
				}
				row(fmt.Sprintf("HTTP, %d clients, batching %v", clients, batching), r)
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.IntVar(&clients, "clients", 8, "concurrent HTTP clients")
	f.IntVar(&workers, "workers", 2, "in-process workers (as datalid read --workers)")
	f.IntVar(&rounds, "rounds", 3, "passes over the photos per mode")
	return cmd
}

func loadInProcess(ctx context.Context, cfg config.Config, photos [][]byte, workers, n int) (bench.LoadReport, error) {
	eng, err := engine.New(cfg)
	if err != nil {
		return bench.LoadReport{}, err
	}
	defer eng.Close()
	if err := eng.Warmup(ctx); err != nil {
		return bench.LoadReport{}, err
	}
	rep := bench.LoadReport{Statuses: map[int]int{}}
	t0 := time.Now()
	forEachOrdered(ctx, workers, n, func(ctx context.Context, i int) time.Duration {
		s := time.Now()
		if _, err := eng.Read(ctx, photos[i%len(photos)], pipeline.Options{}); err != nil {
			return -1
		}
		return time.Since(s)
	}, func(i int, d time.Duration) {
		if d < 0 {
			rep.Statuses[-1]++
			return
		}
		rep.Statuses[200]++
		rep.Latencies = append(rep.Latencies, d)
	})
	rep.Elapsed = time.Since(t0)
	slices.Sort(rep.Latencies)
	return rep, nil
}

func loadServer(ctx context.Context, cfg config.Config, photos [][]byte, clients, n int) (bench.LoadReport, error) {
	reg := prometheus.NewRegistry()
	bm := server.NewBatchMetrics(reg)
	eng, err := engine.New(cfg, engine.WithBatchObserver(bm.Observe))
	if err != nil {
		return bench.LoadReport{}, err
	}
	defer eng.Close()
	srv, err := server.New(server.Options{Config: cfg, Engine: eng, Registry: reg, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return bench.LoadReport{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return bench.LoadReport{}, err
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln) }()
	defer func() { stop(); <-done }()
	for !srv.Ready() {
		if sctx.Err() != nil {
			return bench.LoadReport{}, sctx.Err()
		}
		time.Sleep(10 * time.Millisecond)
	}
	return bench.Load(ctx, bench.LoadOptions{URL: "http://" + ln.Addr().String(), Photos: photos, Clients: clients, Requests: n}), nil
}
