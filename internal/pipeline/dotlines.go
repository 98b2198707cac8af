package pipeline

import (
	"context"
	"fmt"
	"image"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// dotLines are the lines of dot-matrix crops redrawn as solid print from their dot lattices
// (imgproc.DotGrids, DrawLattice), each with the index of the region it belongs to; a
// crop's lines follow each other, top to bottom. The recogniser reads small dot-matrix print
// badly even with its dots joined ("2023" as "5953") and reads the redrawn line ("2023").
// But a redrawn lattice is a model of the print: where the model is wrong (dots too fine to
// place, a font it does not fit, print upside down) it reads fluent nonsense. So lattices are
// read only by the second looks, after the first pass found no confident date, and a crop's
// lines replace its reading only with a date of a second look's strength (minLookScore)
// where that holds none.
type dotLines struct {
	imgs  []*image.RGBA
	of    []int
	group []int // lines of one crop, one way up, share a group: they are read as one text
	n     int   // groups so far
}

// add redraws the lattices of crop c (region i, dots p), as it stands and turned 180°: the
// angle classifier often misjudges dot-matrix crops, and a lattice read upside down is
// nonsense that can look like a date ("E-10-30"), while the right way up it reads surely.
// A region may add several crops; each is read on its own.
func (d *dotLines) add(i int, c *image.RGBA, p imgproc.DotPattern) {
	for _, turned := range []bool{false, true} {
		img := c
		if turned {
			img = imgproc.Rotate180(c)
		}
		for _, lat := range imgproc.DotGrids(img, p) {
			d.imgs = append(d.imgs, imgproc.DrawLattice(lat))
			d.of = append(d.of, i)
			d.group = append(d.group, d.n)
		}
		d.n++
	}
}

// readDotLines reads d's lines in one batch of their own (the crops' batches stay as they
// were). A crop's lines, joined top to bottom, are one reading of each crop and orientation;
// the surest reading that holds a date replaces the region's text, from source, where that
// holds none.
func (p *Pipeline) readDotLines(ctx context.Context, d dotLines, rs []Region, source string) error {
	if len(d.imgs) == 0 {
		return nil
	}
	texts, times, err := p.st.Recognizer.Read(ctx, d.imgs)
	if err != nil {
		return fmt.Errorf("recognition of dot lattices: %w", err)
	}
	best := map[int]recognize.Text{}
	for k := 0; k < len(d.of); {
		i, end := d.of[k], k+1
		for end < len(d.of) && d.group[end] == d.group[k] {
			end++
		}
		for _, t := range times[k:end] {
			rs[i].RecTime += t
		}
		t := join(texts[k:end])
		k = end
		if _, ok := p.hasDate(t.Text, minLookScore); ok && t.Confidence > best[i].Confidence {
			best[i] = t
		}
	}
	for i, t := range best {
		if _, had := p.hasDate(rs[i].Text.Text, 0); had {
			continue
		}
		rs[i].Text = t
		if firstPassRead(rs[i].Source) {
			rs[i].Source = source
		} else {
			rs[i].Source = joinSource(rs[i].Source, source)
		}
	}
	return nil
}

// latticeSource marks a region re-read from its dot lattice by the lattice look.
const latticeSource = "lattice"

// lattice re-reads the dot-matrix crops the first pass read without a date from their dot
// lattices. Later looks read the lattices of the crops they find themselves.
func (p *Pipeline) lattice(l *look) error {
	var d dotLines
	for i, r := range l.res.Regions {
		if r.Crop == nil || !firstPassRead(r.Source) {
			continue
		}
		if _, ok := p.hasDate(r.Text.Text, 0); ok {
			continue
		}
		c := p.profile.Apply(r.Crop)
		dp, ok := imgproc.FindDots(c)
		p.addLattices(&d, i, ownCrop{c, dp, ok}, l.work, l.workQuad(r), r.Flipped, r.Crop)
	}
	return p.readDotLines(l.ctx, d, l.res.Regions, latticeSource)
}

// latticeMargin is how much of a box's height a lattice crop adds above and below it: the
// detector's box around dotted print hugs the dots' centres and cuts the top and bottom rows
// in half, and a lattice fitted without them has too few rows (a 7-row font fitted as 5).
const latticeMargin = 0.25

// ownCrop is a region's own crop with the pipeline's profile applied, and its dot
// pattern when it shows one: the caller has measured it already.
type ownCrop struct {
	img    *image.RGBA
	dots   imgproc.DotPattern
	dotted bool
}

// addLattices adds region i's lattices to d, fitted on two crops: its own crop, when that is
// dotted, and box q of img (turned 180° when flipped) grown by latticeMargin across its
// line, with the pipeline's profile applied. The grown crop holds the outer rows the box
// cut; the own crop keeps the neighbouring lines out. The grown crop is left out when it
// would be cut the other way than raw, the region's crop before the profile (a box that
// grows to stand upright is turned a quarter by Crop).
func (p *Pipeline) addLattices(d *dotLines, i int, own ownCrop, img *image.RGBA, q imgproc.Quad, flipped bool, raw *image.RGBA) {
	if own.dotted {
		d.add(i, own.img, own.dots)
	}
	grown := Crop(img, growAcross(q, latticeMargin))
	if (grown.Rect.Dx() >= grown.Rect.Dy()) != (raw.Rect.Dx() >= raw.Rect.Dy()) {
		return
	}
	if flipped {
		grown = imgproc.Rotate180(grown)
	}
	grown = p.profile.Apply(grown)
	if dp, ok := imgproc.FindDots(grown); ok {
		d.add(i, grown, dp)
	}
}

// growAcross grows q across its line, by frac of its height above and below.
func growAcross(q imgproc.Quad, frac float64) imgproc.Quad {
	grow := func(top, bottom imgproc.Point) (imgproc.Point, imgproc.Point) {
		dx, dy := (bottom.X-top.X)*frac, (bottom.Y-top.Y)*frac
		return imgproc.Point{X: top.X - dx, Y: top.Y - dy}, imgproc.Point{X: bottom.X + dx, Y: bottom.Y + dy}
	}
	q[0], q[3] = grow(q[0], q[3])
	q[1], q[2] = grow(q[1], q[2])
	return q
}
