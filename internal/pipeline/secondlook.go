package pipeline

import (
	"fmt"
	"image"
	"image/draw"
	"sort"
	"strings"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// Recovery bounds the second looks. They run only when the first pass found no date at
// least MinConfidence sure, cheapest first, and stop as soon as one finds a confident date:
//
//  1. date-aware decoding: the model's second choices per CTC frame, searched for a reading
//     that holds a valid date (no model run);
//  2. retries: the crops most likely to hold a date, re-read after preprocessing chains;
//  3. tiles: the detector run again over TileGrid×TileGrid overlapping tiles of the working
//     image, which sees small print at up to TileGrid× the first pass's resolution.
type Recovery struct {
	MinConfidence float64
	// Beam is the date-aware decoder; Width 0 turns it off. MinBeamProb is the least share
	// of the decoder's probability mass a re-read must carry to replace the greedy text.
	Beam        recognize.BeamOptions
	MinBeamProb float64
	// Variants are tried in order on at most MaxRetryRegions crops.
	Variants        []Chain
	MaxRetryRegions int
	// TileGrid is the tiles per side (0 or 1: off); TileOverlap the fraction of a tile
	// shared with its neighbour, so a date on a tile border is whole in one of them.
	TileGrid    int
	TileOverlap float64
	// DotMatrix reads the photo once more with dot-matrix dots merged (see dots).
	DotMatrix bool
	// Dense detects text-dense areas of the first pass again at full working resolution.
	Dense bool
	// Sideways reads the photo again turned a quarter when most regions stand upright.
	Sideways bool
}

// Preprocessing is config's preprocessing section (see docs/config.md).
type Preprocessing struct {
	Profile         string
	RetryVariants   []string
	MaxRetryRegions int
	JoinDots        bool
}

// SecondLook is config's second_look section (see docs/config.md).
type SecondLook struct {
	Enabled       bool
	MinConfidence float64
	BeamWidth     int
	MinBeamProb   float64
	TileGrid      int
	TileOverlap   float64
	DotMatrix     bool
	Dense         bool
	Sideways      bool
}

// on reports whether any second look is configured.
func (r Recovery) on() bool {
	return r.Beam.Width > 0 || (len(r.Variants) > 0 && r.MaxRetryRegions > 0) || r.TileGrid > 1 || r.DotMatrix || r.Dense || r.Sideways
}

// recovery parses the preprocessing chains and builds the second-look bounds.
func (c Config) recovery() (Chain, Recovery, error) {
	profile, err := ParseChain(c.Preprocessing.Profile)
	if err != nil {
		return nil, Recovery{}, err
	}
	sl := c.SecondLook
	if !sl.Enabled {
		return profile, Recovery{}, nil
	}
	r := Recovery{
		MinConfidence: sl.MinConfidence,
		Beam:          recognize.BeamOptions{Width: sl.BeamWidth, Confident: recognize.DefaultBeam.Confident},
		MinBeamProb:   sl.MinBeamProb,
		TileGrid:      sl.TileGrid, TileOverlap: sl.TileOverlap, DotMatrix: sl.DotMatrix, Dense: sl.Dense, Sideways: sl.Sideways,
		MaxRetryRegions: c.Preprocessing.MaxRetryRegions,
	}
	for _, v := range c.Preprocessing.RetryVariants {
		ch, err := ParseChain(v)
		if err != nil {
			return nil, Recovery{}, err
		}
		if len(ch) > 0 {
			r.Variants = append(r.Variants, ch)
		}
	}
	return profile, r, nil
}

// confident reports a best date the second looks cannot improve on.
func (p *Pipeline) confident(res *Result) bool {
	if !p.rec.on() {
		return true
	}
	b := res.Dates.Best
	// A manufacture date chosen for want of anything better is exactly the photo whose
	// expiry line the first pass misread.
	if b == nil || b.Confidence < p.rec.MinConfidence || b.Kind == dates.KindManufacture {
		return false
	}
	if b.Kind == dates.KindExpiry {
		return true
	}
	// An unlabelled date is the answer only if no other line looks like a misread date:
	// "MFG 2023.06.16" read as "3FG 2023.06.16" above an expiry "2024.12.25" read as
	// "2924.12.25" leaves the manufacture date as the only, unlabelled, candidate.
	for _, r := range res.Regions {
		if dateLike(r.Text.Text) {
			if _, ok := p.hasDate(r.Text.Text, 0); !ok {
				return false
			}
		}
	}
	return true
}

// dateLike reports text holding three digit groups joined by / . or - in a date's shape
// (D/M/Y, M/D/Y or Y.M.D: 1-2, 1-2, 2 or 4 digits, or 4, 1-2, 1-2), as "2924.12.25" or
// "05/27/2823" are, or a month name led into digits ("FEV/2?"), though the parser found no
// date in them. Phone numbers (1-800-280-6934) and codes (17.226994/00) have other shapes.
func dateLike(text string) bool {
	if dates.MonthLed(text) {
		return true
	}
	var groups []int // digit-group lengths; -1 marks a break between chains
	n := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] >= '0' && text[i] <= '9' {
			n++
			continue
		}
		if n > 0 {
			groups = append(groups, n)
			n = 0
		}
		joins := i < len(text) && (text[i] == '/' || text[i] == '.' || text[i] == '-') &&
			i > 0 && text[i-1] >= '0' && text[i-1] <= '9' && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9'
		if !joins {
			groups = append(groups, -1)
		}
	}
	for k := 0; k+2 < len(groups); k++ {
		a, b, c := groups[k], groups[k+1], groups[k+2]
		if a < 0 || b < 0 || c < 0 {
			continue
		}
		if (a <= 2 && b <= 2 && (c == 2 || c == 4)) || (a == 4 && b <= 2 && c <= 2) {
			return true
		}
	}
	return false
}

// minLookScore is the least parse score a date found by a second look needs. A second look
// searches many readings, so a weak shape (a bare 6-digit run, a month/year pair) turns up
// by chance; measured on the project's photos, those were wrong more often than right.
const minLookScore = 0.45

// hasDate reports whether text alone holds a date scoring at least minScore, and its score.
func (p *Pipeline) hasDate(text string, minScore float64) (float64, bool) {
	b := p.bestDate(text)
	if b == nil || b.Score < minScore {
		return 0, false
	}
	return b.Score, true
}

// bestDate is the date the text alone holds, nil for none.
func (p *Pipeline) bestDate(text string) *dates.Candidate {
	return dates.Find([]dates.Line{{Text: text, Confidence: 1}}, p.cfg.Dates).Best
}

// secondReadingBetter reports whether alt, a second reading of the box first read as first,
// is to be kept instead: not when its date has the shape of a cut one (see cutShape); then
// the stronger date, since a reading that lost the end of the line keeps a weaker date than
// one that read it whole ("EXP 03/29/" for "EXP 03/29/27"); then the surer reading.
func (p *Pipeline) secondReadingBetter(alt, first Region) bool {
	b := p.bestDate(alt.Text.Text)
	if cutShape(b) {
		return false
	}
	sa := 0.0
	if b != nil {
		sa = b.Score
	}
	if sf := p.dateScore(first); sa != sf {
		return sa > sf
	}
	return alt.Text.Confidence > first.Text.Confidence
}

// cutShape reports a date that is a month and a two-digit year: the shape a longer date
// takes when the end of its line is lost, as it is where a look's box covers one word of the
// line ("09/30" of "09/30/2028", "FEB 21" of "FEB 21 21"). A second reading of a box that
// only finds such a date is no better evidence than the first reading's none.
func cutShape(b *dates.Candidate) bool {
	return b != nil && b.Precision == dates.PrecisionMonth && !strings.Contains(b.Format, "YYYY")
}

// dateScore is the parse score of the date region r's text alone holds, 0 for none.
func (p *Pipeline) dateScore(r Region) float64 {
	s, _ := p.hasDate(r.Text.Text, 0)
	return s
}

// acceptDate is the date-aware decoder's grammar: the reading holds a good date.
func (p *Pipeline) acceptDate(s string) bool {
	_, ok := p.hasDate(s, minLookScore)
	return ok
}

// lookBeam re-reads every region with the date-aware decoder.
func (p *Pipeline) lookBeam(l *look) error {
	p.beamRegions(l.res.Regions, 0)
	return nil
}

// beamRegions re-reads, with the date-aware decoder, every region from index from on whose
// text holds no date. It reports whether any text changed.
func (p *Pipeline) beamRegions(rs []Region, from int) bool {
	changed := false
	for i := from; i < len(rs); i++ {
		changed = p.beamRegion(&rs[i]) || changed
	}
	return changed
}

// beamRegion re-reads r with the date-aware decoder when its text holds no date, and reports
// whether its text changed.
func (p *Pipeline) beamRegion(r *Region) bool {
	rc := p.rec
	if rc.Beam.Width <= 0 || len(r.Text.Frames) == 0 {
		return false
	}
	if _, ok := p.hasDate(r.Text.Text, 0); ok {
		return false
	}
	alt, ok := p.st.Recognizer.Dictionary().DecodeConstrained(r.Text, p.acceptDate, rc.Beam)
	if !ok || alt.Prob < rc.MinBeamProb {
		return false
	}
	r.Text, r.Source = alt, joinSource(r.Source, "beam")
	return true
}

// joinSource names a reading made by look by on a region found by look of.
func joinSource(of, by string) string {
	if of == "" {
		return by
	}
	return of + "+" + by
}

// retryCandidates picks the regions a retry may help: no date in their text, most digits
// first (a date is digits), at most n.
func (p *Pipeline) retryCandidates(rs []Region, n int) []int {
	type cand struct{ i, digits int }
	var cs []cand
	for i, r := range rs {
		if _, ok := p.hasDate(r.Text.Text, 0); ok {
			continue
		}
		if d := digitsIn(r.Text.Text); d >= 2 || r.Text.Text == "" {
			cs = append(cs, cand{i, d})
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].digits > cs[b].digits })
	out := make([]int, 0, min(n, len(cs)))
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.i)
	}
	return out
}

// retry re-reads the likeliest crops, likeliest first, each under every preprocessing
// variant at once (one recognition batch of crops of about one width), and keeps the
// best-scoring date a variant reads when it beats the region's own. It stops at the first
// region that makes the photo's date confident: the region most like a date is usually the
// one, so a rescued photo pays for one region's variants, not every region's.
func (p *Pipeline) retry(l *look) error {
	rc, res := p.rec, l.res
	for _, i := range p.retryCandidates(res.Regions, rc.MaxRetryRegions) {
		in := make([]*image.RGBA, len(rc.Variants))
		for k, v := range rc.Variants {
			c := res.Regions[i].Crop
			if v.expands() {
				q := l.workQuad(res.Regions[i])
				h := max(imgproc.Dist(q[0], q[3]), imgproc.Dist(q[1], q[2]))
				c = Crop(l.work, expandQuad(q, expandBy*h))
				if res.Regions[i].Flipped {
					c = imgproc.Rotate180(c)
				}
			}
			in[k] = v.Apply(c)
		}
		texts, _, err := p.st.Recognizer.Read(l.ctx, in)
		if err != nil {
			return fmt.Errorf("recognition retry: %w", err)
		}
		best, won := 0.0, -1
		for k, v := range rc.Variants {
			if v.turns() && l.reoriented[res.Regions[i].Quad] {
				continue
			}
			t, src := texts[k], "retry:"+v.String()
			score, ok := p.hasDate(t.Text, minLookScore)
			if !ok && rc.Beam.Width > 0 {
				if alt, aok := p.st.Recognizer.Dictionary().DecodeConstrained(t, p.acceptDate, rc.Beam); aok && alt.Prob >= rc.MinBeamProb {
					t, src = alt, src+"+beam"
					score, ok = p.hasDate(t.Text, minLookScore)
				}
			}
			if ok && score > best {
				best = score
				res.Regions[i].Text, res.Regions[i].Source = t, src
				won = k
			}
		}
		if won >= 0 && rc.Variants[won].turns() {
			turnOver(&res.Regions[i])
		}
		if best > 0 {
			p.findDates(res)
			if p.confident(res) {
				return nil
			}
		}
	}
	return nil
}

// tiles runs the detector over overlapping tiles of the working image and reads the regions
// the first pass missed; merged or unsure ones among them are then split and zoomed.
func (p *Pipeline) tiles(l *look) error {
	found, err := p.detectTiles(l, l.work)
	if err != nil {
		return err
	}
	return p.addFound(l, l.workFrame(), found, "tile")
}

// detectTiles runs the detector over overlapping tiles of img (the working image or a
// same-size variant of it) and returns, in working pixels, the boxes no region already read
// covers.
func (p *Pipeline) detectTiles(l *look, img *image.RGBA) ([]detect.Box, error) {
	rc := p.rec
	var found []detect.Box
	for _, r := range tileRects(img.Rect.Dx(), img.Rect.Dy(), rc.TileGrid, rc.TileOverlap) {
		if err := l.ctx.Err(); err != nil {
			return nil, err
		}
		tile := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		draw.Draw(tile, tile.Rect, img, r.Min, draw.Src)
		boxes, _, err := p.st.Detector.Detect(l.ctx, tile)
		if err != nil {
			return nil, fmt.Errorf("tile detection: %w", err)
		}
		for _, b := range boxes {
			for k := range b.Quad {
				b.Quad[k].X += float64(r.Min.X)
				b.Quad[k].Y += float64(r.Min.Y)
			}
			if !covered(b.Quad, l.res.Regions, found, l.toOrig) {
				found = append(found, b)
			}
		}
	}
	return found, nil
}

// addFound reads boxes a look found on f, appends them as regions of that source, and gives
// them the first pass's second chances: the date-aware decoder, then, when still no date is
// confident, line splits and zoom (on the working image, or on f's when it is a same-size
// variant of it). Each box is also read on the frames of also (the same pixels processed
// otherwise), and of each box's readings the one holding the stronger date is kept, else
// the surer one; a second reading whose date has the shape of a cut one is not taken.
func (p *Pipeline) addFound(l *look, f frame, found []detect.Box, source string, also ...frame) error {
	if len(found) == 0 {
		return nil
	}
	var tm Timings
	regions, err := p.readBoxes(l, f, found, &tm)
	if err != nil {
		return err
	}
	for _, g := range also {
		alt, err := p.readBoxes(l, g, found, &tm)
		if err != nil {
			return err
		}
		for i := range regions {
			if p.secondReadingBetter(alt[i], regions[i]) {
				regions[i] = alt[i]
			}
		}
	}
	for i := range regions {
		regions[i].Source = source
	}
	from := len(l.res.Regions)
	l.res.Regions = append(l.res.Regions, regions...)
	p.beamRegions(l.res.Regions, from)
	p.findDates(l.res)
	if p.confident(l.res) || !retries(p.rec) {
		return nil
	}
	src := l.work
	if f.img.Rect.Size() == l.work.Rect.Size() && f.off == (imgproc.Point{}) {
		src = f.img
	}
	for _, split := range []bool{true, false} {
		if err := p.zoomOn(l, src, from, split); err != nil {
			return err
		}
		if p.confident(l.res) {
			return nil
		}
	}
	return nil
}

// tileRects splits a w×h image into grid×grid tiles that overlap by the given fraction.
func tileRects(w, h, grid int, overlap float64) []image.Rectangle {
	span := func(n int) (size, step int) {
		size = int(float64(n) / (float64(grid) - float64(grid-1)*overlap))
		size = min(n, max(1, size))
		if grid > 1 {
			step = (n - size) / (grid - 1)
		}
		return size, step
	}
	tw, sx := span(w)
	th, sy := span(h)
	var out []image.Rectangle
	for gy := range grid {
		for gx := range grid {
			x0, y0 := gx*sx, gy*sy
			if gx == grid-1 {
				x0 = w - tw
			}
			if gy == grid-1 {
				y0 = h - th
			}
			out = append(out, image.Rect(x0, y0, x0+tw, y0+th))
		}
	}
	return out
}

// coverConfidence is the least reading confidence of a region that counts as having read its
// area: a box spanning two lines that reads as one stray character (the dot-matrix look's
// merged boxes often do) must not hide the lines a later look finds inside it.
const coverConfidence = 0.5

// sureReading is the recogniser confidence of a region read surely: nothing is hidden in it
// for a closer look to find.
const sureReading = 0.8

// covered reports whether box q (working pixels) mostly lies inside a region already read
// (original pixels) or a box already found on another tile.
func covered(q imgproc.Quad, rs []Region, found []detect.Box, toOrig float64) bool {
	a := rectOf(q.Scale(toOrig, toOrig))
	for _, r := range rs {
		if r.Text.Confidence < coverConfidence {
			continue // read as nothing or as garbage: the area is still unread
		}
		if overlapShare(a, rectOf(r.Quad)) > 0.5 {
			return true
		}
	}
	for _, b := range found {
		if overlapShare(a, rectOf(b.Quad.Scale(toOrig, toOrig))) > 0.5 {
			return true
		}
	}
	return false
}

type frect struct{ x0, y0, x1, y1 float64 }

func rectOf(q imgproc.Quad) frect {
	x0, y0, x1, y1 := q.Bounds()
	return frect{x0, y0, x1, y1}
}

func (r frect) area() float64 { return (r.x1 - r.x0) * (r.y1 - r.y0) }

// overlapShare is the intersection's share of the smaller rectangle.
func overlapShare(a, b frect) float64 {
	iw := min(a.x1, b.x1) - max(a.x0, b.x0)
	ih := min(a.y1, b.y1) - max(a.y0, b.y0)
	if iw <= 0 || ih <= 0 {
		return 0
	}
	return iw * ih / max(1e-9, min(a.area(), b.area()))
}
