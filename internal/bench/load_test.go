package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
)

// Load sends exactly Requests photos as multipart /process posts, counts every status and
// times only the 200s.
func TestLoadCountsStatuses(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/process" || r.ParseMultipartForm(1<<20) != nil || r.MultipartForm.File["file"] == nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if n.Add(1)%3 == 0 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	rep := Load(context.Background(), LoadOptions{URL: srv.URL, Photos: [][]byte{[]byte("a"), []byte("b")}, Clients: 3, Requests: 12})
	if rep.Statuses[http.StatusOK] != 8 || rep.Statuses[http.StatusServiceUnavailable] != 4 || len(rep.Latencies) != 8 {
		t.Fatalf("statuses %v, %d latencies; want 8 OK and 4 busy", rep.Statuses, len(rep.Latencies))
	}
	if !slices.IsSorted(rep.Latencies) || rep.Throughput() <= 0 {
		t.Errorf("latencies unsorted or throughput %v", rep.Throughput())
	}
}
