package pipeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
)

const (
	// minLevelSlant and maxLevelSlant bound, in degrees off the horizontal, the slant of the
	// lines the level look straightens. Below, the detector's boxes follow the line; beyond,
	// the line stands near upright, which the sideways look turns.
	minLevelSlant, maxLevelSlant = 12.0, 78.0
	// minRereadSlant is the least slant at which a line that read a date is read again
	// levelled: up to it the detector boxes slanted lines whole, and the date read there is
	// as good as a levelled one (measured on the dev photos: lines at 12–20° lost confidence
	// and time read again, and gained nothing).
	minRereadSlant = 25.0
	// minSlantAspect is how many times longer than high a region must be for its direction
	// to be its line's: a square box of a few characters may lie either way.
	minSlantAspect = 2.5
	// slantReach, in degrees, gathers regions into one direction: the lines of one printed
	// block are parallel, a bent surface turns them a little.
	slantReach = 8.0
	// minLevelDigits is how many digits a region's reading needs to be taken for part of a
	// date's line.
	minLevelDigits = 2
	// levelReach is how far, in a region's lengths, the rest of its line may lie around it.
	levelReach = 1.0
)

// levelSource marks regions read on the photo turned so that a slanted line lies level.
const levelSource = "level"

// level reads the working image again turned so that the slanted lines lie level. People
// photograph bottle bottoms, caps and bags at any angle; the detector, trained on level
// text, cuts a line running at 30–60° into pieces of a few characters, whose boxes are
// near-square and whose crops hold part of a date each. The slant is measured on the first
// pass's long regions; the look runs only when some of them run at a slant between
// minLevelSlant and maxLevelSlant. Only the boxes that lie level on the turned photo, where
// a date may lie (dateAreas), are read; they replace the regions they cover when they read a
// date.
func (p *Pipeline) level(l *look) error {
	deg, ok := slant(l.res.Regions, l.workQuad)
	if !ok {
		return nil
	}
	near := dateAreas(l.res.Regions, l.workQuad)
	t := imgproc.NewTurn(l.work.Rect.Dx(), l.work.Rect.Dy(), deg)
	turned := t.Apply(l.work)
	l.trace.input(levelSource, turned)
	found, _, err := p.st.Detector.Detect(l.ctx, turned)
	if err != nil {
		return fmt.Errorf("level detection: %w", err)
	}
	// Only the boxes of the slanted lines where a date may lie are read. Print that stood
	// level now runs at −deg, and so do its boxes, those long enough to show a direction;
	// the rest of the turned photo is print the first pass read and found no date in.
	var boxes []detect.Box
	for _, b := range found {
		g := geometry(b.Quad)
		if a := foldSlant(math.Atan2(g.u.Y, g.u.X) * 180 / math.Pi); g.w > g.h && math.Abs(a) > math.Abs(deg)/2 {
			continue
		}
		c := t.Back(g.c)
		if slices.ContainsFunc(near, func(q imgproc.Quad) bool { return inQuad(c, q) }) {
			boxes = append(boxes, b)
		}
	}
	if len(boxes) == 0 {
		return nil
	}
	_, err = p.readTurned(l, frame{img: turned, scale: l.toOrig, back: t.Back}, boxes, levelSource, false)
	return err
}

// inQuad reports whether p lies inside the convex quadrilateral q, whose corners run either
// way round.
func inQuad(p imgproc.Point, q imgproc.Quad) bool {
	pos, neg := false, false
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		c := (b.X-a.X)*(p.Y-a.Y) - (b.Y-a.Y)*(p.X-a.X)
		pos, neg = pos || c > 0, neg || c < 0
	}
	return !(pos && neg)
}

// slant is the direction, in degrees clockwise on screen (y down) within (−90, 90], of the
// slanted lines among the regions (quadrilaterals through wq): of the regions running
// between minLevelSlant and maxLevelSlant off the horizontal (see slanted), the direction
// that the most text length runs within slantReach of, averaged over those regions. Any
// slanted region counts, a keyword's as much as a date's: "SELL BY" may be the one piece of a
// slanted line the detector boxed whole. ok is false when no region runs at a slant.
func slant(rs []Region, wq func(Region) imgproc.Quad) (deg float64, ok bool) {
	type dir struct{ a, w float64 }
	var ds []dir
	for _, r := range rs {
		if a, w, ok := slanted(wq(r)); ok {
			ds = append(ds, dir{a, w})
		}
	}
	best := -1.0
	for _, c := range ds {
		var sum, wsum float64
		for _, d := range ds {
			if math.Abs(d.a-c.a) <= slantReach {
				sum += d.a * d.w
				wsum += d.w
			}
		}
		if wsum > best {
			best, deg = wsum, sum/wsum
		}
	}
	return deg, best > 0
}

// mayHoldDate reports a region whose reading holds digits or was unsure: dot-matrix print
// is often read as garbage.
func mayHoldDate(r Region) bool {
	return digits(r.Text) >= minLevelDigits || r.Text.Confidence < coverConfidence
}

// dateAreas are the boxes of the regions that may hold a date, grown to where the rest of
// their line may lie: levelReach of their length (at least levelReach×3 heights) along it,
// a height across it. The detector cuts a slanted line into pieces, some of a few characters.
func dateAreas(rs []Region, wq func(Region) imgproc.Quad) []imgproc.Quad {
	var out []imgproc.Quad
	for _, r := range rs {
		if !mayHoldDate(r) {
			continue
		}
		q := wq(r)
		g := geometry(q)
		out = append(out, growAcross(expandQuad(q, levelReach*max(g.w, 3*g.h)), 1))
	}
	return out
}

// slanted reports a region long enough to show its line's direction (minSlantAspect) that
// runs between minLevelSlant and maxLevelSlant off the horizontal, its direction (as slant's)
// and its length.
func slanted(q imgproc.Quad) (deg, length float64, ok bool) {
	g := geometry(q)
	if g.h <= 0 || g.w < minSlantAspect*g.h {
		return 0, 0, false
	}
	a := foldSlant(math.Atan2(g.u.Y, g.u.X) * 180 / math.Pi)
	if s := math.Abs(a); s < minLevelSlant || s > maxLevelSlant {
		return 0, 0, false
	}
	return a, g.w, true
}

// slantedDate reports a best date read on a region slanted by minRereadSlant or more: the
// detector cuts such lines into pieces, and a piece may hold part of a date that parses
// alone ("05.2027" of "17.05.2027"), so even a confident one is read again levelled.
func slantedDate(l *look) bool {
	b := l.res.Dates.Best
	if b == nil || b.Line >= len(l.res.Lines) {
		return false
	}
	for _, i := range l.res.Lines[b.Line].Regions {
		if a, _, ok := slanted(l.workQuad(l.res.Regions[i])); ok && math.Abs(a) >= minRereadSlant {
			return true
		}
	}
	return false
}

// foldSlant folds a direction in degrees onto (−90, 90]: a line read backwards runs the same way.
func foldSlant(a float64) float64 {
	for a > 90 {
		a -= 180
	}
	for a <= -90 {
		a += 180
	}
	return a
}
