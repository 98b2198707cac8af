package evaluate

import (
	"encoding/json"
	"fmt"
	"os"
)

// Change is one photo whose answer differs between two evaluations of the same set: what a
// change to the reader gained and lost, photo by photo, rather than two totals that can hide
// a gain and a loss of the same size.
type Change struct {
	File   string  `json:"file"`
	Label  string  `json:"label"`
	Before Outcome `json:"before"`
	After  Outcome `json:"after"`
	// BeforeDate and AfterDate are the dates answered, or "" for none.
	BeforeDate string `json:"before_date"`
	AfterDate  string `json:"after_date"`
}

// Comparison is an evaluation set against an earlier one of the same photos.
type Comparison struct {
	// The totals of each, over the photos both evaluated.
	EarlierCorrect int `json:"earlier_correct"`
	EarlierWrong   int `json:"earlier_wrong"`
	Correct        int `json:"correct"`
	Wrong          int `json:"wrong"`
	// Missing counts the photos only one of the two evaluated; they are left out.
	Missing int      `json:"missing"`
	Changes []Change `json:"changes"`
}

// ReadSummary loads the output of `datalid eval --format json`.
func ReadSummary(path string) (Summary, error) {
	var s Summary
	b, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s: not the JSON of datalid eval --format json: %w", path, err)
	}
	if s.Items == nil {
		return s, fmt.Errorf("%s: no items: not the JSON of datalid eval --format json", path)
	}
	return s, nil
}

// Compare lists, in now's order, the photos whose outcome or answered date differ from
// earlier's.
func Compare(earlier, now []Item) Comparison {
	before := make(map[string]Item, len(earlier))
	for _, it := range earlier {
		before[it.File] = it
	}
	c := Comparison{Changes: []Change{}} // [] in JSON when nothing changed, not null
	seen := 0
	for _, it := range now {
		b, ok := before[it.File]
		if !ok {
			c.Missing++
			continue
		}
		seen++
		count(b.Outcome, &c.EarlierCorrect, &c.EarlierWrong)
		count(it.Outcome, &c.Correct, &c.Wrong)
		if b.Outcome != it.Outcome || b.Predicted != it.Predicted {
			c.Changes = append(c.Changes, Change{File: it.File, Label: it.Label, Before: b.Outcome,
				After: it.Outcome, BeforeDate: b.Predicted, AfterDate: it.Predicted})
		}
	}
	c.Missing += len(before) - seen
	return c
}

// count adds an outcome to the right or wrong answers it is one of.
func count(o Outcome, right, wrong *int) {
	switch o {
	case RightDate:
		*right++
	case WrongDate:
		*wrong++
	}
}
