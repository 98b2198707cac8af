// Package report turns pipeline results into the public wire types of package api (the
// Datalid-compatible JSON) and into the CLI's table and CSV renderings. It is where the
// domain meets the wire, so neither side imports the other.
package report

import (
	"fmt"
	"math"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/pipeline"
)

// Engine is the name reported in ocr_results[].engine: the model, not a class name.
const Engine = "pp-ocrv4"

// Response converts one pipeline result. today is the reference day for is_expired and
// days_until_expiry; it never influences which date is chosen.
func Response(res *pipeline.Result, today dates.Date, now time.Time) api.ProcessImageResponse {
	r := api.ProcessImageResponse{
		Detections:  make([]api.Detection, len(res.Regions)),
		OCRResults:  make([]api.OCRResult, len(res.Regions)),
		Dates:       make([]api.DateInfo, 0, len(res.Dates.Candidates)),
		ImageWidth:  res.Width,
		ImageHeight: res.Height,
		ProcessedAt: now.Format(time.RFC3339Nano),
	}
	order, dated := Order(res)
	for k, i := range order {
		reg := res.Regions[i]
		x0, y0, x1, y1 := reg.Quad.Bounds()
		seg := make([][2]int, 4)
		for k, p := range reg.Quad {
			seg[k] = [2]int{int(math.Round(p.X)), int(math.Round(p.Y))}
		}
		class, classID := ClassText, ClassTextID
		if dated[k] {
			class, classID = ClassDate, ClassDateID
		}
		r.Detections[k] = api.Detection{
			BBox:       api.BBox{X1: round2(x0), Y1: round2(y0), X2: round2(x1), Y2: round2(y1), Width: round2(x1 - x0), Height: round2(y1 - y0)},
			Confidence: round4(reg.Score), ClassID: classID, ClassName: class, HasMask: true, Segmentation: seg,
		}
		r.OCRResults[k] = api.OCRResult{
			Text: reg.Text.Text, Confidence: round4(reg.Text.Confidence), Engine: Engine,
			ProcessingTime: seconds(reg.RecTime), Source: reg.Source,
		}
	}
	for i := range res.Dates.Candidates {
		r.Dates = append(r.Dates, DateInfo(res.Dates.Candidates[i], res.Lines, today))
	}
	if b := res.Dates.Best; b != nil {
		d := DateInfo(*b, res.Lines, today)
		r.BestDate = &d
	}
	t := res.Timings
	// The pipeline times the second looks as one stage (pipeline.Timings.SecondLook), outside
	// the first pass's crop/classify/recognize. They are re-reading, so recognition_time and
	// ocr_time include them: when the date came from a second look, a recognition time of
	// the first pass alone would read ≈ 0. second_look_time reports their share.
	rec := t.Recognize + t.Crop + t.SecondLook
	r.Metrics = api.Metrics{
		TotalTime: seconds(t.Total), DecodeTime: seconds(t.Decode), DetectionTime: seconds(t.Detection()),
		ClassificationTime: seconds(t.Classify), RecognitionTime: seconds(rec),
		OCRTime: seconds(t.Classify + rec), ParsingTime: seconds(t.Dates), SecondLookTime: seconds(t.SecondLook),
		NumDetections: len(res.Regions), NumDatesFound: len(r.Dates),
	}
	switch {
	case r.BestDate != nil:
		r.Status = api.StatusSuccess
		r.Message = fmt.Sprintf("%d date(s) found; expiry %s", len(r.Dates), *r.BestDate.Date)
	case len(res.Regions) > 0:
		r.Status = api.StatusPartial
		r.Message = "Text regions found but no valid date"
	default:
		r.Status = api.StatusFailed
		r.Message = "No text region detected"
	}
	return r
}

// DateInfo converts one candidate; its text is the whole line it was found in.
func DateInfo(c dates.Candidate, lines []pipeline.Line, today dates.Date) api.DateInfo {
	date, format := c.Date.String(), c.Format
	days := c.Date.DaysUntil(today)
	expired := days < 0
	d := api.DateInfo{
		Date: &date, Confidence: round4(c.Confidence), Format: &format, IsValid: true,
		IsExpired: &expired, DaysUntilExpiry: &days,
		Precision: string(c.Precision), Kind: string(c.Kind), Reason: c.Reason,
	}
	if !c.Alternative.IsZero() {
		alt := c.Alternative.String()
		d.Alternative = &alt
	}
	if c.Line >= 0 && c.Line < len(lines) {
		t := lines[c.Line].Text
		d.Text = &t
	}
	return d
}

func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1e6) / 1e6 }
func round2(v float64) float64        { return math.Round(v*100) / 100 }
func round4(v float64) float64        { return math.Round(v*1e4) / 1e4 }
