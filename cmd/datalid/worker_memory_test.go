package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/jobs"
	"github.com/datalid/datalid/internal/memtrim"
	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
)

// TestWorkerHandsMemoryBack: a `datalid worker` process that read a photo at the detector's
// full size hands ONNX Runtime's arena and the C heap back once it is idle, as serve does
// (TestArenaShrinkHandsBack measures the shrink itself). Before, its RSS stayed at the peak.
func TestWorkerHandsMemoryBack(t *testing.T) {
	models := testmodels.Dir(t)
	dir := t.TempDir()
	if err := synth.WriteSet(dir, 1, 5, 1280, 960); err != nil { // detected at 960×720
		t.Fatal(err)
	}
	photo, err := os.ReadFile(filepath.Join(dir, "synth_0001.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	startNATS(t, addr, t.TempDir())
	cfg := config.Default()
	cfg.NATS.URL = "nats://" + addr
	ctx := context.Background()
	q, err := jobs.Open(ctx, queueConfig(cfg.NATS, "submitter"))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()

	cmd := exec.Command(os.Args[0], "worker", "--nats", cfg.NATS.URL, "--id", "mem", "--concurrency", "1")
	cmd.Env = append(os.Environ(), asCLI+"=1", "DATALID_MODELS_DIR="+models, "DATALID_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()

	sub, _, err := q.Begin(ctx, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.Add(ctx, "big.jpg", photo); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 2*time.Minute, "the worker to read the photo", func() bool {
		j, err := q.Job(ctx, sub.ID())
		return err == nil && j.Counts.Done == 1
	})
	kept, _ := procRSS(cmd.Process.Pid)
	// minFreed is well under what a 960×720 detection keeps in the arena (≈ 100 MB) and well
	// over anything else that moves an idle process's RSS.
	const minFreed = 60
	var after float64
	waitUntil(t, 4*memtrim.IdleAfter, "the idle worker to hand memory back", func() bool {
		after, _ = procRSS(cmd.Process.Pid)
		return kept-after >= minFreed
	})
	t.Logf("worker RSS after the read %.0f MB, idle %.0f MB", kept, after)
}
