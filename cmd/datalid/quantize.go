package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/bench"
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/quantize"
	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
)

func newQuantizeCmd(g *globalFlags) *cobra.Command {
	var (
		out, method, models string
		cache               string
		synthetic, photos   int
		seed                int64
		search, maxKeep     int
		weightBits          int
		keep                []string
	)
	cmd := &cobra.Command{
		Use:   "quantize [PHOTO|DIR...]",
		Short: "Write INT8 (QDQ) models calibrated on photos read with the FP32 models",
		Long: `Reads the calibration photos (the files and folders given, at most --photos of them picked
evenly, plus --synthetic rendered ones) with the FP32 models, records each model's real inputs,
calibrates activation ranges on them and writes NAME.int8.onnx next to each model (or in --out),
with per-channel INT8 weights and the layers that change decisions most kept in FP32. The same
photos give the same bytes; the SHA-256 of each file is printed and written to int8.sha256.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if weightBits != 7 && weightBits != 8 {
				return fmt.Errorf("--weight-bits must be 7 or 8")
			}
			if method != string(quantize.MinMax) && method != string(quantize.Average) {
				return fmt.Errorf("unknown --method %q (want minmax or average)", method)
			}
			cfg, err := g.loadModels()
			if err != nil {
				return err
			}
			m := cfg.Models
			m.DetectorPrecision, m.RecognizerPrecision, m.ClassifierPrecision = "fp32", "fp32", "fp32"
			cfg.Models = m
			if out == "" {
				out = m.Dir
			}
			roles, err := quantizeRoles(models)
			if err != nil {
				return err
			}
			data, fingerprint, err := calibrationPhotos(args, photos, synthetic, seed, cfg.Decode.MaxBytes)
			if err != nil {
				return err
			}
			logf := func(format string, a ...any) { fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", a...) }
			logf("calibrating on %d photos (set %s)", len(data), fingerprint[:16])
			t0 := time.Now()
			samples, err := cachedSamples(cache, fingerprint, func() (map[string][]quantize.Sample, error) {
				return quantize.Collect(cmd.Context(), cfg, data, quantize.DefaultLimits)
			})
			if err != nil {
				return err
			}
			logf("recorded inputs in %v", time.Since(t0).Round(time.Millisecond))
			if _, err := onnx.Init(m.RuntimeLibraryPath()); err != nil { // a cached run never started the engine
				return err
			}
			ropt := onnx.Options{IntraOpThreads: cfg.Runtime.IntraOpThreads, GraphOptimization: "all"}
			var sums []string
			for _, role := range roles {
				name := modelName(m, role)
				fp, err := quantize.Load(m.Path(name))
				if err != nil {
					return fmt.Errorf("%s: %w", role, err)
				}
				if len(samples[role]) == 0 {
					return fmt.Errorf("%s: the calibration photos produced no inputs for it", role)
				}
				logf("%s: %d samples", role, len(samples[role]))
				opt := quantize.Options{
					Method: quantize.Method(method), WeightBits: weightBits, Search: search, MaxKeep: maxKeep,
					EvalSamples: evalSamples[role], Metric: roleMetric(role, cfg), Runtime: ropt, Log: logf,
				}
				for _, k := range keep {
					if r, key, ok := strings.Cut(k, ":"); ok && r == role {
						opt.Keep = append(opt.Keep, key)
					}
				}
				q, fused, rep, err := quantize.Model(fp, samples[role], opt)
				if err != nil {
					return fmt.Errorf("%s: %w", role, err)
				}
				var files []string
				for _, v := range []struct {
					precision string
					m         *pb.ModelProto
				}{{"fp32-fused", fused}, {"int8", q}} {
					b, err := quantize.Marshal(v.m)
					if err != nil {
						return err
					}
					file := config.PrecisionName(filepath.Base(name), v.precision)
					if err := writeAtomic(filepath.Join(out, file), b); err != nil {
						return err
					}
					h := sha256.Sum256(b)
					sum := hex.EncodeToString(h[:])
					sums = append(sums, sum+"  "+file)
					files = append(files, file+" "+sum[:16])
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%d/%d layers INT8 (FP32: %s)\t%d nodes folded\t%.4f of decisions changed on %d samples\n",
					role, strings.Join(files, ", "), rep.Quantized, rep.Sites, strings.Join(rep.Kept, ","), rep.Simplified,
					rep.Disagreement, min(len(samples[role]), evalSamples[role]))
			}
			slices.Sort(sums)
			return writeAtomic(filepath.Join(out, "int8.sha256"), []byte(strings.Join(sums, "\n")+"\n"))
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "folder for the INT8 models (default: models.dir)")
	f.StringVar(&models, "models", "detector,recognizer,classifier", "models to quantize")
	f.StringVar(&method, "method", string(quantize.Average), "range calibration: average (mean of per-sample extremes) or minmax")
	f.IntVar(&photos, "photos", 12, "at most this many of the given photos, picked evenly")
	f.IntVar(&synthetic, "synthetic", 8, "rendered photos added to the calibration set")
	f.Int64Var(&seed, "seed", 1, "seed of the rendered photos")
	f.IntVar(&weightBits, "weight-bits", 7, "7 (safe on every x86 CPU) or 8 (only for CPUs with VNNI)")
	f.IntVar(&search, "search", 4, "layers tried in FP32: the first and the last N-1")
	f.IntVar(&maxKeep, "max-keep", 2, "at most this many layers kept in FP32 by measurement")
	f.StringVar(&cache, "samples-cache", "", "file keeping the recorded model inputs between runs on the same photos")
	f.StringSliceVar(&keep, "keep", nil, "ROLE:TENSOR layers always kept in FP32 (a node's first output)")
	return cmd
}

// evalSamples per role: detector runs cost ~0.1–0.5 s each, recogniser and classifier runs
// milliseconds, so the search measures on few detector inputs and many crops.
var evalSamples = map[string]int{"detector": 4, "classifier": 48, "recognizer": 48}

func roleMetric(role string, cfg config.Config) quantize.Metric {
	if role == "detector" {
		return quantize.ProbMapMetric(float32(cfg.Detection.Thresh))
	}
	return quantize.ArgmaxMetric
}

func modelName(m config.ModelsConfig, role string) string {
	switch role {
	case "detector":
		return m.Detector
	case "classifier":
		return m.Classifier
	}
	return m.Recognizer
}

func quantizeRoles(s string) ([]string, error) {
	var out []string
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if !slices.Contains(quantize.Roles, r) {
			return nil, fmt.Errorf("unknown model %q (want %s)", r, strings.Join(quantize.Roles, ", "))
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--models names no model")
	}
	return out, nil
}

// calibrationPhotos reads up to limit of the named photos (picked evenly from the sorted list)
// and renders n synthetic ones; the fingerprint hashes them all, so a log tells whether two
// runs calibrated on the same set.
func calibrationPhotos(paths []string, limit, n int, seed, maxBytes int64) ([][]byte, string, error) {
	files, err := expandPaths(paths)
	if err != nil {
		return nil, "", err
	}
	if limit >= 0 && len(files) > limit {
		picked := make([]string, limit)
		for i := range picked {
			picked[i] = files[i*len(files)/limit]
		}
		files = picked
	}
	var data [][]byte
	for _, f := range files {
		b, err := readLimited(f, maxBytes)
		if err != nil {
			return nil, "", err
		}
		data = append(data, b)
	}
	if n > 0 {
		syn, err := bench.Synthetic(n, seed)
		if err != nil {
			return nil, "", err
		}
		for _, s := range syn {
			data = append(data, s.Data)
		}
	}
	if len(data) == 0 {
		return nil, "", fmt.Errorf("no calibration photos: name photos or folders, or --synthetic N")
	}
	h := sha256.New()
	for _, d := range data {
		s := sha256.Sum256(d)
		h.Write(s[:])
	}
	return data, hex.EncodeToString(h.Sum(nil)), nil
}

// cachedSamples loads the recorded inputs from file when it holds those of the same photo set,
// else records them with collect and saves them there (no file: no caching).
func cachedSamples(file, fingerprint string, collect func() (map[string][]quantize.Sample, error)) (map[string][]quantize.Sample, error) {
	type cached struct {
		Fingerprint string
		Samples     map[string][]quantize.Sample
	}
	if file != "" {
		if f, err := os.Open(file); err == nil {
			var c cached
			err := gob.NewDecoder(f).Decode(&c)
			f.Close()
			if err == nil && c.Fingerprint == fingerprint {
				return c.Samples, nil
			}
		}
	}
	s, err := collect()
	if err != nil || file == "" {
		return s, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(cached{fingerprint, s}); err != nil {
		return nil, err
	}
	return s, writeAtomic(file, buf.Bytes())
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".part"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
