package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/datalid/datalid/internal/evaluate"
)

// The changed answers follow the table whose rows scripts/synth-by-layout.awk reads by their
// first column, the file: a changed answer's line must not start with its file, or that
// photo counts twice.
func TestChangedAnswersDoNotStartWithTheirFile(t *testing.T) {
	var b bytes.Buffer
	printComparison(&b, &evaluate.Comparison{EarlierCorrect: 1, Correct: 2, Missing: 1, Changes: []evaluate.Change{
		{File: "synth_0001.jpg", Label: "2025-12", Before: evaluate.NoDate, After: evaluate.RightDate, AfterDate: "2025-12-31"},
	}})
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "right 1 → 2") || !strings.Contains(lines[0], "1 photos in only one") {
		t.Fatalf("got %q", out)
	}
	if f := strings.Fields(lines[1]); f[0] == "synth_0001.jpg" || !strings.Contains(lines[1], "synth_0001.jpg (label 2025-12): text_no_date - → right_date 2025-12-31") {
		t.Errorf("changed line %q", lines[1])
	}
}
