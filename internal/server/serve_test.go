package server

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"time"
)

// A listener that fails ends Serve with its error while the caller's context is still live:
// the errgroup stops the warm-up and idle-trim goroutines and shuts the server down (not
// ready any more) instead of leaving them running.
func TestServeEndsWhenListenerFails(t *testing.T) {
	srv, err := New(Options{Config: testConfig(t), Engine: &fakeEngine{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), ln) }()
	deadline := time.Now().Add(10 * time.Second)
	for !srv.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
		time.Sleep(time.Millisecond)
	}
	ln.Close() // the listener fails under the server
	select {
	case err := <-done:
		if err == nil {
			t.Error("Serve returned no error for a failed listener")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve still running after its listener failed")
	}
	if srv.Ready() {
		t.Error("still ready after Serve returned")
	}
}
