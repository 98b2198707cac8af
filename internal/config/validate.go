package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate checks every value and returns all problems joined with errors.Join,
// each naming its key (e.g. "detection.limit_side_len: 1000 is not a multiple of 32").
// It checks ranges, enumerations and the few rules that tie keys together; it does
// not touch the file system.
func (c Config) Validate() error {
	var v validator
	if c.Preset != "" && !slices.Contains(PresetNames(), c.Preset) {
		v.add("preset", "unknown preset %q (known: %s)", c.Preset, strings.Join(PresetNames(), ", "))
	}
	c.Models.validate(&v)
	c.Runtime.validate(&v)
	c.validateDecode(&v)
	c.Detection.validate(&v)
	c.validateRecognition(&v)
	c.Preprocessing.validate(&v)
	c.SecondLook.validate(&v)
	c.Pipeline.validate(&v)
	c.Batching.validate(&v)
	c.Cache.validate(&v)
	c.Server.validate(&v)
	c.NATS.validate(&v)
	v.oneOf("log.level", c.Log.Level, logLevels)
	v.oneOf("log.format", c.Log.Format, logFormats)
	c.validateText(&v)
	return errors.Join(v.errs...)
}

// validateText requires every string to be valid UTF-8 (an environment variable
// can carry any bytes; YAML cannot write them back).
func (c Config) validateText(v *validator) {
	root := reflect.ValueOf(c)
	for _, l := range leaves() {
		f := root.FieldByIndex(l.index)
		switch kindOf(l.typ) {
		case kindString:
			if !utf8.ValidString(f.String()) {
				v.add(l.Key(), "not valid UTF-8")
			}
		case kindStrings:
			for i := range f.Len() {
				if !utf8.ValidString(f.Index(i).String()) {
					v.add(l.Key(), "entry %d is not valid UTF-8", i+1)
				}
			}
		}
	}
}

type validator struct{ errs []error }

func (v *validator) add(key, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

// intRange requires lo <= x <= hi.
func (v *validator) intRange(key string, x, lo, hi int64) {
	if x < lo || x > hi {
		v.add(key, "%d is out of range [%d, %d]", x, lo, hi)
	}
}

// open01 requires 0 < x < 1 (NaN fails).
func (v *validator) open01(key string, x float64) {
	if !(x > 0 && x < 1) {
		v.add(key, "%v must be between 0 and 1, exclusive", x)
	}
}

func (v *validator) durRange(key string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		v.add(key, "%s is out of range [%s, %s]", formatDuration(d), formatDuration(lo), formatDuration(hi))
	}
}

func (v *validator) oneOf(key, x string, valid []string) {
	if !slices.Contains(valid, x) {
		v.add(key, "%q is not one of %s", x, strings.Join(valid, ", "))
	}
}

func (v *validator) required(key, x string) {
	if strings.TrimSpace(x) == "" {
		v.add(key, "must not be empty")
	}
}

// hostPort requires "host:port" with a numeric port (host may be empty).
func (v *validator) hostPort(key, addr string) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		v.add(key, "%q is not host:port", addr)
		return
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		v.add(key, "%q has no valid port number", addr)
	}
}

func (m ModelsConfig) validate(v *validator) {
	v.required("models.dir", m.Dir)
	v.required("models.detector", m.Detector)
	v.required("models.recognizer", m.Recognizer)
	v.required("models.dictionary", m.Dictionary)
	v.oneOf("models.detector_precision", m.DetectorPrecision, precisions)
	v.oneOf("models.recognizer_precision", m.RecognizerPrecision, precisions)
	v.oneOf("models.classifier_precision", m.ClassifierPrecision, precisions)
}

func (r RuntimeConfig) validate(v *validator) {
	v.oneOf("runtime.provider", r.Provider, providers)
	v.intRange("runtime.intra_op_threads", int64(r.IntraOpThreads), 1, 256)
	v.intRange("runtime.inter_op_threads", int64(r.InterOpThreads), 1, 256)
	v.oneOf("runtime.graph_optimization", r.GraphOptimization, graphLevels)
	if r.FP16 && r.Provider == "cpu" {
		v.add("runtime.fp16", "needs provider cuda or tensorrt, not cpu")
	}
	v.intRange("runtime.device_id", int64(r.DeviceID), 0, 64)
}

func (c Config) validateDecode(v *validator) {
	d := c.Decode
	v.intRange("decode.max_bytes", d.MaxBytes, 1, 1<<32)
	v.intRange("decode.max_pixels", d.MaxPixels, 1, 1<<34)
	v.intRange("decode.max_side", int64(d.MaxSide), 1, 1<<20)
	if d.WorkingLongSide != 0 {
		lo := int64(max(c.Detection.LimitSideLen, 32))
		if int64(d.WorkingLongSide) < lo || d.WorkingLongSide > d.MaxSide {
			v.add("decode.working_long_side", "%d must be 0 (full resolution) or between detection.limit_side_len (%d) and decode.max_side (%d)",
				d.WorkingLongSide, lo, d.MaxSide)
		}
	}
}

func (d DetectionConfig) validate(v *validator) {
	v.intRange("detection.limit_side_len", int64(d.LimitSideLen), 32, 4096)
	if d.LimitSideLen%32 != 0 {
		v.add("detection.limit_side_len", "%d is not a multiple of 32", d.LimitSideLen)
	}
	v.open01("detection.thresh", d.Thresh)
	v.open01("detection.box_thresh", d.BoxThresh)
	if !(d.UnclipRatio > 0 && d.UnclipRatio <= 10) {
		v.add("detection.unclip_ratio", "%v is out of range (0, 10]", d.UnclipRatio)
	}
	v.intRange("detection.max_candidates", int64(d.MaxCandidates), 1, 100000)
	if !(d.MinSize >= 0 && d.MinSize <= 1000) {
		v.add("detection.min_size", "%v is out of range [0, 1000]", d.MinSize)
	}
}

// validateRecognition checks the classifier and recognizer sections.
func (c Config) validateRecognition(v *validator) {
	cl, r := c.Classifier, c.Recognition
	if cl.Enabled {
		v.required("models.classifier", c.Models.Classifier)
	}
	v.open01("classifier.thresh", cl.Thresh)
	v.intRange("classifier.batch_size", int64(cl.BatchSize), 1, 1024)
	v.intRange("recognition.height", int64(r.Height), 8, 512)
	if r.MaxWidth < r.Height || r.MaxWidth > 16384 {
		v.add("recognition.max_width", "%d is out of range [recognition.height (%d), 16384]", r.MaxWidth, r.Height)
	}
	v.intRange("recognition.batch_size", int64(r.BatchSize), 1, 1024)
	if !(r.MinConfidence >= 0 && r.MinConfidence < 1) {
		v.add("recognition.min_confidence", "%v is out of range [0, 1)", r.MinConfidence)
	}
	if d := c.Dates.MinConfidence; !(d >= 0 && d < 1) {
		v.add("dates.min_confidence", "%v is out of range [0, 1)", d)
	}
}

func (p PipelineConfig) validate(v *validator) {
	v.intRange("pipeline.workers", int64(p.Workers), 0, 1024)
	v.durRange("pipeline.timeout", p.Timeout, 0, 24*time.Hour)
}

func (b BatchingConfig) validate(v *validator) {
	lo := int64(0)
	if b.Enabled {
		lo = 1 // sizes may be left at 0 only while batching is off
	}
	v.intRange("batching.max_batch_size", int64(b.MaxBatchSize), lo, 1024)
	v.durRange("batching.max_wait", b.MaxWait, 0, 10*time.Second)
	v.intRange("batching.queue_size", int64(b.QueueSize), lo, 1<<20)
}

func (c CacheConfig) validate(v *validator) {
	seen := map[string]bool{}
	for _, t := range c.Tiers {
		v.oneOf("cache.tiers", t, CacheTiers)
		if seen[t] {
			v.add("cache.tiers", "%q is listed twice", t)
		}
		seen[t] = true
	}
	if c.TTL < 0 {
		v.add("cache.ttl", "%s is negative (0 means no expiry)", formatDuration(c.TTL))
	}
	// A bound under 1 MiB holds a handful of results: almost certainly a unit mistake.
	if c.Has("memory") {
		v.intRange("cache.memory_max_bytes", c.MemoryMaxBytes, MiB, 1<<40)
	}
	if c.Has("disk") {
		v.intRange("cache.disk_max_bytes", c.DiskMaxBytes, MiB, 1<<50)
		v.required("cache.dir", c.Dir)
	}
	if c.Has("redis") {
		if c.RedisURL == "" {
			v.add("cache.redis_url", "required for the redis tier")
		} else if u, err := url.Parse(c.RedisURL); err != nil || !slices.Contains([]string{"redis", "rediss", "unix"}, u.Scheme) {
			v.add("cache.redis_url", "%q is not a redis://, rediss:// or unix:// URL", c.RedisURL)
		}
		v.durRange("cache.redis_timeout", c.RedisTimeout, time.Millisecond, time.Minute)
	}
}

func (s ServerConfig) validate(v *validator) {
	v.hostPort("server.addr", s.Addr)
	v.intRange("server.max_in_flight", int64(s.MaxInFlight), 1, 1<<16)
	v.intRange("server.max_queue", int64(s.MaxQueue), 0, 1<<20)
	v.intRange("server.max_batch_files", int64(s.MaxBatchFiles), 1, 1000)
	v.durRange("server.request_timeout", s.RequestTimeout, 0, 24*time.Hour)
	v.intRange("server.max_body_bytes", s.MaxBodyBytes, 1, 1<<34)
	for i, k := range s.APIKeys {
		if strings.TrimSpace(k) == "" {
			v.add("server.api_keys", "entry %d is empty", i+1)
		}
	}
	for _, o := range s.CORSOrigins {
		if o == "*" {
			continue
		}
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			v.add("server.cors_origins", "%q is not \"*\" or an origin like https://example.com", o)
		}
	}
	v.intRange("server.rate_limit_per_minute", int64(s.RateLimitPerMinute), 0, 1<<30)
	if s.AdminAddr != "" {
		v.hostPort("server.admin_addr", s.AdminAddr)
		if s.AdminAddr == s.Addr {
			v.add("server.admin_addr", "must differ from server.addr")
		}
	}
}
