// Package synth renders synthetic packaging photos with known expiry dates, for tests, samples and benchmarks.
//
// It owns the whole recipe of a synthetic photo: the date layouts it prints, the
// distractor lines (manufacture date, lot code, clock time), the textured
// background, the fonts (including an inkjet-style dot matrix) and the
// degradations (rotation, blur, contrast, noise). Every photo comes with its exact
// label, so the rest of the project can measure itself without hand-labelled data.
// Rendering is deterministic: the same Spec always yields the same pixels.
package synth

import (
	"errors"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// Spec describes one synthetic photo. Zero values of the optional fields take
// the documented defaults, so Spec{Expiry: d} is a valid photo.
type Spec struct {
	Seed          int64
	Width, Height int       // photo size, default 1280×960
	Expiry        time.Time // the date to print (civil date; only Year/Month/Day are used)
	Layout        string    // pattern such as "VAL {DD}/{MM}/{YYYY}", see Layouts; default per MonthOnly
	MonthOnly     bool      // layout prints only month+year; label is then "YYYY-MM"
	Font          string    // "regular" | "bold" | "mono" | "monobold" | "dotmatrix"; default "bold"
	TextHeight    int       // cap height of the date line in pixels; 0 = about Height/14, shrunk to fit
	Angle         float64   // rotation of the text block in degrees, counter-clockwise as seen
	Blur          float64   // Gaussian blur sigma in pixels (0 = none)
	Contrast      float64   // 0..1 ink-vs-background contrast (1 = full-strength dark ink); 0 = default 1
	Noise         float64   // additive noise amplitude 0..1 (fraction of full scale)
	Extra         []string  // distractor lines; those starting with a manufacture keyword print above the date line

	// The fields below describe the hard layouts (see Families); their zero
	// values keep the classic look, pixel for pixel.
	Lines    []string  // printed lines verbatim; when set, Layout and Extra are unused
	DateLine int       // index in Lines of the line holding the expiry date
	Made     time.Time // manufacture date printed on the photo, if any; reported as Photo.Other
	Dots     DotStyle  // dot shape of the dot-matrix fonts
	Emboss   float64   // 0..1: >0 presses the text into the surface with no ink, shaded at this strength
	Warp     Warp      // bend of the printed surface (can side, cap rim)
	Surface  string    // "paper" (default) or "metal"
	Shear    float64   // italic lean of the printed block in degrees, -25..25: positive shifts higher rows right
	Leading  float64   // line step in cap heights (0 = defaultLeading); 1 prints dot-matrix lines touching
	Clutter  Clutter   // label artwork, other print and glare around the code; zero = a plain surface
}

// DotStyle shapes the dots of the dot-matrix fonts. The zero value is the
// classic look: dots 0.8 of the pitch across, placed within ±6 % of the pitch.
type DotStyle struct {
	Size    float64 // dot diameter as a fraction of the vertical pitch, 0.3..1.2 (0 = 0.8)
	Jitter  float64 // largest misplacement of a dot, fraction of the pitch, 0..0.3
	Spread  float64 // ink spread: width of the dot's soft rim, fraction of the pitch, 0..0.6
	Stretch float64 // horizontal pitch over vertical pitch, 0.6..1.6 (0 = 1)
	Dropout float64 // fraction of dots missing, as from clogged nozzles, 0..0.1
}

// Photo is a rendered Spec with its ground truth.
type Photo struct {
	Image *image.RGBA
	Text  []string       // the printed lines, top to bottom
	Label string         // "YYYY-MM-DD", or "YYYY-MM" when MonthOnly
	Other []string       // the other dates printed (the manufacture date), labelled like Label
	Box   [4]image.Point // date line corners in the photo: top-left, top-right, bottom-right, bottom-left of the text

	frame   codeFrame // where the code's block lies, for tests of the clutter
	clutter placed    // what Clutter drew where, in the code frame
}

const (
	defaultWidth  = 1280
	defaultHeight = 960
	// marginFrac keeps the text block off the photo border so that blur and the
	// detector's own padding never see a clipped date.
	marginFrac = 0.03
)

// errNoFit is returned when an explicit TextHeight makes the block larger than the photo.
var errNoFit = errors.New("synth: text block does not fit in the photo")

// Render draws the photo described by s. It is deterministic for a given Spec.
func Render(s Spec) (*Photo, error) {
	if err := normalize(&s); err != nil {
		return nil, err
	}
	lines, dateIdx := s.Lines, s.DateLine
	if len(lines) == 0 {
		var err error
		if lines, dateIdx, err = buildLines(s); err != nil {
			return nil, err
		}
	}
	fitted, err := fitTextHeight(s, lines)
	if err != nil {
		return nil, err
	}
	s.TextHeight = fitted

	rng := rand.New(rand.NewPCG(uint64(s.Seed), 0x9e3779b97f4a7c15))
	palette := paperColours
	if s.Surface == "metal" {
		palette = metalColours
	}
	img := background(rng, s.Width, s.Height, s.Blur, palette)

	blk, err := drawBlock(s.Font, lines, dateIdx, s.TextHeight, s.Dots, s.Leading, rng)
	if err != nil {
		return nil, err
	}
	blk = shearBlock(blk, s.Shear)
	sigma := s.Blur
	if s.Emboss > 0 {
		// A pressed relief has soft walls; the camera's blur adds to that softening.
		sigma = math.Hypot(sigma, reliefSoftness(s.TextHeight))
	}
	if sigma > 0 {
		// Only the ink needs a convolution: background already holds the blurred texture.
		blk = blurBlock(blk, sigma)
	}
	warped := warpBlock(blk, s.Warp)
	rot := rotateBlock(warped, s.Angle)
	mx, my := margins(s.Width, s.Height)
	x0 := mx + rng.IntN(max(1, s.Width-2*mx-rot.w+1))
	y0 := my + rng.IntN(max(1, s.Height-2*my-rot.h+1))
	frame := newCodeFrame(warped, rot, s.Angle, x0, y0)
	var (
		pl    placed
		glare []artItem
	)
	if s.Clutter != (Clutter{}) {
		// A generator of its own: the code's placement and ink stay what they would be on a plain surface.
		crng := rand.New(rand.NewPCG(uint64(s.Seed), 0xc1a77e4))
		glare = drawArt(img, s, frame, crng, &pl)
		if err := drawWords(img, s, frame, crng, &pl); err != nil {
			return nil, err
		}
	}
	if s.Emboss > 0 {
		embossComposite(img, rot, x0, y0, s.Emboss*s.Contrast, rng.Float64()*2*math.Pi, sigma)
	} else {
		composite(img, rot, x0, y0, inkColour(rng), s.Contrast)
	}
	for _, g := range glare {
		paint(img, frame, g, max(1, 2*s.Blur))
	}
	switch {
	case s.Noise > 0 && s.Width*s.Height >= grainMinPixels:
		addGrain(img, s.Noise, uint64(s.Seed))
	case s.Noise > 0:
		addNoise(img, s.Noise, uint64(s.Seed))
	}

	var box [4]image.Point
	for i, p := range rot.date {
		box[i] = image.Pt(clampInt(int(math.Round(p[0]))+x0, 0, s.Width-1),
			clampInt(int(math.Round(p[1]))+y0, 0, s.Height-1))
	}
	p := &Photo{Image: img, Text: lines, Label: label(s, s.Expiry), Box: box, frame: frame, clutter: pl}
	if !s.Made.IsZero() {
		p.Other = []string{label(s, s.Made)}
	}
	return p, nil
}

// reliefSoftness is the blur sigma of an embossed stroke's walls: about a
// twentieth of the cap height, as a stamping die's rounded edges.
func reliefSoftness(textHeight int) float64 {
	return max(0.8, float64(textHeight)/20)
}

// normalize applies defaults and rejects specs that would silently mislabel a photo.
func normalize(s *Spec) error {
	if s.Width == 0 && s.Height == 0 {
		s.Width, s.Height = defaultWidth, defaultHeight
	}
	if s.Width < 64 || s.Height < 64 || s.Width > 8192 || s.Height > 8192 {
		return fmt.Errorf("synth: photo size %d×%d outside 64..8192", s.Width, s.Height)
	}
	if s.Expiry.IsZero() {
		return errors.New("synth: Expiry is required")
	}
	switch {
	case len(s.Lines) > 0:
		// Verbatim lines come from a generator that owns their consistency with
		// Expiry (tested per family); here only the index can be checked.
		if s.DateLine < 0 || s.DateLine >= len(s.Lines) {
			return fmt.Errorf("synth: DateLine %d outside the %d lines", s.DateLine, len(s.Lines))
		}
	default:
		if s.Layout == "" {
			s.Layout = "VAL {DD}/{MM}/{YYYY}"
			if s.MonthOnly {
				s.Layout = "VAL {MM}/{YYYY}"
			}
		}
		hasDay := strings.Contains(s.Layout, "{DD}")
		if hasDay == s.MonthOnly {
			return fmt.Errorf("synth: layout %q prints the day=%v but MonthOnly=%v", s.Layout, hasDay, s.MonthOnly)
		}
	}
	if s.Font == "" {
		s.Font = "bold"
	}
	if _, ok := fontFiles[s.Font]; !ok && !isDotFont(s.Font) {
		return fmt.Errorf("synth: unknown font %q", s.Font)
	}
	if s.TextHeight < 0 || s.Blur < 0 || s.Blur > 20 || s.Noise < 0 || s.Noise > 1 || s.Contrast < 0 || s.Contrast > 1 {
		return fmt.Errorf("synth: TextHeight %d, Blur %g, Noise %g or Contrast %g out of range", s.TextHeight, s.Blur, s.Noise, s.Contrast)
	}
	if math.Abs(s.Angle) > 90 || math.IsNaN(s.Angle) {
		return fmt.Errorf("synth: Angle %g outside -90..90", s.Angle)
	}
	if s.Contrast == 0 {
		s.Contrast = 1
	}
	d := s.Dots
	if d.Size < 0 || d.Size > 1.2 || (d.Size > 0 && d.Size < 0.3) || d.Jitter < 0 || d.Jitter > 0.3 || d.Spread < 0 || d.Spread > 0.6 ||
		d.Stretch < 0 || d.Stretch > 1.6 || (d.Stretch > 0 && d.Stretch < 0.6) || d.Dropout < 0 || d.Dropout > 0.1 {
		return fmt.Errorf("synth: dot style %+v out of range", d)
	}
	if s.Emboss < 0 || s.Emboss > 1 {
		return fmt.Errorf("synth: Emboss %g outside 0..1", s.Emboss)
	}
	if s.Surface != "" && s.Surface != "paper" && s.Surface != "metal" {
		return fmt.Errorf("synth: unknown surface %q", s.Surface)
	}
	if math.Abs(s.Shear) > 25 || math.IsNaN(s.Shear) {
		return fmt.Errorf("synth: Shear %g outside -25..25", s.Shear)
	}
	if s.Leading != 0 && !(s.Leading >= minLeading && s.Leading <= maxLeading) {
		return fmt.Errorf("synth: Leading %g outside %g..%g", s.Leading, minLeading, maxLeading)
	}
	if err := s.Clutter.validate(); err != nil {
		return err
	}
	return s.Warp.validate()
}

func label(s Spec, t time.Time) string {
	y, m, d := t.Date()
	if s.MonthOnly {
		return fmt.Sprintf("%04d-%02d", y, int(m))
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), d)
}

// buildLines orders the printed lines the way date coders do: manufacture above
// expiry, lot codes and clock times below. It returns the date line's index.
func buildLines(s Spec) ([]string, int, error) {
	date, err := formatDate(s.Layout, s.Expiry)
	if err != nil {
		return nil, 0, err
	}
	var above, below []string
	for _, e := range s.Extra {
		if isManufacture(e) {
			above = append(above, e)
		} else {
			below = append(below, e)
		}
	}
	lines := append(append(append([]string{}, above...), date), below...)
	return lines, len(above), nil
}

func isManufacture(line string) bool {
	for _, k := range mfgKeywords {
		if strings.HasPrefix(line, k) {
			return true
		}
	}
	return false
}

func margins(w, h int) (int, int) {
	return int(marginFrac * float64(w)), int(marginFrac * float64(h))
}

// fitTextHeight returns the cap height to use. An explicit TextHeight must fit;
// the default shrinks until the rotated block fits, because long layouts with
// distractor lines would not fit at Height/14 on narrow photos.
func fitTextHeight(s Spec, lines []string) (int, error) {
	mx, my := margins(s.Width, s.Height)
	availW, availH := float64(s.Width-2*mx), float64(s.Height-2*my)
	fits := func(th int) (bool, float64, error) {
		w, h, err := blockSize(s.Font, lines, th, s.Dots.Stretch, s.Leading)
		if err != nil {
			return false, 0, err
		}
		w += shearGrow(h, s.Shear)
		if s.Blur > 0 {
			r := len(gaussianKernel(s.Blur)) - 1 // blurBlock grows the block by the kernel radius on each side
			w, h = w+r, h+r
		}
		rw, rh := rotatedSize(float64(w), float64(h), s.Angle)
		scale := math.Min(availW/rw, availH/rh)
		return scale >= 1, scale, nil
	}
	if s.TextHeight > 0 {
		ok, _, err := fits(s.TextHeight)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, fmt.Errorf("%w: TextHeight %d, photo %d×%d", errNoFit, s.TextHeight, s.Width, s.Height)
		}
		return s.TextHeight, nil
	}
	th := max(8, s.Height/14)
	for range 20 {
		ok, scale, err := fits(th)
		if err != nil {
			return 0, err
		}
		if ok {
			return th, nil
		}
		next := int(float64(th) * scale * 0.97)
		if next >= th {
			next = th - 1
		}
		if next < 6 {
			break
		}
		th = next
	}
	return 0, fmt.Errorf("%w: %d lines on a %d×%d photo", errNoFit, len(lines), s.Width, s.Height)
}

func rotatedSize(w, h, angle float64) (float64, float64) {
	sin, cos := math.Sincos(angle * math.Pi / 180)
	sin, cos = math.Abs(sin), math.Abs(cos)
	return w*cos + h*sin, w*sin + h*cos
}

func clampInt(v, lo, hi int) int {
	return min(max(v, lo), hi)
}
