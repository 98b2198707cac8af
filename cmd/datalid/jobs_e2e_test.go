package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/jobs"
	"github.com/datalid/datalid/internal/server"
	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
)

// asCLI makes the test binary act as the datalid command, so the e2e test can run real
// `datalid worker` processes (and SIGKILL them) without building a second binary.
const asCLI = "E2E_RUN_AS_DATALID_CLI" // not DATALID_*: the config rejects unknown keys there

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// e2eAckWait is short so a SIGKILLed worker's photo comes back within the test's time.
const e2eAckWait = 3 * time.Second

// TestJobsWithWorkerProcesses: a gateway (in-process, no engine) and two `datalid worker`
// processes with real models on an in-process JetStream server. 200 photos; one worker is
// SIGKILLed mid-run and the JetStream server restarts mid-queue; every photo ends with
// exactly one result, its own. A repeated Idempotency-Key returns the first job.
func TestJobsWithWorkerProcesses(t *testing.T) {
	models := testmodels.Dir(t)
	// Four sizes, 50 photos each: a result's image width tells which photo it belongs to.
	widths := []int{320, 352, 384, 416}
	var photos [][]byte
	var wantWidth []int
	for k, w := range widths {
		dir := filepath.Join(t.TempDir(), strconv.Itoa(w))
		if err := synth.WriteSet(dir, 50, int64(100+k), w, w*3/4); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 50; i++ {
			b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("synth_%04d.jpg", i)))
			if err != nil {
				t.Fatal(err)
			}
			photos, wantWidth = append(photos, b), append(wantWidth, w)
		}
	}

	addr, store := freePort(t), t.TempDir()
	ns := startNATS(t, addr, store)
	cfg := config.Default()
	cfg.NATS.URL, cfg.NATS.AckWait = "nats://"+addr, e2eAckWait
	ctx := context.Background()
	q, err := jobs.Open(ctx, queueConfig(cfg.NATS, "gateway"))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	srv, err := server.New(server.Options{Config: cfg, Engine: gatewayEngine{}, Jobs: q, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	order := make([]string, len(photos))
	byName := map[string][]byte{}
	for i, p := range photos {
		order[i] = fmt.Sprintf("p%03d.jpg", i)
		byName[order[i]] = p
	}
	post := func() (int, api.JobResponse) {
		body, ct := api.JobForm(byName, order, map[string]string{"detection_confidence": "0.1"})
		req, _ := http.NewRequest("POST", hs.URL+"/v2/jobs", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set(api.IdempotencyHeader, "e2e-batch-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var j api.JobResponse
		json.NewDecoder(resp.Body).Decode(&j)
		return resp.StatusCode, j
	}
	status, job := post()
	if status != http.StatusAccepted || job.Total != len(photos) {
		t.Fatalf("submit: %d %+v", status, job)
	}
	status, again := post()
	if status != http.StatusOK || again.ID != job.ID || !again.Replayed {
		t.Fatalf("repeated Idempotency-Key: %d, job %s (first %s)", status, again.ID, job.ID)
	}

	start := func(id string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "worker", "--nats", cfg.NATS.URL, "--id", id, "--concurrency", "1")
		cmd.Env = append(os.Environ(), asCLI+"=1", "DATALID_MODELS_DIR="+models,
			"DATALID_NATS_ACK_WAIT="+e2eAckWait.String(), "DATALID_PIPELINE_WORKERS=1", "DATALID_LOG_LEVEL=warn")
		log, err := os.Create(filepath.Join(t.TempDir(), id+".log"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			log.Close()
			if t.Failed() {
				b, _ := os.ReadFile(log.Name())
				t.Logf("%s log:\n%s", id, b)
			}
		})
		return cmd
	}
	victim := start("victim")
	start("survivor")

	get := func() api.JobResponse {
		resp, err := http.Get(hs.URL + "/v2/jobs/" + job.ID)
		if err != nil {
			return api.JobResponse{}
		}
		defer resp.Body.Close()
		var j api.JobResponse
		json.NewDecoder(resp.Body).Decode(&j)
		return j
	}
	byVictim := func(j api.JobResponse) (n int) {
		for _, p := range j.Photos {
			if p.Worker == "victim" {
				n++
			}
		}
		return n
	}
	waitUntil(t, 90*time.Second, "the victim reads photos", func() bool { return byVictim(get()) >= 5 })
	t0 := time.Now()
	victim.Process.Kill() // SIGKILL mid-run: the photo it holds is never acked
	t.Logf("victim killed after %d photos", byVictim(get()))
	killed := byVictim(get())

	waitUntil(t, 90*time.Second, "half the photos", func() bool { return get().Counts.Finished() >= 100 })
	t.Logf("100 photos %s after the kill; restarting JetStream", time.Since(t0).Round(time.Millisecond))
	ns.Shutdown()
	ns.WaitForShutdown()
	ns = startNATS(t, addr, store) // same store: the queue survives the restart

	waitUntil(t, 180*time.Second, "the job to finish", func() bool { return get().State == api.JobDone })
	final := get()
	t.Logf("job done %s after the kill", time.Since(t0).Round(time.Millisecond))
	if final.Counts.Done != len(photos) || len(final.Photos) != len(photos) {
		t.Fatalf("want %d done, got %+v", len(photos), final.Counts)
	}
	for i, p := range final.Photos {
		r, err := p.Process()
		if err != nil {
			t.Fatalf("photo %d: %v", i, err)
		}
		if p.Index != i || p.Filename != order[i] || r.ImageWidth != wantWidth[i] {
			t.Fatalf("photo %d has another photo's result: %s width %d, want %s width %d", i, p.Filename, r.ImageWidth, order[i], wantWidth[i])
		}
		if p.Worker == "victim" && p.Attempts > 1 {
			t.Errorf("photo %d: a retried photo credited to the dead worker", i)
		}
	}
	if n := byVictim(final); n != killed {
		t.Errorf("the killed worker has %d results, %d when it died", n, killed)
	}
	resp, err := http.Get(hs.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	var h api.HealthResponse
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Queue == nil || h.Queue.Pending != 0 || h.Queue.InFlight != 0 {
		t.Fatalf("health queue after the job: %+v", h.Queue)
	}
}

func startNATS(t *testing.T, addr, dir string) interface {
	Shutdown()
	WaitForShutdown()
} {
	t.Helper()
	ns, err := jobs.StartEmbedded(jobs.EmbeddedOptions{Listen: addr, StoreDir: dir, Name: "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
