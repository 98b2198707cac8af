package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/report"
)

type parseOutput struct {
	Text     string         `json:"text"`
	BestDate *api.DateInfo  `json:"best_date"`
	Withheld *api.DateInfo  `json:"withheld,omitempty"` // chosen but not sure enough to give
	Dates    []api.DateInfo `json:"dates"`
}

func newParseCmd() *cobra.Command {
	var format, today string
	var monthFirst bool
	var minConf float64
	cmd := &cobra.Command{
		Use:   "parse [--format jsonl] [TEXT...]",
		Short: "Run the date logic alone on OCR text (lines on stdin when no TEXT)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "jsonl" && format != "table" {
				return fmt.Errorf("unknown format %q (want jsonl or table)", format)
			}
			ref, err := parseToday(today)
			if err != nil {
				return err
			}
			if !(minConf >= 0 && minConf < 1) {
				return fmt.Errorf("--min-confidence %v is out of range [0, 1)", minConf)
			}
			// The horizon follows the real day, as in read and serve; --today moves only the expiry status.
			opt := dates.Options{PreferMonthFirst: monthFirst, MinConfidence: minConf, Latest: dates.Horizon(dates.Today(time.Now()))}
			enc := json.NewEncoder(cmd.OutOrStdout())
			one := func(text string) error {
				// A " / " or "|" in the input separates printed lines, as labels write them.
				var lines []dates.Line
				var names []string
				for _, part := range splitLines(text) {
					lines = append(lines, dates.Line{Text: part, Confidence: 1})
					names = append(names, part)
				}
				res := dates.Find(lines, opt)
				out := parseOutput{Text: text, Dates: []api.DateInfo{}}
				for _, c := range res.Candidates {
					out.Dates = append(out.Dates, dateInfo(c, names, ref))
				}
				if res.Best != nil {
					d := dateInfo(*res.Best, names, ref)
					out.BestDate = &d
				}
				if res.Withheld != nil {
					d := dateInfo(*res.Withheld, names, ref)
					out.Withheld = &d
				}
				if format == "table" {
					best := "-"
					switch {
					case out.BestDate != nil:
						best = *out.BestDate.Date + " (" + out.BestDate.Reason + ")"
					case out.Withheld != nil:
						best = "- (" + *out.Withheld.Date + " " + out.Withheld.Reason + ")"
					}
					_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", text, best)
					return err
				}
				return enc.Encode(out)
			}
			if len(args) > 0 {
				for _, a := range args {
					if err := one(a); err != nil {
						return err
					}
				}
				return nil
			}
			sc := bufio.NewScanner(cmd.InOrStdin())
			sc.Buffer(make([]byte, 64*1024), 1<<20)
			for sc.Scan() {
				if strings.TrimSpace(sc.Text()) == "" {
					continue
				}
				if err := one(sc.Text()); err != nil {
					return err
				}
			}
			return sc.Err()
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "jsonl", "output format: jsonl or table")
	f.StringVar(&today, "today", "", "reference day YYYY-MM-DD (default: the current date)")
	f.BoolVar(&monthFirst, "month-first", false, "read ambiguous numeric dates month first (US)")
	f.Float64Var(&minConf, "min-confidence", config.Default().Dates.MinConfidence,
		"withhold a best date less confident than this, or only a manufacture date (dates.min_confidence; 0: never)")
	return cmd
}

func splitLines(text string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == '|' || r == '\n' }) {
		for _, q := range strings.Split(p, " / ") {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
	}
	if len(out) == 0 {
		out = []string{text}
	}
	return out
}

func dateInfo(c dates.Candidate, lines []string, today dates.Date) api.DateInfo {
	d := report.DateInfo(c, nil, today)
	if c.Line >= 0 && c.Line < len(lines) {
		t := lines[c.Line]
		d.Text = &t
	}
	return d
}
