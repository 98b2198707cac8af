// Package pipeline owns the order of the stages that turn one photo into dates: decode,
// detect, crop, orient, recognise, group into lines, parse dates. It measures each stage and
// checks the context between stages; it knows nothing about how models are run.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// Config holds the stage-independent settings.
type Config struct {
	Limits imageio.Limits
	// WorkingLongSide bounds the decoded resolution: JPEGs are DCT-scaled down to no less than
	// this, which keeps crops sharp while never decoding pixels nobody reads.
	WorkingLongSide int
	// MinTextConfidence drops recognised text below it from date parsing (kept in the result).
	MinTextConfidence float64
	Dates             dates.Options
}

// Stages are the model-backed stages; Classifier may be nil (orientation not checked).
type Stages struct {
	Detector   *detect.Detector
	Classifier *recognize.Classifier
	Recognizer *recognize.Recognizer
}

// Options are per-call switches.
type Options struct {
	KeepCrops bool // keep each region's rectified crop in the result (for API crop images)
}

// Region is one detected text region and what was read in it.
type Region struct {
	Quad    imgproc.Quad // in the original (upright, full-resolution) image's pixels
	Score   float64      // detector box score
	Text    recognize.Text
	Flipped bool          // turned 180° by the angle classifier
	RecTime time.Duration // this crop's share of recognition time
	Crop    *image.RGBA   // only with Options.KeepCrops
}

// Line is a group of regions on one printed line, joined left to right.
type Line struct {
	Text    string
	Regions []int // indices into Result.Regions
}

// Timings are the per-stage wall times of one read.
type Timings struct {
	Decode, DetectPre, DetectRun, DetectPost, Crop, Classify, Recognize, Dates, Total time.Duration
}

// Detection is the detector's total.
func (t Timings) Detection() time.Duration { return t.DetectPre + t.DetectRun + t.DetectPost }

// Result is everything one read produced.
type Result struct {
	Width, Height int    // original upright size
	Format        string // decoded format
	Regions       []Region
	Lines         []Line
	Dates         dates.Result
	Timings       Timings
}

// Pipeline runs the stages. It is safe for concurrent use.
type Pipeline struct {
	cfg Config
	st  Stages
}

// ErrNoStages is returned by New when the detector or recogniser is missing.
var ErrNoStages = errors.New("pipeline: detector and recogniser are required")

// New returns a pipeline over the given stages.
func New(cfg Config, st Stages) (*Pipeline, error) {
	if st.Detector == nil || st.Recognizer == nil {
		return nil, ErrNoStages
	}
	return &Pipeline{cfg: cfg, st: st}, nil
}

// Read decodes data and reads it. Decode errors wrap imageio's sentinels.
func (p *Pipeline) Read(ctx context.Context, data []byte, opt Options) (*Result, error) {
	t0 := time.Now()
	img, err := imageio.Decode(data, imageio.Options{Limits: p.cfg.Limits, TargetLongSide: p.cfg.WorkingLongSide})
	if err != nil {
		return nil, err
	}
	dec := time.Since(t0)
	res, err := p.ReadImage(ctx, img, opt)
	if err != nil {
		return nil, err
	}
	res.Timings.Decode = dec
	res.Timings.Total += dec
	return res, nil
}

// ReadImage reads an already decoded image.
func (p *Pipeline) ReadImage(ctx context.Context, img *imageio.Image, opt Options) (*Result, error) {
	start := time.Now()
	res := &Result{Width: img.OrigW, Height: img.OrigH, Format: img.Format}
	work := img.RGBA
	if p.cfg.WorkingLongSide > 0 {
		work = shrinkTo(work, p.cfg.WorkingLongSide)
	}
	boxes, dt, err := p.st.Detector.Detect(ctx, work)
	res.Timings.DetectPre, res.Timings.DetectRun, res.Timings.DetectPost = dt.Pre, dt.Run, dt.Post
	if err != nil {
		return nil, fmt.Errorf("detection: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	t := time.Now()
	crops := make([]*image.RGBA, len(boxes))
	for i, b := range boxes {
		crops[i] = Crop(work, b.Quad)
	}
	res.Timings.Crop = time.Since(t)

	flipped := make([]bool, len(crops))
	if p.st.Classifier != nil && len(crops) > 0 {
		t = time.Now()
		if flipped, err = p.st.Classifier.Upside(ctx, crops); err != nil {
			return nil, fmt.Errorf("angle classification: %w", err)
		}
		for i, f := range flipped {
			if f {
				crops[i] = imgproc.Rotate180(crops[i])
			}
		}
		res.Timings.Classify = time.Since(t)
	}

	t = time.Now()
	texts, recTimes, err := p.st.Recognizer.Read(ctx, crops)
	if err != nil {
		return nil, fmt.Errorf("recognition: %w", err)
	}
	res.Timings.Recognize = time.Since(t)

	// Coordinates go back to the original image so callers never see the working scale.
	toOrig := float64(img.OrigW) / float64(work.Rect.Dx())
	res.Regions = make([]Region, len(boxes))
	for i, b := range boxes {
		r := Region{Quad: b.Quad.Scale(toOrig, toOrig), Score: b.Score, Text: texts[i], Flipped: flipped[i], RecTime: recTimes[i]}
		if opt.KeepCrops {
			r.Crop = crops[i]
		}
		res.Regions[i] = r
	}

	t = time.Now()
	res.Lines = GroupLines(res.Regions, p.cfg.MinTextConfidence)
	in := make([]dates.Line, len(res.Lines))
	for i, l := range res.Lines {
		in[i] = dates.Line{Text: l.Text, Confidence: lineConfidence(res.Regions, l)}
	}
	res.Dates = dates.Find(in, p.cfg.Dates)
	res.Timings.Dates = time.Since(t)
	res.Timings.Total = time.Since(start)
	return res, nil
}

// shrinkTo returns img scaled so its long side is at most long (non-JPEG inputs are decoded at
// full size; the detector and crops never need more).
func shrinkTo(img *image.RGBA, long int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	m := max(w, h)
	if m <= long {
		return img
	}
	s := float64(long) / float64(m)
	return imgproc.Resize(img, max(1, int(float64(w)*s+0.5)), max(1, int(float64(h)*s+0.5)))
}

func lineConfidence(rs []Region, l Line) float64 {
	var sum, n float64
	for _, i := range l.Regions {
		k := float64(len(rs[i].Text.CharProbs))
		sum += rs[i].Text.Confidence * k
		n += k
	}
	if n == 0 {
		return 0
	}
	return sum / n
}
