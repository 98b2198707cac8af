package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/evaluate"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/report"
)

func newEvalCmd(g *globalFlags) *cobra.Command {
	var (
		labels, format string
		save           string
		workers        int
		change         reshoot
		minAccuracy    float64
		maxWrongRate   float64
		compare        string
	)
	cmd := &cobra.Command{
		Use:   "eval DIR --labels labels.csv",
		Short: "Measure accuracy on labelled photos (exact match and Datalid's failure cascade)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return fmt.Errorf("unknown format %q (want table or json)", format)
			}
			if err := change.check(); err != nil {
				return err
			}
			if labels == "" {
				labels = filepath.Join(args[0], "labels.csv")
			}
			ls, err := evaluate.ReadLabels(labels)
			if err != nil {
				return err
			}
			// The earlier run is checked before any photo is read: a mistyped path must not
			// cost a whole evaluation.
			var earlier *evaluate.Summary
			if compare != "" {
				e, err := evaluate.ReadSummary(compare)
				if err != nil {
					return fmt.Errorf("--compare: %w", err)
				}
				earlier = &e
			}
			cfg, err := g.loadModels()
			if err != nil {
				return err
			}
			cfg.Cache.Tiers = nil // eval measures reading: every photo is read, none looked up
			eng, err := engine.New(cfg)
			if err != nil {
				return err
			}
			defer eng.Close()
			workers = resolveWorkers(workers, cfg.Pipeline.Workers)
			if save != "" {
				if err := os.MkdirAll(save, 0o755); err != nil {
					return err
				}
			}
			items := evalAll(cmd.Context(), eng, args[0], ls, workers, change, save)
			if err := cmd.Context().Err(); err != nil {
				return fmt.Errorf("interrupted: %w", err)
			}
			s := evaluate.Summarize(items)
			if earlier != nil {
				c := evaluate.Compare(earlier.Items, s.Items)
				s.Compared = &c
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(s); err != nil {
					return err
				}
			} else {
				printSummary(cmd.OutOrStdout(), s)
			}
			if s.ExactMatch < minAccuracy {
				return fmt.Errorf("exact match %.3f below --min-accuracy %.3f", s.ExactMatch, minAccuracy)
			}
			if s.WrongRate > maxWrongRate {
				return fmt.Errorf("wrong-date rate %.3f above --max-wrong-rate %.3f", s.WrongRate, maxWrongRate)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&labels, "labels", "", "CSV with columns file and expiry_date (default DIR/labels.csv)")
	f.StringVar(&format, "format", "table", "output format: table or json")
	f.IntVar(&workers, "workers", 0, "images read in parallel (default: pipeline.workers)")
	f.IntVar(&change.turn, "turn", 0, "read each photo turned this many degrees counter-clockwise (-359..359; re-encoded as JPEG that keeps the day the photo was taken; a turn other than a quarter grows the canvas): do photos taken another way up, or askew, read as well?")
	f.Float64Var(&change.shrink, "shrink", 1, "read each photo shrunk by this factor on each side (0..1; re-encoded as JPEG that keeps the day the photo was taken): do photos taken from farther away, or kept smaller, read as well?")
	f.StringVar(&save, "save", "", "write each photo as it was read (turned or shrunk) to this folder under its own name, so that another build can read the same bytes")
	f.Float64Var(&minAccuracy, "min-accuracy", 0, "exit non-zero when exact match is below this fraction")
	f.StringVar(&compare, "compare", "", "an earlier `eval --format json` output of the same photos: list the photos whose answer changed since")
	f.Float64Var(&maxWrongRate, "max-wrong-rate", 1, "exit non-zero when the share of photos answered with a wrong date is above this fraction")
	return cmd
}

func evalAll(ctx context.Context, eng *engine.Engine, dir string, ls []evaluate.Label, workers int, change reshoot, save string) []evaluate.Item {
	items := make([]evaluate.Item, 0, len(ls))
	bar := newProgress(len(ls), "evaluating")
	maxBytes := eng.Limits().MaxBytes
	forEachOrdered(ctx, workers, len(ls), func(ctx context.Context, i int) evaluate.Item {
		l := ls[i]
		it := evaluate.Item{File: l.File, Label: l.Expiry}
		data, err := readLimited(filepath.Join(dir, l.File), maxBytes)
		if err == nil && !change.none() {
			data, err = change.apply(data, eng.Limits())
		}
		if err == nil && save != "" {
			err = os.WriteFile(filepath.Join(save, filepath.Base(l.File)), data, 0o644)
		}
		if err != nil {
			it.Outcome, it.Error = evaluate.ReadFailed, err.Error()
			return it
		}
		t0 := time.Now()
		res, err := eng.Read(ctx, data, pipeline.Options{})
		it.Elapsed = time.Since(t0)
		it.Seconds = it.Elapsed.Seconds()
		if err != nil {
			it.Outcome, it.Error = evaluate.ReadFailed, err.Error()
			return it
		}
		var texts []string
		for _, ln := range res.Lines {
			texts = append(texts, ln.Text)
		}
		it.Text = strings.Join(texts, " / ")
		if b := res.Dates.Best; b != nil {
			it.Predicted, it.Confidence = b.Date.String(), b.Confidence
		} else if w := res.Dates.Withheld; w != nil {
			it.Withheld, it.Confidence = w.Date.String(), w.Confidence
		}
		it.Outcome = evaluate.Classify(l.Expiry, it.Predicted, it.Text)
		return it
	}, func(_ int, it evaluate.Item) {
		bar.Add(1)
		items = append(items, it)
	})
	bar.Finish()
	return items
}

func printSummary(w io.Writer, s evaluate.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tLABEL\tPREDICTED\tCONF\tOUTCOME\tTIME\tTEXT")
	for _, it := range s.Items {
		pred := it.Predicted
		switch {
		case pred == "" && it.Withheld != "":
			pred = "(" + it.Withheld + ")" // chosen, but not sure enough to give
		case pred == "":
			pred = "-"
		}
		conf := "-"
		if it.Confidence > 0 {
			conf = fmt.Sprintf("%.2f", it.Confidence)
		}
		text := it.Text
		if it.Error != "" {
			text = it.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.0fms\t%s\n", it.File, it.Label, pred, conf, it.Outcome, it.Seconds*1000, report.OneLine(text, 70))
	}
	tw.Flush()
	c := s.Cascade
	fmt.Fprintf(w, "\ntotal %d  correct %d  exact_match %.3f  wrong %d  wrong_rate %.3f  median %.0fms  mean %.0fms\n",
		s.Total, s.Correct, s.ExactMatch, s.Wrong, s.WrongRate, s.MedianSec*1000, s.MeanSec*1000)
	fmt.Fprintf(w, "cascade: no text %d, text but no date %d, wrong date %d, right date %d, unreadable %d\n",
		c[evaluate.NoText], c[evaluate.NoDate], c[evaluate.WrongDate], c[evaluate.RightDate], c[evaluate.ReadFailed])
	fmt.Fprintf(w, "withheld (dates.min_confidence): %d that would have been right, %d that would have been wrong\n",
		s.WithheldRight, s.WithheldWrong)
	printCalibration(w, s.Calibration)
	if s.Compared != nil {
		printComparison(w, s.Compared)
	}
}

// printCalibration shows, band by band, how often the chosen dates were right: where the
// bands below dates.min_confidence hold more right dates than wrong ones, abstaining costs
// more than it saves.
func printCalibration(w io.Writer, bands []evaluate.Band) {
	fmt.Fprintln(w, "chosen dates by confidence (given or withheld): right / wrong, given")
	for _, b := range bands {
		if b.Right+b.Wrong == 0 {
			continue
		}
		fmt.Fprintf(w, "  %.1f–%.1f  %d / %d, %d given\n", b.From, b.To, b.Right, b.Wrong, b.Given)
	}
}

func printComparison(w io.Writer, c *evaluate.Comparison) {
	fmt.Fprintf(w, "against the earlier run: right %d → %d, wrong %d → %d; answers changed: %d",
		c.EarlierCorrect, c.Correct, c.EarlierWrong, c.Wrong, len(c.Changes))
	if c.Missing > 0 {
		fmt.Fprintf(w, " (%d photos in only one of the two runs left out)", c.Missing)
	}
	fmt.Fprintln(w)
	// Each line starts with "changed:", not the file, so that a reader of the table's rows by
	// their first column (scripts/synth-by-layout.awk) does not count a photo twice.
	for _, ch := range c.Changes {
		fmt.Fprintf(w, "  changed: %s (label %s): %s %s → %s %s\n", ch.File, ch.Label,
			ch.Before, orNone(ch.BeforeDate), ch.After, orNone(ch.AfterDate))
	}
}

func orNone(date string) string {
	if date == "" {
		return "-"
	}
	return date
}
