package cache

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/datalid/datalid/internal/testredis"
)

const testTimeout = 200 * time.Millisecond

func TestRedisDownIsAMissThenRecovers(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	r, err := NewRedis(srv.URL(), "test:", time.Hour, testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Set(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if v, err := r.Get(ctx, "k"); err != nil || string(v) != "v" {
		t.Fatalf("get: %q %v", v, err)
	}
	// TTL and prefix reach Redis.
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer raw.Close()
	if ttl := raw.PTTL(ctx, "test:k").Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("TTL of test:k = %s", ttl)
	}

	srv.Stop()
	for i := range 5 {
		t0 := time.Now()
		if _, err := r.Get(ctx, "k"); err == nil {
			t.Fatalf("get %d with Redis down succeeded", i)
		}
		if d := time.Since(t0); d > testTimeout+100*time.Millisecond {
			t.Fatalf("get %d with Redis down took %s (timeout %s)", i, d, testTimeout)
		}
	}
	s := r.Stats()
	if s.State != "down" || s.Errors == 0 || s.Misses != 5 || s.Hits != 1 {
		t.Fatalf("with Redis down: %+v", s)
	}

	srv.Start() // empty: no persistence
	r.Set(ctx, "k", []byte("v2"))
	deadline := time.Now().Add(5 * redisRetryAfter)
	for {
		v, err := r.Get(ctx, "k")
		if err == nil && string(v) == "v2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no hit %s after Redis came back: %v %+v", 5*redisRetryAfter, err, r.Stats())
		}
		r.Set(ctx, "k", []byte("v2"))
		time.Sleep(50 * time.Millisecond)
	}
	if s := r.Stats(); s.State != "ok" {
		t.Fatalf("after recovery: %+v", s)
	}
}

func TestRedisClearOnlyPrefix(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer raw.Close()
	raw.Set(ctx, "other:key", "keep", 0)
	r, err := NewRedis(srv.URL(), "mine:", 0, testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, k := range []string{"a", "b", "c"} {
		r.Set(ctx, k, []byte(k))
	}
	if n, err := r.Count(ctx); err != nil || n != 3 {
		t.Fatalf("count %d %v", n, err)
	}
	if err := r.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Count(ctx); n != 0 {
		t.Fatalf("%d keys left under the prefix", n)
	}
	if raw.Get(ctx, "other:key").Val() != "keep" {
		t.Fatal("clear deleted a key outside its prefix")
	}
	// A value that is not ours under our prefix is a counted corrupt miss.
	raw.Set(ctx, "mine:x", "not framed", 0)
	if _, err := r.Get(ctx, "x"); err != ErrMiss || r.Stats().Corrupt != 1 {
		t.Fatalf("foreign value: %v %+v", err, r.Stats())
	}
}
