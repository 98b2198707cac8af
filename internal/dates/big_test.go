package dates

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestBigInputs(t *testing.T) {
	alpha := []string{"1", "2", "0", "/", ".", " ", "-", ":", "VAL", "L", "E", "JAN", "O", "l", "é", "유", "\n", "$", "12", "2026"}
	r := rand.New(rand.NewSource(1))
	for _, n := range []int{100, 1000, 10000, 100000} {
		var sb strings.Builder
		for sb.Len() < n {
			sb.WriteString(alpha[r.Intn(len(alpha))])
		}
		start := time.Now()
		ParseText(sb.String())
		t.Logf("n=%d one line: %v", n, time.Since(start))
		start = time.Now()
		Find(linesOf(sb.String()), Options{})
		t.Logf("n=%d lines: %v", n, time.Since(start))
	}
}
