package dates

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZScratch(t *testing.T) {
	in := os.Getenv("DT")
	if in == "" {
		t.Skip()
	}
	for _, text := range strings.Split(in, "||") {
		var lines []Line
		for _, l := range strings.Split(text, " / ") {
			lines = append(lines, Line{Text: l, Confidence: 0.9})
		}
		r := Find(lines, Options{})
		fmt.Printf("== %q\n", text)
		for i := range r.Candidates {
			c := &r.Candidates[i]
			mark := " "
			if c == r.Best {
				mark = "*"
			}
			fmt.Printf(" %s %s %-8s %-12s %q s=%.2f c=%.2f %s\n", mark, c.Date, c.Kind, c.Format, c.Text, c.Score, c.Confidence, c.Reason)
		}
	}
}
