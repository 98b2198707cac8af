package engine

import "github.com/datalid/datalid/internal/pipeline"

// FilterRegions drops regions whose detector score is below minScore and re-chooses lines and
// dates from the rest, so a per-request detection_confidence stricter than the configured
// detection.box_thresh really changes the answer. A minScore at or below box_thresh changes
// nothing: those regions were never produced (the detector applies box_thresh itself).
func (e *Engine) FilterRegions(res *pipeline.Result, minScore float64) *pipeline.Result {
	if res == nil || minScore <= e.cfg.Detection.BoxThresh || e.pipe == nil {
		return res
	}
	out := e.pipe.KeepRegions(res, minScore)
	e.withhold(out)
	return out
}
