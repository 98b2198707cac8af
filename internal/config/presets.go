package config

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

//go:embed presets/*.yaml
var presetFiles embed.FS

// defaults are the built-in values every preset overlays: the PaddleOCR
// defaults for the models, limits that suit one CPU-bound user, nothing shared.
// docs/config.md lists them; keep the two in step.
func defaults() Config {
	return Config{
		Models: ModelsConfig{
			Dir:        "./models",
			Detector:   "ch_PP-OCRv4_det_infer.onnx",
			Recognizer: "ch_PP-OCRv4_rec_infer.onnx",
			Classifier: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
			Dictionary: "ppocr_keys_v1.txt",
			// docs/performance.md, "INT8 models": the fused FP32 files give the published models'
			// outputs (to ~1e-6) for 0.65-0.8x the CPU time; INT8 was no faster than them on the
			// reference CPU (AVX2, no VNNI) and is opt-in.
			DetectorPrecision: "fp32-fused", RecognizerPrecision: "fp32-fused", ClassifierPrecision: "fp32-fused",
		},
		Runtime: RuntimeConfig{
			Provider:          "cpu",
			IntraOpThreads:    1,
			InterOpThreads:    1,
			GraphOptimization: "all",
			CPUMemArena:       true,
		},
		Decode: DecodeConfig{
			MaxBytes:        25 * MiB,
			MaxPixels:       50_000_000,
			MaxSide:         20000,
			WorkingLongSide: 2048,
		},
		Detection: DetectionConfig{
			LimitSideLen:  960,
			Thresh:        0.3,
			BoxThresh:     0.6,
			UnclipRatio:   1.5,
			MaxCandidates: 1000,
			MinSize:       3,
			PolygonScore:  true,
		},
		Classifier:  ClassifierConfig{Enabled: true, Thresh: 0.9, BatchSize: 8},
		Recognition: RecognitionConfig{Height: 48, MaxWidth: 1600, BatchSize: 6, MinConfidence: 0.5},
		// The least confident answer a reader gets (docs/config.md explains the measure).
		Dates: DatesConfig{MinConfidence: 0.3},
		Preprocessing: PreprocessingConfig{
			// Ordered by what each rescued over 500 rendered photos and the 21 real ones
			// (expand+pad 40, flip 13, flip+dots 4, dots 3); clahe+sharpen rescued none there and
			// is left to configs that want it.
			RetryVariants:   []string{"expand+pad", "flip", "flip+dots", "dots"},
			MaxRetryRegions: 6,
			JoinDots:        true,
		},
		SecondLook: SecondLookConfig{
			Enabled: true, MinConfidence: 0.4, BeamWidth: 24, MinBeamProb: 0.01,
			TileGrid: 2, TileOverlap: 0.15, DotMatrix: true, Dense: true, Sideways: true,
		},
		Pipeline: PipelineConfig{Workers: 1, Timeout: 30 * time.Second, LendIdleCores: true},
		Batching: BatchingConfig{MaxBatchSize: 8, MaxWait: 10 * time.Millisecond, QueueSize: 64},
		Cache: CacheConfig{
			MemoryMaxBytes: 64 * MiB, DiskMaxBytes: 1024 * MiB, Dir: "./.cache/datalid",
			TTL: time.Hour, RedisPrefix: "datalid:result:",
			// A GET of a few-KB result on a LAN takes well under 1 ms; 100 ms bounds what a
			// sick Redis adds to a request without failing a merely busy one.
			RedisTimeout: 100 * time.Millisecond,
		},
		Server: ServerConfig{
			Addr:           "127.0.0.1:8000",
			MaxInFlight:    2,
			MaxQueue:       16,
			MaxBatchFiles:  50,
			RequestTimeout: 60 * time.Second,
			MaxBodyBytes:   10 * MiB,
			// Datalid's own front end (Next.js) runs on port 3000 in development and calls this
			// server from the browser; its server allowed any origin, so the page worked out of
			// the box. Only those two origins are allowed here; docs/config.md says how to add more.
			CORSOrigins: []string{"http://localhost:3000", "http://127.0.0.1:3000"},
		},
		// AckWait is far above a read's p99 (under 2 s here; the pipeline's own timeout is 30 s)
		// and heartbeats keep long reads alive; 3 tries tell a poison photo from a dead worker.
		NATS: NATSConfig{
			Enabled: true, Listen: "127.0.0.1:4222", StoreDir: "./.data/datalid/nats", Replicas: 1,
			Workers: 2, AckWait: time.Minute, MaxDeliver: 3, ResultTTL: 24 * time.Hour,
			ObjectThreshold: 512 * 1024, MaxJobPhotos: 1000,
		},
		Log: LogConfig{Level: "info", Format: "text"},
	}
}

// PresetNames lists the embedded presets, sorted.
func PresetNames() []string {
	entries, err := fs.ReadDir(presetFiles, "presets")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(names)
	return names
}

// Preset returns the named embedded preset (overlaid on the built-in defaults),
// validated. An unknown name is an error listing the known ones.
func Preset(name string) (Config, error) {
	if !slices.Contains(PresetNames(), name) {
		return Config{}, fmt.Errorf("config: unknown preset %q (known: %s)", name, strings.Join(PresetNames(), ", "))
	}
	file := path.Join("presets", name+".yaml")
	data, err := presetFiles.ReadFile(file)
	if err != nil {
		return Config{}, fmt.Errorf("config: preset %s: %w", name, err)
	}
	c, err := Parse(data, defaults(), file)
	if err != nil {
		return Config{}, fmt.Errorf("config: preset %s: %w", name, err)
	}
	if c.Preset != "" {
		return Config{}, fmt.Errorf("config: preset %s: must not set preset", name)
	}
	c.Preset = name
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("config: preset %s: %w", name, err)
	}
	return c, nil
}

// Default returns the default preset, [DefaultPreset]. It panics if the embedded
// preset is invalid, which the package tests rule out.
func Default() Config {
	c, err := Preset(DefaultPreset)
	if err != nil {
		panic(err)
	}
	return c
}
