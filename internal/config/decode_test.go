package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseGoodFile(t *testing.T) {
	c, err := LoadEnv("testdata/good.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Models.Dir = "/opt/datalid/models"
	want.Models.RuntimeLibrary = "/usr/lib/libonnxruntime.so.1"
	want.Detection.LimitSideLen = 1280
	want.Detection.BoxThresh = 0.5
	want.Detection.UnclipRatio = 2
	want.Pipeline.Workers = 0
	want.Pipeline.Timeout = 45 * time.Second
	want.Batching.MaxWait = 5 * time.Millisecond
	want.Cache.Tiers = []string{"memory", "redis"}
	want.Cache.RedisURL = "redis://127.0.0.1:6379/0"
	want.Cache.TTL = 2*time.Hour + 30*time.Minute
	want.Server.Addr = ":8080"
	want.Server.APIKeys = []string{"key-one", "12345"}
	want.Server.CORSOrigins = []string{"https://example.com"}
	want.Server.RateLimitPerMinute = 60
	want.Dates.PreferMonthFirst = true
	assertEqual(t, c, want)
}

// TestParseBadFiles checks that each broken fixture fails with the file name,
// the line and the key in the message.
func TestParseBadFiles(t *testing.T) {
	tests := []struct {
		file string
		line int
		want []string
	}{
		{"unknown_key.yaml", 4, []string{`unknown key "detecton"`, "top level", `did you mean "detection"`}},
		{"unknown_nested.yaml", 4, []string{`unknown key "unclip"`, `section "detection"`, "unclip_ratio"}},
		{"bad_type.yaml", 5, []string{"detection.limit_side_len", "want an integer", `"large"`}},
		{"bad_duration.yaml", 3, []string{"pipeline.timeout", "duration with a unit", `"30"`}},
		{"bad_duration_unit.yaml", 3, []string{"batching.max_wait", "duration", `"10 ms"`}},
		{"bad_bool.yaml", 2, []string{"classifier.enabled", "true or false", `"yes"`}},
		{"bad_list.yaml", 3, []string{"server.api_keys", "list of strings", `"secret"`}},
		{"bad_section.yaml", 1, []string{"server", "want a mapping"}},
		{"duplicate_key.yaml", 3, []string{"pipeline.workers", "duplicate key", "line 2"}},
		{"null_value.yaml", 2, []string{"server.addr", "no value", `""`}},
		{"unknown_preset.yaml", 1, []string{"preset", `unknown preset "prod"`, "production"}},
		{"multi_doc.yaml", 3, []string{"more than one YAML document"}},
		{"syntax.yaml", 2, []string{"syntax.yaml:2:", "did not find expected key"}}, // yaml.v3 reports the enclosing mapping,
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			_, err := LoadEnv(path, "", nil)
			if err == nil {
				t.Fatal("no error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			if pe.Line != tt.line || pe.Source != path {
				t.Errorf("error at %s:%d, want %s:%d: %v", pe.Source, pe.Line, path, tt.line, err)
			}
			msg := err.Error()
			for _, w := range append(tt.want, path) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}

func TestParseBadValueFails(t *testing.T) {
	_, err := LoadEnv("testdata/bad_value.yaml", "", nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"bad_value.yaml", "detection.limit_side_len", "multiple of 32",
		"detection.thresh", "runtime.provider", `"gpu"`, "cache.redis_url"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	data := "detection:\n  thresh: high\n  box_threshold: 0.5\nserver:\n  max_queue: 1.5\n"
	_, err := Parse([]byte(data), Default(), "x.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"x.yaml:2: detection.thresh", `x.yaml:3: unknown key "box_threshold"`, "x.yaml:5: server.max_queue"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

func TestParseOverlayKeepsBase(t *testing.T) {
	base := Default()
	base.Server.APIKeys = []string{"a"}
	c, err := Parse([]byte("server:\n  max_queue: 5\n"), base, "")
	if err != nil {
		t.Fatal(err)
	}
	want := base
	want.Server.MaxQueue = 5
	assertEqual(t, c, want)

	c, err = Parse([]byte("server:\n  api_keys: []\n"), base, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.APIKeys != nil || len(base.Server.APIKeys) != 1 {
		t.Errorf("api_keys: [] gave %q, base now %q", c.Server.APIKeys, base.Server.APIKeys)
	}
}

func TestParseEmptyAndAliases(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n", "---\n", "server:\n"} {
		c, err := Parse([]byte(data), Default(), "")
		if err != nil {
			t.Errorf("%q: %v", data, err)
		}
		assertEqual(t, c, Default())
	}
	data := "server:\n  api_keys: &keys [a, b]\n  cors_origins: *keys\n"
	c, err := Parse([]byte(data), Default(), "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Server.CORSOrigins, ",") != "a,b" {
		t.Errorf("alias gave %q", c.Server.CORSOrigins)
	}
}

func TestParseScalars(t *testing.T) {
	tests := []struct {
		yaml string
		ok   bool
	}{
		{"pipeline: {timeout: 0}", true},
		{"pipeline: {timeout: 1h2m3s}", true},
		{"pipeline: {timeout: 2.5}", false},
		{"pipeline: {workers: 0x10}", true},
		{"pipeline: {workers: 99999999999999999999}", false},
		{"pipeline: {workers: '2'}", false},
		{"detection: {thresh: .5}", true},
		{"detection: {thresh: '0.5'}", false},
		{"detection: {thresh: [0.5]}", false},
		{"models: {dir: 123}", true}, // a string key takes any scalar
		{"models: {dir: !custom x}", false},
		{"server: {api_keys: [a, [b]]}", false},
		{"[1, 2]", false},
		{"7", false},
		{"? [a]\n: b\n", false},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.yaml), Default(), "")
		if (err == nil) != tt.ok {
			t.Errorf("Parse(%q): err = %v, want ok = %v", tt.yaml, err, tt.ok)
		}
	}
}

func TestFixturesAreYAML(t *testing.T) {
	// Every fixture is named in a test above, so a new one is not forgotten.
	files, _ := filepath.Glob("testdata/*.yaml")
	src, err := os.ReadFile("decode_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.Contains(string(src), filepath.Base(f)) {
			t.Errorf("fixture %s is not used by a test", f)
		}
	}
}
