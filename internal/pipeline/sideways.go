package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/imgproc"
)

const (
	// sidewaysShare is the share of the regions found that must stand taller than wide for
	// the photo to be read again turned a quarter: a line of text is wider than high, so a
	// photo whose boxes mostly stand upright holds text running up or down the page (a
	// product held sideways, or a photo whose orientation tag was lost), which the detector
	// breaks into single characters.
	sidewaysShare = 0.5
	// fragmentShare is the share of regions read as at most fragmentRunes characters that
	// also calls for the turned look: the detector splits a line running up the page into
	// single characters, each wider than high once the glyph lies on its side, or, where
	// the characters of stacked lines stand level with each other, boxes them across the
	// lines in runs of two or three ("0 2 4" of "05/22", "05/23", "05/24"); taken a little
	// askew, such print leaves few single characters and many such runs.
	fragmentShare = 0.6
	fragmentRunes = 3
)

// sideways reads the working image again turned a quarter counter-clockwise when most of
// the regions found stand upright. Text that was turned the other way comes out upside down,
// which the angle classifier turns back crop by crop. The new regions replace the ones they
// cover when they read a date.
func (p *Pipeline) sideways(l *look) error {
	if !standing(l.res.Regions) {
		return nil
	}
	turned := imgproc.Rotate90CCW(l.work)
	l.trace.input(sidewaysSource, turned)
	boxes, _, err := p.st.Detector.Detect(l.ctx, turned)
	if err != nil {
		return fmt.Errorf("sideways detection: %w", err)
	}
	if len(boxes) == 0 {
		return nil
	}
	before := sureness(l.res.Regions)
	rs, err := p.readTurned(l, frame{img: turned, scale: l.toOrig, back: quarterBack(float64(l.work.Rect.Dx()))}, boxes, sidewaysSource, true)
	if err != nil || sureness(rs) <= before {
		return err
	}
	l.sideways = quarterWay(rs)
	return nil
}

// quarterWay is the quarter turn that brings upright the print the sideways look read as rs,
// on the photo turned counter-clockwise: print that reads surer upside down there lay the
// other way, and the photo is turned clockwise instead, so that the first pass of the whole
// turned read meets it upright rather than leaving it to the angle classifier crop by crop.
func quarterWay(rs []Region) turn {
	if upsideDown(rs) {
		return quarterCW
	}
	return quarterCCW
}

// sidewaysSource names the sideways look and marks the regions it read on the working
// image turned a quarter.
const sidewaysSource = "sideways"

// sidewaysRead reports a region the sideways look read on the working image turned a quarter.
func sidewaysRead(source string) bool { return strings.Contains(source, sidewaysSource) }

// turn is how wholeTurned turns a photo before reading it again.
type turn int

const (
	noTurn turn = iota
	quarterCCW
	quarterCW
	halfTurn
)

// sureness is how surely regions were read as a whole: the recogniser's confidence summed
// over them, weighed by their boxes' length, so that one long line read well outweighs a
// scatter of single characters read as noise.
func sureness(rs []Region) float64 {
	var s float64
	for _, r := range rs {
		s += weight(r)
	}
	return s
}

// weight is one region's share of sureness: its box's length times its reading's confidence.
func weight(r Region) float64 {
	return geometry(r.Quad).w * r.Text.Confidence
}

// wholeTurned reads img again, turned a quarter either way or over (way), from the first
// pass on, when its print reads surer turned and no confident date was read: when the
// sideways look found that it reads surer turned a quarter, or the angle classifier turned
// most of it over (upsideDown). The sideways look re-detects only, at the working image's
// scale, while small or dotted print needs the looks that follow (dots, dense, rows), which
// run on the photo as it stands; and the detector, trained on upright print, boxes print
// standing on its head more poorly (a line found as one character of it). The turned read
// replaces the result when its date is confident (the test that stops the second looks: it
// is one more search) and surer.
func (p *Pipeline) wholeTurned(ctx context.Context, img *imageio.Image, opt Options, res *Result, way turn) error {
	t := *img
	src := img.RGBA
	if p.cfg.WorkingLongSide > 0 {
		src = shrinkTo(src, turnedLongSides*p.cfg.WorkingLongSide)
	}
	var back func(imgproc.Point) imgproc.Point
	switch way {
	case halfTurn:
		t.RGBA = imgproc.Rotate180(src)
		back = halfBack(float64(img.OrigW), float64(img.OrigH))
	case quarterCW:
		t.RGBA = imgproc.Rotate90CW(src)
		t.OrigW, t.OrigH = img.OrigH, img.OrigW
		back = quarterCWBack(float64(img.OrigH))
	default:
		t.RGBA = imgproc.Rotate90CCW(src)
		t.OrigW, t.OrigH = img.OrigH, img.OrigW
		back = quarterBack(float64(img.OrigW))
	}
	t.Scale = float64(t.RGBA.Rect.Dx()) / float64(t.OrigW)
	// The turned read keeps no trace of its own; its regions keep their crops for this one.
	o := opt
	o.turned, o.Debug, o.KeepCrops = true, false, opt.KeepCrops || opt.Debug
	alt, err := p.ReadImage(ctx, &t, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil // out of time: the reading as the photo stands is still an answer
		}
		return err
	}
	res.Timings.SecondLook += alt.Timings.Total
	if b := res.Dates.Best; !p.confident(alt) || b != nil && alt.Dates.Best.Confidence <= b.Confidence {
		return nil
	}
	for i := range alt.Regions {
		q := &alt.Regions[i].Quad
		for k := range q {
			q[k] = back(q[k])
		}
		alt.Regions[i].Source = joinSource(alt.Regions[i].Source, turnedSource)
	}
	res.Regions, res.Lines, res.Dates = alt.Regions, alt.Lines, alt.Dates
	return nil
}

// upsideDown reports print the angle classifier turned over for the most part: the regions
// it turned outweigh the others (length times confidence, as sureness weighs them).
func upsideDown(rs []Region) bool {
	var turned, upright float64
	for _, r := range rs {
		if r.Flipped {
			turned += weight(r)
		} else {
			upright += weight(r)
		}
	}
	return turned > upright
}

const (
	// turnedSource marks the regions of a photo read whole turned (wholeTurned).
	turnedSource = "turned"
	// turnedLongSides bounds the turned copy's long side, in working long sides: a 12 MP
	// phone photo is turned whole, for the dense look's full-resolution detection, while a
	// 50 MP PNG is not copied whole a second time beside the decoded one.
	turnedLongSides = 2
)

// readTurned reads boxes found on a turned copy of the working image (frame f) as regions
// of source, with the date-aware decoder; when they read a date they supersede the regions
// they cover, else the trace keeps them as discarded.
// It returns the regions read, kept or not.
func (p *Pipeline) readTurned(l *look, f frame, boxes []detect.Box, source string, both bool) ([]Region, error) {
	var tm Timings
	rs, err := p.readBoxes(l, f, boxes, &tm)
	if err != nil {
		return nil, err
	}
	if both {
		if err := p.bothWays(l, f, boxes, rs, &tm); err != nil {
			return nil, err
		}
	}
	for k := range rs {
		rs[k].Source = source
	}
	if err := p.splitUndated(l.ctx, rs); err != nil {
		return nil, err
	}
	p.beamRegions(rs, 0)
	if !p.anyDate(rs) {
		l.trace.discarded(source, rs)
		return rs, nil
	}
	l.supersede(rs, p.dateScore)
	return rs, nil
}

// standing reports whether the regions look like text running up or down the page: most
// stand taller than wide, or most were read as single characters.
func standing(rs []Region) bool {
	if len(rs) == 0 {
		return false
	}
	up, frag := 0, 0
	for _, r := range rs {
		x0, y0, x1, y1 := r.Quad.Bounds()
		if y1-y0 > x1-x0 {
			up++
		}
		if len([]rune(r.Text.Text)) <= fragmentRunes {
			frag++
		}
	}
	n := float64(len(rs))
	return float64(up) >= sidewaysShare*n || float64(frag) >= fragmentShare*n
}

// bothWays reads every region of a turned image again the other way up, and gives each the
// reading of the way the print as a whole reads surer (the recogniser's confidence summed
// over the regions, weighed by their boxes' length) unless its other reading alone holds a
// date, or is surer by orientMargin. A photo taken sideways is turned as a whole: when it lay
// the other way, all its print comes out upside down, and the angle classifier, judging each
// crop alone, leaves dot-matrix lines and short ones so, where they read as confident garbage.
func (p *Pipeline) bothWays(l *look, f frame, boxes []detect.Box, rs []Region, tm *Timings) error {
	if p.st.Classifier == nil || len(rs) == 0 {
		return nil
	}
	flips := make([]bool, len(rs))
	for k, r := range rs {
		flips[k] = !r.Flipped
	}
	other, err := p.readOriented(l, f, boxes, flips, tm)
	if err != nil {
		return err
	}
	var up, down float64
	for k := range rs {
		for _, r := range []Region{rs[k], other[k]} {
			if r.Flipped {
				down += weight(r)
			} else {
				up += weight(r)
			}
		}
	}
	way := down > up
	for k := range rs {
		mine, alt := rs[k], other[k]
		if mine.Flipped != way {
			mine, alt = alt, mine
		}
		_, dm := p.hasDate(mine.Text.Text, 0)
		_, da := p.hasDate(alt.Text.Text, 0)
		if da && !dm || da == dm && alt.Text.Confidence >= mine.Text.Confidence+orientMargin {
			mine = alt
		}
		rs[k] = mine
	}
	return nil
}
