package evaluate

// A confidence means something when the dates chosen with more of it are right more often:
// Calibrate measures that, band by band, over the dates the reader chose, given or withheld,
// so that an operator can see what dates.min_confidence trades (right answers withheld for
// wrong ones saved) before moving it.

// bandEdges are the confidence bands' bounds: the default dates.min_confidence (0.3) is
// one, and the rest are tenths, where thresholds are set.
var bandEdges = []float64{0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}

// Band counts the chosen dates whose confidence is in [From, To) (the last band holds 1).
// Given is how many of them were answered; the rest were withheld.
type Band struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Right int     `json:"right"`
	Wrong int     `json:"wrong"`
	Given int     `json:"given"`
}

// Calibrate returns one Band per pair of bandEdges, over the items that chose a date.
func Calibrate(items []Item) []Band {
	bands := make([]Band, len(bandEdges)-1)
	for i := range bands {
		bands[i].From, bands[i].To = bandEdges[i], bandEdges[i+1]
	}
	for _, it := range items {
		date, given := it.Predicted, true
		if date == "" {
			date, given = it.Withheld, false
		}
		if date == "" {
			continue
		}
		b := &bands[bandOf(it.Confidence)]
		if Match(it.Label, date) {
			b.Right++
		} else {
			b.Wrong++
		}
		if given {
			b.Given++
		}
	}
	return bands
}

// bandOf is the index of the band holding confidence c, clamped to the first and last.
func bandOf(c float64) int {
	last := len(bandEdges) - 2
	for i := range last {
		if c < bandEdges[i+1] {
			return i
		}
	}
	return last
}
