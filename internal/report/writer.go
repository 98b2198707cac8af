package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/datalid/datalid/api"
)

// Row is one input's outcome: a response or an error.
type Row struct {
	File     string
	Response *api.ProcessImageResponse
	Err      error
}

// Writer renders rows in one output format.
type Writer interface {
	Write(Row) error
	Close() error
}

// Formats lists the output formats NewWriter accepts.
var Formats = []string{"table", "json", "jsonl", "csv"}

// NewWriter returns a writer for format.
func NewWriter(w io.Writer, format string) (Writer, error) {
	switch format {
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "FILE\tEXPIRY\tSTATUS\tCONF\tTEXT\tTIME")
		return &tableWriter{tw: tw}, nil
	case "jsonl":
		return &jsonWriter{enc: json.NewEncoder(w)}, nil
	case "json":
		return &jsonWriter{enc: json.NewEncoder(w), array: true, w: w}, nil
	case "csv":
		cw := csv.NewWriter(w)
		err := cw.Write([]string{"file", "status", "expiry_date", "precision", "confidence", "days_until_expiry", "is_expired", "text", "total_time", "error"})
		return &csvWriter{cw: cw}, err
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

type errorRow struct {
	File   string `json:"file"`
	Status string `json:"status"`
	Error  string `json:"error"`
}

type fileResponse struct {
	File string `json:"file"`
	*api.ProcessImageResponse
}

func jsonValue(r Row) any {
	if r.Err != nil {
		return errorRow{File: r.File, Status: "error", Error: r.Err.Error()}
	}
	return fileResponse{File: r.File, ProcessImageResponse: r.Response}
}

type jsonWriter struct {
	enc   *json.Encoder
	array bool
	w     io.Writer
	n     int
}

func (j *jsonWriter) Write(r Row) error {
	if j.array {
		sep := ",\n"
		if j.n == 0 {
			sep = "[\n"
		}
		if _, err := io.WriteString(j.w, sep); err != nil {
			return err
		}
		j.n++
		b, err := json.Marshal(jsonValue(r))
		if err != nil {
			return err
		}
		_, err = j.w.Write(b)
		return err
	}
	return j.enc.Encode(jsonValue(r))
}

func (j *jsonWriter) Close() error {
	if !j.array {
		return nil
	}
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

type tableWriter struct{ tw *tabwriter.Writer }

func (t *tableWriter) Write(r Row) error {
	if r.Err != nil {
		_, err := fmt.Fprintf(t.tw, "%s\t-\terror\t-\t%s\t-\n", r.File, OneLine(r.Err.Error(), 60))
		return err
	}
	resp := r.Response
	expiry, status, conf, text := "-", resp.Status, "-", ""
	if b := resp.BestDate; b != nil {
		expiry = *b.Date
		if b.Precision == "month" {
			expiry = (*b.Date)[:7] + " (month)"
		}
		status = Badge(*b.IsExpired, *b.DaysUntilExpiry)
		conf = strconv.FormatFloat(b.Confidence, 'f', 2, 64)
		if b.Text != nil {
			text = *b.Text
		}
	} else if len(resp.OCRResults) > 0 {
		parts := make([]string, 0, len(resp.OCRResults))
		for _, o := range resp.OCRResults {
			parts = append(parts, o.Text)
		}
		text = strings.Join(parts, " | ")
	}
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%.0fms\n", r.File, expiry, status, conf, OneLine(text, 60), resp.Metrics.TotalTime*1000)
	return err
}

func (t *tableWriter) Close() error { return t.tw.Flush() }

// Badge is the human summary of an expiry: "expired 3 days ago", "expires today", "12 days left".
func Badge(expired bool, days int) string {
	switch {
	case expired && days == -1:
		return "expired yesterday"
	case expired:
		return fmt.Sprintf("expired %d days ago", -days)
	case days == 0:
		return "expires today"
	case days == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", days)
}

type csvWriter struct{ cw *csv.Writer }

func (c *csvWriter) Write(r Row) error {
	if r.Err != nil {
		return c.cw.Write([]string{r.File, "error", "", "", "", "", "", "", "", r.Err.Error()})
	}
	resp := r.Response
	rec := []string{r.File, resp.Status, "", "", "", "", "", "", strconv.FormatFloat(resp.Metrics.TotalTime, 'f', 4, 64), ""}
	if b := resp.BestDate; b != nil {
		rec[2], rec[3] = *b.Date, b.Precision
		rec[4] = strconv.FormatFloat(b.Confidence, 'f', 4, 64)
		rec[5] = strconv.Itoa(*b.DaysUntilExpiry)
		rec[6] = strconv.FormatBool(*b.IsExpired)
		if b.Text != nil {
			rec[7] = *b.Text
		}
	}
	return c.cw.Write(rec)
}

func (c *csvWriter) Close() error { c.cw.Flush(); return c.cw.Error() }

// OneLine collapses whitespace and truncates s to n runes for table cells.
func OneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
