package pipeline

import (
	"fmt"
	"image"
	"time"

	"github.com/datalid/datalid/internal/detect"
)

// Trace is what a debug read keeps (Options.Debug) so that a miss can be understood without a
// debugger: the image the detector saw, its probability map, and what each look produced.
type Trace struct {
	Work  *image.RGBA // the working image; Region quads are in original pixels
	Scale float64     // working pixels per original pixel
	Prob  detect.Map  // the first pass's probability map
	Looks []LookTrace // the first pass ("first"), the level look when it ran, then each second look that ran
	// Inputs are the pictures second looks gave the detector (an enlarged area, the photo
	// with dots joined), in the order they ran: what a look saw when it found nothing.
	Inputs []TraceImage
}

// TraceImage is one picture a look gave the detector.
type TraceImage struct {
	Look string
	Img  *image.RGBA
}

// input keeps a picture a look is about to give the detector.
func (t *Trace) input(look string, img *image.RGBA) {
	if t == nil {
		return
	}
	t.Inputs = append(t.Inputs, TraceImage{Look: look, Img: img})
}

// LookTrace is one look's share of a read.
type LookTrace struct {
	Name    string
	Took    time.Duration
	Regions []Region // the regions this look added or re-read, with their crops
}

// snapshot keys the regions before a look, so record can tell what the look produced.
func (t *Trace) snapshot(rs []Region) map[string]bool {
	if t == nil {
		return nil
	}
	m := make(map[string]bool, len(rs))
	for _, r := range rs {
		m[regionKey(r)] = true
	}
	return m
}

// record adds a look and the regions it produced (those not in before).
func (t *Trace) record(name string, took time.Duration, before map[string]bool, rs []Region) {
	if t == nil {
		return
	}
	lt := LookTrace{Name: name, Took: took}
	for _, r := range rs {
		if !before[regionKey(r)] {
			lt.Regions = append(lt.Regions, r)
		}
	}
	t.Looks = append(t.Looks, lt)
}

// discarded records regions a look read but did not keep (drawn white in debug pictures).
func (t *Trace) discarded(name string, rs []Region) {
	if t == nil || len(rs) == 0 {
		return
	}
	t.Looks = append(t.Looks, LookTrace{Name: name + DiscardedSuffix, Regions: rs})
}

// DiscardedSuffix ends the name of a LookTrace holding regions a look read but did not keep.
const DiscardedSuffix = "-discarded"

func regionKey(r Region) string {
	return fmt.Sprintf("%v|%s|%s", r.Quad, r.Source, r.Text.Text)
}
