package bench

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datalid/datalid/api"
)

// LoadOptions drive a closed-loop load generator against a running server: Clients workers
// each post the next photo as soon as their previous answer arrives, Requests in total.
type LoadOptions struct {
	URL      string   // base URL, e.g. http://127.0.0.1:8000
	Photos   [][]byte // sent round-robin as multipart "file" to /process
	Clients  int
	Requests int
	Fields   map[string]string // extra form fields (options)
}

// LoadReport is what a load run measured.
type LoadReport struct {
	Elapsed   time.Duration
	Statuses  map[int]int     // HTTP status → count; -1 = transport error
	Latencies []time.Duration // of 200 answers, sorted
}

// Throughput is successful requests per second.
func (r LoadReport) Throughput() float64 {
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

// Load runs the generator (`datalid loadtest`); ServerTarget is the per-request measure.
func Load(ctx context.Context, o LoadOptions) LoadReport {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Clients}}
	defer client.CloseIdleConnections()
	var (
		next atomic.Int64
		mu   sync.Mutex
		rep  = LoadReport{Statuses: map[int]int{}}
		wg   sync.WaitGroup
	)
	t0 := time.Now()
	for range max(1, o.Clients) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= o.Requests {
					return
				}
				start := time.Now()
				status := postPhoto(ctx, client, o.URL, o.Photos[i%len(o.Photos)], o.Fields)
				d := time.Since(start)
				mu.Lock()
				rep.Statuses[status]++
				if status == http.StatusOK {
					rep.Latencies = append(rep.Latencies, d)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rep.Elapsed = time.Since(t0)
	slices.Sort(rep.Latencies)
	return rep
}

func postPhoto(ctx context.Context, c *http.Client, url string, data []byte, fields map[string]string) int {
	reply, err := api.PostProcess(ctx, c, url, "", data, fields)
	if err != nil {
		return -1
	}
	return reply.Status
}
