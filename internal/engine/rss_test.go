package engine

import (
	"bufio"
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
)

// Sustained reads must not grow resident memory: after a warm-up that lets the runtime's arena
// and Go's heap reach their working size, RSS shows no upward trend over the remaining reads.
const (
	rssReads  = 500
	rssWarmup = 150 // reads before counting: every photo size has been seen several times
	// rssWindow is how many reads each end of the counted run averages over. Single samples
	// swing with garbage collection (each read's detector input is several MB), and their
	// highest value with them; the means of 100 do not.
	rssWindow = 100
	// rssTrendMB is the rise allowed from the first window's mean RSS to the last one's. The
	// windows' middles lie 250 reads apart, so a leak of 50 KB a read (one small crop
	// buffer, 12.5 MB) exceeds it, while the arena settling on a slightly larger block stays
	// under it.
	rssTrendMB = 10
)

// TestRSSFlatOverSustainedReads reads rssReads small rendered photos of varied sizes, two at a
// time (the production preset's serving shape), and fails when RSS keeps growing.
func TestRSSFlatOverSustainedReads(t *testing.T) {
	if testing.Short() {
		t.Skip("500 reads with the real models")
	}
	c, err := config.Preset("production")
	if err != nil {
		t.Fatal(err)
	}
	c.Models.Dir = testmodels.Dir(t)
	c.SecondLook.Enabled = false // one pass a photo: the reads, not the retries, are under test
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r := rand.New(rand.NewPCG(3, 14))
	var photos [][]byte
	for i := range 6 {
		// Small photos of varied shapes: the arena sees several input sizes, and 500 reads
		// stay ~30 s of CPU time.
		w := 224 + 32*i
		p, err := synth.Render(synth.Random(r, w, w*3/4))
		if err != nil {
			t.Fatal(err)
		}
		photos = append(photos, encodeJPEG(t, p))
	}
	var (
		mu      sync.Mutex
		done    int
		samples []int64 // RSS in KB after each counted read, in the order they ended
	)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range rssReads {
			next <- i
		}
	}()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for i := range next {
				if _, err := e.Read(context.Background(), photos[i%len(photos)], pipeline.Options{}); err != nil {
					t.Error(err)
					return
				}
				rss := rssKB(t)
				mu.Lock()
				if done++; done > rssWarmup {
					samples = append(samples, rss)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(samples) < 2*rssWindow {
		t.Fatalf("%d reads counted, want at least %d", len(samples), 2*rssWindow)
	}
	early, late := meanMB(samples[:rssWindow]), meanMB(samples[len(samples)-rssWindow:])
	t.Logf("mean RSS over reads %d–%d %.1f MB, over the last %d %.1f MB (highest %.0f MB)",
		rssWarmup+1, rssWarmup+rssWindow, early, rssWindow, late, float64(slices.Max(samples))/1024)
	if late-early > rssTrendMB {
		t.Errorf("RSS rose %.1f MB over %d reads after warm-up, allowed %d MB", late-early, len(samples), rssTrendMB)
	}
}

func meanMB(kb []int64) float64 {
	var sum int64
	for _, v := range kb {
		sum += v
	}
	return float64(sum) / float64(len(kb)) / 1024
}

func rssKB(t *testing.T) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}
