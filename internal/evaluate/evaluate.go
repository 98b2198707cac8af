// Package evaluate owns accuracy measurement against labelled photos: reading the labels file,
// matching a predicted date to a label (a YYYY-MM label matches any day of that month), and
// Datalid's failure cascade (no text, text but no date, wrong date, right date).
package evaluate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// Label is the expected expiry date of one photo.
type Label struct {
	File   string
	Expiry string // YYYY-MM-DD, or YYYY-MM when only month and year are printed
}

// ReadLabels parses a CSV whose header names at least "file" and "expiry_date".
func ReadLabels(path string) ([]Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseLabels(f, path)
}

// ParseLabels reads labels from r; name is used in errors.
func ParseLabels(r io.Reader, name string) ([]Label, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", name, err)
	}
	fi, ei := -1, -1
	for i, h := range head {
		switch strings.TrimSpace(strings.ToLower(strings.TrimPrefix(h, "\ufeff"))) {
		case "file":
			fi = i
		case "expiry_date":
			ei = i
		}
	}
	if fi < 0 || ei < 0 {
		return nil, fmt.Errorf("%s: header must name \"file\" and \"expiry_date\", got %q", name, head)
	}
	var out []Label
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) <= max(fi, ei) {
			return nil, fmt.Errorf("%s:%d: too few fields", name, line)
		}
		l := Label{File: strings.TrimSpace(rec[fi]), Expiry: strings.TrimSpace(rec[ei])}
		if !validLabel(l.Expiry) {
			return nil, fmt.Errorf("%s:%d: expiry_date %q is neither YYYY-MM-DD nor YYYY-MM", name, line, l.Expiry)
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no labels", name)
	}
	return out, nil
}

func validLabel(s string) bool {
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return true
	}
	_, err := time.Parse("2006-01", s)
	return err == nil
}

// Match reports whether predicted (YYYY-MM-DD, or "" for none) satisfies label.
func Match(label, predicted string) bool {
	if predicted == "" {
		return false
	}
	if len(label) == len("2006-01") {
		return strings.HasPrefix(predicted, label+"-")
	}
	return predicted == label
}

// Outcome is where a photo ended in the cascade.
type Outcome string

const (
	NoText     Outcome = "no_text"      // nothing was read
	NoDate     Outcome = "text_no_date" // text read, no date in it
	WrongDate  Outcome = "wrong_date"
	RightDate  Outcome = "right_date"
	ReadFailed Outcome = "error" // the file could not be read
)

// Item is one evaluated photo.
type Item struct {
	File      string  `json:"file"`
	Label     string  `json:"label"`
	Predicted string  `json:"predicted"`
	Outcome   Outcome `json:"outcome"`
	// Confidence is the best date's confidence (0 without one). Withheld is the date the
	// reader chose but did not give because it was not sure enough (dates.min_confidence):
	// with the label it tells what abstaining cost and saved.
	Confidence float64       `json:"confidence,omitempty"`
	Withheld   string        `json:"withheld,omitempty"`
	Text       string        `json:"text"`
	Error      string        `json:"error,omitempty"`
	Elapsed    time.Duration `json:"-"`
	Seconds    float64       `json:"seconds"`
}

// Classify places a read in the cascade.
func Classify(label, predicted, text string) Outcome {
	switch {
	case Match(label, predicted):
		return RightDate
	case predicted != "":
		return WrongDate
	case strings.TrimSpace(text) != "":
		return NoDate
	}
	return NoText
}

// Summary aggregates items.
type Summary struct {
	Total      int     `json:"total"`
	Correct    int     `json:"correct"`
	ExactMatch float64 `json:"exact_match"`
	// Wrong counts photos answered with a wrong date; WrongRate is Wrong / Total. A wrong
	// date misleads the shopper, so it is worse than no answer and is reported beside
	// exact match.
	Wrong     int     `json:"wrong"`
	WrongRate float64 `json:"wrong_rate"`
	// WithheldRight and WithheldWrong count the withheld dates that would have been right
	// or wrong: the accuracy abstaining cost and the wrong answers it saved.
	WithheldRight int             `json:"withheld_right"`
	WithheldWrong int             `json:"withheld_wrong"`
	Cascade       map[Outcome]int `json:"cascade"`
	// Calibration is how often the chosen dates were right, by their confidence.
	Calibration []Band  `json:"calibration"`
	MedianSec   float64 `json:"median_seconds"`
	MeanSec     float64 `json:"mean_seconds"`
	Items       []Item  `json:"items"`
	// Compared is this evaluation against an earlier one of the same photos (eval --compare).
	Compared *Comparison `json:"compared,omitempty"`
}

// Summarize computes the totals over items.
func Summarize(items []Item) Summary {
	s := Summary{Total: len(items), Cascade: map[Outcome]int{NoText: 0, NoDate: 0, WrongDate: 0, RightDate: 0, ReadFailed: 0},
		Calibration: Calibrate(items), Items: items}
	secs := make([]float64, 0, len(items))
	for _, it := range items {
		s.Cascade[it.Outcome]++
		count(it.Outcome, &s.Correct, &s.Wrong)
		if it.Withheld != "" && it.Predicted == "" {
			if Match(it.Label, it.Withheld) {
				s.WithheldRight++
			} else {
				s.WithheldWrong++
			}
		}
		if it.Outcome != ReadFailed {
			secs = append(secs, it.Elapsed.Seconds())
		}
	}
	if s.Total > 0 {
		s.ExactMatch = float64(s.Correct) / float64(s.Total)
		s.WrongRate = float64(s.Wrong) / float64(s.Total)
	}
	if len(secs) > 0 {
		sort.Float64s(secs)
		var sum float64
		for _, v := range secs {
			sum += v
		}
		s.MeanSec = sum / float64(len(secs))
		s.MedianSec = secs[len(secs)/2]
		if len(secs)%2 == 0 {
			s.MedianSec = (secs[len(secs)/2-1] + secs[len(secs)/2]) / 2
		}
	}
	return s
}
