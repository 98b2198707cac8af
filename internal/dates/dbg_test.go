package dates

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDbg(t *testing.T) {
	in := os.Getenv("DBG")
	if in == "" {
		t.Skip()
	}
	for _, block := range strings.Split(in, "||") {
		var lines []Line
		for _, l := range strings.Split(block, "|") {
			lines = append(lines, Line{Text: l, Confidence: 0.9})
		}
		r := Find(lines, Options{})
		fmt.Printf("%q\n", block)
		for _, c := range r.Candidates {
			fmt.Printf("   %s %s %s %-12s %q L%d [%d:%d] s=%.2f c=%.2f %s\n", c.Date, c.Precision, c.Kind, c.Format, c.Text, c.Line, c.Start, c.End, c.Score, c.Confidence, c.Reason)
		}
		if r.Best != nil {
			fmt.Printf("   BEST %s (%s)\n", r.Best.Date, r.Best.Reason)
		} else {
			fmt.Printf("   BEST none\n")
		}
	}
}
