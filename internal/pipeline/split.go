package pipeline

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"slices"
	"strings"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// lineByLine is a crop read one printed line at a time (splitRead): the lines' text, joined
// with "\n", whether it is a reading of the crop turned over, and where each line's print
// lies in the crop as read (Region.LineSpans).
type lineByLine struct {
	text  recognize.Text
	over  bool
	spans [][2]float64
}

// splitRead reads a crop that holds several printed lines one line at a time: the CTC
// recogniser reads a single line, and on two stacked lines it returns fragments of both.
// The angle classifier, unreliable on the merged crop, decides each line's orientation
// (most lines win); without a classifier, and on dot-matrix print, which the classifier
// misjudges both ways, both orientations are read and the surer wins. The lines are joined
// with "\n"; GroupLines turns them into lines of their own, so the date parser sees them as
// the block they are. ok is false when the crop does not split.
// Unlike the decoder's and the retries' many readings, a split is one structural reading,
// so its dates need no minimum score: two stacked "122023" and "052025" are a
// manufacture/expiry pair of month-year runs, weak shapes on their own.
func (p *Pipeline) splitRead(ctx context.Context, crop *image.RGBA) (lineByLine, bool, error) {
	bands, dotted := imgproc.SplitDottedLines(crop)
	if len(bands) < 2 {
		return lineByLine{}, false, nil
	}
	n := len(bands)
	in := make([]*image.RGBA, 0, 2*n)
	for _, b := range bands {
		band := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(band, band.Rect, crop, b.Min, draw.Src)
		in = append(in, band)
	}
	both := p.st.Classifier == nil || dotted
	over := false
	if both {
		in = append(in, turnLines(in)...)
	} else {
		up, err := p.st.Classifier.Upside(ctx, in)
		if err != nil {
			return lineByLine{}, false, fmt.Errorf("angle classification of split lines: %w", err)
		}
		if over = turned(up); over {
			in = turnLines(in)
		}
	}
	texts, _, err := p.st.Recognizer.Read(ctx, in)
	if err != nil {
		return lineByLine{}, false, fmt.Errorf("recognition of split lines: %w", err)
	}
	if !both {
		return lineByLine{join(texts), over, lineSpans(crop, bands, over)}, true, nil
	}
	up, down := join(texts[:n]), join(texts[n:])
	if down.Confidence > up.Confidence {
		return lineByLine{down, true, lineSpans(crop, bands, true)}, true, nil
	}
	return lineByLine{up, false, lineSpans(crop, bands, false)}, true, nil
}

// lineSpans is where the print of each band of crop lies (its inked rows, as shares of the
// crop's height), in reading order: turned over, the bottom band first, measured from the
// bottom.
func lineSpans(crop *image.RGBA, bands []image.Rectangle, over bool) [][2]float64 {
	h := float64(crop.Rect.Dy())
	out := make([][2]float64, len(bands))
	for k, b := range bands {
		top, bot := b.Min.Y, b.Max.Y
		band := crop.SubImage(b).(*image.RGBA)
		if a, z, ok := imgproc.InkedRows(band); ok {
			top, bot = b.Min.Y+a, b.Min.Y+z
		}
		out[k] = [2]float64{float64(top-crop.Rect.Min.Y) / h, float64(bot-crop.Rect.Min.Y) / h}
	}
	if over {
		slices.Reverse(out)
		for k, s := range out {
			out[k] = [2]float64{1 - s[1], 1 - s[0]}
		}
	}
	return out
}

// dated reports a reading line by line that holds a date.
func (p *Pipeline) dated(s lineByLine) bool {
	_, ok := p.hasDate(s.text.Text, 0)
	return ok
}

// put makes s region r's reading, from the look named by source; a reading of the crop turned
// over turns the region over too (turnOver).
func (s lineByLine) put(r *Region, source string) {
	r.Text, r.Source, r.LineSpans = s.text, joinSource(r.Source, source), s.spans
	if s.over {
		turnOver(r)
	}
}

// turnOver records that region r is read turned 180° from how it stood: it now stands that
// way up, for the lines (turnRows) and the looks and checks that crop it again.
func turnOver(r *Region) {
	r.Flipped = !r.Flipped
	if r.Crop != nil {
		r.Crop = imgproc.Rotate180(r.Crop)
	}
}

// splitUndated reads again line by line each region of rs whose crop stands as tall as
// several printed lines and whose text holds no date, and keeps that reading when it holds
// one. Regions a look has just detected get no split step of their own.
func (p *Pipeline) splitUndated(ctx context.Context, rs []Region) error {
	for k := range rs {
		if _, ok := p.hasDate(rs[k].Text.Text, 0); ok || rs[k].Crop == nil || !tall(rs[k].Crop) {
			continue
		}
		s, ok, err := p.splitRead(ctx, rs[k].Crop)
		if err != nil {
			return err
		}
		if ok && p.dated(s) {
			s.put(&rs[k], "split")
		}
	}
	return nil
}

// turned reports a block most of whose lines the classifier found upside down.
func turned(up []bool) bool {
	n := 0
	for _, u := range up {
		if u {
			n++
		}
	}
	return 2*n > len(up)
}

// turnLines returns a block's lines turned 180°: each line rotated, the bottom one first.
func turnLines(lines []*image.RGBA) []*image.RGBA {
	out := make([]*image.RGBA, len(lines))
	for k, l := range lines {
		out[len(lines)-1-k] = imgproc.Rotate180(l)
	}
	return out
}

// join makes one Text of several lines' readings.
func join(ts []recognize.Text) recognize.Text {
	var parts []string
	var cp []float32
	var sum float64
	for _, t := range ts {
		if t.Text == "" {
			continue
		}
		parts = append(parts, t.Text)
		cp = append(cp, t.CharProbs...)
		sum += t.Confidence * float64(len(t.CharProbs))
	}
	out := recognize.Text{Text: strings.Join(parts, "\n"), CharProbs: cp}
	if len(cp) > 0 {
		out.Confidence = sum / float64(len(cp))
	}
	return out
}
