package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteTable writes the report for people: one row per configuration, then the per-stage
// breakdown, then the best configurations.
func WriteTable(w io.Writer, rep Report) error {
	fmt.Fprintf(w, "mode %s", rep.Mode)
	if rep.Target != "" {
		fmt.Fprintf(w, " (%s)", rep.Target)
	}
	if rep.Preset != "" {
		fmt.Fprintf(w, ", preset %s", rep.Preset)
	}
	if rep.Provider != "" {
		fmt.Fprintf(w, ", provider %s", rep.Provider)
	}
	if rep.RuntimeVersion != "" {
		fmt.Fprintf(w, ", onnxruntime %s", rep.RuntimeVersion)
	}
	fmt.Fprintf(w, ", %d inputs, %d CPUs, %s\n\n", rep.Inputs, rep.CPUs, rep.GoVersion)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "configuration\timages\terr\timg/s\tmean ms\tp50\tp95\tp99\tmin\tmax\tCPU cores\tpeak RSS MB\tend RSS MB\tGo heap MB\toutside ORT\t")
	for _, r := range rep.Results {
		outside := "-"
		if r.OutsideRuntimeShare != 0 {
			outside = fmt.Sprintf("%.0f%%", 100*r.OutsideRuntimeShare)
		}
		l := r.Latency
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.0f\t%.0f\t%.0f\t%s\t\n",
			r.Label(), r.Images, r.Errors, r.ThroughputIPS, l.Mean, l.P50, l.P95, l.P99, l.Min, l.Max,
			r.CPU.Cores, mb(r.PeakRSS), mb(r.EndRSS), mb(r.PeakHeap), outside)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	stages := presentStages(rep.Results)
	if len(stages) > 0 {
		fmt.Fprintln(w, "\nmean ms per image by stage (ort_run: inside ONNX Runtime, overlaps the model stages)")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "configuration\t%s\t\n", strings.Join(stages, "\t"))
		for _, r := range rep.Results {
			fmt.Fprintf(tw, "%s", r.Label())
			for _, s := range stages {
				fmt.Fprintf(tw, "\t%.1f", r.StagesMS[s])
			}
			fmt.Fprintln(tw, "\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := writeCacheTable(w, rep.Results); err != nil {
		return err
	}
	for _, r := range rep.Results {
		if r.FirstError != "" {
			fmt.Fprintf(w, "\n%s: %d errors, first: %s", r.Label(), r.Errors, r.FirstError)
		}
		if r.PeakRSSNote != "" {
			fmt.Fprintf(w, "\n%s: %s", r.Label(), r.PeakRSSNote)
		}
	}
	fmt.Fprintln(w)
	if rep.BestThroughput != "" {
		fmt.Fprintf(w, "best for throughput: %s\n", rep.BestThroughput)
	}
	if rep.BestLatency != "" {
		fmt.Fprintf(w, "best for latency:    %s\n", rep.BestLatency)
	}
	if rep.BestBatchSize > 0 {
		fmt.Fprintf(w, "best batch size:     %d\n", rep.BestBatchSize)
	}
	return nil
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// presentStages lists the stages any result reported, in StageOrder.
func presentStages(rs []Result) []string {
	var out []string
	for _, s := range StageOrder {
		for _, r := range rs {
			if _, ok := r.StagesMS[s]; ok {
				out = append(out, s)
				break
			}
		}
	}
	return out
}
