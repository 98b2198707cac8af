package pipeline

import (
	"context"
	"fmt"
	"image"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
)

// dots looks again for dot-matrix print: the detector sees separate dots as specks or
// fragments ("...·", "0", "88"), so the working image is read once more with its dark ink
// grown until the dots of a character touch. Regions found there that the first pass did
// not already have replace the fragments they cover when they read as a date. It returns
// crops with the new regions' crops appended.
func (p *Pipeline) dots(ctx context.Context, work *image.RGBA, toOrig float64, crops []*image.RGBA, res *Result, opt Options) ([]*image.RGBA, error) {
	w, h := work.Rect.Dx(), work.Rect.Dy()
	// Dots sit about 1/250 of a printed line's width apart on the photos and renders seen;
	// growing ink by a third of a typical gap joins them without closing letter counters.
	merged := imgproc.MergeDots(work, max(1, max(w, h)/700))
	boxes, _, err := p.st.Detector.Detect(ctx, merged)
	if err != nil {
		return crops, fmt.Errorf("dot-matrix detection: %w", err)
	}
	var fresh []detect.Box
	for _, b := range boxes {
		if !duplicate(rectOf(b.Quad.Scale(toOrig, toOrig)), res.Regions) {
			fresh = append(fresh, b)
		}
	}
	if len(fresh) == 0 {
		return crops, nil
	}
	var tm Timings
	regions, cs, err := p.readBoxes(ctx, merged, fresh, toOrig, opt, &tm)
	if err != nil {
		return crops, err
	}
	from := len(res.Regions)
	res.Regions = append(res.Regions, regions...)
	crops = append(crops, cs...)
	for i := from; i < len(res.Regions); i++ {
		res.Regions[i].Source = "dots"
	}
	p.beamRegions(res.Regions, from)
	if p.rec.MaxRetryRegions > 0 {
		// A merged box often spans two printed lines: read it line by line, or zoomed.
		for _, split := range []bool{true, false} {
			if _, crops, err = p.zoom(ctx, merged, toOrig, crops, res, opt, from, split); err != nil {
				return crops, err
			}
		}
	}
	// Fragments inside a new region that reads as a date are that date, misread.
	drop := map[int]bool{}
	for i := from; i < len(res.Regions); i++ {
		if _, ok := p.hasDate(res.Regions[i].Text.Text, 0); !ok {
			continue
		}
		big := rectOf(res.Regions[i].Quad)
		for k := range from {
			if overlapShare(rectOf(res.Regions[k].Quad), big) > 0.6 && area(res.Regions[k].Quad) < area(res.Regions[i].Quad) {
				drop[k] = true
			}
		}
	}
	if len(drop) > 0 {
		keptR, keptC := res.Regions[:0:0], crops[:0:0]
		for i := range res.Regions {
			if !drop[i] {
				keptR, keptC = append(keptR, res.Regions[i]), append(keptC, crops[i])
			}
		}
		res.Regions, crops = keptR, keptC
	}
	p.findDates(res)
	return crops, nil
}

// duplicate reports a box (original pixels) that is nearly the same as a region already
// read: intersection over union above one half. Unlike covered, a box spanning several
// small fragments is not a duplicate of any of them.
func duplicate(a frect, rs []Region) bool {
	for _, r := range rs {
		b := rectOf(r.Quad)
		iw := min(a.x1, b.x1) - max(a.x0, b.x0)
		ih := min(a.y1, b.y1) - max(a.y0, b.y0)
		if iw <= 0 || ih <= 0 {
			continue
		}
		in := iw * ih
		if in/((a.x1-a.x0)*(a.y1-a.y0)+(b.x1-b.x0)*(b.y1-b.y0)-in) > 0.5 {
			return true
		}
	}
	return false
}
