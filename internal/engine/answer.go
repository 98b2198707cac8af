package engine

import (
	"context"
	"image"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/pipeline"
)

// Result and Timings are the engine's result types, so front ends need nothing below it.
type (
	Result  = pipeline.Result
	Timings = pipeline.Timings
)

// Request is one read as a front end asks for it.
type Request struct {
	Data []byte // the upload, as received
	// MinRegionScore drops the regions the detector scored below it and re-chooses the dates
	// from the rest (Datalid's detection_confidence). At or below detection.box_thresh it
	// changes nothing: the detector never produced those regions.
	MinRegionScore float64
	// PhotoLongSide > 0 asks for the upright photo beside the result, its long side at most
	// this many pixels, to draw pictures on. The engine decodes the upload once, reads that
	// decode on a miss and cuts crops from it on a hit.
	PhotoLongSide int
	// KeepCrops keeps each region's rectified crop (Region.Crop) in the result.
	KeepCrops bool
	// Weigh admits the memory of the engine's own decode for the photo: taken before it and
	// released when Answer returns. Gate admits a pipeline run; cache hits and reads shared
	// with an identical one in flight never pass it. Without a photo the pipeline decodes
	// inside Gate. nil = no admission.
	Weigh, Gate Gate
}

// Answer is the whole answer to a Request.
type Answer struct {
	Result *Result
	// Photo is the upright photo (with Request.PhotoLongSide); region coordinates map to it
	// by Photo.Rect.Dx() / Result.Width.
	Photo   *image.RGBA
	Outcome CacheOutcome
}

// Answer reads one photo through the result cache and returns everything a front end needs
// in one call: the result filtered by the request's region score, and the photo when asked.
func (e *Engine) Answer(ctx context.Context, req Request) (Answer, error) {
	var img *imageio.Image
	if req.PhotoLongSide > 0 {
		if req.Weigh != nil {
			release, err := req.Weigh(ctx)
			if err != nil {
				return Answer{}, err
			}
			defer release()
		}
		var err error
		if img, err = imageio.Decode(req.Data, imageio.Options{Limits: DecodeLimits(e.cfg), TargetLongSide: e.cfg.Decode.WorkingLongSide}); err != nil {
			return Answer{}, err
		}
	}
	res, outcome, err := e.readCached(ctx, req.Data, img, pipeline.Options{KeepCrops: req.KeepCrops}, req.Gate)
	if err != nil {
		return Answer{Outcome: outcome}, err
	}
	a := Answer{Result: e.filterRegions(res, req.MinRegionScore), Outcome: outcome}
	if img != nil {
		a.Photo = fitLongSide(img.RGBA, req.PhotoLongSide)
	}
	return a, nil
}

// fitLongSide returns img, or a scaled copy whose long side is long when img's is longer.
func fitLongSide(img *image.RGBA, long int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if max(w, h) <= long {
		return img
	}
	s := float64(long) / float64(max(w, h))
	return imgproc.Resize(img, max(1, int(float64(w)*s+0.5)), max(1, int(float64(h)*s+0.5)))
}

// filterRegions applies a request's MinRegionScore to a full read (cached or not): regions
// below it are dropped and lines and dates re-chosen from the rest, so a per-request
// detection_confidence stricter than detection.box_thresh really changes the answer.
func (e *Engine) filterRegions(res *pipeline.Result, minScore float64) *pipeline.Result {
	if res == nil || minScore <= e.cfg.Detection.BoxThresh || e.pipe == nil {
		return res
	}
	out := e.pipe.KeepRegions(res, minScore)
	e.withhold(out)
	return out
}
