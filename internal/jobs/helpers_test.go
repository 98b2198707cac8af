package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// freeAddr reserves a loopback port for a server that must come back on the same address.
func freeAddr(t *testing.T) string { return mustFreeAddr(t) }

func mustFreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs an embedded JetStream server for one test.
func startServer(t *testing.T, addr, dir string) *natsserver.Server {
	t.Helper()
	s, err := StartEmbedded(EmbeddedOptions{Listen: addr, StoreDir: dir, Name: "t-" + addr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

func testConfig(url string) Config {
	return Config{URL: url, Replicas: 1, AckWait: 2 * time.Second, MaxDeliver: 3, ResultTTL: time.Hour,
		ObjectThreshold: 4096, MaxJobPhotos: 1000, Name: "test"}
}

func openQueue(t *testing.T, cfg Config) *Queue {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	return q
}

// photo is a deterministic test payload; large ones travel through the object store.
func photo(i int) []byte {
	n := 200
	if i%25 == 0 {
		n = 6000 // above the test object threshold
	}
	b := make([]byte, n)
	for j := range b {
		b[j] = byte(i*31 + j)
	}
	return b
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// hashProcessor answers with the photo's digest, so a test can tell each result belongs to
// its own photo; it counts calls per digest.
type hashProcessor struct {
	mu    sync.Mutex
	calls map[string]int
	delay time.Duration
}

func (p *hashProcessor) process(ctx context.Context, b []byte, fields map[string]string) (json.RawMessage, error) {
	p.mu.Lock()
	if p.calls == nil {
		p.calls = map[string]int{}
	}
	p.calls[digest(b)]++
	p.mu.Unlock()
	select {
	case <-time.After(p.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return json.Marshal(map[string]string{"digest": digest(b), "opt": fields["detection_confidence"]})
}

// submit queues n photos as one job.
func submit(t *testing.T, q *Queue, n int, key string) *Job {
	t.Helper()
	ctx := context.Background()
	s, replay, err := q.Begin(ctx, key, map[string]string{"detection_confidence": "0.5"})
	if err != nil {
		t.Fatal(err)
	}
	if replay != nil {
		return replay
	}
	for i := range n {
		if err := s.Add(ctx, "p"+strconv.Itoa(i)+".jpg", photo(i)); err != nil {
			t.Fatal(err)
		}
	}
	j, err := s.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// waitDone polls a job until every photo is final.
func waitDone(t *testing.T, q *Queue, id string, within time.Duration) *Job {
	t.Helper()
	deadline := time.Now().Add(within)
	var last *Job
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		j, err := q.Job(ctx, id)
		cancel()
		if err == nil {
			last = j
			if j.State == JobDone {
				return j
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if last != nil {
		t.Fatalf("job %s not done within %s: %s %+v", id, within, last.State, last.Counts)
	}
	t.Fatalf("job %s not readable", id)
	return nil
}

// checkExactlyOnce requires every photo done, with its own photo's result.
func checkExactlyOnce(t *testing.T, j *Job, n int) {
	t.Helper()
	if j.Total != n || len(j.Photos) != n || j.Counts.Done != n {
		t.Fatalf("want %d photos done, got total %d, %d photos, counts %+v", n, j.Total, len(j.Photos), j.Counts)
	}
	for i, p := range j.Photos {
		var r struct{ Digest, Opt string }
		if err := json.Unmarshal(p.Result, &r); err != nil {
			t.Fatalf("photo %d: %v", i, err)
		}
		if p.Index != i || r.Digest != digest(photo(i)) || r.Opt != "0.5" || p.Name != fmt.Sprintf("p%d.jpg", i) {
			t.Fatalf("photo %d has the wrong result: %+v %+v", i, p, r)
		}
	}
}
