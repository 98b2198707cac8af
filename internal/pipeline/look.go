package pipeline

import (
	"context"
	"image"
	"time"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
)

// look is the state one read shares between the first pass and the second looks: the working
// image, the result being built and, on each region, the crop it was read from. Steps change
// res.Regions (append, replace, re-read); a region carries its own crop, so no parallel
// slice has to be kept aligned.
type look struct {
	ctx    context.Context
	work   *image.RGBA // the image the first pass detected on (≤ WorkingLongSide)
	full   *image.RGBA // the decoded image, which may be larger than work
	toOrig float64     // working pixels → original pixels
	opt    Options
	res    *Result
	prob   detect.Map // the first pass's probability map over work
	trace  *Trace     // nil unless Options.Debug
	// dots are the dot patterns measured on crops of the working image that were read as
	// dot-matrix print: the evidence, and the pitch, for the dots look.
	dots []imgproc.DotPattern
	// lattices is set once the second looks run: from then on, dot-matrix crops are also
	// read from their dot lattices (see dotLines).
	lattices bool
	// sideways is the quarter turn the photo is read whole after the second looks (see
	// wholeTurned), set when the sideways look read it turned surer than as it stands;
	// noTurn otherwise.
	sideways turn
	// oriented holds the boxes whose orientation orient has checked: the check after the
	// second looks leaves them as the first pass's check judged them.
	oriented map[imgproc.Quad]bool
	// reoriented holds the boxes orient turned from the classifier's choice: read the other
	// way up they were surer by orientMargin, so no look turns them back.
	reoriented map[imgproc.Quad]bool
}

// step is one second look. on says whether the configuration enables it; run changes the
// read's regions and leaves dates to the driver.
type step struct {
	name string
	on   func(Recovery) bool
	run  func(*Pipeline, *look) error
}

func retries(r Recovery) bool { return r.MaxRetryRegions > 0 }

// tiled is on for the looks that detect over tiles of the working image (tiles, faint).
func tiled(r Recovery) bool { return r.TileGrid > 1 }

// secondLooks is the ordered list of second looks, cheapest first. The driver stops at the
// first that leaves a confident date, so a rescued photo pays only for the looks before it.
//
//  1. beam: the date-aware CTC decoder over the crops already read (no model run);
//  2. split: crops holding several printed lines read line by line, even where their
//     reading as one line holds a date (recogniser only);
//  3. sideways: the working image turned a quarter, only when the regions look like text
//     running up or down the page (one detector run, where the looks below would re-read
//     dozens of single-character fragments);
//  4. retry: the likeliest crops re-read under preprocessing variants (recogniser only);
//  5. lattice: dot-matrix crops read from their dot lattices, redrawn as solid print
//     (recogniser only); after the retries, whose readings of the crop itself are surer
//     than a model of its dots;
//  6. rows: rows the detector cut into pieces that hold no date read as one crop each
//     (recogniser only);
//  7. zoom: unsure or merged regions (a crop too high for the line read from it) detected
//     again, enlarged (detector on a small area);
//  8. dots: detection again on the photo with dot-matrix dots joined into strokes, and on
//     that image equalised locally, for faint print;
//  9. dense: blocks of text found by the first pass detected again at the decoded image's
//     full resolution (small print on large photos);
//  10. tiles: the detector over overlapping tiles of the whole working image;
//  11. faint: the tiles again over the working image's local contrast, amplified, for print
//     barely darker than its panel; only whole or labelled dates are kept;
//  12. rejoin: the rows look again, over the pieces the detecting looks (7–10) found.
var secondLooks = []step{
	{"beam", func(r Recovery) bool { return r.Beam.Width > 0 }, (*Pipeline).lookBeam},
	{"split", retries, func(p *Pipeline, l *look) error { return p.zoom(l, 0, true) }},
	{sidewaysSource, func(r Recovery) bool { return r.Sideways }, (*Pipeline).sideways},
	{"retry", func(r Recovery) bool { return len(r.Variants) > 0 && r.MaxRetryRegions > 0 }, (*Pipeline).retry},
	{"lattice", func(r Recovery) bool { return r.DotMatrix }, (*Pipeline).lattice},
	{"rows", retries, (*Pipeline).rows},
	{"zoom", retries, func(p *Pipeline, l *look) error { return p.zoom(l, 0, false) }},
	{"dots", func(r Recovery) bool { return r.DotMatrix }, (*Pipeline).dots},
	{"dense", func(r Recovery) bool { return r.Dense }, (*Pipeline).dense},
	{"tiles", tiled, (*Pipeline).tiles},
	{faintLook, tiled, (*Pipeline).faint},
	{"rejoin", retries, (*Pipeline).rejoin},
}

// StepNames lists the second looks in the order they run, for docs and debug output.
func StepNames() []string {
	out := make([]string, len(secondLooks))
	for i, s := range secondLooks {
		out[i] = s.name
	}
	return out
}

// TraceNames lists every name a Trace records a look under, in the order they run: the
// first pass, the level look that belongs to it, the second looks, the orientation check of
// what they found, the answer's checks, then the read of the whole photo turned (wholeTurned).
func TraceNames() []string {
	return append(append([]string{firstPass, levelSource}, StepNames()...), orientLook, stretchLook, confirmLook, turnedSource)
}

// firstPass names the first pass in a Trace.
const firstPass = "first"

// secondLook runs the enabled looks in order until the best date is confident.
func (p *Pipeline) secondLook(l *look) error {
	l.lattices = p.rec.DotMatrix
	for _, s := range secondLooks {
		if !s.on(p.rec) {
			continue
		}
		if err := l.ctx.Err(); err != nil {
			return err
		}
		t := time.Now()
		before := l.trace.snapshot(l.res.Regions)
		if err := s.run(p, l); err != nil {
			return err
		}
		p.findDates(l.res)
		l.trace.record(s.name, time.Since(t), before, l.res.Regions)
		if p.confident(l.res) {
			return nil
		}
	}
	return nil
}

// replace drops the regions marked in drop and appends added; it returns the index of the
// first added region.
func (l *look) replace(drop map[int]bool, added []Region) int {
	kept := make([]Region, 0, len(l.res.Regions)-len(drop)+len(added))
	for i, r := range l.res.Regions {
		if !drop[i] {
			kept = append(kept, r)
		}
	}
	from := len(kept)
	l.res.Regions = append(kept, added...)
	return from
}

// supersede adds regions read anew over an area and drops the old regions they cover: the
// same print, read worse. But where an old region reads a stronger date than a new one over
// it (score: the parse score of the date a region's text alone holds, 0 for none), the old
// reading is the better one: that new region is left out and the old kept.
func (l *look) supersede(rs []Region, score func(Region) float64) {
	// Each region is scored once: a score parses the region's text.
	fresh := make([]float64, len(rs))
	for k, n := range rs {
		fresh[k] = score(n)
	}
	drop := map[int]bool{}
	skip := make([]bool, len(rs))
	for i, old := range l.res.Regions {
		o := rectOf(old.Quad)
		was := -1.0 // not scored yet
		for k, n := range rs {
			if overlapShare(o, rectOf(n.Quad)) <= 0.5 {
				continue
			}
			if was < 0 {
				was = score(old)
			}
			if was > fresh[k] {
				skip[k] = true
				continue
			}
			drop[i] = true
		}
	}
	var added []Region
	for k, n := range rs {
		if !skip[k] {
			added = append(added, n)
		}
	}
	l.replace(drop, added)
}

// workQuad is region r's quadrilateral in working pixels.
func (l *look) workQuad(r Region) imgproc.Quad { return r.Quad.Scale(1/l.toOrig, 1/l.toOrig) }

// frame is an image boxes are found and cropped on, and how its pixels map to the original
// image's: orig = (back(p) + off) · scale, where back, when set, undoes a turn of the working
// image (a quarter for the sideways look, the text's slant for the level look).
type frame struct {
	img   *image.RGBA
	off   imgproc.Point
	scale float64
	back  func(imgproc.Point) imgproc.Point
}

func (f frame) orig(q imgproc.Quad) imgproc.Quad {
	for i := range q {
		p := q[i]
		if f.back != nil {
			p = f.back(p)
		}
		q[i].X = (p.X + f.off.X) * f.scale
		q[i].Y = (p.Y + f.off.Y) * f.scale
	}
	return q
}

// quarterBack undoes Rotate90CCW of an image w pixels wide, which moves (x, y) to (y, w−x).
func quarterBack(w float64) func(imgproc.Point) imgproc.Point {
	return func(p imgproc.Point) imgproc.Point { return imgproc.Point{X: w - p.Y, Y: p.X} }
}

// quarterCWBack undoes Rotate90CW of an image h pixels high, which moves (x, y) to (h−y, x).
func quarterCWBack(h float64) func(imgproc.Point) imgproc.Point {
	return func(p imgproc.Point) imgproc.Point { return imgproc.Point{X: p.Y, Y: h - p.X} }
}

// halfBack maps a point of a w×h image turned 180° back onto the image.
func halfBack(w, h float64) func(imgproc.Point) imgproc.Point {
	return func(p imgproc.Point) imgproc.Point { return imgproc.Point{X: w - p.X, Y: h - p.Y} }
}

// workFrame is the working image; onWork is a same-size variant of it (dots merged).
func (l *look) workFrame() frame             { return l.onWork(l.work) }
func (l *look) onWork(img *image.RGBA) frame { return frame{img: img, scale: l.toOrig} }
