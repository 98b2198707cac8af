package dates

import "testing"

// A validity that repeats its manufacture date's day and month joins the pair however weak
// its shape; a weak date that does not, or does so past a shelf life, does not.
var echoCases = []findCase{
	{in: "14.03.25\n14.0327", want: "2027-03-14"},
	{in: "Made 09/11/2024\nlot 7\n091126", want: "2026-11-09"},
	{in: "14.03.25\n15.0327", want: "2025-03-14"},
	{in: "14.03.25\n14.0336", want: "2025-03-14"},
	{in: "14.0327\n14.03.25", want: "2027-03-14"},
}

func TestEchoedDayAndMonthPair(t *testing.T) { runFindCases(t, echoCases) }

// The echo confirms the weak reading, so it is given at the shipped threshold, where alone
// it would be withheld.
func TestEchoIsSurer(t *testing.T) {
	opt := Options{MinConfidence: 0.3}
	lone := Find(linesOf("lot 7\n14.0327"), opt)
	echoed := Find(linesOf("14.03.25\n14.0327"), opt)
	if echoed.Best == nil || lone.Withheld == nil {
		t.Fatalf("echoed best %+v, lone withheld %+v", echoed.Best, lone.Withheld)
	}
	if echoed.Best.Confidence <= lone.Withheld.Confidence {
		t.Errorf("echo %.2f not surer than alone %.2f", echoed.Best.Confidence, lone.Withheld.Confidence)
	}
}
