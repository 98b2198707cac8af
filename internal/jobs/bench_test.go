package jobs

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"
)

// BenchmarkPhotoRoundTrip is the queue's own cost per photo: submit, deliver, store the
// result, ack, on an embedded file-store JetStream server, with a processor that does no
// work. b.N photos go as one job to one worker with 2 read slots; ns/op is per photo.
func BenchmarkPhotoRoundTrip(b *testing.B) {
	addr := mustFreeAddr(b)
	s, err := StartEmbedded(EmbeddedOptions{Listen: addr, StoreDir: b.TempDir(), Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { s.Shutdown(); s.WaitForShutdown() }()
	cfg := testConfig("nats://" + addr)
	ctx, cancel := context.WithCancel(context.Background())
	q, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	wq, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer wq.Close()
	result := json.RawMessage(`{"status":"success"}`)
	w := NewWorker(wq, func(context.Context, []byte, map[string]string) (json.RawMessage, error) { return result, nil },
		WorkerOptions{ID: "bench", Concurrency: 2})
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	defer wg.Wait()
	defer cancel()
	photo := make([]byte, 100*1024) // a 100 KB photo, inline
	b.SetBytes(int64(len(photo)))
	b.ReportAllocs()
	b.ResetTimer()
	sub, _, err := q.Begin(ctx, "", nil)
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		if err := sub.Add(ctx, "p.jpg", photo); err != nil {
			b.Fatal(err)
		}
	}
	job, err := sub.Commit(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for {
		j, err := q.Job(ctx, job.ID)
		if err != nil {
			b.Fatal(err)
		}
		if j.State == JobDone {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
}
