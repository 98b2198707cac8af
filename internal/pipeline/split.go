package pipeline

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"strings"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// splitRead reads a crop that holds several printed lines one line at a time: the CTC
// recogniser reads a single line, and on two stacked lines it returns fragments of both.
// The bands are read upright and turned 180° (the angle classifier is unreliable on such
// crops, being trained on single lines) and the orientation with the surer reading wins.
// The lines are joined with "\n"; GroupLines turns them into lines of their own, so the
// date parser sees them as the block they are. ok is false
// when the crop does not split. Unlike the decoder's and the retries' many readings, a split
// is one structural reading, so its dates need no minimum score: two stacked "122023" and
// "052025" are a manufacture/expiry pair of month-year runs, weak shapes on their own.
func (p *Pipeline) splitRead(ctx context.Context, crop *image.RGBA) (recognize.Text, bool, error) {
	bands := imgproc.SplitLines(crop)
	if len(bands) < 2 {
		return recognize.Text{}, false, nil
	}
	n := len(bands)
	in := make([]*image.RGBA, 0, 2*n)
	for _, b := range bands {
		band := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(band, band.Rect, crop, b.Min, draw.Src)
		in = append(in, band)
	}
	for k := n - 1; k >= 0; k-- { // turned over, the bottom line reads first
		in = append(in, imgproc.Rotate180(in[k]))
	}
	texts, _, err := p.st.Recognizer.Read(ctx, in)
	if err != nil {
		return recognize.Text{}, false, fmt.Errorf("recognition of split lines: %w", err)
	}
	up, down := join(texts[:n]), join(texts[n:])
	if down.Confidence > up.Confidence {
		return down, true, nil
	}
	return up, true, nil
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
