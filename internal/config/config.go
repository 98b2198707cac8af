// Package config owns datalid's configuration: the schema, the embedded presets, file and environment overlays, and validation.
//
// A configuration is built in layers, each overriding the one before:
//
//  1. an embedded preset (development, production, high_performance, memory_optimized),
//     itself an overlay on the built-in defaults; production when none is named;
//  2. a user YAML file, parsed strictly: an unknown key, a wrong type or a duration
//     without a unit is an error naming the file, the line and the key;
//  3. DATALID_<SECTION>_<KEY> environment variables, one for every key;
//
// and the result is checked by [Config.Validate]. This is the only package of the
// project that imports YAML; every other package receives plain Go values.
package config

import (
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// DefaultPreset is the preset used when neither the caller nor the file names one.
// It is production: its limits suit a long-running server as well as the CLI on a
// two-core machine, and development only trades throughput for readable logs.
const DefaultPreset = "production"

// Environment variables read by the callers of [Load] (the CLI), not by [ApplyEnv].
const (
	EnvPreset = "DATALID_PRESET" // preset name, like --preset
	EnvConfig = "DATALID_CONFIG" // config file path, like --config
)

// Config is the whole configuration of datalid. The zero value is not useful:
// start from [Default], [Preset] or [Load].
type Config struct {
	// Preset names the preset this configuration was built on; in a file it chooses
	// the base preset. Empty means built programmatically.
	Preset      string            `yaml:"preset"`
	Models      ModelsConfig      `yaml:"models"`
	Runtime     RuntimeConfig     `yaml:"runtime"`
	Decode      DecodeConfig      `yaml:"decode"`
	Detection   DetectionConfig   `yaml:"detection"`
	Classifier  ClassifierConfig  `yaml:"classifier"`
	Recognition RecognitionConfig `yaml:"recognition"`
	Dates       DatesConfig       `yaml:"dates"`
	// Preprocessing and SecondLook are the crop preprocessing chains and the bounded extra
	// looks at photos without a confident date (recovery.go).
	Preprocessing PreprocessingConfig `yaml:"preprocessing"`
	SecondLook    SecondLookConfig    `yaml:"second_look"`
	Pipeline      PipelineConfig      `yaml:"pipeline"`
	Batching      BatchingConfig      `yaml:"batching"`
	Cache         CacheConfig         `yaml:"cache"`
	Server        ServerConfig        `yaml:"server"`
	NATS          NATSConfig          `yaml:"nats"` // asynchronous jobs (nats.go)
	Log           LogConfig           `yaml:"log"`
}

// ModelsConfig locates the model files and the ONNX Runtime library.
type ModelsConfig struct {
	// Dir holds the models; relative names below resolve against it.
	// A relative Dir is relative to the working directory.
	Dir string `yaml:"dir"`
	// RuntimeLibrary is the ONNX Runtime shared library; "" means <dir>/libonnxruntime.so.1.
	RuntimeLibrary string `yaml:"runtime_library"`
	Detector       string `yaml:"detector"`   // DBNet text detector
	Recognizer     string `yaml:"recognizer"` // CTC text recognizer
	Classifier     string `yaml:"classifier"` // 0°/180° angle classifier
	Dictionary     string `yaml:"dictionary"` // recognizer character list, one per line
	// LazyLoading defers creating each model session until its first use.
	LazyLoading bool `yaml:"lazy_loading"`
	// Precision per model: fp32 runs the file as published; fp32-fused the same model with its
	// constant affine ops folded into the convolutions (same outputs to ~1e-6, fewer passes over
	// memory) and int8 the QDQ model, which `datalid quantize` (run by scripts/setup.sh) wrote
	// next to it as NAME.fused.onnx and NAME.int8.onnx.
	DetectorPrecision   string `yaml:"detector_precision"`
	RecognizerPrecision string `yaml:"recognizer_precision"`
	ClassifierPrecision string `yaml:"classifier_precision"`
}

// precisions are the accepted values of models.*_precision.
var precisions = []string{"fp32", "fp32-fused", "int8"}

// PrecisionName is the file `datalid quantize` writes for a model file name at a precision
// (the name itself for fp32).
func PrecisionName(name, precision string) string {
	switch precision {
	case "int8":
		return strings.TrimSuffix(name, ".onnx") + ".int8.onnx"
	case "fp32-fused":
		return strings.TrimSuffix(name, ".onnx") + ".fused.onnx"
	}
	return name
}

// ModelPath is the file to load for a model name at a precision.
func (m ModelsConfig) ModelPath(name, precision string) string {
	return m.Path(PrecisionName(name, precision))
}

// DefaultRuntimeLibrary is the library file name looked up in [ModelsConfig.Dir]
// when runtime_library is empty.
const DefaultRuntimeLibrary = "libonnxruntime.so.1"

// Path resolves a model file name against Dir. Absolute paths and "" are returned unchanged.
func (m ModelsConfig) Path(name string) string {
	if name == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(m.Dir, name)
}

// RuntimeLibraryPath is the ONNX Runtime shared library to load.
func (m ModelsConfig) RuntimeLibraryPath() string {
	if m.RuntimeLibrary == "" {
		return m.Path(DefaultRuntimeLibrary)
	}
	return m.Path(m.RuntimeLibrary)
}

// RuntimeConfig configures ONNX Runtime sessions.
type RuntimeConfig struct {
	Provider          string `yaml:"provider"`           // cpu | cuda | tensorrt
	IntraOpThreads    int    `yaml:"intra_op_threads"`   // threads inside one operator
	InterOpThreads    int    `yaml:"inter_op_threads"`   // operators run in parallel
	GraphOptimization string `yaml:"graph_optimization"` // disable | basic | extended | all
	// CPUMemArena keeps memory ORT allocated for reuse (faster, higher resident memory).
	CPUMemArena    bool   `yaml:"cpu_mem_arena"`
	FP16           bool   `yaml:"fp16"`             // half precision; cuda and tensorrt only
	DeviceID       int    `yaml:"device_id"`        // GPU index for cuda and tensorrt
	EngineCacheDir string `yaml:"engine_cache_dir"` // TensorRT engine cache; "" = none
}

// providers are the accepted values of runtime.provider.
var providers = []string{"cpu", "cuda", "tensorrt"}

// graphLevels are the accepted values of runtime.graph_optimization.
var graphLevels = []string{"disable", "basic", "extended", "all"}

// DecodeConfig bounds image decoding.
type DecodeConfig struct {
	MaxBytes  int64 `yaml:"max_bytes"`  // largest encoded image accepted
	MaxPixels int64 `yaml:"max_pixels"` // largest width×height accepted
	MaxSide   int   `yaml:"max_side"`   // largest width or height accepted
	// WorkingLongSide lets JPEGs decode with DCT scaling down to no less than this
	// long side; 0 decodes at full resolution.
	WorkingLongSide int `yaml:"working_long_side"`
}

// DetectionConfig configures the DBNet text detector (PaddleOCR names).
type DetectionConfig struct {
	LimitSideLen  int     `yaml:"limit_side_len"` // long side fed to the detector, multiple of 32
	Thresh        float64 `yaml:"thresh"`         // probability-map binarisation threshold
	BoxThresh     float64 `yaml:"box_thresh"`     // minimum mean score of a box
	UnclipRatio   float64 `yaml:"unclip_ratio"`   // how far boxes are grown
	MaxCandidates int     `yaml:"max_candidates"` // contours considered per image
	MinSize       float64 `yaml:"min_size"`       // shortest box side kept, in pixels
	PolygonScore  bool    `yaml:"polygon_score"`  // rescore failing boxes over their outline
	SplitLines    bool    `yaml:"split_lines"`    // part touching lines (eroded apart, regrown)
	Dilate        bool    `yaml:"dilate"`         // grow the text mask 2×2 (dot-matrix specks join)
}

// ClassifierConfig configures the 0°/180° angle classifier.
type ClassifierConfig struct {
	Enabled   bool    `yaml:"enabled"`
	Thresh    float64 `yaml:"thresh"`     // a crop is rotated when "180°" scores above this
	BatchSize int     `yaml:"batch_size"` // crops per model run
}

// RecognitionConfig configures the CTC text recognizer.
type RecognitionConfig struct {
	Height        int     `yaml:"height"`         // input height of the model
	MaxWidth      int     `yaml:"max_width"`      // crops wider than this (after scaling) are squeezed
	BatchSize     int     `yaml:"batch_size"`     // crops per model run
	MinConfidence float64 `yaml:"min_confidence"` // texts with a lower mean character probability are dropped
}

// DatesConfig configures date parsing.
type DatesConfig struct {
	// PreferMonthFirst reads ambiguous dates like 04/05/2026 as April 5 (US order).
	PreferMonthFirst bool `yaml:"prefer_month_first"`
	// MinConfidence withholds a best date less sure than this (and one that is only a
	// manufacture date): no answer beats a likely wrong one. 0 gives every best date.
	MinConfidence float64 `yaml:"min_confidence"`
}

// PipelineConfig configures how images are processed.
type PipelineConfig struct {
	Workers int           `yaml:"workers"` // images processed in parallel; 0 = GOMAXPROCS
	Timeout time.Duration `yaml:"timeout"` // per image; 0 = no limit
	// LendIdleCores lets a read run its independent recognition batches on cores no other
	// read is using: a lone read finishes sooner, a busy machine is unaffected.
	LendIdleCores bool `yaml:"lend_idle_cores"`
}

// BatchingConfig configures dynamic batching of model runs across concurrent images.
type BatchingConfig struct {
	Enabled      bool          `yaml:"enabled"`
	MaxBatchSize int           `yaml:"max_batch_size"` // most inputs in one run
	MaxWait      time.Duration `yaml:"max_wait"`       // longest an input waits for company
	QueueSize    int           `yaml:"queue_size"`     // inputs waiting before callers block
}

// CacheConfig configures the result cache, keyed by image content and everything that
// changes the answer (docs/config.md). Reads go memory → disk → redis.
type CacheConfig struct {
	Tiers          []string      `yaml:"tiers"`            // any of memory, disk, redis; empty = no cache
	MemoryMaxBytes int64         `yaml:"memory_max_bytes"` // memory tier bound (keys, values, per-entry overhead)
	DiskMaxBytes   int64         `yaml:"disk_max_bytes"`   // disk tier bound (keys and stored values)
	Dir            string        `yaml:"dir"`              // disk tier directory
	TTL            time.Duration `yaml:"ttl"`              // 0 = entries do not expire
	RedisURL       string        `yaml:"redis_url"`        // e.g. redis://127.0.0.1:6379/0
	RedisPrefix    string        `yaml:"redis_prefix"`     // prepended to every Redis key
	RedisTimeout   time.Duration `yaml:"redis_timeout"`    // bound on each Redis call, dial included
}

// CacheTiers are the accepted cache.tiers values, in reading order.
var CacheTiers = []string{"memory", "disk", "redis"}

// Has reports whether tier is configured.
func (c CacheConfig) Has(tier string) bool { return slices.Contains(c.Tiers, tier) }

// ServerConfig configures `datalid serve`.
type ServerConfig struct {
	Addr           string        `yaml:"addr"`            // listen address host:port
	MaxInFlight    int           `yaml:"max_in_flight"`   // requests processed at once
	MaxQueue       int           `yaml:"max_queue"`       // requests waiting; more get 503
	MaxBatchFiles  int           `yaml:"max_batch_files"` // files in one batch request
	RequestTimeout time.Duration `yaml:"request_timeout"` // 0 = no limit
	MaxBodyBytes   int64         `yaml:"max_body_bytes"`  // request body limit
	// APIKeys, when not empty, are required in the X-API-Key header.
	APIKeys     []string `yaml:"api_keys"`
	CORSOrigins []string `yaml:"cors_origins"` // allowed origins; "*" = any; empty = no CORS
	// RateLimitPerMinute is requests per minute per client; 0 = unlimited.
	RateLimitPerMinute int    `yaml:"rate_limit_per_minute"`
	AdminAddr          string `yaml:"admin_addr"` // metrics and pprof listener; "" = off
}

// LogConfig configures log/slog output.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug | info | warn | error
	Format string `yaml:"format"` // text | json
}

var (
	logLevels  = []string{"debug", "info", "warn", "error"}
	logFormats = []string{"text", "json"}
)

// Size units for byte limits.
const (
	KiB = 1 << 10
	MiB = 1 << 20
)
