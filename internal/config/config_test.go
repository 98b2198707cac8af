package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// assertEqual fails with both configurations as YAML when they differ.
func assertEqual(t *testing.T, got, want Config) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := got.YAML()
	w, _ := want.YAML()
	t.Errorf("configurations differ\n--- got\n%s\n--- want\n%s", g, w)
}

func TestPresetNames(t *testing.T) {
	want := []string{"development", "high_performance", "memory_optimized", "production"}
	if got := PresetNames(); !slices.Equal(got, want) {
		t.Errorf("PresetNames() = %q, want %q", got, want)
	}
	if !slices.Contains(PresetNames(), DefaultPreset) {
		t.Errorf("DefaultPreset %q is not a preset", DefaultPreset)
	}
}

func TestPresetsLoadAndValidate(t *testing.T) {
	for _, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			c, err := Preset(name)
			if err != nil {
				t.Fatal(err)
			}
			if c.Preset != name {
				t.Errorf("Preset = %q", c.Preset)
			}
			if err := c.Validate(); err != nil {
				t.Error(err)
			}
			loaded, err := LoadEnv("", name, nil)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, loaded, c)
		})
	}
	if err := defaults().Validate(); err != nil {
		t.Errorf("built-in defaults: %v", err)
	}
}

func TestPresetValues(t *testing.T) {
	dev, prod := mustPreset(t, "development"), mustPreset(t, "production")
	hp, mem := mustPreset(t, "high_performance"), mustPreset(t, "memory_optimized")
	checks := []struct {
		name      string
		got, want any
	}{
		{"dev workers", dev.Pipeline.Workers, 1},
		{"dev batching", dev.Batching.Enabled, false},
		{"dev cache", len(dev.Cache.Tiers), 0},
		{"dev timeout", dev.Pipeline.Timeout, 60 * time.Second},
		{"prod workers", prod.Pipeline.Workers, 2},
		{"prod batching", prod.Batching, BatchingConfig{false, 8, 10 * time.Millisecond, 64}},
		{"prod cache", fmt.Sprint(prod.Cache.Tiers, prod.Cache.MemoryMaxBytes, prod.Cache.TTL), "[memory] 67108864 1h0m0s"},
		{"prod in flight", prod.Server.MaxInFlight*1000 + prod.Server.MaxQueue, 8032},
		{"prod request timeout", prod.Server.RequestTimeout, 30 * time.Second},
		{"hp workers", hp.Pipeline.Workers, 0},
		{"hp batch", hp.Batching.MaxBatchSize, 32},
		{"hp wait", hp.Batching.MaxWait, 50 * time.Millisecond},
		{"hp rec batch", hp.Recognition.BatchSize + hp.Classifier.BatchSize, 64},
		{"hp cache", fmt.Sprint(hp.Cache.Tiers, hp.Cache.MemoryMaxBytes), "[memory] 268435456"},
		{"hp server", hp.Server.MaxInFlight*1000 + hp.Server.MaxQueue, 32128},
		{"mem workers", mem.Pipeline.Workers, 1},
		{"mem arena", mem.Runtime.CPUMemArena, false},
		{"mem lazy", mem.Models.LazyLoading, true},
		{"mem cache", fmt.Sprint(mem.Cache.Tiers, " ", mem.Cache.Dir), "[disk] ./.cache/datalid"},
		{"mem disk bound", mem.Cache.DiskMaxBytes, int64(256 * MiB)},
		{"mem working side", mem.Decode.WorkingLongSide, 1600},
		{"mem server", mem.Server.MaxInFlight*1000 + mem.Server.MaxQueue, 4016},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func mustPreset(t *testing.T, name string) Config {
	t.Helper()
	c, err := Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUnknownPreset(t *testing.T) {
	_, err := Preset("fast")
	if err == nil || !strings.Contains(err.Error(), "production") {
		t.Errorf("Preset(fast) error = %v, want one listing the presets", err)
	}
	if _, err := LoadEnv("", "fast", nil); err == nil {
		t.Error("LoadEnv with an unknown preset succeeded")
	}
}

func TestDefault(t *testing.T) {
	c := Default()
	if c.Preset != DefaultPreset {
		t.Errorf("Default().Preset = %q", c.Preset)
	}
	got, err := LoadEnv("", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, got, c)
}

func TestModelPaths(t *testing.T) {
	m := ModelsConfig{Dir: "./models", Detector: "det.onnx"}
	if got, want := m.Path(m.Detector), filepath.Join("models", "det.onnx"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
	if got := m.Path("/abs/rec.onnx"); got != "/abs/rec.onnx" {
		t.Errorf("absolute Path = %q", got)
	}
	if got := m.Path(""); got != "" {
		t.Errorf("empty Path = %q", got)
	}
	if got, want := m.RuntimeLibraryPath(), filepath.Join("models", "libonnxruntime.so.1"); got != want {
		t.Errorf("RuntimeLibraryPath = %q, want %q", got, want)
	}
	m.RuntimeLibrary = "/usr/lib/libonnxruntime.so"
	if got := m.RuntimeLibraryPath(); got != m.RuntimeLibrary {
		t.Errorf("RuntimeLibraryPath = %q", got)
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	odd := Default()
	odd.Models.Dir = "  spaced dir "
	odd.Models.RuntimeLibrary = "true"
	odd.Server.APIKeys = []string{"123", "null", "a,b", "line\nbreak", "#hash", "- dash", "a\tb", "'q", `"dq"`,
		": c", "{b}", "x\u2028y", "é中", "~", "<<", "!tag", "&a", "*a", "0o17", ".inf", "Yes", "2024-01-01", "a #b"}
	odd.Server.CORSOrigins = []string{"*"}
	odd.Detection.Thresh = 0.1 + 0.2
	odd.Pipeline.Timeout = 1500 * time.Millisecond
	odd.Cache.TTL = 36 * time.Hour
	odd.Decode.MaxPixels = 1 << 40
	configs := []Config{odd, defaults()}
	for _, name := range PresetNames() {
		configs = append(configs, mustPreset(t, name))
	}
	for _, c := range configs {
		data, err := c.YAML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(data, Config{}, "show.yaml")
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		assertEqual(t, back, c)
	}
	data, _ := Default().YAML()
	for _, w := range []string{"timeout: 30s\n", "ttl: 1h\n", "max_wait: 10ms\n", "api_keys: []\n", "preset: production\n"} {
		if !strings.Contains(string(data), w) {
			t.Errorf("YAML output lacks %q:\n%s", w, data)
		}
	}
}

// TestLoadPrecedence checks preset < file < environment.
func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	file := "preset: high_performance\npipeline:\n  workers: 3\n  timeout: 20s\n"
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"DATALID_PIPELINE_TIMEOUT=7s", "HOME=/root"}

	c, err := LoadEnv(path, "", env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Preset != "high_performance" || c.Batching.MaxBatchSize != 32 {
		t.Errorf("file's preset key not used: preset %q, max_batch_size %d", c.Preset, c.Batching.MaxBatchSize)
	}
	if c.Pipeline.Workers != 3 {
		t.Errorf("file did not override the preset: workers = %d", c.Pipeline.Workers)
	}
	if c.Pipeline.Timeout != 7*time.Second {
		t.Errorf("environment did not override the file: timeout = %s", c.Pipeline.Timeout)
	}

	// The caller's preset wins over the file's preset key.
	c, err = LoadEnv(path, "memory_optimized", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Preset != "memory_optimized" || !c.Models.LazyLoading || c.Pipeline.Workers != 3 || c.Pipeline.Timeout != 20*time.Second {
		t.Errorf("explicit preset: got preset %q lazy %v workers %d timeout %s",
			c.Preset, c.Models.LazyLoading, c.Pipeline.Workers, c.Pipeline.Timeout)
	}

	// An environment value that makes the result invalid is caught by Validate.
	if _, err := LoadEnv(path, "", []string{"DATALID_PIPELINE_WORKERS=-1"}); err == nil ||
		!strings.Contains(err.Error(), "pipeline.workers") {
		t.Errorf("invalid env value: err = %v", err)
	}
	// A bad preset key is an error even when the caller names the preset.
	if _, err := LoadEnv("testdata/unknown_preset.yaml", "production", nil); err == nil {
		t.Error("unknown preset key ignored when a preset is given")
	}
	if _, err := LoadEnv(filepath.Join(dir, "missing.yaml"), "", nil); err == nil {
		t.Error("missing file: no error")
	}
}

func TestLoadReadsProcessEnvironment(t *testing.T) {
	t.Setenv("DATALID_SERVER_ADDR", "127.0.0.1:9999")
	t.Setenv(EnvPreset, "development") // read by callers, ignored here
	c, err := Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Addr != "127.0.0.1:9999" || c.Preset != DefaultPreset {
		t.Errorf("addr %q preset %q", c.Server.Addr, c.Preset)
	}
}
