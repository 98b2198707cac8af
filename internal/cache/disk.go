package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DiskFile is the name of the disk tier's database inside cache.dir.
const DiskFile = "results.bolt"

// diskLowWater: when the stored bytes pass the bound, the least recently used entries go
// until the total is at most this share of it, so eviction (one write transaction, one fsync)
// runs once per many writes rather than on every one.
const diskLowWater = 0.9

// diskLockWait is how long Open waits for another process's lock on the database before
// saying it is in use (bbolt allows one writer process).
const diskLockWait = 2 * time.Second

var bucket = []byte("results")

// Disk is the on-disk tier: one bbolt database under a directory. The bound counts the bytes
// of stored keys and framed values; the file itself is larger by bbolt's page overhead and
// keeps freed pages for reuse instead of shrinking.
type Disk struct {
	db   *bolt.DB
	path string
	max  int64
	ttl  time.Duration

	writeMu sync.Mutex // one writer at a time, so the eviction choice matches what is stored
	mu      sync.Mutex // guards index and total
	index   map[string]diskEntry
	total   int64
	n       counters
}

type diskEntry struct {
	size int64
	used time.Time // last read or write; after a restart, the write time
}

// ErrInUse is returned by OpenDisk when another process holds the database.
var ErrInUse = errors.New("cache: disk cache in use by another process")

// OpenDisk opens (or creates) the disk tier under dir. A database that fails bbolt's checks
// is moved aside (renamed *.corrupt-<time>), counted, and a fresh one is started: a damaged
// cache costs misses, never a failed start.
func OpenDisk(dir string, maxBytes int64, ttl time.Duration) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	d := &Disk{path: filepath.Join(dir, DiskFile), max: maxBytes, ttl: ttl, index: map[string]diskEntry{}}
	db, err := openChecked(d.path)
	if err != nil && !errors.Is(err, ErrInUse) {
		aside := fmt.Sprintf("%s.corrupt-%d", d.path, time.Now().UnixNano())
		if rerr := os.Rename(d.path, aside); rerr != nil {
			return nil, fmt.Errorf("cache: %s is damaged (%v) and could not be moved aside: %w", d.path, err, rerr)
		}
		d.n.corrupt.Add(1)
		db, err = openChecked(d.path)
	}
	if err != nil {
		return nil, err
	}
	d.db = db
	if err := d.load(); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// openChecked opens path and runs bbolt's consistency check, so a damaged file is found here
// rather than by a read that panics inside bbolt later.
func openChecked(path string) (db *bolt.DB, err error) {
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: diskLockWait})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrInUse, path)
	}
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cache: checking %s: %v", path, p)
		}
		if err != nil {
			db.Close()
			db = nil
		}
	}()
	err = db.Update(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			return e
		}
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	})
	return db, err
}

// load builds the size and recency index from the stored entries.
func (d *Disk) load() error {
	return d.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			written := time.Time{}
			if _, w, err := open(v); err == nil {
				written = w
			}
			// A damaged entry is indexed with the zero time: first to be evicted, and a miss
			// (deleted, counted) if it is read before.
			d.index[string(k)] = diskEntry{size: int64(len(k) + len(v)), used: written}
			d.total += int64(len(k) + len(v))
			return nil
		})
	})
}

func (d *Disk) Name() string { return "disk" }

func (d *Disk) Get(_ context.Context, key string) ([]byte, error) {
	var raw []byte
	err := d.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucket).Get([]byte(key)); v != nil {
			raw = slices.Clone(v) // bbolt's memory is only valid inside the transaction
		}
		return nil
	})
	if err != nil {
		d.n.errors.Add(1)
		d.n.misses.Add(1)
		return nil, err
	}
	if raw == nil {
		d.n.misses.Add(1)
		return nil, ErrMiss
	}
	val, written, err := open(raw)
	now := time.Now()
	if err != nil || expired(written, d.ttl, now) {
		if err != nil {
			d.n.corrupt.Add(1)
		}
		d.n.misses.Add(1)
		d.delete(key)
		return nil, ErrMiss
	}
	d.mu.Lock()
	if e, ok := d.index[key]; ok {
		e.used = now
		d.index[key] = e
	}
	d.mu.Unlock()
	d.n.hits.Add(1)
	return val, nil
}

func (d *Disk) delete(key string) {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	if err := d.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Delete([]byte(key)) }); err != nil {
		d.n.errors.Add(1)
		return
	}
	d.mu.Lock()
	d.total -= d.index[key].size
	delete(d.index, key)
	d.mu.Unlock()
}

// Set stores val, then evicts the least recently used entries while over the bound. An
// entry over the per-entry share of the bound is not kept.
func (d *Disk) Set(_ context.Context, key string, val []byte) error {
	now := time.Now()
	framed := seal(val, now)
	size := int64(len(key) + len(framed))
	if size > d.max/maxEntryShare {
		return nil
	}
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	d.mu.Lock()
	old := d.index[key].size
	victims := d.victims(d.total - old + size)
	d.mu.Unlock()
	err := d.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		for _, v := range victims {
			if err := b.Delete([]byte(v)); err != nil {
				return err
			}
		}
		return b.Put([]byte(key), framed)
	})
	if err != nil {
		d.n.errors.Add(1)
		return err
	}
	d.mu.Lock()
	for _, v := range victims {
		d.total -= d.index[v].size
		delete(d.index, v)
	}
	d.total += size - d.index[key].size
	d.index[key] = diskEntry{size: size, used: now}
	d.mu.Unlock()
	d.n.evictions.Add(uint64(len(victims)))
	return nil
}

// victims chooses the least recently used entries to drop so that total fits the bound
// (down to the low-water mark). Called with mu held.
func (d *Disk) victims(total int64) []string {
	if total <= d.max {
		return nil
	}
	type kv struct {
		k string
		e diskEntry
	}
	all := make([]kv, 0, len(d.index))
	for k, e := range d.index {
		all = append(all, kv{k, e})
	}
	slices.SortFunc(all, func(a, b kv) int { return a.e.used.Compare(b.e.used) })
	target := int64(float64(d.max) * diskLowWater)
	var out []string
	for _, x := range all {
		if total <= target {
			break
		}
		out = append(out, x.k)
		total -= x.e.size
	}
	return out
}

func (d *Disk) Clear(context.Context) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	err := d.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucket); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucket)
		return err
	})
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.index, d.total = map[string]diskEntry{}, 0
	d.mu.Unlock()
	return nil
}

// Path is the database file.
func (d *Disk) Path() string { return d.path }

func (d *Disk) Stats() TierStats {
	d.mu.Lock()
	s := TierStats{Tier: d.Name(), State: "ok", Bytes: d.total, MaxBytes: d.max, Entries: int64(len(d.index))}
	d.mu.Unlock()
	d.n.fill(&s)
	return s
}

func (d *Disk) Close() error { return d.db.Close() }
