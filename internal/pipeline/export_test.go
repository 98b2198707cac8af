package pipeline

import (
	"context"
	"image"
)

// ReadTurnedWrong reads img's first-pass boxes each turned the other way up from what the
// angle classifier says, as a classifier mistake on every crop would, and returns the texts
// read that way and the best date before and after the orientation check ("" for none).
func ReadTurnedWrong(p *Pipeline, img *image.RGBA) (texts []string, before, after string, err error) {
	ctx := context.Background()
	boxes, pm, _, err := p.st.Detector.DetectPhoto(ctx, img)
	if err != nil {
		return nil, "", "", err
	}
	l := &look{ctx: ctx, work: img, full: img, toOrig: 1, res: &Result{}, prob: pm}
	crops := make([]*image.RGBA, len(boxes))
	for i, b := range boxes {
		crops[i] = Crop(img, b.Quad)
	}
	right, err := p.st.Classifier.Upside(ctx, crops)
	if err != nil {
		return nil, "", "", err
	}
	wrong := make([]bool, len(right))
	for i, f := range right {
		wrong[i] = !f
	}
	if l.res.Regions, err = p.readOriented(l, l.workFrame(), boxes, wrong, &l.res.Timings); err != nil {
		return nil, "", "", err
	}
	p.findDates(l.res)
	before = bestString(l.res)
	for _, r := range l.res.Regions {
		texts = append(texts, r.Text.Text)
	}
	if err := p.orient(l, false); err != nil {
		return nil, "", "", err
	}
	p.findDates(l.res)
	return texts, before, bestString(l.res), nil
}

func bestString(r *Result) string {
	if r.Dates.Best == nil {
		return ""
	}
	return r.Dates.Best.Date.String()
}
