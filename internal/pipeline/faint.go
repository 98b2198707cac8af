package pipeline

import (
	"strings"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/imgproc"
)

// faintLook names the faint-print look in a Trace and the regions it found.
const faintLook = "faint"

// faintGain is how many times the faint look amplifies the luminance's departure from its
// local mean: print six grey levels off its panel (dark red ink on a red panel, worn
// inkjet) comes out as plain as ordinary print.
const faintGain = 6

// faintReach is the radius of that local mean as a share of the working image's longer
// side: wider than the printed characters, whose ink would otherwise pull the mean towards
// itself, and narrower than the panels they sit on, whose edges then stay local.
const faintReach = 1.0 / 130

// faint looks for print the detector passes over because it barely differs from its
// background, whose dots and CLAHE do not lift it either (CLAHE caps its gain so as not to
// turn paper grain into specks). The working image's luminance relative to its local mean,
// amplified (imgproc.LocalContrast), is detected tile by tile as in the tiles look; the boxes
// no region has read are read from it and from the working image, the surer reading kept,
// with the second chances of the other detecting looks (addFound).
// Amplified grain also invents short runs of digits, so a region is kept only when it holds
// a whole date or a labelled one (faintDate). It runs only while no date but a manufacture
// one has been read at all: an unsure date is print found and misread, which amplifying
// the image does not mend, and the look costs a detector run per tile.
func (p *Pipeline) faint(l *look) error {
	if d := l.res.Dates.Top(); d != nil && d.Kind != dates.KindManufacture {
		return nil // the date's print was found; what is unsure is its reading
	}
	b := l.work.Rect
	lifted := imgproc.LocalContrast(l.work, max(4, int(float64(max(b.Dx(), b.Dy()))*faintReach)), faintGain)
	l.trace.input(faintLook, lifted)
	found, err := p.detectTiles(l, lifted)
	if err != nil || len(found) == 0 {
		return err
	}
	if err := p.addFound(l, l.onWork(lifted), found, faintLook, l.workFrame()); err != nil {
		return err
	}
	drop := map[int]bool{}
	var dropped []Region
	for i, r := range l.res.Regions {
		if strings.HasPrefix(r.Source, faintLook) && !p.faintDate(r.Text.Text) {
			drop[i] = true
			dropped = append(dropped, r)
		}
	}
	if len(drop) > 0 {
		l.trace.discarded(faintLook, dropped)
		l.replace(drop, nil)
	}
	return nil
}

// faintDate reports text holding a date to its day, or one an expiry keyword labels: a bare
// month and year ("7/2020", "AUG 2027") is what amplified grain and a day lost in it leave.
func (p *Pipeline) faintDate(text string) bool {
	d := p.bestDate(text)
	return d != nil && d.Score >= minLookScore && (d.Precision == dates.PrecisionDay || d.Kind == dates.KindExpiry)
}
