package server

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/jobs"
)

// startWithJobs runs a server whose /v2/jobs queue lives on a real in-process JetStream
// server, with a worker reading through the server's own JobProcessor.
func startWithJobs(t *testing.T) *running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ns, err := jobs.StartEmbedded(jobs.EmbeddedOptions{Listen: addr, StoreDir: t.TempDir(), Name: "srv-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	ctx, cancel := context.WithCancel(context.Background())
	q, err := jobs.Open(ctx, jobs.Config{URL: ns.ClientURL(), AckWait: 5 * time.Second, MaxDeliver: 2,
		ResultTTL: time.Hour, ObjectThreshold: 64 * 1024, MaxJobPhotos: 4})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	srv, err := New(Options{Config: cfg, Engine: &fakeEngine{}, Logger: slog.New(slog.DiscardHandler), Version: "test", Jobs: q})
	if err != nil {
		t.Fatal(err)
	}
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 2)
	go func() { srv.Serve(ctx, sln); done <- struct{}{} }()
	w := jobs.NewWorker(q, srv.JobProcessor(), jobs.WorkerOptions{ID: "local", Concurrency: 2})
	go func() { w.Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() { cancel(); <-done; <-done; q.Close() })
	return &running{srv: srv, url: "http://" + sln.Addr().String(), spec: loadSpec(t)}
}

func (r *running) job(t *testing.T, rp reply) api.JobResponse {
	t.Helper()
	var j api.JobResponse
	if err := json.Unmarshal(rp.body, &j); err != nil {
		t.Fatalf("status %d: %s", rp.status, rp.body)
	}
	return j
}

func (r *running) waitJob(t *testing.T, id string) api.JobResponse {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		rp := r.do(t, "GET", "/v2/jobs/"+id, nil, "", nil)
		r.spec.validate(t, "/v2/jobs/{id}", "GET", rp.status, rp.body)
		j := r.job(t, rp)
		if j.State == api.JobDone || time.Now().After(deadline) {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestJobsRoutes(t *testing.T) {
	r := startWithJobs(t)
	good := pngBytes(t, 40, 30)
	photos := map[string][]byte{"a.png": good, "b.png": []byte("not an image"), "c.png": pngBytes(t, 50, 20)}
	order := []string{"a.png", "b.png", "c.png"}
	body, ct := api.JobForm(photos, order, map[string]string{"return_crops": "true"})
	rp := r.do(t, "POST", "/v2/jobs", body, ct, map[string]string{api.IdempotencyHeader: "k1"})
	if rp.status != http.StatusAccepted {
		t.Fatalf("submit: %d %s", rp.status, rp.body)
	}
	r.spec.validate(t, "/v2/jobs", "POST", rp.status, rp.body)
	job := r.job(t, rp)
	if rp.header.Get("Location") != "/v2/jobs/"+job.ID || job.Total != 3 {
		t.Fatalf("Location %q, job %+v", rp.header.Get("Location"), job)
	}

	// The same key again: the first job, nothing new queued.
	body, ct = api.JobForm(photos, order[:1], nil)
	rp = r.do(t, "POST", "/v2/jobs", body, ct, map[string]string{api.IdempotencyHeader: "k1"})
	if again := r.job(t, rp); rp.status != http.StatusOK || again.ID != job.ID || !again.Replayed {
		t.Fatalf("repeated key: %d %s", rp.status, rp.body)
	}

	done := r.waitJob(t, job.ID)
	if done.State != api.JobDone || done.Counts.Done != 2 || done.Counts.Failed != 1 {
		t.Fatalf("job: %+v", done)
	}
	res, err := done.Photos[0].Process()
	if err != nil || res.BestDate == nil || res.BestDate.Date == nil || *res.BestDate.Date != "2026-06-17" || len(res.CropsBase64) == 0 || res.ImageWidth != 40 {
		t.Fatalf("photo a: %v %+v", err, res)
	}
	if p := done.Photos[1]; p.Attempts != 1 || !strings.Contains(p.Error, "UNSUPPORTED_FORMAT") {
		t.Fatalf("a bad photo fails at once with its code: %+v", p)
	}

	// Events of a finished job: every photo, then the end.
	resp, err := http.Get(r.url + "/v2/jobs/" + job.ID + "/events")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	var events []string
	for sc.Scan() {
		if e, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			events = append(events, e)
		}
	}
	resp.Body.Close()
	if got := strings.Join(events, ","); got != "photo,photo,photo,progress,end" {
		t.Fatalf("events: %s", got)
	}

	// Workers announce changed counts within a second.
	time.Sleep(1500 * time.Millisecond)
	rp = r.do(t, "GET", "/health", nil, "", nil)
	var h api.HealthResponse
	json.Unmarshal(rp.body, &h)
	r.spec.validate(t, "/health", "GET", rp.status, rp.body)
	if h.Queue == nil || len(h.Queue.Workers) != 1 || h.Queue.Workers[0].ID != "local" || h.Queue.Workers[0].Processed != 2 || h.Queue.Workers[0].Failed != 1 {
		t.Fatalf("health queue: %+v", h.Queue)
	}
}

func TestJobsRejects(t *testing.T) {
	r := startWithJobs(t)
	good := pngBytes(t, 20, 20)
	multipart := func(fields map[string]string, files ...[]byte) (string, string) {
		b, ct := form(t, "files", files, fields)
		var s strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := b.Read(buf)
			s.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return s.String(), ct
	}
	cases := []struct {
		name   string
		body   func() (string, string)
		hdr    map[string]string
		status int
		code   string
	}{
		// form() writes files first, so any option arrives after the photos.
		{"option after photos", func() (string, string) { return multipart(map[string]string{"return_crops": "true"}, good) }, nil, 400, api.CodeValidation},
		{"bad option", func() (string, string) {
			b, ct := api.JobForm(map[string][]byte{"x": good}, []string{"x"}, map[string]string{"detection_confidence": "7"})
			return b.String(), ct
		}, nil, 400, api.CodeValidation},
		{"no photos", func() (string, string) { return multipart(nil) }, nil, 400, api.CodeValidation},
		{"too many photos", func() (string, string) { return multipart(nil, good, good, good, good, good) }, nil, 400, "TOO_MANY_FILES"},
		{"photo over the limit", func() (string, string) { return multipart(nil, good, make([]byte, 300*1024)) }, nil, 413, "FILE_TOO_LARGE"},
		{"long idempotency key", func() (string, string) { return multipart(nil, good) }, map[string]string{api.IdempotencyHeader: strings.Repeat("k", 300)}, 400, api.CodeValidation},
		{"not a form", func() (string, string) { return "{}", "application/json" }, nil, 415, "UNSUPPORTED_FORMAT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, ct := c.body()
			rp := r.do(t, "POST", "/v2/jobs", strings.NewReader(b), ct, c.hdr)
			if rp.status != c.status || errCode(t, rp) != c.code {
				t.Fatalf("got %d %s", rp.status, rp.body)
			}
			r.spec.validate(t, "/v2/jobs", "POST", rp.status, rp.body)
		})
	}
	for _, id := range []string{"0123456789abcdef0123456789abcdef", "nope", "..%2F..%2Fetc"} {
		rp := r.do(t, "GET", "/v2/jobs/"+id, nil, "", nil)
		if rp.status != 404 {
			t.Errorf("GET %s: %d", id, rp.status)
		}
		if rp := r.do(t, "DELETE", "/v2/jobs/"+id, nil, "", nil); rp.status != 404 {
			t.Errorf("DELETE %s: %d", id, rp.status)
		}
	}
	// A raw image body is a one-photo job; cancelling a finished job changes nothing.
	rp := r.do(t, "POST", "/v2/jobs?detection_confidence=0.2", strings.NewReader(string(good)), "image/png", nil)
	if rp.status != 202 {
		t.Fatalf("raw body: %d %s", rp.status, rp.body)
	}
	j := r.waitJob(t, r.job(t, rp).ID)
	rp = r.do(t, "DELETE", "/v2/jobs/"+j.ID, nil, "", nil)
	if c := r.job(t, rp); rp.status != 200 || c.State != api.JobDone || c.Counts.Done != 1 {
		t.Fatalf("cancel a finished job: %d %s", rp.status, rp.body)
	}
}

// A job's photos are streamed into the queue: a job larger than the body budget (which bounds
// bodies held in memory) is accepted, since only the photo being read is held.
func TestJobUploadStreamsPastBodyBudget(t *testing.T) {
	r := startWithJobs(t)
	r.srv.xio.bodies = newBudget(300 << 10) // no request is in flight yet
	photos := map[string][]byte{}
	var order []string
	for i := range 4 {
		b := make([]byte, 150<<10)
		rand.Read(b)
		name := fmt.Sprintf("p%d.png", i)
		photos[name] = b
		order = append(order, name)
	}
	body, ct := api.JobForm(photos, order, nil)
	rp := r.do(t, "POST", "/v2/jobs", body, ct, nil)
	if rp.status != http.StatusAccepted || r.job(t, rp).Total != 4 {
		t.Fatalf("600 KiB job through a 300 KiB body budget: %d %s", rp.status, rp.body)
	}
	// The request's last bytes are given back as its handler ends, just after the answer.
	for deadline := time.Now().Add(2 * time.Second); r.srv.xio.bodies.inUse() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("body budget still holds %d bytes after the upload", r.srv.xio.bodies.inUse())
		}
	}
}
