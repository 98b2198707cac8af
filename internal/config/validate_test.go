package config

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
		want   []string // substrings of the error; nil means valid
	}{
		{"default", func(c *Config) {}, nil},
		{"threads", func(c *Config) { c.Runtime.IntraOpThreads = 0; c.Runtime.InterOpThreads = -1 },
			[]string{"runtime.intra_op_threads: 0", "runtime.inter_op_threads: -1"}},
		{"provider", func(c *Config) { c.Runtime.Provider = "gpu" }, []string{`runtime.provider: "gpu" is not one of cpu, cuda, tensorrt`}},
		{"graph", func(c *Config) { c.Runtime.GraphOptimization = "max" }, []string{"runtime.graph_optimization"}},
		{"fp16 on cpu", func(c *Config) { c.Runtime.FP16 = true }, []string{"runtime.fp16"}},
		{"fp16 on cuda", func(c *Config) { c.Runtime.FP16 = true; c.Runtime.Provider = "cuda" }, nil},
		{"limit not multiple", func(c *Config) { c.Detection.LimitSideLen = 1000 }, []string{"detection.limit_side_len: 1000 is not a multiple of 32"}},
		{"limit too big", func(c *Config) { c.Detection.LimitSideLen = 4128; c.Decode.WorkingLongSide = 0 }, []string{"detection.limit_side_len: 4128 is out of range"}},
		{"limit 32", func(c *Config) { c.Detection.LimitSideLen = 32 }, nil},
		{"thresholds", func(c *Config) { c.Detection.Thresh = 0; c.Detection.BoxThresh = 1; c.Classifier.Thresh = math.NaN() },
			[]string{"detection.thresh", "detection.box_thresh", "classifier.thresh"}},
		{"unclip", func(c *Config) { c.Detection.UnclipRatio = 0 }, []string{"detection.unclip_ratio"}},
		{"candidates", func(c *Config) { c.Detection.MaxCandidates = 0; c.Detection.MinSize = -1 },
			[]string{"detection.max_candidates", "detection.min_size"}},
		{"working side below detector", func(c *Config) { c.Decode.WorkingLongSide = 640 }, []string{"decode.working_long_side"}},
		{"working side full", func(c *Config) { c.Decode.WorkingLongSide = 0 }, nil},
		{"decode limits", func(c *Config) { c.Decode.MaxBytes = 0; c.Decode.MaxPixels = -1; c.Decode.MaxSide = 0 },
			[]string{"decode.max_bytes", "decode.max_pixels", "decode.max_side"}},
		{"recognition", func(c *Config) {
			c.Recognition.Height = 4
			c.Recognition.MaxWidth = 2
			c.Recognition.BatchSize = 0
			c.Recognition.MinConfidence = 1
		}, []string{"recognition.height", "recognition.max_width", "recognition.batch_size", "recognition.min_confidence"}},
		{"dates", func(c *Config) { c.Dates.MinConfidence = 1 }, []string{"dates.min_confidence"}},
		{"dates negative", func(c *Config) { c.Dates.MinConfidence = -0.1 }, []string{"dates.min_confidence"}},
		{"classifier model", func(c *Config) { c.Models.Classifier = "" }, []string{"models.classifier"}},
		{"classifier off", func(c *Config) { c.Models.Classifier = ""; c.Classifier.Enabled = false }, nil},
		{"models", func(c *Config) { c.Models.Dir = ""; c.Models.Detector = " " }, []string{"models.dir", "models.detector"}},
		{"workers", func(c *Config) { c.Pipeline.Workers = -1; c.Pipeline.Timeout = -time.Second },
			[]string{"pipeline.workers", "pipeline.timeout"}},
		{"batching on", func(c *Config) {
			c.Batching.Enabled = true
			c.Batching.MaxBatchSize = 0
			c.Batching.QueueSize = 0
			c.Batching.MaxWait = time.Minute
		},
			[]string{"batching.max_batch_size", "batching.queue_size", "batching.max_wait"}},
		{"batching off", func(c *Config) { c.Batching = BatchingConfig{} }, nil},
		{"cache tier", func(c *Config) { c.Cache.Tiers = []string{"lru"} }, []string{`cache.tiers: "lru"`}},
		{"cache tier twice", func(c *Config) { c.Cache.Tiers = []string{"disk", "disk"} }, []string{"cache.tiers"}},
		{"memory bound", func(c *Config) { c.Cache.Tiers = []string{"memory"}; c.Cache.MemoryMaxBytes = 1000 }, []string{"cache.memory_max_bytes"}},
		{"cache ttl", func(c *Config) { c.Cache.TTL = -time.Second }, []string{"cache.ttl"}},
		{"disk dir", func(c *Config) { c.Cache.Tiers = []string{"disk"}; c.Cache.Dir = "" }, []string{"cache.dir"}},
		{"redis url missing", func(c *Config) { c.Cache.Tiers = []string{"redis"} }, []string{"cache.redis_url: required"}},
		{"redis url bad", func(c *Config) { c.Cache.Tiers = []string{"redis"}; c.Cache.RedisURL = "http://x" }, []string{"cache.redis_url"}},
		{"redis ok", func(c *Config) { c.Cache.Tiers = []string{"redis"}; c.Cache.RedisURL = "rediss://u:p@h:6380/1" }, nil},
		{"no tiers ignores bounds", func(c *Config) { c.Cache.Tiers = nil; c.Cache.MemoryMaxBytes = 0 }, nil},
		{"addr", func(c *Config) { c.Server.Addr = "localhost" }, []string{"server.addr"}},
		{"port", func(c *Config) { c.Server.Addr = ":99999" }, []string{"server.addr"}},
		{"any host", func(c *Config) { c.Server.Addr = ":0" }, nil},
		{"admin", func(c *Config) { c.Server.AdminAddr = c.Server.Addr }, []string{"server.admin_addr"}},
		{"server limits", func(c *Config) {
			c.Server.MaxInFlight = 0
			c.Server.MaxQueue = -1
			c.Server.MaxBatchFiles = 0
			c.Server.MaxBodyBytes = 0
			c.Server.RequestTimeout = -1
			c.Server.RateLimitPerMinute = -1
		}, []string{"server.max_in_flight", "server.max_queue", "server.max_batch_files", "server.max_body_bytes",
			"server.request_timeout", "server.rate_limit_per_minute"}},
		{"keys and origins", func(c *Config) {
			c.Server.APIKeys = []string{"ok", ""}
			c.Server.CORSOrigins = []string{"*", "https://a.example", "example.com", "https://b.example/path"}
		}, []string{"server.api_keys: entry 2", `"example.com"`, `"https://b.example/path"`}},
		{"log", func(c *Config) { c.Log.Level = "trace"; c.Log.Format = "xml" }, []string{"log.level", "log.format"}},
		{"preset", func(c *Config) { c.Preset = "turbo" }, []string{`preset: unknown preset "turbo"`}},
		{"no preset", func(c *Config) { c.Preset = "" }, nil},
		{"utf-8", func(c *Config) { c.Models.Dir = "\xff"; c.Server.APIKeys = []string{"ok", "\xfe"} },
			[]string{"models.dir: not valid UTF-8", "server.api_keys: entry 2 is not valid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			err := c.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if n := strings.Count(err.Error(), "\n") + 1; n < len(tt.want) {
				t.Errorf("%d problems reported, want at least %d: %v", n, len(tt.want), err)
			}
		})
	}
}
