package e2e

import (
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A bounded load test: 8 clients against an admission capacity of 4 (2 in flight + 2 queued).
// Every answer must be a 200 or a designed rejection (503/429 with Retry-After); afterwards
// goroutines and memory return to where they were.
func TestLoadOnlyDesignedRejections(t *testing.T) {
	cfg := realConfig(t)
	cfg.Server.MaxInFlight, cfg.Server.MaxQueue = 2, 2
	url := startReal(t, cfg)
	imgs := [][]byte{
		photo(t, 31, time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC), 800, 600),
		photo(t, 32, time.Date(2029, 5, 6, 0, 0, 0, 0, time.UTC), 640, 480),
	}
	client := &http.Client{Timeout: time.Minute}
	round := func() map[int]int {
		var mu sync.Mutex
		counts := map[int]int{}
		var wg sync.WaitGroup
		for c := range 8 {
			wg.Go(func() {
				for i := range 4 {
					status, hdr, body, err := postFile(client, url, imgs[(c+i)%len(imgs)], nil)
					mu.Lock()
					if err != nil {
						counts[-1]++
						t.Errorf("client %d: %v", c, err)
					} else {
						counts[status]++
					}
					mu.Unlock()
					if status == 503 || status == 429 {
						if hdr.Get("Retry-After") == "" {
							t.Errorf("%d without Retry-After", status)
						}
						time.Sleep(50 * time.Millisecond) // a polite client backs off a little
					} else if status != 200 && err == nil {
						t.Errorf("undesigned status %d: %s", status, body)
					}
				}
			})
		}
		wg.Wait()
		return counts
	}
	round() // first use of each shape sizes the runtime's buffers; measure after it
	baseG, baseHeap, baseRSS := snapshot()
	t0 := time.Now()
	counts := round()
	t.Logf("32 requests in %v: %v", time.Since(t0).Round(time.Millisecond), counts)
	if counts[200] == 0 {
		t.Error("no request succeeded")
	}
	time.Sleep(200 * time.Millisecond) // let connection goroutines wind down
	client.CloseIdleConnections()
	g, heap, rss := snapshot()
	t.Logf("goroutines %d→%d, Go heap %d→%d MiB, RSS %d→%d MiB", baseG, g, baseHeap>>20, heap>>20, baseRSS>>20, rss>>20)
	if g > baseG+10 {
		t.Errorf("goroutines grew from %d to %d", baseG, g)
	}
	if heap > baseHeap+32<<20 {
		t.Errorf("Go heap grew from %d to %d MiB", baseHeap>>20, heap>>20)
	}
	if baseRSS > 0 && rss > baseRSS+256<<20 {
		t.Errorf("RSS grew from %d to %d MiB", baseRSS>>20, rss>>20)
	}
}

func snapshot() (goroutines int, heap, rss uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc, residentBytes()
}

// residentBytes reads the resident set size from /proc (0 where there is none).
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}
