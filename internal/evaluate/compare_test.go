package evaluate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCalibrateCountsChosenDatesByBand(t *testing.T) {
	items := []Item{
		{File: "a", Label: "2025-12-05", Predicted: "2025-12-05", Confidence: 0.95},
		{File: "b", Label: "2025-12-05", Predicted: "2025-05-12", Confidence: 0.9}, // 0.9 opens the last band
		{File: "c", Label: "2021-11", Withheld: "2021-11-30", Confidence: 0.25},
		{File: "d", Label: "2021-11", Withheld: "2020-11-30", Confidence: 0.29},
		{File: "e", Label: "2021-11", Predicted: "2021-11-30", Confidence: 0.3}, // 0.3 is the second band's
		{File: "f", Label: "2021-11", Confidence: 0},                            // no date chosen: in no band
		{File: "g", Label: "2021-11", Predicted: "2021-11-01", Confidence: 1},
	}
	bands := Calibrate(items)
	if len(bands) != len(bandEdges)-1 || bands[0].From != 0 || bands[len(bands)-1].To != 1 {
		t.Fatalf("bands %+v", bands)
	}
	want := map[int]Band{
		0: {From: 0, To: 0.3, Right: 1, Wrong: 1, Given: 0},
		1: {From: 0.3, To: 0.4, Right: 1, Wrong: 0, Given: 1},
		7: {From: 0.9, To: 1, Right: 2, Wrong: 1, Given: 3},
	}
	total := 0
	for i, b := range bands {
		total += b.Right + b.Wrong
		if w, ok := want[i]; ok && b != w {
			t.Errorf("band %d: got %+v, want %+v", i, b, w)
		}
	}
	if total != 6 {
		t.Errorf("%d chosen dates counted, want 6", total)
	}
}

func TestCompareListsChangedAnswers(t *testing.T) {
	earlier := []Item{
		{File: "a", Label: "2025-12-05", Predicted: "2025-12-05", Outcome: RightDate},
		{File: "b", Label: "2025-12-05", Predicted: "2025-05-12", Outcome: WrongDate},
		{File: "c", Label: "2021-11", Outcome: NoDate},
		{File: "d", Label: "2021-11", Predicted: "2021-11-01", Outcome: RightDate},
		{File: "gone", Label: "2021-11", Outcome: NoText},
	}
	now := []Item{
		{File: "a", Label: "2025-12-05", Predicted: "2025-12-05", Outcome: RightDate},
		{File: "b", Label: "2025-12-05", Predicted: "2025-12-05", Outcome: RightDate},
		{File: "c", Label: "2021-11", Outcome: NoDate},
		{File: "d", Label: "2021-11", Predicted: "2021-11-30", Outcome: RightDate}, // another day of the month
		{File: "new", Label: "2021-11", Outcome: NoText},
	}
	c := Compare(earlier, now)
	if c.EarlierCorrect != 2 || c.EarlierWrong != 1 || c.Correct != 3 || c.Wrong != 0 || c.Missing != 2 {
		t.Errorf("totals %+v", c)
	}
	if len(c.Changes) != 2 || c.Changes[0].File != "b" || c.Changes[0].Before != WrongDate ||
		c.Changes[0].After != RightDate || c.Changes[0].BeforeDate != "2025-05-12" || c.Changes[1].File != "d" {
		t.Errorf("changes %+v", c.Changes)
	}
	same, err := json.Marshal(Compare(earlier, earlier))
	if err != nil || !strings.Contains(string(same), `"changes":[]`) {
		t.Errorf("nothing changed: %s, %v; want an empty list of changes", same, err)
	}
}

func TestReadSummaryRoundTripsAndRejectsOtherJSON(t *testing.T) {
	dir := t.TempDir()
	s := Summarize([]Item{{File: "a", Label: "2025-12-05", Predicted: "2025-12-05", Outcome: RightDate, Confidence: 0.8}})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSummary(good)
	if err != nil || len(got.Items) != 1 || got.Items[0].Outcome != RightDate || got.Calibration[6].Right != 1 {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for name, body := range map[string]string{"other.json": `{"total": 3}`, "broken.json": `{"items": [`} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadSummary(p); err == nil || !strings.Contains(err.Error(), "datalid eval") {
			t.Errorf("%s: got %v, want an error naming what the file should be", name, err)
		}
	}
	if _, err := ReadSummary(filepath.Join(dir, "absent.json")); err == nil {
		t.Error("absent file accepted")
	}
}
