package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/synth"
)

// deepDir makes a folder chain whose full path is over PATH_MAX, built with *at calls, so
// listing its bottom fails even for root (who ignores permission bits).
func deepDir(t *testing.T, parent string) string {
	t.Helper()
	seg := strings.Repeat("d", 200)
	fd, err := syscall.Open(parent, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := parent
	for range 22 {
		if err := syscall.Mkdirat(fd, seg, 0o755); err != nil {
			t.Fatal(err)
		}
		nfd, err := syscall.Openat(fd, seg, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
		syscall.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd, p = nfd, filepath.Join(p, seg)
	}
	syscall.Close(fd)
	return p
}

// Findings 3, 4 and 6: a /dev/zero symlink and a FIFO named *.jpg, a folder that cannot be
// listed and a missing argument, beside good photos: every good photo is read, each bad path
// gets its own error row, the run ends within seconds with status 1.
func TestReadHostilePaths(t *testing.T) {
	dir := t.TempDir()
	if err := synth.WriteSet(dir, 2, 5, 800, 600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "a_zero.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "b_fifo.jpg"), 0o600); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "c_locked")
	os.Mkdir(locked, 0o755)
	os.WriteFile(filepath.Join(locked, "x.jpg"), []byte("x"), 0o644)
	os.Chmod(locked, 0)
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	deepDir(t, dir)
	missing := filepath.Join(dir, "missing.jpg")

	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := run(t, "", "read", "--format", "jsonl", "--today", "2026-01-01", "--workers", "2", missing, dir)
		done <- result{out, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("read did not finish within 60 s (blocked on a special file?)")
	}
	if r.err == nil {
		t.Fatal("exit status 0 with bad paths")
	}
	errs := map[string]string{}
	ok := 0
	sc := bufio.NewScanner(strings.NewReader(r.out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("bad jsonl line %q: %v", sc.Text(), err)
		}
		f := row["file"].(string)
		if row["status"] == "error" {
			if _, dup := errs[f]; dup {
				t.Errorf("%s reported twice", f)
			}
			errs[f] = row["error"].(string)
		} else {
			ok++
		}
	}
	if ok != 2 {
		t.Errorf("%d good photos read, want 2\n%s", ok, r.out)
	}
	want := map[string]string{
		missing:                          "no such file",
		filepath.Join(dir, "a_zero.jpg"): "not a regular file",
		filepath.Join(dir, "b_fifo.jpg"): "not a regular file",
	}
	for f, w := range want {
		if !strings.Contains(errs[f], w) {
			t.Errorf("%s: error %q, want %q", filepath.Base(f), errs[f], w)
		}
	}
	deep := 0
	for f, e := range errs {
		if strings.Contains(f, strings.Repeat("d", 200)) && strings.Contains(e, "too long") {
			deep++
		}
	}
	if deep != 1 {
		t.Errorf("unlistable deep folder reported %d times: %v", deep, errs)
	}
	if os.Geteuid() != 0 { // root reads a mode-000 folder anyway
		if !strings.Contains(errs[locked], "permission denied") {
			t.Errorf("locked folder: %q", errs[locked])
		}
	}
}
