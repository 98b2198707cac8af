// Package detect owns the text detector: PP-OCR DBNet pre-processing (resize to multiples of
// 32, ImageNet normalisation in BGR plane order), the model call through a Runner, and
// PaddleOCR's DB post-processing (binary map, components, minimum-area rectangles, box score,
// unclip), returning quadrilaterals in the input image's coordinates.
package detect

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
	"time"

	"github.com/datalid/datalid/internal/imgproc"
)

// Runner runs one model on one float tensor. onnx.Session and the dynamic batcher satisfy it.
type Runner interface {
	Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error)
}

// Config holds the DB parameters; the defaults are PaddleOCR's.
type Config struct {
	LimitSideLen  int     // long side of the detector input; larger images are shrunk
	Thresh        float64 // probability above which a pixel is text
	BoxThresh     float64 // minimum mean probability inside a box
	UnclipRatio   float64 // how far boxes are grown back out (DB shrinks text when training)
	MaxCandidates int
	MinSize       float64 // boxes with a shorter side are dropped
	// PolygonScore scores a box that fails BoxThresh again over its text's own outline (the
	// convex hull of its pixels) rather than its rectangle: PaddleOCR's "slow" score mode.
	PolygonScore bool
	// Dilate grows the text mask by one pixel right and down (PaddleOCR's use_dilation, a
	// 2×2 kernel) so that the specks of dot-matrix print join into one component.
	Dilate bool
	// SplitLines parts a component holding lines that touch into one box per line (see
	// splitLines).
	SplitLines bool
}

// DefaultConfig returns PaddleOCR's PP-OCRv4 inference defaults.
func DefaultConfig() Config {
	return Config{LimitSideLen: 960, Thresh: 0.3, BoxThresh: 0.6, UnclipRatio: 1.5, MaxCandidates: 1000, MinSize: 3}
}

// Validate reports the first bad value.
func (c Config) Validate() error {
	switch {
	case c.LimitSideLen < 32 || c.LimitSideLen%32 != 0:
		return fmt.Errorf("detect: limit_side_len %d must be a positive multiple of 32", c.LimitSideLen)
	case c.Thresh <= 0 || c.Thresh >= 1, c.BoxThresh <= 0 || c.BoxThresh >= 1:
		return fmt.Errorf("detect: thresholds must be in (0,1): %v, %v", c.Thresh, c.BoxThresh)
	case c.UnclipRatio <= 0:
		return fmt.Errorf("detect: unclip_ratio must be positive: %v", c.UnclipRatio)
	case c.MaxCandidates < 1:
		return fmt.Errorf("detect: max_candidates must be ≥ 1: %d", c.MaxCandidates)
	}
	return nil
}

// ErrEmptyImage is returned for images with no pixels.
var ErrEmptyImage = errors.New("detect: empty image")

// Box is one detected text region.
type Box struct {
	Quad  imgproc.Quad // corners TL, TR, BR, BL in the input image's pixels
	Score float64      // mean text probability inside the box
}

// Timings splits the detector's time so profiles show where it goes.
type Timings struct {
	Pre, Run, Post time.Duration
}

// Detector finds text regions. It is safe for concurrent use if its Runner is.
type Detector struct {
	cfg Config
	run Runner
}

// New returns a detector; cfg must be valid.
func New(cfg Config, r Runner) (*Detector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Detector{cfg: cfg, run: r}, nil
}

// Map is a probability map of text: W×H values in [0,1], each covering SX×SY pixels of the
// image it was computed for.
type Map struct {
	W, H   int
	SX, SY float64
	Prob   []float32
}

// Inked reports whether any pixel of the map reaches probability t: whether the detector saw
// anything like text at all, even print too broken up to make a box.
func (m Map) Inked(t float64) bool {
	for _, p := range m.Prob {
		if float64(p) >= t {
			return true
		}
	}
	return false
}

// Thresh is the probability above which a pixel of the map is text.
func (d *Detector) Thresh() float64 { return d.cfg.Thresh }

// LimitSideLen is the long side of the detector's input: larger images are shrunk to it.
func (d *Detector) LimitSideLen() int { return d.cfg.LimitSideLen }

// Detect returns the text boxes of img in reading order (top to bottom, then left to right).
// img is a part or a variant of a photo, already sized by its caller: it is shrunk to the
// detector's limit when larger, never enlarged.
func (d *Detector) Detect(ctx context.Context, img *image.RGBA) ([]Box, Timings, error) {
	b := img.Bounds()
	w, h := InputSize(b.Dx(), b.Dy(), d.cfg.LimitSideLen)
	boxes, _, tm, err := d.detect(ctx, img, w, h)
	return boxes, tm, err
}

// DetectPhoto detects on a whole photo and also returns the probability map the boxes came
// from. A photo smaller than the detector's limit is enlarged to it (PhotoSize): print that
// fills as much of a small photo as of a large one is then as tall to the detector. (The
// looks that detect on the whole photo turned or redrawn gained nothing more enlarged, over
// the dev photos shrunk to 35 %, and answered one of them wrong: they use Detect.)
func (d *Detector) DetectPhoto(ctx context.Context, img *image.RGBA) ([]Box, Map, Timings, error) {
	b := img.Bounds()
	w, h := PhotoSize(b.Dx(), b.Dy(), d.cfg.LimitSideLen)
	return d.detect(ctx, img, w, h)
}

// detect runs the detector on img resized to w×h and returns its boxes in img's pixels.
func (d *Detector) detect(ctx context.Context, img *image.RGBA, w, h int) ([]Box, Map, Timings, error) {
	var tm Timings
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, Map{}, tm, ErrEmptyImage
	}
	t0 := time.Now()
	data := Normalize(imgproc.Resize(img, w, h))
	tm.Pre = time.Since(t0)

	t1 := time.Now()
	shape, prob, err := d.run.Run(ctx, []int64{1, 3, int64(h), int64(w)}, data)
	tm.Run = time.Since(t1)
	if err != nil {
		return nil, Map{}, tm, err
	}
	if len(shape) != 4 || shape[2] != int64(h) || shape[3] != int64(w) {
		return nil, Map{}, tm, fmt.Errorf("detect: model output shape %v, want [1 1 %d %d]", shape, h, w)
	}
	t2 := time.Now()
	m := Map{W: w, H: h, SX: float64(b.Dx()) / float64(w), SY: float64(b.Dy()) / float64(h), Prob: prob[:w*h]}
	boxes := d.boxes(m, b.Dx(), b.Dy())
	tm.Post = time.Since(t2)
	return boxes, m, tm, nil
}

// InputSize is PaddleOCR's DetResizeForTest with limit_type "max": shrink so the long side is
// at most limit, never enlarge, then round each side to a multiple of 32 (at least 32).
func InputSize(w, h, limit int) (int, int) {
	ratio := 1.0
	if m := max(w, h); m > limit {
		ratio = float64(limit) / float64(m)
	}
	return round32(w, ratio), round32(h, ratio)
}

// PhotoSize is InputSize for a whole photo: its long side brought to limit, enlarged too.
// PP-OCR's detector finds print a few pixels tall poorly; on a phone or web photo of 500–900
// pixels a date often is, and the same photo given twice the pixels reads (the dev photos
// shrunk to 35 %: 64 dates right and 4 wrong as they were, 72 and 2 enlarged).
func PhotoSize(w, h, limit int) (int, int) {
	ratio := float64(limit) / float64(max(w, h, 1))
	return round32(w, ratio), round32(h, ratio)
}

// round32 scales v by ratio and rounds it to a multiple of 32, at least 32.
func round32(v int, ratio float64) int {
	return max(int(math.Round(float64(v)*ratio/32))*32, 32)
}

// Normalize converts an RGBA image to the detector's NCHW float input: BGR planes with the
// ImageNet mean and standard deviation, as PaddleOCR feeds OpenCV's BGR arrays.
func Normalize(img *image.RGBA) []float32 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	n := w * h
	out := make([]float32, 3*n)
	// plane order B, G, R; each with the mean/std at its position in PaddleOCR's list.
	const (
		mb, mg, mr = 0.485 * 255, 0.456 * 255, 0.406 * 255
		sb, sg, sr = 1 / (0.229 * 255), 1 / (0.224 * 255), 1 / (0.225 * 255)
	)
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		o := y * w
		for x := range w {
			p := row[4*x : 4*x+3 : 4*x+3]
			out[o+x] = (float32(p[2]) - mb) * sb
			out[n+o+x] = (float32(p[1]) - mg) * sg
			out[2*n+o+x] = (float32(p[0]) - mr) * sr
		}
	}
	return out
}

// boxes is DB post-processing on the probability map, scaled into an image of size imgW×imgH.
func (d *Detector) boxes(m Map, imgW, imgH int) []Box {
	prob, w, h := m.Prob, m.W, m.H
	mask := make([]bool, w*h)
	th := float32(d.cfg.Thresh)
	for i, p := range prob[:w*h] {
		mask[i] = p > th
	}
	if d.cfg.Dilate {
		mask = dilate2(mask, w, h)
	}
	hulls := imgproc.Components(mask, w, h, 2, d.cfg.MaxCandidates)
	out := make([]Box, 0, len(hulls))
	for _, hull := range hulls {
		r := imgproc.MinAreaRect(hull)
		if r.ShortSide() < d.cfg.MinSize {
			continue
		}
		var parts [][]imgproc.Point
		if d.cfg.SplitLines {
			parts = splitLines(mask, w, h, hull, r)
		}
		if parts == nil {
			outline := func() float64 { return componentMean(prob, mask, w, h, hull) }
			out = d.box(out, m, imgW, imgH, r, outline)
			continue
		}
		for _, pts := range parts {
			if pr := imgproc.MinAreaRect(pts); pr.ShortSide() >= d.cfg.MinSize {
				out = d.box(out, m, imgW, imgH, pr, func() float64 { return pixelMean(prob, w, pts) })
			}
		}
	}
	SortReadingOrder(out)
	return out
}

// box scores the component with rectangle r (outline scores its own pixels), grows it back out and appends it to out
// in image coordinates, unless it is too faint or too small.
func (d *Detector) box(out []Box, m Map, imgW, imgH int, r imgproc.RotatedRect, outline func() float64) []Box {
	score := imgproc.MeanInQuad(m.Prob, m.W, m.H, r.Corners())
	if score < d.cfg.BoxThresh && d.cfg.PolygonScore {
		// A curved or slanted line fills little of its rectangle: score its own outline.
		score = max(score, outline())
	}
	if score < d.cfg.BoxThresh {
		return out
	}
	r = r.Expand(imgproc.UnclipDistance(r, d.cfg.UnclipRatio))
	if r.ShortSide() < d.cfg.MinSize+2 {
		return out
	}
	q := r.Corners().Scale(m.SX, m.SY)
	for i := range q {
		q[i].X = clamp(math.Round(q[i].X), 0, float64(imgW))
		q[i].Y = clamp(math.Round(q[i].Y), 0, float64(imgH))
	}
	return append(out, Box{Quad: q, Score: score})
}

// SortReadingOrder sorts boxes top to bottom and, within about one text height, left to
// right: PaddleOCR's sorted_boxes uses a fixed 10 px, which splits lines on large photos.
func SortReadingOrder(bs []Box) {
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].Quad[0].Y < bs[j].Quad[0].Y })
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0; j-- {
			a, b := bs[j-1], bs[j]
			tol := min(height(a.Quad), height(b.Quad)) / 2
			if math.Abs(b.Quad[0].Y-a.Quad[0].Y) < tol && b.Quad[0].X < a.Quad[0].X {
				bs[j-1], bs[j] = b, a
				continue
			}
			break
		}
	}
}

func height(q imgproc.Quad) float64 {
	return (imgproc.Dist(q[0], q[3]) + imgproc.Dist(q[1], q[2])) / 2
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// dilate2 is a binary dilation with a 2×2 kernel anchored at its top-left, as cv2.dilate
// with np.ones((2,2)) is: a pixel is set when it or its left, upper or upper-left neighbour is.
func dilate2(m []bool, w, h int) []bool {
	out := make([]bool, len(m))
	for y := range h {
		for x := range w {
			i := y*w + x
			out[i] = m[i] || (x > 0 && m[i-1]) || (y > 0 && m[i-w]) || (x > 0 && y > 0 && m[i-w-1])
		}
	}
	return out
}
