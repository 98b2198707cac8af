package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/datalid/datalid/internal/bench"
)

type benchFlags struct {
	synthetic, iterations, warmup     int
	server, apiKey                    string
	concurrency, batchSizes, threads  string
	duration                          time.Duration
	format, out                       string
	fresh                             bool
	cpuprofile, memprofile, traceFile string
}

func newBenchCmd(g *globalFlags) *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench [flags] [PATH...]",
		Short: "Measure latency, throughput, memory and CPU (in-process or against a server)",
		Long: `Reads photos (files or folders, and/or --synthetic N rendered ones) repeatedly: a warm-up,
then counted reads, for every combination of --threads, --batch-sizes and --concurrency.
Reports latency percentiles, throughput, per-stage time, memory and CPU per configuration and
names the best. With --server URL, posts each photo to URL/process instead (concurrency sweep).`,
		RunE: func(cmd *cobra.Command, args []string) error { return runBench(cmd, g, f, args) },
	}
	fl := cmd.Flags()
	fl.IntVar(&f.synthetic, "synthetic", 0, "add N synthetic photos (rendered in memory)")
	fl.StringVar(&f.server, "server", "", "benchmark a running server at this base URL instead of in-process")
	fl.StringVar(&f.apiKey, "api-key", os.Getenv("DATALID_API_KEY"), "X-API-Key for --server (env DATALID_API_KEY)")
	fl.StringVar(&f.concurrency, "concurrency", "", "parallel callers to sweep, e.g. 1,2,4,8 (default: pipeline.workers)")
	fl.StringVar(&f.batchSizes, "batch-sizes", "", "batch sizes to sweep, e.g. 1,2,4,8,16 (default: recognition.batch_size)")
	fl.StringVar(&f.threads, "threads", "", "ORT intra-op threads to sweep, e.g. 1,2 (default: runtime.intra_op_threads)")
	fl.DurationVar(&f.duration, "duration", 0, "time each configuration for this long (instead of --iterations)")
	fl.IntVar(&f.iterations, "iterations", 0, "counted reads per configuration (default: one pass over the inputs)")
	fl.IntVar(&f.warmup, "warmup", -1, "untimed reads before each configuration (default: min(inputs, 4))")
	fl.BoolVar(&f.fresh, "fresh", false, "append random bytes to each photo (decoded the same) so that its first read misses a server's result cache; with --iterations above the inputs and --warmup 0, the report splits hits from misses")
	fl.StringVar(&f.format, "format", "table", "output format: table or json")
	fl.StringVar(&f.out, "out", "", "write SVG charts (latency histogram, throughput sweeps) and report.json into this folder")
	fl.StringVar(&f.cpuprofile, "cpuprofile", "", "write a CPU profile of the counted runs to this file")
	fl.StringVar(&f.memprofile, "memprofile", "", "write a heap profile at the end to this file")
	fl.StringVar(&f.traceFile, "trace", "", "write an execution trace to this file")
	return cmd
}

func runBench(cmd *cobra.Command, g *globalFlags, f benchFlags, args []string) error {
	if f.format != "table" && f.format != "json" {
		return fmt.Errorf("unknown format %q (want table or json)", f.format)
	}
	if f.duration > 0 && f.iterations > 0 {
		return fmt.Errorf("--duration and --iterations are exclusive")
	}
	var sw bench.Sweep
	var err error
	if sw.Concurrency, err = parseInts("--concurrency", f.concurrency); err != nil {
		return err
	}
	if sw.BatchSizes, err = parseInts("--batch-sizes", f.batchSizes); err != nil {
		return err
	}
	if sw.Threads, err = parseInts("--threads", f.threads); err != nil {
		return err
	}
	load := g.loadModels
	if f.server != "" {
		load = g.load // the server has its own models
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	inputs, err := benchInputs(args, f.synthetic, cfg.Decode.MaxBytes)
	if err != nil {
		return err
	}
	if f.fresh {
		inputs = bench.Fresh(inputs)
	}
	opt := bench.Options{Iterations: f.iterations, Duration: f.duration, Warmup: f.warmup}
	if opt.Warmup < 0 {
		opt.Warmup = min(len(inputs), 4)
	}
	stop, err := startProfiles(f)
	if err != nil {
		return err
	}
	bar := newBenchBar(opt, len(inputs))
	opt.OnDone = bar.add
	var rep bench.Report
	if f.server != "" {
		if len(sw.BatchSizes) > 0 || len(sw.Threads) > 0 {
			stop()
			return fmt.Errorf("--batch-sizes and --threads apply in-process; set them in the server's config")
		}
		rep, err = bench.Server(cmd.Context(), bench.ServerTarget{URL: f.server, APIKey: f.apiKey}, inputs, sw.Concurrency, opt, bar.start)
	} else {
		rep, err = bench.InProcess(cmd.Context(), cfg, inputs, sw, opt, bar.start)
	}
	bar.finish()
	if perr := stop(); perr != nil && err == nil {
		err = perr
	}
	if err != nil {
		return err
	}
	if f.out != "" {
		files, err := bench.WriteCharts(f.out, rep)
		if err != nil {
			return err
		}
		jf, err := os.Create(f.out + "/report.json")
		if err != nil {
			return err
		}
		err = bench.WriteJSON(jf, rep)
		if cerr := jf.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "datalid: wrote %s and %s/report.json\n", strings.Join(files, ", "), f.out)
	}
	if f.format == "json" {
		return bench.WriteJSON(cmd.OutOrStdout(), rep)
	}
	return bench.WriteTable(cmd.OutOrStdout(), rep)
}

func parseInts(flag, s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s: %q is not a positive integer", flag, p)
		}
		out = append(out, n)
	}
	return out, nil
}

func benchInputs(paths []string, synthetic int, maxBytes int64) ([]bench.Input, error) {
	files, err := expandPaths(paths)
	if err != nil {
		return nil, err
	}
	var in []bench.Input
	for _, f := range files {
		data, err := readLimited(f, maxBytes)
		if err != nil {
			return nil, err
		}
		in = append(in, bench.Input{Name: f, Data: data})
	}
	if synthetic > 0 {
		s, err := bench.Synthetic(synthetic, 1)
		if err != nil {
			return nil, err
		}
		in = append(in, s...)
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("nothing to benchmark: give photo paths or --synthetic N")
	}
	return in, nil
}

// startProfiles starts the requested CPU profile and trace; the returned function stops them
// and writes the heap profile.
func startProfiles(f benchFlags) (func() error, error) {
	var closers []func() error
	stop := func() error {
		var first error
		for i := len(closers) - 1; i >= 0; i-- {
			if err := closers[i](); err != nil && first == nil {
				first = err
			}
		}
		closers = nil
		return first
	}
	if f.cpuprofile != "" {
		cf, err := os.Create(f.cpuprofile)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cf); err != nil {
			cf.Close()
			return nil, err
		}
		closers = append(closers, func() error { pprof.StopCPUProfile(); return cf.Close() })
	}
	if f.traceFile != "" {
		tf, err := os.Create(f.traceFile)
		if err != nil {
			stop()
			return nil, err
		}
		if err := trace.Start(tf); err != nil {
			tf.Close()
			stop()
			return nil, err
		}
		closers = append(closers, func() error { trace.Stop(); return tf.Close() })
	}
	if f.memprofile != "" {
		closers = append([]func() error{func() error {
			mf, err := os.Create(f.memprofile)
			if err != nil {
				return err
			}
			runtime.GC()
			if err := pprof.Lookup("heap").WriteTo(mf, 0); err != nil {
				mf.Close()
				return err
			}
			return mf.Close()
		}}, closers...)
	}
	return stop, nil
}

// benchBar is a stderr progress bar per configuration, shown only on a terminal.
type benchBar struct {
	total int
	bar   *progressbar.ProgressBar
}

func newBenchBar(opt bench.Options, inputs int) *benchBar {
	if !term.IsTerminal(int(os.Stderr.Fd())) {
		return &benchBar{total: -2}
	}
	total := inputs
	switch {
	case opt.Iterations > 0:
		total = opt.Iterations
	case opt.Duration > 0:
		total = -1 // unknown: a spinner with a count
	}
	return &benchBar{total: total}
}

func (b *benchBar) start(name string) {
	if b.total == -2 {
		return
	}
	b.finish()
	b.bar = progressbar.NewOptions(b.total,
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("img"),
		progressbar.OptionClearOnFinish(),
	)
}

func (b *benchBar) add() {
	if b.bar != nil {
		b.bar.Add(1)
	}
}

func (b *benchBar) finish() {
	if b.bar != nil {
		b.bar.Finish()
		b.bar = nil
	}
}
