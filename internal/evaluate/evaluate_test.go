package evaluate

import (
	"strings"
	"testing"
	"time"
)

func TestParseLabels(t *testing.T) {
	good := "file,other,expiry_date\na.jpg,x,2025-12-05\n b.jpg ,y,2021-11\n"
	ls, err := ParseLabels(strings.NewReader(good), "l.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[1].File != "b.jpg" || ls[1].Expiry != "2021-11" {
		t.Fatalf("got %+v", ls)
	}
	bad := map[string]string{
		"no header field": "name,date\na,2025-01-01\n",
		"bad date":        "file,expiry_date\na.jpg,05/12/2025\n",
		"empty":           "file,expiry_date\n",
		"short row":       "file,x,expiry_date\na.jpg\n",
	}
	for name, in := range bad {
		if _, err := ParseLabels(strings.NewReader(in), "l.csv"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMatchAndClassify(t *testing.T) {
	cases := []struct {
		label, pred, text string
		want              Outcome
	}{
		{"2025-12-05", "2025-12-05", "V:05/12/2025", RightDate},
		{"2025-12-05", "2025-05-12", "05/12/2025", WrongDate},
		{"2021-11", "2021-11-30", "NOV2021", RightDate},
		{"2021-11", "2021-11-01", "01/11/2021", RightDate},
		{"2021-11", "2021-12-01", "x", WrongDate},
		{"2021-11", "", "LOT 12", NoDate},
		{"2021-11", "", "  ", NoText},
	}
	for _, c := range cases {
		if got := Classify(c.label, c.pred, c.text); got != c.want {
			t.Errorf("Classify(%q,%q,%q) = %s, want %s", c.label, c.pred, c.text, got, c.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]Item{
		{Outcome: RightDate, Elapsed: time.Second},
		{Outcome: WrongDate, Elapsed: 3 * time.Second},
		{Outcome: ReadFailed},
		{Outcome: RightDate, Elapsed: 2 * time.Second},
	})
	if s.Total != 4 || s.Correct != 2 || s.ExactMatch != 0.5 || s.Cascade[ReadFailed] != 1 {
		t.Fatalf("%+v", s)
	}
	if s.MedianSec != 2 || s.MeanSec != 2 {
		t.Fatalf("median %v mean %v", s.MedianSec, s.MeanSec)
	}
}

func TestSummarizeWrongRateAndWithheld(t *testing.T) {
	s := Summarize([]Item{
		{Label: "2025-01-01", Predicted: "2025-01-01", Outcome: RightDate},
		{Label: "2025-01-01", Predicted: "2024-01-01", Outcome: WrongDate},
		{Label: "2025-01", Withheld: "2025-01-31", Outcome: NoDate},
		{Label: "2025-01-01", Withheld: "2023-05-01", Outcome: NoDate},
		{Label: "2025-01-01", Withheld: "2024-02-02", Outcome: NoDate},
	})
	if s.Wrong != 1 || s.WrongRate != 0.2 || s.WithheldRight != 1 || s.WithheldWrong != 2 {
		t.Fatalf("%+v", s)
	}
}
