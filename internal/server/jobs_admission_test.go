package server

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
)

// Finding 1 on /v2/jobs: a job upload took its admission place before reading its body, so
// slow job uploads held every place like slow /process bodies did. A place is now held only
// while the queue is written; slow uploaders hold none, and a full server refuses a job at
// once with 503 + Retry-After.
func TestSlowJobUploadsHoldNoPlace(t *testing.T) {
	r := startWithJobs(t) // 2 in flight + 2 queued
	addr := strings.TrimPrefix(r.url, "http://")
	img := pngBytes(t, 8, 8)
	body, ct := api.JobForm(map[string][]byte{"a.png": img}, []string{"a.png"}, nil)
	full := make([]byte, 0, 1024)
	for b := make([]byte, 512); ; {
		n, err := body.Read(b)
		full = append(full, b[:n]...)
		if err != nil {
			break
		}
	}
	// Headers, the form up to the middle of the photo, then nothing more.
	head := rawRequest("/v2/jobs", ct, full, "")
	head = head[:len(head)-len(full)+len(full)/2]
	const slow = 6 // 1.5 × the 4 places
	var conns []net.Conn
	// One after another: each holds a place for the moment its job is begun in the queue, so
	// six beginning at once on a slow machine could find the 4 places taken, rightly.
	for i := range slow {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write(head); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		deadline := time.Now().Add(5 * time.Second)
		for r.srv.xio.reading.Load() < int64(i+1) || r.srv.adm.admitted.Load() != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("slow job upload %d: %d being read, %d places held", i+1, r.srv.xio.reading.Load(), r.srv.adm.admitted.Load())
			}
			time.Sleep(time.Millisecond)
		}
	}
	// All six are still arriving, and they hold no place.
	time.Sleep(100 * time.Millisecond)
	if got, held := r.srv.xio.reading.Load(), r.srv.adm.admitted.Load(); got != slow || held != 0 {
		t.Fatalf("%d of %d slow job uploads being read, %d places held", got, slow, held)
	}
	for range 4 {
		if rp := r.post(t, "/process", [][]byte{img}, nil, nil); rp.status != http.StatusOK {
			t.Fatalf("normal client beside %d slow job uploads: %d %s", slow, rp.status, rp.body)
		}
	}
	jb, jct := api.JobForm(map[string][]byte{"b.png": img}, []string{"b.png"}, nil)
	if rp := r.do(t, "POST", "/v2/jobs", jb, jct, nil); rp.status != http.StatusAccepted {
		t.Fatalf("a whole job beside %d slow ones: %d %s", slow, rp.status, rp.body)
	}

	// At capacity a job is refused before its body is read, as an answer with Retry-After.
	r.srv.adm.admitted.Store(r.srv.adm.capacity)
	defer r.srv.adm.admitted.Store(0)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write(rawRequest("/v2/jobs", ct, full, "Connection: close\r\n"))
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("full server: %v, want an answer", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("full server: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for _, c := range conns {
		c.Close()
	}
}
