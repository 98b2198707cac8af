package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSynthLayoutsFlag renders only the named hard family and rejects
// unknown families and contradictory flags.
func TestSynthLayoutsFlag(t *testing.T) {
	dir := t.TempDir()
	if _, err := run(t, "", "synth", "--out", dir, "-n", "2", "--seed", "3", "--layouts", "glued"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], ",layout") {
		t.Fatalf("labels.csv:\n%s", data)
	}
	for _, l := range lines[1:] {
		if !strings.HasSuffix(l, ",glued") {
			t.Errorf("row %q is not of the glued family", l)
		}
	}
	for _, args := range [][]string{
		{"synth", "--out", dir, "--layouts", "cursive"},
		{"synth", "--out", dir, "--hard", "--layouts", "glued"},
		{"synth", "--out", dir, "--hard-share", "1.5"},
	} {
		if _, err := run(t, "", args...); err == nil {
			t.Errorf("%q succeeded", args)
		}
	}
}
