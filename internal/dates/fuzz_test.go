package dates

import (
	"strings"
	"testing"
)

func FuzzFind(f *testing.F) {
	for _, tc := range append(findCases, issue13Cases()...) {
		f.Add(tc.in, tc.opt.PreferMonthFirst)
	}
	f.Fuzz(func(t *testing.T, in string, monthFirst bool) {
		var lines []Line
		for i, l := range strings.Split(in, "\n") {
			lines = append(lines, Line{Text: l, Confidence: float64(i%3) / 2})
		}
		checkResult(t, lines, Find(lines, Options{PreferMonthFirst: monthFirst}))
		res := Find(lines, Options{PreferMonthFirst: monthFirst, MinConfidence: 0.25})
		checkResult(t, lines, res)
		if w := res.Withheld; w != nil && w.Kind != KindManufacture && w.Confidence >= 0.25 {
			t.Fatalf("withheld %+v at or above the threshold", w)
		}
	})
}
