package jobs

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// TestClusterNodeLoss: a 3-node JetStream cluster on loopback ports with every stream and
// bucket replicated 3 times; one node is shut down mid-run and no photo is lost.
func TestClusterNodeLoss(t *testing.T) {
	clientAddrs := []string{freeAddr(t), freeAddr(t), freeAddr(t)}
	routeAddrs := []string{freeAddr(t), freeAddr(t), freeAddr(t)}
	var routes []string
	for _, a := range routeAddrs {
		routes = append(routes, "nats://"+a)
	}
	nodes := make([]*natsserver.Server, 3)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			s, err := StartEmbedded(EmbeddedOptions{
				Listen: clientAddrs[i], StoreDir: t.TempDir(), Name: "n" + string(rune('0'+i)),
				ClusterName: "datalid-test", ClusterListen: routeAddrs[i], Routes: routes,
			})
			if err != nil {
				t.Error(err)
				return
			}
			nodes[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, s := range nodes {
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	}
	var urls []string
	for _, a := range clientAddrs {
		urls = append(urls, "nats://"+a)
	}
	cfg := testConfig(strings.Join(urls, ","))
	cfg.Replicas = 3
	// The gateway talks to node 0 first, the workers to nodes 1 and 2; node 0 is the one shut
	// down, so the gateway must move to another node.
	gw := openQueue(t, cfg)
	const n = 100
	job := submit(t, gw, n, "")

	proc := &hashProcessor{delay: 30 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var workers sync.WaitGroup
	defer workers.Wait()
	defer cancel()
	for i, first := range []int{1, 2} {
		wc := cfg
		wc.URL = strings.Join([]string{urls[first], urls[3-first], urls[0]}, ",")
		w := NewWorker(openQueue(t, wc), proc.process, WorkerOptions{ID: "w" + string(rune('1'+i)), Concurrency: 3})
		workers.Go(func() { w.Run(ctx) })
	}
	waitFor(t, 30*time.Second, func() bool { j, _ := gw.Job(ctx, job.ID); return j != nil && j.Counts.Done >= n/3 })
	nodes[0].Shutdown()
	nodes[0].WaitForShutdown()

	got := waitDone(t, gw, job.ID, 90*time.Second)
	checkExactlyOnce(t, got, n)
}
