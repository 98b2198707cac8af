package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestApplyEnvKinds(t *testing.T) {
	c := Default()
	env := []string{
		"PATH=/usr/bin",                         // no prefix: ignored
		"DATALID_PRESET=development",            // read by callers: ignored
		"DATALID_CONFIG=/etc/datalid.yaml",      // read by callers: ignored
		"DATALID_DETECTION_LIMIT_SIDE_LEN=1280", // int
		"DATALID_RUNTIME_INTRA_OP_THREADS= 2 ",  // int, spaces trimmed
		"DATALID_DECODE_MAX_BYTES=1048576",      // int64
		"DATALID_DETECTION_BOX_THRESH=0.55",     // float
		"DATALID_CLASSIFIER_ENABLED=false",      // bool
		"DATALID_MODELS_LAZY_LOADING=1",         // bool
		"DATALID_BATCHING_MAX_WAIT=5ms",         // duration
		"DATALID_CACHE_TTL=0",                   // duration zero
		"DATALID_MODELS_DIR=/x",                 // string
		"DATALID_MODELS_RUNTIME_LIBRARY=",       // empty string
		"DATALID_SERVER_API_KEYS=a, b,,c",       // list
		"DATALID_SERVER_CORS_ORIGINS=",          // empty list
		"DATALID_LOG_LEVEL=debug=x",             // '=' in the value
	}
	if err := ApplyEnv(&c, env); err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Detection.LimitSideLen = 1280
	want.Runtime.IntraOpThreads = 2
	want.Decode.MaxBytes = 1 << 20
	want.Detection.BoxThresh = 0.55
	want.Classifier.Enabled = false
	want.Models.LazyLoading = true
	want.Batching.MaxWait = 5 * time.Millisecond
	want.Cache.TTL = 0
	want.Models.Dir = "/x"
	want.Server.APIKeys = []string{"a", "b", "c"}
	want.Server.CORSOrigins = nil
	want.Log.Level = "debug=x"
	assertEqual(t, c, want)
}

func TestApplyEnvErrors(t *testing.T) {
	tests := []struct {
		env  string
		want []string
	}{
		{"DATALID_DETECTON_LIMIT_SIDE_LEN=1", []string{"DATALID_DETECTON_LIMIT_SIDE_LEN", "names no configuration key", "DATALID_DETECTION_LIMIT_SIDE_LEN"}},
		{"DATALID_DETECTION_LIMIT=1", []string{"DATALID_DETECTION_LIMIT", `did you mean "DATALID_DETECTION_LIMIT_SIDE_LEN"`}},
		{"DATALID_SERVER_NOPE=1", []string{"DATALID_SERVER_NOPE", "DATALID_SERVER_ADDR"}},
		{"DATALID_WHATEVER=1", []string{"DATALID_WHATEVER", "DATALID_MODELS_"}},
		{"DATALID_DETECTION_LIMIT_SIDE_LEN=big", []string{"DATALID_DETECTION_LIMIT_SIDE_LEN", `"big"`, "integer"}},
		{"DATALID_DETECTION_LIMIT_SIDE_LEN=", []string{"DATALID_DETECTION_LIMIT_SIDE_LEN", "integer"}},
		{"DATALID_PIPELINE_WORKERS=99999999999999999999", []string{"DATALID_PIPELINE_WORKERS", "integer"}},
		{"DATALID_DETECTION_THRESH=abc", []string{"DATALID_DETECTION_THRESH", "number"}},
		{"DATALID_CLASSIFIER_ENABLED=yes", []string{"DATALID_CLASSIFIER_ENABLED", "true or false"}},
		{"DATALID_PIPELINE_TIMEOUT=30", []string{"DATALID_PIPELINE_TIMEOUT", "duration"}},
	}
	for _, tt := range tests {
		c := Default()
		err := ApplyEnv(&c, []string{"DATALID_PIPELINE_WORKERS=7", tt.env})
		if err == nil {
			t.Errorf("%s: no error", tt.env)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", tt.env, err, w)
			}
		}
		assertEqual(t, c, Default()) // unchanged on error
	}
}

func TestEnvNamesCoverEveryKey(t *testing.T) {
	names := EnvNames()
	if len(names) != len(Keys())-1 { // all but preset
		t.Errorf("%d env names for %d keys", len(names), len(Keys()))
	}
	for _, n := range []string{"DATALID_MODELS_DIR", "DATALID_SERVER_API_KEYS", "DATALID_RUNTIME_INTRA_OP_THREADS"} {
		if !slices.Contains(names, n) {
			t.Errorf("EnvNames lacks %s", n)
		}
	}
	if slices.Contains(names, EnvPreset) || slices.Contains(names, EnvConfig) {
		t.Error("EnvNames lists DATALID_PRESET or DATALID_CONFIG")
	}
	// Every variable is accepted with a valid value taken from the default.
	for _, l := range leaves() {
		if l.Env() == EnvPreset {
			continue
		}
		c := Default()
		if err := ApplyEnv(&c, []string{l.Env() + "=" + envValue(t, c, l)}); err != nil {
			t.Error(err)
		}
		assertEqual(t, c, Default())
	}
}

// envValue writes a key's current value as the environment would.
func envValue(t *testing.T, c Config, l leaf) string {
	t.Helper()
	data, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	// Reuse the encoder's text for scalars: find "  key: value" in the section.
	section := "\n" + l.path[0] + ":\n"
	rest := string(data)[strings.Index(string(data), section)+len(section):]
	for line := range strings.SplitSeq(rest, "\n") {
		if v, ok := strings.CutPrefix(line, "  "+l.path[1]+": "); ok {
			if list, ok := strings.CutPrefix(v, "["); ok { // a flow list: its items, comma-joined
				items := strings.Split(strings.TrimSuffix(list, "]"), ", ")
				for i, it := range items {
					items[i] = strings.Trim(it, `"'`)
				}
				return strings.Join(items, ",")
			}
			return strings.Trim(v, `"'`)
		}
	}
	t.Fatalf("no line for %s", l.Key())
	return ""
}
