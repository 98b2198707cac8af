package pipeline

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"sort"

	"github.com/datalid/datalid/internal/imgproc"
)

const (
	// maxDenseAreas bounds the dense look to this many detector runs: the label holding a
	// date is one patch of text, and the areas are tried most promising first.
	maxDenseAreas = 2
	// denseLineHeight is the text height, in detector-input pixels, an area is scaled to:
	// PP-OCR's detector finds lines best at roughly 20–40 px; small print on a 12 MP photo
	// shrunk to 960 px is 5–10 px high, and dot-matrix print breaks into specks there.
	denseLineHeight = 28
	// minDenseGain is the least enlargement over the first pass that makes an area worth a
	// detector run: less and it would see what the first pass saw.
	minDenseGain = 1.5
	// denseReach joins regions into one area when they lie within this many text heights of
	// each other: the lines of one printed block sit closer than that, separate labels do not.
	denseReach = 1.5
)

// dense looks again at the text-dense areas of the photo at the decoded image's full
// resolution: regions of the first pass are gathered into areas (blocks of nearby lines),
// the areas that may hide a date (digits or unsure readings, and no date read) are cut from
// the full image, scaled so their text is of the height the detector finds best, and
// detected on their own; the boxes are cropped from the full image. When the new regions
// read a date, they replace the regions of the area they cover.
func (p *Pipeline) dense(l *look) error {
	fullPerWork := float64(l.full.Rect.Dx()) / float64(l.work.Rect.Dx())
	detSide := float64(p.st.Detector.LimitSideLen())
	firstScale := detSide / float64(max(l.work.Rect.Dx(), l.work.Rect.Dy())) // detector px per work px (see detect.PhotoSize)
	for _, a := range p.denseAreas(l) {
		if err := l.ctx.Err(); err != nil {
			return err
		}
		// Full-image rectangle and the scale that brings its text to denseLineHeight, bounded
		// by the detector's input size and by twice the full resolution.
		r := image.Rect(int(float64(a.rect.Min.X)*fullPerWork), int(float64(a.rect.Min.Y)*fullPerWork),
			int(math.Ceil(float64(a.rect.Max.X)*fullPerWork)), int(math.Ceil(float64(a.rect.Max.Y)*fullPerWork))).Intersect(l.full.Rect)
		if r.Dx() < 8 || r.Dy() < 8 {
			continue
		}
		s := denseLineHeight / (a.lineH * fullPerWork)
		s = min(s, 2, detSide/float64(max(r.Dx(), r.Dy())))
		if s*fullPerWork/firstScale < minDenseGain {
			continue
		}
		sub := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		draw.Draw(sub, sub.Rect, l.full, r.Min, draw.Src)
		in := imgproc.Resize(sub, max(1, int(float64(r.Dx())*s+0.5)), max(1, int(float64(r.Dy())*s+0.5)))
		if gap, ok := l.dotGap(); ok {
			// Enlarged, dot-matrix print falls apart into dots the detector drops: join them
			// at the pitch the first pass measured, scaled to this picture. The crops are
			// still cut from the full image, as printed.
			in = imgproc.MergeDots(in, max(1, int(math.Ceil(gap*s*fullPerWork/2+0.5))))
		}
		boxes, _, err := p.st.Detector.Detect(l.ctx, in)
		if err != nil {
			return fmt.Errorf("dense detection: %w", err)
		}
		if len(boxes) == 0 {
			continue
		}
		// Boxes go to full-image pixels, and are cropped there: the most pixels there are.
		for k := range boxes {
			for c := range boxes[k].Quad {
				boxes[k].Quad[c].X = boxes[k].Quad[c].X/s + float64(r.Min.X)
				boxes[k].Quad[c].Y = boxes[k].Quad[c].Y/s + float64(r.Min.Y)
			}
		}
		f := frame{img: l.full, scale: l.toOrig / fullPerWork}
		var tm Timings
		rs, err := p.readBoxes(l, f, boxes, &tm)
		if err != nil {
			return err
		}
		for k := range rs {
			rs[k].Source = "dense"
		}
		p.beamRegions(rs, 0)
		if err := p.splitUndated(l.ctx, rs); err != nil {
			return err
		}
		if !p.anyDate(rs) {
			l.trace.discarded("dense", rs)
			continue
		}
		l.supersede(rs, p.dateScore)
		p.findDates(l.res)
		if p.confident(l.res) {
			return nil
		}
	}
	return nil
}

// anyDate reports whether any region reads as a date.
func (p *Pipeline) anyDate(rs []Region) bool {
	for _, r := range rs {
		if _, ok := p.hasDate(r.Text.Text, 0); ok {
			return true
		}
	}
	return false
}

// area is a block of nearby regions, in working pixels, and its typical text height.
type denseArea struct {
	rect  image.Rectangle
	lineH float64
	score int
}

// denseAreas gathers the regions into blocks of nearby lines and returns the blocks that may
// hide a date, most promising first (most digits and unsure readings), at most maxDenseAreas.
func (p *Pipeline) denseAreas(l *look) []denseArea {
	rs := l.res.Regions
	n := len(rs)
	if n == 0 {
		return nil
	}
	rects := make([]frect, n)
	heights := make([]float64, n)
	for i, r := range rs {
		q := l.workQuad(r)
		rects[i] = rectOf(q)
		heights[i] = max(1, min(imgproc.Dist(q[0], q[3]), imgproc.Dist(q[1], q[2])))
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			reach := denseReach * min(heights[i], heights[j])
			a, b := rects[i], rects[j]
			if a.x0-reach < b.x1 && b.x0-reach < a.x1 && a.y0-reach < b.y1 && b.y0-reach < a.y1 {
				parent[find(i)] = find(j)
			}
		}
	}
	groups := map[int][]int{}
	for i := range n {
		groups[find(i)] = append(groups[find(i)], i)
	}
	var out []denseArea
	for _, g := range groups {
		score := 0
		var hs []float64
		u := rects[g[0]]
		for _, i := range g {
			// A date already read there counts for nothing: the area is worth a look for
			// what was not read (the expiry line beside a manufacture date).
			if _, ok := p.hasDate(rs[i].Text.Text, 0); !ok {
				score += digits(rs[i].Text)
				if rs[i].Text.Confidence < sureReading {
					score++
				}
			}
			hs = append(hs, heights[i])
			u = frect{min(u.x0, rects[i].x0), min(u.y0, rects[i].y0), max(u.x1, rects[i].x1), max(u.y1, rects[i].y1)}
		}
		if score == 0 {
			continue
		}
		sort.Float64s(hs)
		h := hs[len(hs)/2]
		pad := 2 * h
		r := image.Rect(int(u.x0-pad), int(u.y0-pad), int(math.Ceil(u.x1+pad)), int(math.Ceil(u.y1+pad))).Intersect(l.work.Rect)
		out = append(out, denseArea{rect: r, lineH: h, score: score})
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].score != out[b].score {
			return out[a].score > out[b].score
		}
		return out[a].rect.Min.Y < out[b].rect.Min.Y
	})
	return out[:min(len(out), maxDenseAreas)]
}
