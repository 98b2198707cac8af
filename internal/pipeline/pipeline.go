// Package pipeline owns the order of the stages that turn one photo into dates: decode,
// detect, crop, orient, recognise, group into lines, parse dates; and the bounded second
// looks at a photo whose first pass found no confident date (date-aware decoding, merged
// lines read one by one or zoomed, preprocessed retries, a dot-matrix pass, tiles). It
// measures each stage and checks the context between stages; it knows nothing about how
// models are run.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"
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
	// Preprocessing and SecondLook mirror config's sections of the same names field for
	// field, so the engine converts them directly; New parses and checks them.
	Preprocessing Preprocessing
	SecondLook    SecondLook
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
	// Debug keeps a Trace in the result: the working image, the probability map and what
	// each look produced, with crops.
	Debug bool
	// turned marks the read of a photo turned whole (wholeTurned), which is not turned
	// again.
	turned bool
}

// Region is one detected text region and what was read in it.
type Region struct {
	Quad    imgproc.Quad // in the original (upright, full-resolution) image's pixels
	Score   float64      // detector box score
	Text    recognize.Text
	Flipped bool          // read turned 180° from its box (the angle classifier, or a turned reading won)
	RecTime time.Duration // this crop's share of recognition time
	// Crop is the oriented crop Text was read from; kept in a Result only with
	// Options.KeepCrops or Options.Debug.
	Crop *image.RGBA
	// LineSpans, for a region read line by line (Text holds its lines, "\n" apart), is where
	// each line's print lies in Crop: its top and bottom as shares of Crop's height.
	LineSpans [][2]float64
	// Source says which look produced Text: "" for the first pass, else the second look's
	// name (see StepNames), "retry:<chain>" for a preprocessed retry, with "+beam" or
	// "+split" when a region found by one look was read by another's means.
	Source string
}

// Line is a group of regions on one printed line, joined left to right.
type Line struct {
	Text    string
	Regions []int // indices into Result.Regions
}

// Timings are the per-stage wall times of one read.
type Timings struct {
	Decode, DetectPre, DetectRun, DetectPost, Crop, Classify, Recognize, Dates, Total time.Duration
	// SecondLook is the time spent on second looks (beam, retries, tiles), included in Total
	// and in no other stage.
	SecondLook time.Duration
}

// Detection is the detector's total.
func (t Timings) Detection() time.Duration { return t.DetectPre + t.DetectRun + t.DetectPost }

// Result is everything one read produced.
type Result struct {
	Width, Height int    // original upright size
	Format        string // decoded format
	// Taken is the day the photo was taken, from its EXIF metadata (zero when unknown): no
	// manufacture date read on it is a later day.
	Taken   dates.Date
	Regions []Region
	Lines   []Line
	Dates   dates.Result
	Timings Timings
	Trace   *Trace // only with Options.Debug
}

// Pipeline runs the stages. It is safe for concurrent use.
type Pipeline struct {
	cfg     Config
	st      Stages
	profile Chain    // from Preprocessing.Profile
	rec     Recovery // from SecondLook and Preprocessing
}

// ErrNoStages is returned by New when the detector or recogniser is missing.
var ErrNoStages = errors.New("pipeline: detector and recogniser are required")

// New returns a pipeline over the given stages.
func New(cfg Config, st Stages) (*Pipeline, error) {
	if st.Detector == nil || st.Recognizer == nil {
		return nil, ErrNoStages
	}
	profile, rec, err := cfg.recovery()
	if err != nil {
		return nil, err
	}
	if cfg.Dates.Latest.IsZero() {
		// Years out, a server's uptime moves the horizon by too little to matter.
		cfg.Dates.Latest = dates.Horizon(dates.Today(time.Now()))
	}
	return &Pipeline{cfg: cfg, st: st, profile: profile, rec: rec}, nil
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
	if t := img.Taken; !t.IsZero() {
		res.Taken = dates.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
	}
	work := img.RGBA
	if p.cfg.WorkingLongSide > 0 {
		work = shrinkTo(work, p.cfg.WorkingLongSide)
	}
	boxes, pm, dt, err := p.st.Detector.DetectPhoto(ctx, work)
	res.Timings.DetectPre, res.Timings.DetectRun, res.Timings.DetectPost = dt.Pre, dt.Run, dt.Post
	if err != nil {
		return nil, fmt.Errorf("detection: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Coordinates go back to the original image so callers never see the working scale.
	l := &look{ctx: ctx, work: work, full: img.RGBA, toOrig: float64(img.OrigW) / float64(work.Rect.Dx()), opt: opt, res: res, prob: pm}
	if opt.Debug {
		l.trace = &Trace{Work: work, Scale: 1 / l.toOrig, Prob: pm}
	}
	first := l.trace.snapshot(nil)
	if res.Regions, err = p.readBoxes(l, l.workFrame(), boxes, &res.Timings); err != nil {
		return nil, err
	}
	p.findDates(res)
	if p.st.Classifier != nil {
		if err := p.orient(l, false); err != nil {
			return nil, err
		}
		p.findDates(res)
	}
	l.trace.record(firstPass, time.Since(start), first, res.Regions)
	if p.rec.Sideways && (!p.confident(res) || slantedDate(l)) {
		// Slanted lines are read levelled before the second looks, and also when the first
		// pass's date lies on one (see slantedDate).
		t, before := time.Now(), l.trace.snapshot(res.Regions)
		if err := p.level(l); err != nil {
			return nil, err
		}
		p.findDates(res)
		l.trace.record(levelSource, time.Since(t), before, res.Regions)
	}
	// A photo in which the detector saw nothing like text, not even print too broken up to
	// box, has nothing for a second look to find: the looks re-read, split or enlarge what
	// the first pass saw. Blank or near-blank pictures (a hostile 7000×7000 PNG of zeros)
	// would otherwise pay for the blind ones, dots and tiles, in time and memory.
	if !p.confident(res) && (len(res.Regions) > 0 || pm.Inked(p.st.Detector.Thresh())) {
		t := time.Now()
		err := p.secondLook(l)
		res.Timings.SecondLook = time.Since(t)
		if err != nil {
			return nil, err
		}
		if p.st.Classifier != nil {
			t, before := time.Now(), l.trace.snapshot(res.Regions)
			if err := p.orient(l, true); err != nil {
				return nil, err
			}
			p.findDates(res)
			l.trace.record(orientLook, time.Since(t), before, res.Regions)
		}
	}
	if p.rec.on() {
		t, before := time.Now(), l.trace.snapshot(res.Regions)
		if err := p.stretch(l); err != nil {
			return nil, err
		}
		l.trace.record(stretchLook, time.Since(t), before, res.Regions)
		t, before = time.Now(), l.trace.snapshot(res.Regions)
		if err := p.confirm(l); err != nil {
			return nil, err
		}
		l.trace.record(confirmLook, time.Since(t), before, res.Regions)
	}
	if !opt.turned && !p.confident(res) {
		// A photo the classifier found mostly upside down is read again turned over as well:
		// the detector boxes print standing on its head more poorly (a line boxed as a
		// character).
		way := l.sideways
		if way == noTurn && p.rec.on() && upsideDown(res.Regions) {
			way = halfTurn
		}
		if way != noTurn {
			t, before := time.Now(), l.trace.snapshot(res.Regions)
			if err := p.wholeTurned(ctx, img, opt, res, way); err != nil {
				return nil, err
			}
			l.trace.record(turnedSource, time.Since(t), before, res.Regions)
		}
	}
	if !opt.KeepCrops && !opt.Debug {
		for i := range res.Regions {
			res.Regions[i].Crop = nil
		}
	}
	res.Trace = l.trace
	res.Timings.Total = time.Since(start)
	return res, nil
}

// readBoxes crops boxes (in f's pixels) from f's image, orients and recognises them; it
// returns the regions in original coordinates, each with its oriented crop. Stage times are
// added to tm.
func (p *Pipeline) readBoxes(l *look, f frame, boxes []detect.Box, tm *Timings) ([]Region, error) {
	return p.readOriented(l, f, boxes, nil, tm)
}

// readOriented is readBoxes with the crops' orientation known (flipped: turned 180°) when
// flipped is not nil, so the angle classifier is not asked.
func (p *Pipeline) readOriented(l *look, f frame, boxes []detect.Box, flipped []bool, tm *Timings) ([]Region, error) {
	ctx := l.ctx
	t := time.Now()
	crops := make([]*image.RGBA, len(boxes))
	for i, b := range boxes {
		crops[i] = Crop(f.img, b.Quad)
	}
	tm.Crop += time.Since(t)

	if flipped == nil {
		flipped = make([]bool, len(crops))
		if p.st.Classifier != nil && len(crops) > 0 {
			t = time.Now()
			var err error
			if flipped, err = p.st.Classifier.Upside(ctx, crops); err != nil {
				return nil, fmt.Errorf("angle classification: %w", err)
			}
			tm.Classify += time.Since(t)
		}
	}
	for i, f := range flipped {
		if f {
			crops[i] = imgproc.Rotate180(crops[i])
		}
	}

	t = time.Now()
	in := crops
	if len(p.profile) > 0 {
		in = make([]*image.RGBA, len(crops))
		for i, c := range crops {
			in[i] = p.profile.Apply(c)
		}
	}
	// Dot-matrix crops are read again in the same batch with their dots joined into
	// strokes: across their gap, and, where that is thinner, into bold strokes half a pitch
	// wide. The best reading is kept. In the second looks their dot lattices are read too
	// (see dotLines).
	var dotted []joined
	var lines dotLines
	if p.cfg.Preprocessing.JoinDots {
		for i, c := range in {
			if dp, ok := imgproc.FindDots(c); ok {
				dotted = append(dotted, joined{i, len(in)})
				in = append(in, imgproc.JoinDotsAt(c, dp))
				if dp.Bolder() {
					dotted = append(dotted, joined{i, len(in)})
					in = append(in, imgproc.BoldDots(c, dp))
				}
				if l.lattices {
					p.addLattices(&lines, i, ownCrop{c, dp, true}, f.img, boxes[i].Quad, flipped[i], crops[i])
				}
				if f.img.Rect.Size() == l.work.Rect.Size() && f.back == nil {
					l.dots = append(l.dots, dp)
				}
			}
		}
	}
	texts, recTimes, err := p.st.Recognizer.Read(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("recognition: %w", err)
	}

	regions := make([]Region, len(boxes))
	for i, b := range boxes {
		regions[i] = Region{Quad: f.orig(b.Quad), Score: b.Score, Text: texts[i], Flipped: flipped[i], RecTime: recTimes[i], Crop: crops[i]}
	}
	for _, d := range dotted {
		i, j := d.crop, d.reading
		regions[i].RecTime += recTimes[j]
		if p.better(texts[j], regions[i].Text) {
			regions[i].Text, regions[i].Source = texts[j], joinedSource
		}
	}
	if err := p.readDotLines(ctx, lines, regions, joinedSource); err != nil {
		return nil, err
	}
	if p.rec.on() {
		for i := range regions {
			if alt, ok := p.rereadMonth(regions[i].Text); ok {
				regions[i].Text = alt
			}
			p.respell(&regions[i])
		}
	}
	tm.Recognize += time.Since(t)
	return regions, nil
}

// firstPassRead reports a region source that names only readings of the first pass's own
// crops and frames: its crop with dots joined, its characters read again as a date's shape
// wants them (respell).
func firstPassRead(source string) bool {
	for _, s := range strings.Split(source, "+") {
		if s != "" && s != joinedSource && s != respellSource {
			return false
		}
	}
	return true
}

// joined pairs a dot-matrix crop with one extra reading of it (an index into the batch).
type joined struct{ crop, reading int }

// joinedSource marks a first-pass region whose text came from its crop with dots joined.
const joinedSource = "joined"

// better reports whether reading a of a crop beats reading b of the same crop: a date where
// b has none, else the surer reading.
func (p *Pipeline) better(a, b recognize.Text) bool {
	_, da := p.hasDate(a.Text, 0)
	_, db := p.hasDate(b.Text, 0)
	if da != db {
		return da
	}
	return a.Confidence > b.Confidence
}

// findDates groups the regions into lines and reads their dates.
func (p *Pipeline) findDates(res *Result) {
	t := time.Now()
	var probs [][]float32
	res.Lines, probs = groupLines(res.Regions, p.cfg.MinTextConfidence)
	in := make([]dates.Line, len(res.Lines))
	for i, l := range res.Lines {
		in[i] = dates.Line{Text: l.Text, Confidence: lineConfidence(res.Regions, l), Reread: fromSecondLook(res.Regions, l), CharProbs: probs[i]}
	}
	opt := p.cfg.Dates
	opt.Taken = res.Taken
	res.Dates = dates.Find(in, opt)
	res.Timings.Dates += time.Since(t)
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

// fromSecondLook reports a line holding text a second look produced: the many readings a second
// look searches make a date there less sure than one the first pass read (the dot-matrix
// reading of a first-pass crop is not a second look).
func fromSecondLook(rs []Region, l Line) bool {
	for _, i := range l.Regions {
		if !firstPassRead(rs[i].Source) {
			return true
		}
	}
	return false
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

// KeepRegions returns res without the regions whose detector score is below minScore, with
// lines and dates chosen again from the rest (res itself is unchanged). It returns res when
// nothing is dropped.
func (p *Pipeline) KeepRegions(res *Result, minScore float64) *Result {
	out := *res
	out.Regions = make([]Region, 0, len(res.Regions))
	for _, r := range res.Regions {
		if r.Score >= minScore {
			out.Regions = append(out.Regions, r)
		}
	}
	if len(out.Regions) == len(res.Regions) {
		return res
	}
	p.findDates(&out)
	return &out
}
