package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/report"
)

func newReadCmd(g *globalFlags) *cobra.Command {
	var (
		format  string
		today   string
		workers int
		debug   string
		noCache bool
	)
	cmd := &cobra.Command{
		Use:   "read [flags] PATH...",
		Short: "Read the expiry date of each photo (files, or folders searched recursively)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := parseToday(today)
			if err != nil {
				return err
			}
			out, err := report.NewWriter(cmd.OutOrStdout(), format)
			if err != nil {
				return err
			}
			cfg, err := g.loadModels()
			if err != nil {
				return err
			}
			files := listInputs(args)
			if len(files) == 0 {
				return fmt.Errorf("no image files found in %v", args)
			}
			if noCache {
				cfg.Cache.Tiers = nil
			}
			eng, err := engine.New(cfg)
			if errors.Is(err, cache.ErrInUse) {
				// A running server holds the disk tier: read anyway, without that tier.
				fmt.Fprintf(os.Stderr, "datalid: %v; reading without the disk cache\n", err)
				cfg.Cache.Tiers = slices.DeleteFunc(cfg.Cache.Tiers, func(t string) bool { return t == "disk" })
				eng, err = engine.New(cfg)
			}
			if err != nil {
				return err
			}
			defer eng.Close()
			workers = resolveWorkers(workers, cfg.Pipeline.Workers)
			return readAll(cmd.Context(), eng, files, workers, ref, out, debug)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "table", "output format: table, json, jsonl or csv")
	f.StringVar(&today, "today", "", "reference day YYYY-MM-DD for is_expired and days_until_expiry (default: the current date)")
	f.IntVar(&workers, "workers", 0, "images read in parallel (default: pipeline.workers from the config)")
	f.StringVar(&debug, "debug", "", "write, per photo, pictures of what each look found into this folder (probability map, boxes, crops); reads past the cache")
	f.BoolVar(&noCache, "no-cache", false, "read every photo, neither looking up nor storing results in the configured cache")
	return cmd
}

func parseToday(s string) (dates.Date, error) {
	if s == "" {
		return dates.Today(time.Now()), nil
	}
	d, err := dates.ParseISO(s)
	if err != nil {
		return dates.Date{}, fmt.Errorf("--today: %w", err)
	}
	return d, nil
}

func readAll(ctx context.Context, eng *engine.Engine, files []input, workers int, today dates.Date, out report.Writer, debug string) error {
	bar := newProgress(len(files), "reading")
	failed := 0
	maxBytes := eng.Limits().MaxBytes
	forEachOrdered(ctx, workers, len(files), func(ctx context.Context, i int) report.Row {
		row := report.Row{File: files[i].path}
		err := files[i].err
		var data []byte
		if err == nil {
			data, err = readLimited(files[i].path, maxBytes)
		}
		if err == nil {
			var res *pipeline.Result
			if debug != "" {
				// A debug read needs the look-by-look trace, which no cached result has.
				res, err = eng.Read(ctx, data, pipeline.Options{Debug: true})
			} else {
				var a engine.Answer
				a, err = eng.Answer(ctx, engine.Request{Data: data})
				res = a.Result
			}
			if err == nil {
				resp := report.Response(res, today, time.Now())
				row.Response = &resp
				if debug != "" {
					err = report.WriteDebug(debugDir(debug, files[i].path), res)
				}
			}
		}
		if err != nil {
			row.Err = err
		}
		return row
	}, func(i int, row report.Row) {
		bar.Add(1)
		if row.Err != nil {
			failed++
			bar.Clear()
			if msg := row.Err.Error(); strings.Contains(msg, row.File) {
				fmt.Fprintf(os.Stderr, "datalid: %s\n", msg) // the error names the path already
			} else {
				fmt.Fprintf(os.Stderr, "datalid: %s: %s\n", row.File, msg)
			}
		}
		if err := out.Write(row); err != nil {
			fmt.Fprintln(os.Stderr, "datalid: writing output:", err)
		}
	})
	bar.Finish()
	if err := out.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "datalid: %d of %d files could not be read\n", failed, len(files))
		return errReported
	}
	return nil
}

// debugDir is the folder of one photo's debug pictures: its path, made one folder name.
func debugDir(root, file string) string {
	name := strings.TrimSuffix(filepath.Clean(file), filepath.Ext(file))
	name = strings.TrimLeft(strings.NewReplacer("/", "_", "\\", "_", "..", "_").Replace(name), "_.")
	return filepath.Join(root, name)
}
