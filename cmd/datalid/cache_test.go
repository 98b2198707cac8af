package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/synth"
)

// detectionTimes reads `read --format jsonl` output: each file's metrics.detection_time (0 on
// a cache hit, which runs no stage).
func detectionTimes(t *testing.T, out string) []float64 {
	t.Helper()
	var ts []float64
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row struct {
			Metrics struct {
				DetectionTime float64 `json:"detection_time"`
			} `json:"metrics"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		ts = append(ts, row.Metrics.DetectionTime)
	}
	return ts
}

func TestReadUsesDiskCacheAndCacheCommands(t *testing.T) {
	dir := t.TempDir()
	photos := filepath.Join(dir, "photos")
	if err := synth.WriteSet(photos, 2, 9, 640, 480); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "datalid.yaml")
	os.WriteFile(cfgFile, []byte("preset: production\ncache:\n  tiers: [disk]\n  dir: "+filepath.Join(dir, "cache")+"\n"), 0o600)
	read := func(extra ...string) []float64 {
		out, err := run(t, "", append([]string{"--config", cfgFile, "read", "--format", "jsonl"}, append(extra, photos)...)...)
		if err != nil {
			t.Fatal(err)
		}
		return detectionTimes(t, out)
	}
	for i, d := range read() {
		if d == 0 {
			t.Fatalf("first read, file %d: no detection time (not read?)", i)
		}
	}
	for i, d := range read() {
		if d != 0 {
			t.Fatalf("second read, file %d: detection ran (%gs), want a disk hit", i, d)
		}
	}
	for i, d := range read("--no-cache") {
		if d == 0 {
			t.Fatalf("--no-cache, file %d: no detection time", i)
		}
	}
	stats := func() []cache.TierStats {
		out, err := run(t, "", "--config", cfgFile, "cache", "stats", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var st []cache.TierStats
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return st
	}
	if st := stats(); len(st) != 1 || st[0].Tier != "disk" || st[0].Entries != 2 || st[0].Bytes <= 0 {
		t.Fatalf("cache stats: %+v", st)
	}
	if out, err := run(t, "", "--config", cfgFile, "cache", "clear"); err != nil || !strings.Contains(out, "cleared disk") {
		t.Fatalf("cache clear: %q %v", out, err)
	}
	if st := stats(); st[0].Entries != 0 {
		t.Fatalf("after clear: %+v", st)
	}
	if _, err := run(t, "", "--preset", "development", "cache", "stats"); err == nil || !strings.Contains(err.Error(), "no disk or redis cache tier") {
		t.Fatalf("cache stats without shared tiers: %v", err)
	}
}
