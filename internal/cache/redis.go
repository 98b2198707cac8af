package cache

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisRetryAfter is how long the Redis tier stays out of the way after a failure: lookups in
// that window are immediate misses, so a dead Redis costs each request nothing rather than a
// timeout. Then one request probes it; go-redis dials fresh connections, so a restarted Redis
// is used again without restarting datalid.
const redisRetryAfter = time.Second

// redisClearBatch is how many keys one SCAN step asks for when clearing the prefix.
const redisClearBatch = 1000

// Redis is the shared tier: entries under a key prefix, with a TTL, every call bounded by a
// timeout.
type Redis struct {
	c       *redis.Client
	prefix  string
	ttl     time.Duration
	timeout time.Duration
	// downUntil is the Unix-nanosecond time before which Redis is skipped; 0 when healthy.
	downUntil atomic.Int64
	n         counters
}

// NewRedis connects lazily to url (redis://, rediss:// or unix://): it never fails because
// Redis is down, only for a malformed URL.
func NewRedis(url, prefix string, ttl, timeout time.Duration) (*Redis, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("cache: redis url: %w", err)
	}
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout = timeout, timeout, timeout, timeout
	o.MaxRetries = -1 // a retry would double the worst case; the next request tries again
	o.DialerRetries = 1
	o.ContextTimeoutEnabled = true
	o.DisableIdentity = true // no CLIENT SETINFO round trip on each new connection
	return &Redis{c: redis.NewClient(o), prefix: prefix, ttl: ttl, timeout: timeout}, nil
}

func (r *Redis) Name() string { return "redis" }

// skip reports whether Redis is in its back-off window. When the window has passed, exactly
// one caller is let through to probe it (the others keep skipping until that one succeeds).
func (r *Redis) skip() bool {
	until := r.downUntil.Load()
	if until == 0 {
		return false
	}
	now := time.Now().UnixNano()
	if now < until {
		return true
	}
	return !r.downUntil.CompareAndSwap(until, now+int64(redisRetryAfter))
}

func (r *Redis) fail() {
	r.n.errors.Add(1)
	r.downUntil.Store(time.Now().Add(redisRetryAfter).UnixNano())
}

func (r *Redis) Get(ctx context.Context, key string) ([]byte, error) {
	if r.skip() {
		r.n.misses.Add(1)
		return nil, ErrMiss
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	b, err := r.c.Get(ctx, r.prefix+key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		r.downUntil.Store(0)
		r.n.misses.Add(1)
		return nil, ErrMiss
	case err != nil:
		r.fail()
		r.n.misses.Add(1)
		return nil, err
	}
	r.downUntil.Store(0)
	val, _, err := open(b)
	if err != nil {
		r.n.corrupt.Add(1)
		r.n.misses.Add(1)
		r.c.Del(ctx, r.prefix+key)
		return nil, ErrMiss
	}
	r.n.hits.Add(1)
	return val, nil
}

func (r *Redis) Set(ctx context.Context, key string, val []byte) error {
	if r.skip() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := r.c.Set(ctx, r.prefix+key, seal(val, time.Now()), r.ttl).Err(); err != nil {
		r.fail()
		return err
	}
	r.downUntil.Store(0)
	return nil
}

// Clear deletes the keys under the prefix (never the whole database: it may be shared).
func (r *Redis) Clear(ctx context.Context) error {
	var cursor uint64
	for {
		keys, next, err := r.c.Scan(ctx, cursor, r.prefix+"*", redisClearBatch).Result()
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			if err := r.c.Unlink(ctx, keys...).Err(); err != nil {
				return err
			}
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}

func (r *Redis) Stats() TierStats {
	s := TierStats{Tier: r.Name(), State: "ok", Bytes: -1, Entries: -1}
	if r.downUntil.Load() != 0 {
		s.State = "down"
	}
	r.n.fill(&s)
	return s
}

// Count returns how many keys are under the prefix (a SCAN: for `datalid cache stats`, not
// for the request path).
func (r *Redis) Count(ctx context.Context) (int64, error) {
	var n int64
	var cursor uint64
	for {
		keys, next, err := r.c.Scan(ctx, cursor, r.prefix+"*", redisClearBatch).Result()
		if err != nil {
			return 0, err
		}
		n += int64(len(keys))
		if cursor = next; cursor == 0 {
			return n, nil
		}
	}
}

func (r *Redis) Close() error { return r.c.Close() }
