package bench

import (
	"bufio"
	"bytes"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// procStatus reads VmRSS and VmHWM (peak RSS) from /proc/self/status, in bytes; zeros where
// the file does not exist (not Linux).
func procStatus() (rss, hwm int64) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			rss = kB(line[len("VmRSS:"):])
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			hwm = kB(line[len("VmHWM:"):])
		}
	}
	return rss, hwm
}

func kB(field []byte) int64 {
	f := bytes.Fields(field)
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return n * 1024
}

// resetPeakRSS asks Linux to restart VmHWM from the current RSS, so each configuration's peak
// is its own and not the largest seen by the process so far. It reports whether that worked;
// where it did not, the sampled peak is the per-configuration figure.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// cpuTime is the process's user+system CPU time so far (all threads, cgo included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapBytes is the Go heap in use by live and not-yet-swept objects, read without stopping
// the world (runtime.ReadMemStats would, and would perturb what is measured).
func heapBytes() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// sampler polls RSS and Go heap while a configuration runs: VmHWM alone cannot show whether
// memory is steady or growing, and cannot be reset everywhere.
type sampler struct {
	stop chan struct{}
	done sync.WaitGroup

	mu                 sync.Mutex
	n                  int
	rssSum             float64
	rssMax, heapMax    int64
	rssFirst, rssFinal int64
}

func startSampler(every time.Duration) *sampler {
	s := &sampler{stop: make(chan struct{})}
	s.take()
	s.done.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.take()
			}
		}
	})
	return s
}

func (s *sampler) take() {
	rss, _ := procStatus()
	heap := heapBytes()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == 0 {
		s.rssFirst = rss
	}
	s.n++
	s.rssSum += float64(rss)
	s.rssMax = max(s.rssMax, rss)
	s.heapMax = max(s.heapMax, heap)
	s.rssFinal = rss
}

// Memory is what a configuration used, in bytes.
type Memory struct {
	PeakRSS     int64  `json:"peak_rss_bytes"` // VmHWM since the configuration started (or sampled max)
	PeakRSSNote string `json:"peak_rss_note,omitempty"`
	MeanRSS     int64  `json:"mean_rss_bytes"`     // sampled during the counted runs
	StartRSS    int64  `json:"start_rss_bytes"`    // at the start of the counted runs
	EndRSS      int64  `json:"end_rss_bytes"`      // at the end: End ≫ Start over a long run means growth
	PeakHeap    int64  `json:"peak_go_heap_bytes"` // sampled Go heap
}

func (s *sampler) finish(hwmReset bool) Memory {
	close(s.stop)
	s.done.Wait()
	s.take()
	_, hwm := procStatus()
	s.mu.Lock()
	defer s.mu.Unlock()
	m := Memory{
		MeanRSS: int64(s.rssSum / float64(s.n)), StartRSS: s.rssFirst, EndRSS: s.rssFinal,
		PeakHeap: s.heapMax, PeakRSS: max(hwm, s.rssMax),
	}
	if !hwmReset {
		m.PeakRSSNote = "process-wide peak (VmHWM could not be reset): includes earlier configurations"
	}
	return m
}
