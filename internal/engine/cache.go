package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/pipeline"
)

// resultFormat is the version of the cached result encoding. It is part of every key and of
// every entry: bump it whenever pipeline.Result or cachedResult changes shape, and old
// entries become misses that age out.
const resultFormat = 1

// CacheOutcome says where a result came from.
type CacheOutcome struct {
	// Status is "off" (no cache, or a request that bypassed it), "miss" (the pipeline ran) or
	// "hit".
	Status string
	// Tier is the tier that had it ("memory", "disk", "redis"), or "shared" when the result
	// came from an identical request's pipeline run in progress.
	Tier string
}

// OpenCache opens the tiers cfg.Cache asks for; nil when it asks for none.
func OpenCache(cfg config.Config) (*cache.Tiered, error) {
	c := cfg.Cache
	return cache.Open(cache.Options{
		Memory: c.Has("memory"), Disk: c.Has("disk"), Redis: c.Has("redis"),
		MemoryMaxBytes: c.MemoryMaxBytes, DiskMaxBytes: c.DiskMaxBytes, Dir: c.Dir, TTL: c.TTL,
		RedisURL: c.RedisURL, RedisPrefix: c.RedisPrefix, RedisTimeout: c.RedisTimeout,
	})
}

// answerConfig is every setting that changes what a read returns; it goes into the cache
// key. Sections that change only speed, limits of the service or presentation stay out
// (docs/config.md lists both).
type answerConfig struct {
	Format        int
	Models        map[string]string // role (and "runtime") → SHA-256 of the file
	Decode        config.DecodeConfig
	Detection     config.DetectionConfig
	Classifier    config.ClassifierConfig
	Recognition   config.RecognitionConfig
	Preprocessing config.PreprocessingConfig
	SecondLook    config.SecondLookConfig
	Dates         config.DatesConfig
	Provider      string
	FP16          bool
}

// Fingerprint hashes the models' contents and the answer-changing configuration.
func Fingerprint(cfg config.Config) (string, error) {
	m := cfg.Models
	files := map[string]string{"detector": m.Detector, "recognizer": m.Recognizer, "dictionary": m.Dictionary}
	if cfg.Classifier.Enabled {
		files["classifier"] = m.Classifier
	}
	a := answerConfig{
		Format: resultFormat, Models: map[string]string{},
		Decode: cfg.Decode, Detection: cfg.Detection, Classifier: cfg.Classifier, Recognition: cfg.Recognition,
		Preprocessing: cfg.Preprocessing, SecondLook: cfg.SecondLook, Dates: cfg.Dates,
		Provider: cfg.Runtime.Provider, FP16: cfg.Runtime.FP16,
	}
	paths := map[string]string{"runtime": m.RuntimeLibraryPath()} // another ORT build may round differently
	for role, name := range files {
		paths[role] = m.Path(name)
	}
	for role, path := range paths {
		sum, err := fileSHA256(path)
		if err != nil {
			return "", fmt.Errorf("cache key: %w", err)
		}
		a.Models[role] = sum
	}
	b, err := json.Marshal(a) // map keys are sorted: the encoding is stable
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// cacheKey is the format version, a prefix of the fingerprint and the photo's SHA-256.
func (e *Engine) cacheKey(data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("v%d:%s:%s", resultFormat, e.fingerprint[:16], hex.EncodeToString(sum[:]))
}

// cachedResult is the stored form of a read: the whole result before per-request filtering,
// without crop pixels and CTC frames (second looks are over; nothing downstream reads them),
// and with the chosen date as an index, since dates.Result.Best points into Candidates.
type cachedResult struct {
	Format int
	Result pipeline.Result
	Best   int // index into Result.Dates.Candidates; -1 = none
}

func encodeResult(res *pipeline.Result) ([]byte, error) {
	c := cachedResult{Format: resultFormat, Result: *res, Best: -1}
	c.Result.Regions = make([]pipeline.Region, len(res.Regions))
	for i, r := range res.Regions {
		r.Crop, r.Text.Frames = nil, nil
		c.Result.Regions[i] = r
	}
	for i := range res.Dates.Candidates {
		if res.Dates.Best == &res.Dates.Candidates[i] {
			c.Best = i
		}
	}
	c.Result.Dates.Best = nil
	return json.Marshal(c)
}

func decodeResult(b []byte) (*pipeline.Result, error) {
	var c cachedResult
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	if c.Format != resultFormat {
		return nil, fmt.Errorf("cached result format %d, want %d", c.Format, resultFormat)
	}
	res := &c.Result
	if c.Best >= 0 {
		if c.Best >= len(res.Dates.Candidates) {
			return nil, fmt.Errorf("cached result: best date %d of %d", c.Best, len(res.Dates.Candidates))
		}
		res.Dates.Best = &res.Dates.Candidates[c.Best]
	}
	return res, nil
}

// CacheEnabled reports whether reads go through a cache.
func (e *Engine) CacheEnabled() bool { return e.cache != nil }

// CacheStats are the tiers' statistics, fastest first; nil without a cache.
func (e *Engine) CacheStats() []cache.TierStats {
	if e.cache == nil {
		return nil
	}
	return e.cache.Stats()
}

// Gate admits a pipeline run (the server's inference slots); the returned func releases it.
// Cache hits and reads shared with an identical request in flight never pass the gate.
type Gate func(context.Context) (release func(), err error)

// readCached reads data through the result cache: a hit costs hashing the bytes and a lookup;
// concurrent identical reads run the pipeline once. A failing cache is only ever a miss. The
// result is the full read; Answer applies the per-request region score. gate (nil = none) is
// passed only by the read that runs the pipeline. img, when not nil, is data already decoded (by
// Answer, with DecodeLimits and the working size): a miss reads it and a hit cuts crops from
// it, so the upload is decoded once either way.
func (e *Engine) readCached(ctx context.Context, data []byte, img *imageio.Image, opt pipeline.Options, gate Gate) (*pipeline.Result, CacheOutcome, error) {
	run := func(ctx context.Context, opt pipeline.Options) (*pipeline.Result, error) {
		if gate != nil {
			release, err := gate(ctx)
			if err != nil {
				return nil, err
			}
			defer release()
		}
		if img != nil {
			return e.ReadImage(ctx, img, opt)
		}
		return e.Read(ctx, data, opt)
	}
	if e.cache == nil {
		res, err := run(ctx, opt)
		return res, CacheOutcome{Status: "off"}, err
	}
	t0 := time.Now()
	key := e.cacheKey(data)
	if b, tier, err := e.cache.Get(ctx, key); err == nil {
		if res, err := decodeResult(b); err == nil {
			res, err = e.asHit(res, data, img, opt, t0)
			return res, CacheOutcome{Status: "hit", Tier: tier}, err
		}
		// An entry that frames correctly but does not decode (a result format the key
		// should have kept apart) is treated as a miss and overwritten below.
	}
	// Followers share the leader's read; crops are kept so that any caller may use them.
	res, shared, err := e.flight.Do(ctx, key, func(ctx context.Context) (*pipeline.Result, error) {
		res, err := run(ctx, pipeline.Options{KeepCrops: true})
		if err != nil {
			return nil, err
		}
		if b, err := encodeResult(res); err == nil {
			_ = e.cache.Set(context.WithoutCancel(ctx), key, b) // tiers count their own failures
		}
		return res, nil
	})
	if err != nil {
		return nil, CacheOutcome{Status: "miss"}, err
	}
	if shared {
		return res, CacheOutcome{Status: "hit", Tier: "shared"}, nil
	}
	return res, CacheOutcome{Status: "miss"}, nil
}

// asHit turns a stored result into this request's answer: timings are this lookup's alone,
// and crops, when asked for, are cut again from the photo as the pipeline cut them.
func (e *Engine) asHit(res *pipeline.Result, data []byte, img *imageio.Image, opt pipeline.Options, t0 time.Time) (*pipeline.Result, error) {
	for i := range res.Regions {
		res.Regions[i].RecTime = 0
	}
	if opt.KeepCrops && len(res.Regions) > 0 {
		if img == nil {
			var err error
			if img, err = imageio.Decode(data, imageio.Options{Limits: DecodeLimits(e.cfg), TargetLongSide: e.cfg.Decode.WorkingLongSide}); err != nil {
				return nil, err
			}
		}
		s := float64(img.RGBA.Rect.Dx()) / float64(max(1, res.Width))
		for i := range res.Regions {
			r := &res.Regions[i]
			r.Crop = pipeline.Crop(img.RGBA, r.Quad.Scale(s, s))
			if r.Flipped {
				r.Crop = imgproc.Rotate180(r.Crop)
			}
		}
	}
	res.Timings = pipeline.Timings{Total: time.Since(t0)}
	return res, nil
}
