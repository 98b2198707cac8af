package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// artifactDir is where screenshots go: $DATALID_ARTIFACTS, or the test's temporary directory.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("DATALID_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// The web page in real headless Chromium: choose a photo, and the date, the badge, the boxes
// and the timings appear.
func TestWebPageInChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium not installed (apt-get install chromium; .ci/run does): %v", err)
	}
	url := startReal(t, realConfig(t))
	dir := t.TempDir()
	file := filepath.Join(dir, "photo.jpg")
	expiry := time.Date(2031, 8, 23, 0, 0, 0, 0, time.UTC)
	if err := os.WriteFile(file, photo(t, 21, expiry, 1280, 960), 0o644); err != nil {
		t.Fatal(err)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.WindowSize(900, 1400))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first Run starts the browser and must not carry a timeout (it would stop the browser).
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url+"/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	step, stop := context.WithTimeout(ctx, 90*time.Second)
	defer stop()
	run := func(name string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(step, a); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(step, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	run("upload", chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{file}))
	run("wait for result", chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := text("#best-date"); got != "23/08/2031" {
		t.Errorf("best date shown %q, want 23/08/2031", got)
	}
	if got := text("#badge"); got != "Valid" {
		t.Errorf("badge %q, want Valid", got)
	}
	if got := text("#best-days"); !strings.Contains(got, "day(s) left") {
		t.Errorf("days line %q", got)
	}
	if got := text("#texts"); got == "" || strings.Contains(got, "“”") {
		t.Errorf("text list %q: empty or with an empty row", got)
	}
	if got := text("#timings"); !strings.Contains(got, "Detection") {
		t.Errorf("timings %q", got)
	}
	shot, err := chromedp.Run(step, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(artifactDir(t), "web-page.jpg")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)
}
