package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
)

// TestSetupStopsAtOnceWithoutTools: a user who cannot install packages, on a machine without
// redis-server and chromium, is told the exact command at once, before anything is fetched
// (issue 11: `make test` used to fail minutes later in the browser test).
func TestSetupStopsAtOnceWithoutTools(t *testing.T) {
	root := testmodels.Root(t)
	// A world-readable folder with the script and only bash and id on PATH: no apt-get, no
	// chromium, no redis-server, whatever this machine has installed.
	dir, err := os.MkdirTemp("", "setup-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"bash", "id"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(p, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	script, err := os.ReadFile(filepath.Join(root, "scripts", "setup.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "setup.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	models := filepath.Join(dir, "models")
	args := []string{filepath.Join(dir, "bash"), filepath.Join(dir, "setup.sh"), "test"}
	if os.Geteuid() == 0 {
		// As root the script would install; run it as nobody, the user this case is about.
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Fatalf("running as root needs setpriv (util-linux) to drop to an ordinary user: %v", err)
		}
		args = append([]string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + dir, "DATALID_MODELS_DIR=" + models, "HOME=" + dir}
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(t0)
	if err == nil {
		t.Fatalf("setup.sh test passed without redis-server and chromium:\n%s", out)
	}
	want := "sudo apt-get install -y --no-install-recommends redis-server chromium"
	if !strings.Contains(string(out), want) {
		t.Errorf("output lacks the command to run (%q):\n%s", want, out)
	}
	if _, err := os.Stat(models); err == nil {
		t.Errorf("models directory created: setup went on past the missing tools")
	}
	// "At once": no download, no build; a generous bound for a loaded 2-core machine.
	if took > 10*time.Second {
		t.Errorf("took %v to refuse", took)
	}
}

// TestMakeTestSetsUpTools: `make test` runs the set-up that installs (or asks for) the tools
// the tests drive before anything else.
func TestMakeTestSetsUpTools(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mk, "-n", "--no-print-directory", "test")
	cmd.Dir = testmodels.Root(t)
	// Under `make test` itself, the outer make's variables would make this one a sub-make.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "MAKEFLAGS" && k != "MAKELEVEL" && k != "MFLAGS" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("make -n test: %v", err)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if !strings.Contains(first, "scripts/setup.sh test") {
		t.Errorf("make test starts with %q, want scripts/setup.sh test", first)
	}
}

// TestReadFromAnotherFolder: a checkout's bin/datalid, run from a folder with no models and
// without DATALID_MODELS_DIR, finds the checkout's models beside it and reads a photo.
func TestReadFromAnotherFolder(t *testing.T) {
	models := testmodels.Dir(t)
	if !filepath.IsAbs(models) {
		abs, err := filepath.Abs(models)
		if err != nil {
			t.Fatal(err)
		}
		models = abs
	}
	tmp := t.TempDir()
	checkout, elsewhere := filepath.Join(tmp, "checkout"), filepath.Join(tmp, "elsewhere")
	for _, d := range []string{filepath.Join(checkout, "bin"), elsewhere} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(models, filepath.Join(checkout, "models")); err != nil {
		t.Fatal(err)
	}
	// The test binary acts as datalid (TestMain), copied to where a checkout's build puts it.
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(checkout, "bin", "datalid")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteSet(elsewhere, 1, 3, 800, 600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "read", "--format", "json", "--no-cache", "synth_0001.jpg")
	cmd.Dir = elsewhere
	cmd.Env = []string{asCLI + "=1", "HOME=" + tmp, "PATH=" + os.Getenv("PATH")}
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("read from another folder: %v\n%s", err, stderr)
	}
	if !strings.Contains(string(out), `"best_date":{"date":"`) {
		t.Errorf("no date read:\n%.600s", out)
	}

	// Moved away from its models, the same binary names every place it looked.
	lone := filepath.Join(tmp, "lone")
	if err := os.Mkdir(lone, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(bin, filepath.Join(lone, "datalid")); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(filepath.Join(lone, "datalid"), "read", "synth_0001.jpg")
	cmd.Dir = elsewhere
	cmd.Env = cmd.Env[:0]
	cmd.Env = append(cmd.Env, asCLI+"=1", "HOME="+tmp)
	msg, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("read without models succeeded")
	}
	for _, place := range []string{"./models", filepath.Join(lone, "models"), filepath.Join(tmp, ".local", "share", "datalid", "models")} {
		if !strings.Contains(string(msg), place) {
			t.Errorf("error lacks %s:\n%s", place, msg)
		}
	}
}
