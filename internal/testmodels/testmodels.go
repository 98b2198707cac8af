// Package testmodels locates the fetched runtime library and model files for tests that run
// the real models. Tests fail (not skip) when they are missing: `make test` fetches them.
package testmodels

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the models directory: $DATALID_MODELS_DIR, or ./models at the module root.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DATALID_MODELS_DIR")
	if dir == "" {
		dir = filepath.Join(Root(t), "models")
	}
	if _, err := os.Stat(filepath.Join(dir, "libonnxruntime.so.1")); err != nil {
		t.Fatalf("models not found in %s (run `make setup`): %v", dir, err)
	}
	return dir
}

// Root returns the module root (the directory holding go.mod).
func Root(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// Photos returns the shared development photos directory, or "" when this checkout has none.
func Photos(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DATALID_PHOTOS_DIR")
	if dir == "" {
		dir = filepath.Join(Root(t), "..", "shared", "data", "photos")
	}
	if _, err := os.Stat(filepath.Join(dir, "labels.csv")); err != nil {
		return ""
	}
	return dir
}
