package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/jobs"
	"github.com/datalid/datalid/internal/server"
)

// startWithQueue serves a real engine with /v2/jobs on an in-process JetStream server and a
// local worker, as `datalid serve` does by default.
func startWithQueue(t *testing.T) string {
	t.Helper()
	cfg := realConfig(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	natsAddr := ln.Addr().String()
	ln.Close()
	ns, err := jobs.StartEmbedded(jobs.EmbeddedOptions{Listen: natsAddr, StoreDir: t.TempDir(), Name: "e2e-web"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	q, err := jobs.Open(ctx, jobs.Config{URL: ns.ClientURL(), AckWait: time.Minute, MaxDeliver: 3, ResultTTL: time.Hour,
		ObjectThreshold: 512 * 1024, MaxJobPhotos: 100})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Config: cfg, Engine: eng, Registry: prometheus.NewRegistry(),
		Logger: slog.New(slog.DiscardHandler), Version: "e2e", Jobs: q})
	if err != nil {
		t.Fatal(err)
	}
	hln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 2)
	go func() { srv.Serve(ctx, hln); done <- struct{}{} }()
	w := jobs.NewWorker(q, srv.JobProcessor(), jobs.WorkerOptions{ID: "web", Concurrency: 2})
	go func() { w.Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() {
		cancel()
		<-done
		<-done
		q.Close()
		ns.Shutdown()
		ns.WaitForShutdown()
		eng.Close()
	})
	return "http://" + hln.Addr().String()
}

// The web page submits many photos (the folder picker's handler) as one job and shows its progress to the end.
func TestWebPageFolderJob(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium not installed (apt-get install chromium; .ci/run does): %v", err)
	}
	url := startWithQueue(t)
	dir := t.TempDir()
	var files []string
	for i := range 3 {
		f := filepath.Join(dir, fmt.Sprintf("p%d.jpg", i))
		if err := os.WriteFile(f, photo(t, int64(40+i), time.Date(2030, 3, 10+i, 0, 0, 0, 0, time.UTC), 800, 600), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.WindowSize(900, 1400))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url+"/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	step, stop := context.WithTimeout(ctx, 60*time.Second)
	defer stop()
	for _, a := range []struct {
		name string
		act  chromedp.Action[chromedp.Void]
	}{
		{"folder button shown", chromedp.WaitVisible(chromedp.CSS("#job-pick"))},
		{"upload", chromedp.SetUploadFiles(chromedp.CSS("#files-input"), files)},
		{"job shown", chromedp.WaitVisible(chromedp.CSS("#job"))},
	} {
		if _, err := chromedp.Run(step, a.act); err != nil {
			st, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
			t.Fatalf("%s: %v (status line %q)", a.name, err, st)
		}
	}
	var counts, rows string
	for {
		c, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("#job-counts")))
		if err != nil {
			t.Fatalf("progress never reached 3 of 3 (last %q): %v", counts, err)
		}
		counts = c
		if strings.HasPrefix(c, "3 of 3") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	waitRows := func() string {
		r, _ := chromedp.Run(step, chromedp.Text(chromedp.CSS("#job-photos")))
		return r
	}
	rows = waitRows()
	if !strings.Contains(counts, "3 read") || strings.Count(rows, "2030-03-") < 2 {
		t.Fatalf("job progress %q, rows %q", counts, rows)
	}
}
