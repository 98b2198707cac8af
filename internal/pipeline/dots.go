package pipeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
)

// dots looks again for dot-matrix print: the detector sees separate dots as specks or
// fragments ("...·", "0", "88"), so the working image is read once more with its dark ink
// grown until the dots of a character touch. Regions found there that the first pass did
// not already have are read from the merged image; fragments they cover are dropped when
// they read as a date.
func (p *Pipeline) dots(l *look) error {
	merged := imgproc.MergeDots(l.work, l.mergeRadius())
	l.trace.input("dots", merged)
	boxes, _, err := p.st.Detector.Detect(l.ctx, merged)
	if err != nil {
		return fmt.Errorf("dot-matrix detection: %w", err)
	}
	// Faint print (a code on a coloured panel, worn ink) stays below the detector's
	// threshold however its dots are joined; equalised locally, it stands out from its own
	// surroundings. What that finds is added to what the merged image showed, never put in
	// its place: equalising also breaks up print the plain image shows whole.
	faint, _, err := p.st.Detector.Detect(l.ctx, imgproc.CLAHE(merged, faintClip, faintGrid))
	if err != nil {
		return fmt.Errorf("dot-matrix detection, equalised: %w", err)
	}
	for _, b := range faint {
		r := rectOf(b.Quad)
		if !slices.ContainsFunc(boxes, func(a detect.Box) bool { return overlapShare(r, rectOf(a.Quad)) > 0.5 }) {
			boxes = append(boxes, b)
		}
	}
	var fresh []detect.Box
	for _, b := range boxes {
		if !duplicate(rectOf(b.Quad.Scale(l.toOrig, l.toOrig)), l.res.Regions) {
			fresh = append(fresh, b)
		}
	}
	from := len(l.res.Regions)
	// Joined across the whole photo at one radius, dots can also run into blobs that a crop
	// of the print as it stands, whose dots are joined at its own pitch, reads better: each
	// box is read both ways.
	if err := p.addFound(l, l.onWork(merged), fresh, "dots", l.workFrame()); err != nil {
		return err
	}
	p.dropCovered(l, from)
	return nil
}

// faintClip and faintGrid are the dots look's local equalisation (CLAHE): a clip limit
// that lifts faint print without turning paper grain into specks, over an 8×8 grid of
// tiles, each a few printed lines high on a phone photo.
const (
	faintClip = 3
	faintGrid = 8
)

// dropCovered drops first-pass fragments inside a region added from index from on that reads
// as a date: they are that date, misread.
func (p *Pipeline) dropCovered(l *look, from int) {
	res := l.res
	drop := map[int]bool{}
	for i := from; i < len(res.Regions); i++ {
		if _, ok := p.hasDate(res.Regions[i].Text.Text, 0); !ok {
			continue
		}
		big := rectOf(res.Regions[i].Quad)
		for k := range min(from, len(res.Regions)) {
			if overlapShare(rectOf(res.Regions[k].Quad), big) > 0.6 && area(res.Regions[k].Quad) < area(res.Regions[i].Quad) {
				drop[k] = true
			}
		}
	}
	if len(drop) > 0 {
		l.replace(drop, nil)
	}
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
		if in/(a.area()+b.area()-in) > 0.5 {
			return true
		}
	}
	return false
}

// mergeRadius is how far the dots look grows ink: half the gap between neighbouring dots
// where crops read in the first pass showed dot-matrix print (the median pattern), else a
// share of the image: dots sit about 1/250 of a printed line's width apart on the photos and
// renders seen, and growing ink by a third of a typical gap joins them without closing
// letter counters.
func (l *look) mergeRadius() int {
	gap, ok := l.dotGap()
	if !ok {
		w, h := l.work.Rect.Dx(), l.work.Rect.Dy()
		return max(1, max(w, h)/700)
	}
	return max(1, int(math.Ceil(gap/2+0.5)))
}

// dotGap is the median gap between neighbouring dots, in working pixels, of the crops read
// as dot-matrix print; ok is false when none was.
func (l *look) dotGap() (float64, bool) {
	if len(l.dots) == 0 {
		return 0, false
	}
	gaps := make([]float64, len(l.dots))
	for i, d := range l.dots {
		gaps[i] = max(0, d.Pitch-d.Size)
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2], true
}
