package engine

import (
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/pipeline"
)

// FilterRegions drops regions whose detector score is below minScore and recomputes lines and
// dates from the rest, so a per-request detection_confidence stricter than the configured
// detection.box_thresh really changes the answer. A minScore at or below box_thresh changes
// nothing: those regions were never produced (the detector applies box_thresh itself).
func (e *Engine) FilterRegions(res *pipeline.Result, minScore float64) *pipeline.Result {
	if res == nil || minScore <= e.cfg.Detection.BoxThresh {
		return res
	}
	out := *res
	out.Regions = out.Regions[:0:0]
	for _, r := range res.Regions {
		if r.Score >= minScore {
			out.Regions = append(out.Regions, r)
		}
	}
	if len(out.Regions) == len(res.Regions) {
		return res
	}
	out.Lines = pipeline.GroupLines(out.Regions, e.cfg.Recognition.MinConfidence)
	in := make([]dates.Line, len(out.Lines))
	for i, l := range out.Lines {
		in[i] = dates.Line{Text: l.Text, Confidence: lineConfidence(out.Regions, l)}
	}
	out.Dates = dates.Find(in, dates.Options{PreferMonthFirst: e.cfg.Dates.PreferMonthFirst})
	return &out
}

// lineConfidence weights each region's confidence by its character count, as the pipeline does.
func lineConfidence(rs []pipeline.Region, l pipeline.Line) float64 {
	var sum, n float64
	for _, i := range l.Regions {
		k := float64(len(rs[i].Text.CharProbs))
		sum += rs[i].Text.Confidence * k
		n += k
	}
	if n == 0 {
		return 0
	}
	return sum / n
}
