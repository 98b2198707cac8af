package dates

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestZZDev(t *testing.T) {
	path := os.Getenv("DEVTEXTS")
	if path == "" {
		t.Skip()
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	right, wrong, none := 0, 0, 0
	for sc.Scan() {
		p := strings.SplitN(sc.Text(), "\t", 3)
		var lines []Line
		for _, l := range strings.Split(p[2], " / ") {
			lines = append(lines, Line{Text: l, Confidence: 0.9})
		}
		mc, _ := strconv.ParseFloat(os.Getenv("MINC"), 64)
		r := Find(lines, Options{MinConfidence: mc})
		if r.Best == nil && r.Withheld != nil {
			w := r.Withheld
			fmt.Printf("   withheld %.2f %s %s %s | %s\n", w.Confidence, p[1], w.Date, p[0], w.Reason)
		}
		want, prec, _ := ParseLabel(p[1])
		got, conf, why := "-", 0.0, ""
		if r.Best != nil {
			got, conf, why = r.Best.Date.String(), r.Best.Confidence, string(r.Best.Kind)+" "+r.Best.Format+" "+r.Best.Reason
		}
		out := "none"
		switch {
		case r.Best == nil:
			none++
		case r.Best.Date == want || (prec == PrecisionMonth && r.Best.Date.Year == want.Year && r.Best.Date.Month == want.Month):
			right++
			out = "RIGHT"
		default:
			wrong++
			out = "WRONG"
		}
		fmt.Printf("%-6s %.2f %-10s %-10s %s | %s\n", out, conf, p[1], got, p[0], why)
	}
	fmt.Printf("right %d wrong %d none %d\n", right, wrong, none)
}
