package pipeline

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// zoomSide is the long side a zoomed region is enlarged to before the detector sees it: the
// detector's usual input size, where its text size priors hold.
const zoomSide = 640

// zoomable reports a region whose crop looks like several printed lines the detector merged
// into one box (taller than a single line of its width would be), or whose reading the
// recogniser was unsure of. Either way its text holds no date.
func zoomable(r Region, crop *image.RGBA) bool {
	w, h := crop.Rect.Dx(), crop.Rect.Dy()
	if w == 0 || h == 0 {
		return false
	}
	return tall(crop) || r.Text.Confidence < 0.6
}

// tall reports a crop higher than one line of text of its width usually is.
func tall(crop *image.RGBA) bool {
	return float64(crop.Rect.Dy()) >= 0.22*float64(crop.Rect.Dx())
}

// zoomWorthy reports a region that may read better looked at again: merged lines, or an
// unsure reading without a date. A tall crop is looked at again even when its reading holds
// a date: lines read as one piece a date together from both (the day of one, the year of
// the other: "MFG 01/02/2023" over "EXP 01/02/2026" read as "P:12/2023").
func (p *Pipeline) zoomWorthy(r Region) bool {
	if !zoomable(r, r.Crop) {
		return false
	}
	text := r.Text.Text
	if strings.Contains(r.Source, "beam") {
		text = r.Text.Greedy // the decoder's date may be a merged-lines artefact
	}
	_, dated := p.hasDate(text, 0)
	return !dated || tall(r.Crop)
}

// maxLineDepth is the most a crop's height may measure, in the mean character widths its
// reading implies (width / characters), for the crop to hold one printed line. Sure readings
// of single lines on the development photos measure 1.9 at the median and stay under 4.0 in
// 99 of 100 (condensed print, narrow "/" and "1"); a box drawn over a second line, whose
// characters the reading does not count, measures more.
const maxLineDepth = 4.0

// deeperThanRead reports a crop too high for the one line its reading holds: a sure reading
// of one line of a box the detector drew over two ("2309006" over "09/26").
func deeperThanRead(r Region) bool {
	n := utf8.RuneCountInString(r.Text.Text)
	if r.Crop == nil || n == 0 {
		return false
	}
	w, h := r.Crop.Rect.Dx(), r.Crop.Rect.Dy()
	return float64(h*n) > maxLineDepth*float64(w)
}

// reread reports whether a region's reading already comes from a re-read of its own crop
// (a retry, a split, a zoom): looking at it that way again would only repeat the work.
func reread(source string) bool {
	for _, by := range []string{"retry", "split", "zoom"} {
		if strings.Contains(source, by) {
			return true
		}
	}
	return false
}

// zoom looks again at regions that hold no date and look like merged lines or were read
// unsurely. With split, it only reads tall crops line by line (no model but the
// recogniser's); without, their neighbourhood in src (the working image or a same-size
// variant of it) is enlarged to zoomSide and detected on its own, and the boxes found there
// replace the region when they read as more than it did. Only regions from index from on
// are considered; it stops at the first confident date.
func (p *Pipeline) zoom(l *look, from int, split bool) error {
	return p.zoomOn(l, l.work, from, split)
}

func (p *Pipeline) zoomOn(l *look, src *image.RGBA, from int, split bool) error {
	res := l.res
	idx := p.zoomCandidates(res.Regions, from, split)
	idx = idx[:min(len(idx), p.rec.MaxRetryRegions)]
	drop := map[int]bool{}
	var added []Region
	for _, i := range idx {
		if err := l.ctx.Err(); err != nil {
			return err
		}
		if split {
			s, ok, err := p.splitRead(l.ctx, res.Regions[i].Crop)
			if err != nil {
				return err
			}
			if ok && p.dated(s) {
				s.put(&res.Regions[i], "split")
				if p.findDates(res); p.confident(res) {
					break
				}
			}
			continue
		}
		if res.Regions[i].Text.Confidence >= sureReading && !deeperThanRead(res.Regions[i]) {
			continue // a sure reading of a short word ("EXP"): nothing hidden to zoom in on
		}
		boxes, err := p.detectAround(l.ctx, src, l.workQuad(res.Regions[i]))
		if err != nil {
			return err
		}
		if len(boxes) == 0 {
			continue
		}
		var tm Timings
		rs, err := p.readBoxes(l, l.onWork(src), boxes, &tm)
		if err != nil {
			return err
		}
		for k := range rs {
			rs[k].Source = joinSource(res.Regions[i].Source, "zoom")
		}
		if err := p.splitUndated(l.ctx, rs); err != nil {
			return err
		}
		n := 0
		for _, r := range rs {
			n += len([]rune(r.Text.Text))
		}
		if n == 0 {
			continue
		}
		drop[i] = true
		added = append(added, rs...)
		trial := &Result{Taken: res.Taken, Regions: append(without(res.Regions, drop), added...)}
		if p.findDates(trial); p.confident(trial) {
			break
		}
	}
	if len(drop) == 0 {
		return nil
	}
	first := l.replace(drop, added)
	p.beamRegions(res.Regions, first)
	return nil
}

// zoomCandidates lists the regions from index from on that zoomOn looks at again, most
// digits first (a date is digits), then largest (a merged block of lines is bigger than a
// stray word): the loop stops at the first confident date. A region read on the photo turned
// a quarter is split, which reads its own crop, but not zoomed: around it, the working image
// as it stands holds print running up the page, which the detector breaks into characters,
// and their readings would replace the line's.
func (p *Pipeline) zoomCandidates(rs []Region, from int, split bool) []int {
	var idx []int
	for i := from; i < len(rs); i++ {
		r := rs[i]
		if reread(r.Source) || r.Crop == nil {
			continue
		}
		if split && !tall(r.Crop) || !split && sidewaysRead(r.Source) {
			continue
		}
		if p.zoomWorthy(r) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		da, db := digits(rs[idx[a]].Text), digits(rs[idx[b]].Text)
		if da != db {
			return da > db
		}
		return area(rs[idx[a]].Quad) > area(rs[idx[b]].Quad)
	})
	return idx
}

// detectAround runs the detector on the neighbourhood of quad q of work, enlarged so its long
// side is zoomSide, and returns the boxes in work's pixels.
func (p *Pipeline) detectAround(ctx context.Context, work *image.RGBA, q imgproc.Quad) ([]detect.Box, error) {
	x0, y0, x1, y1 := q.Bounds()
	pad := 0.15 * math.Max(x1-x0, y1-y0)
	r := image.Rect(int(x0-pad), int(y0-pad), int(math.Ceil(x1+pad)), int(math.Ceil(y1+pad))).Intersect(work.Rect)
	if r.Dx() < 8 || r.Dy() < 8 {
		return nil, nil
	}
	s := float64(zoomSide) / float64(max(r.Dx(), r.Dy()))
	if s <= 1.2 {
		return nil, nil // no sharper than the first pass
	}
	sub := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(sub, sub.Rect, work, r.Min, draw.Src)
	big := imgproc.Resize(sub, int(float64(r.Dx())*s+0.5), int(float64(r.Dy())*s+0.5))
	boxes, _, err := p.st.Detector.Detect(ctx, big)
	if err != nil {
		return nil, fmt.Errorf("zoom detection: %w", err)
	}
	for k := range boxes {
		for c := range boxes[k].Quad {
			boxes[k].Quad[c].X = boxes[k].Quad[c].X/s + float64(r.Min.X)
			boxes[k].Quad[c].Y = boxes[k].Quad[c].Y/s + float64(r.Min.Y)
		}
	}
	return boxes, nil
}

func area(q imgproc.Quad) float64 {
	x0, y0, x1, y1 := q.Bounds()
	return (x1 - x0) * (y1 - y0)
}

// without returns rs less the regions marked in drop, in a new slice.
func without(rs []Region, drop map[int]bool) []Region {
	out := make([]Region, 0, len(rs))
	for i, r := range rs {
		if !drop[i] {
			out = append(out, r)
		}
	}
	return out
}

// digits counts the digits of a region's reading (its greedy reading if re-decoded).
func digits(t recognize.Text) int {
	if t.Greedy != "" {
		return digitsIn(t.Greedy)
	}
	return digitsIn(t.Text)
}

// digitsIn counts the ASCII digits of s.
func digitsIn(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}
