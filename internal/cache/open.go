package cache

import (
	"errors"
	"fmt"
	"time"
)

// Options say which tiers to open and how (config's cache section, converted by the engine).
type Options struct {
	Memory, Disk, Redis bool
	MemoryMaxBytes      int64
	DiskMaxBytes        int64
	Dir                 string
	TTL                 time.Duration
	RedisURL            string
	RedisPrefix         string
	RedisTimeout        time.Duration
}

// Open builds the tiers o asks for, fastest first; nil when it asks for none. The Redis tier
// connects lazily, so a Redis that is down at start is a run of misses, not an error.
func Open(o Options) (*Tiered, error) {
	var tiers []Tier
	fail := func(err error) (*Tiered, error) {
		return nil, errors.Join(err, NewTiered(tiers...).Close())
	}
	if o.Memory {
		m, err := NewMemory(o.MemoryMaxBytes, o.TTL)
		if err != nil {
			return fail(fmt.Errorf("cache: memory tier: %w", err))
		}
		tiers = append(tiers, m)
	}
	if o.Disk {
		d, err := OpenDisk(o.Dir, o.DiskMaxBytes, o.TTL)
		if err != nil {
			return fail(err)
		}
		tiers = append(tiers, d)
	}
	if o.Redis {
		r, err := NewRedis(o.RedisURL, o.RedisPrefix, o.TTL, o.RedisTimeout)
		if err != nil {
			return fail(err)
		}
		tiers = append(tiers, r)
	}
	if len(tiers) == 0 {
		return nil, nil
	}
	return NewTiered(tiers...), nil
}
