package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fillModels writes empty stand-ins for the files LocateModels looks for.
func fillModels(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c := defaults()
	for _, name := range []string{DefaultRuntimeLibrary, c.Models.Detector} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLocateModelsOrder(t *testing.T) {
	root := t.TempDir()
	work := filepath.Join(root, "elsewhere")
	exe := filepath.Join(root, "checkout", "bin", "datalid")
	home := filepath.Join(root, "home")
	for _, d := range []string{work, filepath.Dir(exe)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	env := []string{"HOME=" + home}
	locate := func(env []string) (string, error) {
		c := defaults()
		err := LocateModels(&c, env, exe)
		return c.Models.Dir, err
	}

	// Nowhere: the error names every place, in order, and how to fill one.
	_, err := locate(env)
	if !errors.Is(err, ErrModelsNotFound) {
		t.Fatalf("no models anywhere: err = %v", err)
	}
	user := filepath.Join(home, ".local", "share", "datalid", "models")
	want := []string{"./models", filepath.Join(root, "checkout", "bin", "models"), filepath.Join(root, "checkout", "models"), user, "make user-models", EnvModelsDir}
	last := -1
	for _, w := range want {
		i := strings.Index(err.Error(), w)
		if i < 0 || i < last {
			t.Errorf("error %q lacks %q in order", err, w)
		}
		last = i
	}

	// Each place, from last to first, wins over those after it.
	fillModels(t, user)
	if got, _ := locate(env); got != user {
		t.Errorf("user dir only: got %s", got)
	}
	beside := filepath.Join(root, "checkout", "models")
	fillModels(t, beside)
	if got, _ := locate(env); got != beside {
		t.Errorf("checkout beside bin/: got %s, want %s", got, beside)
	}
	fillModels(t, filepath.Join(work, "models"))
	if got, _ := locate(env); got != "./models" {
		t.Errorf("working directory: got %s", got)
	}

	// XDG_DATA_HOME moves the per-user directory; a relative one is ignored (XDG spec).
	if got := UserModelsDir([]string{"HOME=/h", "XDG_DATA_HOME=/x"}); got != "/x/datalid/models" {
		t.Errorf("XDG_DATA_HOME: %s", got)
	}
	if got := UserModelsDir([]string{"HOME=/h", "XDG_DATA_HOME=rel"}); got != "/h/.local/share/datalid/models" {
		t.Errorf("relative XDG_DATA_HOME: %s", got)
	}

	// DATALID_MODELS_DIR is the only place looked in, even when ./models has the files.
	missing := filepath.Join(root, "nothing")
	got, err := locate(append(env, EnvModelsDir+"="+missing))
	if err == nil || got != "./models" || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), user) {
		t.Errorf("%s set to an empty dir: dir %s, err %v", EnvModelsDir, got, err)
	}
}
