package pipeline

import (
	"fmt"
	"math"

	"github.com/datalid/datalid/internal/imgproc"
)

const (
	// minLevelSlant and maxLevelSlant bound, in degrees off the horizontal, the slant of the
	// lines the level look straightens. Below, the detector's boxes follow the line; beyond,
	// the line stands near upright, which the sideways look turns.
	minLevelSlant, maxLevelSlant = 12.0, 78.0
	// minSlantAspect is how many times longer than high a region must be for its direction
	// to be its line's: a square box of a few characters may lie either way.
	minSlantAspect = 2.5
	// slantReach, in degrees, gathers regions into one direction: the lines of one printed
	// block are parallel, a bent surface turns them a little.
	slantReach = 8.0
)

// levelSource marks regions read on the photo turned so that a slanted line lies level.
const levelSource = "level"

// level reads the working image again turned so that the slanted lines lie level. People
// photograph bottle bottoms, caps and bags at any angle; the detector, trained on level
// text, cuts a line running at 30–60° into pieces of a few characters, whose boxes are
// near-square and whose crops hold part of a date each. The slant is measured on the first
// pass's long regions; the look runs only when some of them run at a slant between
// minLevelSlant and maxLevelSlant. The new regions replace the ones they cover when they read
// a date.
func (p *Pipeline) level(l *look) error {
	deg, ok := slant(l.res.Regions, l.workQuad)
	if !ok {
		return nil
	}
	t := imgproc.NewTurn(l.work.Rect.Dx(), l.work.Rect.Dy(), deg)
	turned := t.Apply(l.work)
	l.trace.input(levelSource, turned)
	boxes, _, err := p.st.Detector.Detect(l.ctx, turned)
	if err != nil {
		return fmt.Errorf("level detection: %w", err)
	}
	if len(boxes) == 0 {
		return nil
	}
	f := frame{img: turned, scale: l.toOrig, back: t.Back}
	var tm Timings
	rs, err := p.readBoxes(l, f, boxes, &tm)
	if err != nil {
		return err
	}
	for k := range rs {
		rs[k].Source = levelSource
	}
	p.beamRegions(rs, 0)
	if !p.anyDate(rs) {
		l.trace.discarded(levelSource, rs)
		return nil
	}
	l.supersede(rs, p.dateScore)
	return nil
}

// slant is the direction, in degrees clockwise on screen (y down) within (−90, 90], of the
// slanted lines among the regions (quadrilaterals through wq): of the regions running between
// minLevelSlant and maxLevelSlant off the horizontal (see slanted), the direction that the
// most text length runs within slantReach of, averaged over those regions. ok is false when
// no region runs at such a slant.
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

// slantedDate reports a best date read on a slanted region: the detector cuts such lines
// into pieces, and a piece may hold part of a date that parses alone ("05.2027" of
// "17.05.2027"), so even a confident one is read again levelled.
func slantedDate(l *look) bool {
	b := l.res.Dates.Best
	if b == nil || b.Line >= len(l.res.Lines) {
		return false
	}
	for _, i := range l.res.Lines[b.Line].Regions {
		if _, _, ok := slanted(l.workQuad(l.res.Regions[i])); ok {
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
