package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// A family names what makes a synthetic photo hard to read. ClassicFamily is
// Random's mix of clean layouts on 1280×960 photos; the hard families imitate
// what people actually photograph: inkjet dot-matrix at phone-camera
// resolution, US formats with lot codes and clock times, print bent around
// cans and caps, embossed print without ink, month/year-only pairs, text
// glued to dates, and small continuous-inkjet codes amid label artwork at any
// angle (inkjet).
const ClassicFamily = "classic"

// hardFamilies is the one list of hard families, in the order a mixed set deals them out.
var hardFamilies = []string{"dotmatrix", "us", "curved", "embossed", "monthyear", "glued", "inkjet"}

// namedFamilies are hard families rendered only when named (--layouts): kept out of the mixes,
// so that the sets those render, measured against each other over many changes, stay as they
// were. stacked: pharmacy coders' two- and three-line dot-matrix codes printed with their lines
// touching (a row of dots apart or less), which the detector boxes as one.
var namedFamilies = []string{"stacked"}

// NamedFamilies returns the families rendered only when named; the slice is a copy.
func NamedFamilies() []string { return append([]string(nil), namedFamilies...) }

// knownFamily reports a family RandomHard draws.
func knownFamily(f string) bool {
	return slices.Contains(hardFamilies, f) || slices.Contains(namedFamilies, f)
}

// familyNames lists the families a set may name, for errors and help.
func familyNames() string {
	return ClassicFamily + ", " + strings.Join(append(HardFamilies(), namedFamilies...), ", ")
}

// HardFamilies returns the hard families' names; the slice is a copy.
func HardFamilies() []string { return append([]string(nil), hardFamilies...) }

// Sample is one drawn photo recipe with what labels.csv says about it.
type Sample struct {
	Spec    Spec
	Family  string
	Format  string // the expiry's date format, as in the real labels' date_format ("MM/YY", "MON DD YYYY")
	Quality int    // JPEG quality to save it with
}

// phoneSizes are phone-camera photo sizes: 8 MP and 12 MP, landscape and
// portrait; 8 MP three times in five, which keeps a set's render time in bounds.
var phoneSizes = [][2]int{{3264, 2448}, {4032, 3024}, {2448, 3264}, {3024, 4032}, {3264, 2448}}

// midSizes are the 2–3 MP photos of the families whose difficulty is not
// scale: phone photos downsized by a messenger or cropped, and a quarter of
// the render cost of a 12 MP one.
var midSizes = [][2]int{{1920, 1440}, {2048, 1536}, {1536, 2048}, {1600, 1200}}

// Date-line cap height as a fraction of the photo's width: date coders print
// 2–6 mm tall lines on packages photographed from 10–30 cm.
const (
	minLineFrac, maxLineFrac = 0.015, 0.04
	// Embossed relief needs a little more size to show at all in a photo.
	minEmbossFrac, maxEmbossFrac = 0.02, 0.05
	// Continuous-inkjet codes as phone photos of whole packages show them:
	// 2–5 px dot pitch once the pipeline has halved a 12 MP photo.
	minInkjetFrac, maxInkjetFrac = 0.008, 0.022
	// fitFrac is the share of the photo a text block may take: phone photos frame the product, not the code.
	fitFrac = 0.8
)

// RandomHard draws a photo of the named hard family from r.
func RandomHard(r *rand.Rand, family string) (Sample, error) {
	var (
		t       text
		size    [2]int
		lineMin = minLineFrac
		lineMax = maxLineFrac
	)
	s := Spec{Seed: r.Int64(), Angle: r.Float64()*14 - 7, Contrast: 0.75 + 0.25*r.Float64(), Noise: 0.01 + 0.04*r.Float64()}
	switch family {
	case "dotmatrix":
		t = anyText(r)
		size = phoneSizes[r.IntN(len(phoneSizes))]
		s.Font = dotFont(r)
	case "us":
		t = usText(r)
		size = phoneSizes[r.IntN(len(phoneSizes))]
		s.Font = dotFont(r)
		if r.IntN(4) == 0 {
			s.Font = outlineFont(r) // some US coders are thermal-transfer, with solid strokes
		}
	case "curved":
		t = anyText(r)
		size = midSizes[r.IntN(len(midSizes))]
		s.Font = dotFont(r)
		if r.IntN(3) == 0 {
			s.Font = outlineFont(r)
		}
		s.Warp = randomWarp(r)
		if r.IntN(2) == 0 {
			s.Surface = "metal"
		}
		s.Angle /= 2 // a bend already tilts the ends of the line
	case "embossed":
		t = monthYearText(r)
		if r.IntN(3) == 0 {
			t = euText(r)
		}
		size = midSizes[r.IntN(len(midSizes))]
		s.Font = outlineFont(r)
		if r.IntN(4) == 0 {
			s.Font = dotFont(r) // dot stamps exist too
		}
		s.Emboss = 0.25 + 0.3*r.Float64()
		s.Contrast = 1
		lineMin, lineMax = minEmbossFrac, maxEmbossFrac
		if r.IntN(3) > 0 {
			s.Surface = "metal"
		}
	case "monthyear":
		t = monthYearText(r)
		size = midSizes[r.IntN(len(midSizes))]
		s.Font = anyFont(r)
	case "glued":
		t = gluedText(r)
		size = midSizes[r.IntN(len(midSizes))]
		s.Font = anyFont(r)
	case "stacked":
		t = stackedText(r)
		size = phoneSizes[r.IntN(len(phoneSizes))]
		s.Font = dotFont(r)
		s.Leading = minLeading + 0.15*r.Float64()
		// Coder drops that bleed along the print head's column, as the lines touch.
		s.Dots = DotStyle{Size: 0.6 + 0.3*r.Float64(), Jitter: 0.03 + 0.06*r.Float64(), Spread: 0.1 + 0.3*r.Float64(), Stretch: 0.9 + 0.3*r.Float64()}
	case "inkjet":
		t = inkjetText(r)
		size = phoneSizes[r.IntN(len(phoneSizes))]
		s.Font = inkjetFont(r)
		s.Dots = inkjetDots(r)
		lineMin, lineMax = minInkjetFrac, maxInkjetFrac
		// Bottle bottoms and caps get photographed any way up.
		if r.IntN(2) == 0 {
			s.Angle = r.Float64()*20 - 10
		} else {
			s.Angle = r.Float64()*180 - 90
		}
		// Print on a moving line leans, mostly forward.
		if r.IntN(2) == 0 {
			s.Shear = 20 * r.Float64()
			if r.IntN(3) == 0 {
				s.Shear = -s.Shear
			}
		}
		if r.IntN(4) == 0 {
			s.Surface = "metal"
		}
		s.Clutter = Clutter{Art: 2 + r.IntN(6), Words: 2 + r.IntN(4), Ground: r.IntN(5) < 2}
		if r.IntN(2) == 0 {
			s.Clutter.Glare = 0.3 + 0.5*r.Float64()
		}
		// Dark ink on a mid-tone ground may be faint; on a bare light surface fading has less room.
		s.Contrast = 0.65 + 0.35*r.Float64()
		if s.Clutter.Ground {
			s.Contrast = 0.5 + 0.5*r.Float64()
		}
	default:
		return Sample{}, fmt.Errorf("synth: unknown family %q (want one of %s)", family, familyNames())
	}
	s.Width, s.Height = size[0], size[1]
	s.Lines, s.DateLine, s.Expiry, s.MonthOnly, s.Made = t.lines, t.dateLine, t.expiry, t.monthOnly, t.made
	if isDotFont(s.Font) && s.Dots == (DotStyle{}) {
		s.Dots = DotStyle{
			Size:    0.5 + 0.3*r.Float64(),
			Jitter:  0.03 + 0.09*r.Float64(),
			Spread:  0.05 + 0.25*r.Float64(),
			Stretch: 0.8 + 0.5*r.Float64(),
		}
		if r.IntN(3) == 0 {
			s.Dots.Dropout = 0.02 * r.Float64()
		}
	}
	// Phone photos are rarely perfectly sharp; large ones blur over more pixels.
	s.Blur = (0.4 + 1.1*r.Float64()) * float64(s.Width) / 2048
	if family == "inkjet" {
		s.Blur *= 0.7 // focus is on the code: a tap-to-focus photo of a small one
	}
	frac := lineMin + (lineMax-lineMin)*r.Float64()
	s.TextHeight = max(12, int(frac*float64(s.Width)))
	if err := fitHard(&s); err != nil {
		return Sample{}, err
	}
	return Sample{Spec: s, Family: family, Format: t.format, Quality: 80 + r.IntN(13)}, nil
}

// fitHard shrinks TextHeight until the bent, rotated block takes at most
// fitFrac of the photo each way.
func fitHard(s *Spec) error {
	for range 40 {
		w, h, err := blockSize(s.Font, s.Lines, s.TextHeight, s.Dots.Stretch, s.Leading)
		if err != nil {
			return err
		}
		w += shearGrow(h, s.Shear)
		fw, fh := float64(w), float64(h)
		if s.Warp.Kind != "" {
			// A bend of span φ raises the block's ends by at most w·(1−cos(φ/2))/φ.
			span := s.Warp.Span * math.Pi / 180
			fh += fw * (1 - math.Cos(span/2)) / span * max(1, 2*s.Warp.Tilt)
		}
		rw, rh := rotatedSize(fw, fh, s.Angle)
		if rw <= fitFrac*float64(s.Width) && rh <= fitFrac*float64(s.Height) {
			return nil
		}
		if s.TextHeight <= 12 {
			break
		}
		s.TextHeight = max(12, s.TextHeight*9/10)
	}
	return fmt.Errorf("%w: %q on %d×%d", errNoFit, s.Lines, s.Width, s.Height)
}

func randomWarp(r *rand.Rand) Warp {
	if r.IntN(2) == 0 {
		return Warp{Kind: "cylinder", Span: 30 + 70*r.Float64(), Tilt: 0.3 * r.Float64()}
	}
	return Warp{Kind: "arc", Span: 25 + 55*r.Float64(), Down: r.IntN(3) == 0}
}

func dotFont(r *rand.Rand) string {
	if r.IntN(5) < 3 {
		return "dot5x7"
	}
	return "dotmatrix"
}

func outlineFont(r *rand.Rand) string {
	return []string{"bold", "monobold", "mono", "regular"}[r.IntN(4)]
}

func anyFont(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return dotFont(r)
	}
	return outlineFont(r)
}

// inkjetFont picks the dot grid of a CIJ coder: 5×7 most often, the 9-row
// font of larger heads, and the 5×5 of the smallest codes.
func inkjetFont(r *rand.Rand) string {
	switch n := r.IntN(20); {
	case n < 9:
		return "dot5x7"
	case n < 14:
		return "dotmatrix"
	default:
		return "dot5x5"
	}
}

// inkjetDots are CIJ drops: separate round dots 0.35–0.7 of the pitch, placed
// loosely, with ink spread on porous or wet surfaces one time in three.
func inkjetDots(r *rand.Rand) DotStyle {
	d := DotStyle{
		Size:    0.35 + 0.35*r.Float64(),
		Jitter:  0.03 + 0.12*r.Float64(),
		Spread:  0.05 + 0.1*r.Float64(),
		Stretch: 0.8 + 0.5*r.Float64(),
	}
	if r.IntN(3) == 0 {
		d.Spread = 0.2 + 0.25*r.Float64()
	}
	if r.IntN(3) == 0 {
		d.Dropout = 0.03 * r.Float64()
	}
	return d
}
