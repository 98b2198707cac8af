package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestDiskSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenDisk(dir, 1<<20, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Set(ctx, "k", []byte("value")); err != nil {
		t.Fatal(err)
	}
	// A second process (here: a second open) is told the database is in use.
	if _, err := OpenDisk(dir, 1<<20, 0); !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	d.Close()
	d, err = OpenDisk(dir, 1<<20, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	v, err := d.Get(ctx, "k")
	if err != nil || string(v) != "value" {
		t.Fatalf("after restart: %q %v", v, err)
	}
	if s := d.Stats(); s.Entries != 1 || s.Bytes <= 0 {
		t.Fatalf("index not rebuilt: %+v", s)
	}
}

func TestDiskEvictsByBytes(t *testing.T) {
	ctx := context.Background()
	const bound = 1 << 20
	d, err := OpenDisk(t.TempDir(), bound, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	val := make([]byte, 20_000)
	for i := range 200 { // ~4 MB into 1 MB
		if err := d.Set(ctx, fmt.Sprint("k", i), val); err != nil {
			t.Fatal(err)
		}
		if s := d.Stats(); s.Bytes > bound {
			t.Fatalf("after %d writes: %d bytes > bound %d", i+1, s.Bytes, bound)
		}
	}
	s := d.Stats()
	if s.Evictions == 0 {
		t.Fatalf("no evictions: %+v", s)
	}
	// What the index says is what the database holds.
	var n, stored int64
	d.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error { n++; stored += int64(len(k) + len(v)); return nil })
	})
	if n != s.Entries || stored != s.Bytes {
		t.Fatalf("database holds %d entries / %d bytes, index says %d / %d", n, stored, s.Entries, s.Bytes)
	}
	// The newest entry stayed, the oldest went.
	if _, err := d.Get(ctx, "k199"); err != nil {
		t.Fatalf("newest entry evicted: %v", err)
	}
	if _, err := d.Get(ctx, "k0"); err != ErrMiss {
		t.Fatalf("oldest entry kept: %v", err)
	}
}

// A damaged entry is a miss, deleted and counted; the tier keeps working.
func TestDiskCorruptEntry(t *testing.T) {
	ctx := context.Background()
	d, err := OpenDisk(t.TempDir(), 1<<20, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.Set(ctx, "k", []byte("a result worth keeping"))
	err = d.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		v := bytes.Clone(b.Get([]byte("k")))
		v[len(v)-1] ^= 0xff // one flipped byte in the value
		return b.Put([]byte("k"), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Get(ctx, "k"); err != ErrMiss {
		t.Fatalf("corrupt entry: %v, want a miss", err)
	}
	if s := d.Stats(); s.Corrupt != 1 || s.Entries != 0 {
		t.Fatalf("corrupt entry not counted and deleted: %+v", s)
	}
	d.Set(ctx, "k", []byte("again"))
	if v, err := d.Get(ctx, "k"); err != nil || string(v) != "again" {
		t.Fatalf("after corruption: %q %v", v, err)
	}
}

// A damaged database file is moved aside and a fresh one started.
func TestDiskCorruptFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenDisk(dir, 1<<20, 0)
	if err != nil {
		t.Fatal(err)
	}
	d.Set(ctx, "k", []byte("v"))
	d.Close()
	path := filepath.Join(dir, DiskFile)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(bytes.Repeat([]byte{0xA5}, 16<<10), 0) // both meta pages and more
	f.Close()
	d, err = OpenDisk(dir, 1<<20, 0)
	if err != nil {
		t.Fatalf("open after damage: %v", err)
	}
	defer d.Close()
	if s := d.Stats(); s.Corrupt != 1 || s.Entries != 0 {
		t.Fatalf("damaged file not counted: %+v", s)
	}
	if _, err := d.Get(ctx, "k"); err != ErrMiss {
		t.Fatalf("get from fresh database: %v", err)
	}
	d.Set(ctx, "k", []byte("v2"))
	if v, err := d.Get(ctx, "k"); err != nil || string(v) != "v2" {
		t.Fatalf("fresh database: %q %v", v, err)
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("damaged file not kept aside: %v", aside)
	}
}
