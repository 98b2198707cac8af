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
	imgs   []*image.RGBA
	of     []int
	turned []bool // the crop turned 180° first
}

// add redraws the lattices of crop c (region i, dots p), as it stands and turned 180°: the
// angle classifier often misjudges dot-matrix crops, and a lattice read upside down is
// nonsense that can look like a date ("E-10-30"), while the right way up it reads surely.
func (d *dotLines) add(i int, c *image.RGBA, p imgproc.DotPattern) {
	for _, turned := range []bool{false, true} {
		img := c
		if turned {
			img = imgproc.Rotate180(c)
		}
		for _, lat := range imgproc.DotGrids(img, p) {
			d.imgs = append(d.imgs, imgproc.DrawLattice(lat))
			d.of = append(d.of, i)
			d.turned = append(d.turned, turned)
		}
	}
}

// readDotLines reads d's lines in one batch of their own (the crops' batches stay as they
// were). A crop's lines, joined top to bottom, are one reading of each orientation; the
// surer reading that holds a date replaces the region's text, from source, where that
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
		for end < len(d.of) && d.of[end] == i && d.turned[end] == d.turned[k] {
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
		if rs[i].Source == "" || rs[i].Source == joinedSource {
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
		if r.Crop == nil || (r.Source != "" && r.Source != joinedSource) {
			continue
		}
		if _, ok := p.hasDate(r.Text.Text, 0); ok {
			continue
		}
		c := r.Crop
		if len(p.profile) > 0 {
			c = p.profile.Apply(c)
		}
		if dp, ok := imgproc.FindDots(c); ok {
			d.add(i, c, dp)
		}
	}
	return p.readDotLines(l.ctx, d, l.res.Regions, latticeSource)
}
