package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// A server that answers each photo slowly the first time and fast afterwards, with X-Cache:
// the report counts the hits and gives their latency beside the misses'.
func TestServerReportsCacheHits(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("file")
		if err != nil {
			t.Error(err)
			return
		}
		var b bytes.Buffer
		b.ReadFrom(f)
		mu.Lock()
		hit := seen[b.String()]
		seen[b.String()] = true
		mu.Unlock()
		if hit {
			w.Header().Set("X-Cache", "hit; tier=memory")
		} else {
			time.Sleep(30 * time.Millisecond)
			w.Header().Set("X-Cache", "miss")
		}
		fmt.Fprint(w, `{"status":"success"}`)
	}))
	defer srv.Close()
	in := []Input{{Data: []byte("a")}, {Data: []byte("b")}}
	rep, err := Server(context.Background(), ServerTarget{URL: srv.URL}, Fresh(in), []int{1}, Options{Iterations: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Results[0].Cache
	if c == nil || c.Hits != 8 || c.Misses != 2 || c.HitRate != 0.8 || c.ByTier["memory"] != 8 {
		t.Fatalf("cache split %+v", c)
	}
	if c.MissLatency.P50 < 30 || c.HitLatency.P50 >= c.MissLatency.P50 {
		t.Fatalf("hit p50 %.1f ms, miss p50 %.1f ms", c.HitLatency.P50, c.MissLatency.P50)
	}
	var out strings.Builder
	WriteTable(&out, rep)
	if !strings.Contains(out.String(), "result cache (X-Cache)") || !strings.Contains(out.String(), "80%") {
		t.Fatalf("table lacks the cache split:\n%s", out.String())
	}
	// Fresh photos differ from the originals and from another call's, but only after the data.
	a, b := Fresh(in), Fresh(in)
	if bytes.Equal(a[0].Data, b[0].Data) || !bytes.HasPrefix(a[0].Data, in[0].Data) || len(a[0].Data) != 1+freshTrailer {
		t.Fatal("Fresh does not make unique trailers")
	}
}
