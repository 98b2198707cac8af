package engine

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/datalid/datalid/internal/pipeline"
)

// Answer with a photo (the server's picture path) decodes the upload once, reads that decode
// on a miss, stores the result under the upload's key, and on a hit passes no gate and cuts
// crops from the same decode: the same answer as a plain read, and the photo within its size.
func TestAnswerWithPhotoSharesTheCache(t *testing.T) {
	e := open(t, cachedConfig(t, "memory"))
	defer e.Close()
	ctx := context.Background()
	data := renderedJPEG(t)
	var runs, weighs, held atomic.Int32
	gate := func(context.Context) (func(), error) { runs.Add(1); return func() {}, nil }
	weigh := func(context.Context) (func(), error) { weighs.Add(1); held.Add(1); return func() { held.Add(-1) }, nil }
	req := Request{Data: data, PhotoLongSide: 400, KeepCrops: true, Weigh: weigh, Gate: gate}

	miss, err := e.Answer(ctx, req)
	if err != nil || miss.Outcome.Status != "miss" || runs.Load() != 1 || weighs.Load() != 1 || held.Load() != 0 {
		t.Fatalf("first read: %+v %v, gate passed %d times, weighed %d (%d held)", miss.Outcome, err, runs.Load(), weighs.Load(), held.Load())
	}
	if b := miss.Result.Dates.Best; b == nil || b.Date.String() != "2027-04-09" {
		t.Fatalf("miss read %+v", b)
	}
	if p := miss.Photo; p == nil || max(p.Rect.Dx(), p.Rect.Dy()) != 400 {
		t.Fatalf("photo %v, want its long side 400", p)
	}
	plain, out, err := readCached(e, ctx, data, pipeline.Options{}, gate)
	if err != nil || out != (CacheOutcome{"hit", "memory"}) || runs.Load() != 1 {
		t.Fatalf("plain read after the picture read: %+v %v, gate passed %d times", out, err, runs.Load())
	}
	hit, err := e.Answer(ctx, req)
	if err != nil || hit.Outcome != (CacheOutcome{"hit", "memory"}) || runs.Load() != 1 {
		t.Fatalf("picture hit: %+v %v, gate passed %d times", hit.Outcome, err, runs.Load())
	}
	if !reflect.DeepEqual(hit.Result.Dates, miss.Result.Dates) || !reflect.DeepEqual(plain.Dates, miss.Result.Dates) || len(hit.Result.Regions) != len(miss.Result.Regions) {
		t.Fatalf("hit differs from miss:\n%+v\n%+v", hit.Result.Dates, miss.Result.Dates)
	}
	for i, r := range hit.Result.Regions {
		if r.Crop == nil || r.Crop.Rect != miss.Result.Regions[i].Crop.Rect {
			t.Fatalf("region %d: crop %v on the hit, %v on the miss", i, r.Crop, miss.Result.Regions[i].Crop)
		}
	}

	// A region score above every region's answers nothing, from the same stored read.
	strict, err := e.Answer(ctx, Request{Data: data, MinRegionScore: 0.999})
	if err != nil || strict.Outcome.Status != "hit" || len(strict.Result.Regions) != 0 || strict.Result.Dates.Best != nil {
		t.Fatalf("min region score 0.999: %+v %d regions, best %v, err %v", strict.Outcome, len(strict.Result.Regions), strict.Result.Dates.Best, err)
	}
	// The photo path reports a decode error without passing the gate.
	if _, err := e.Answer(ctx, Request{Data: []byte("not a photo"), PhotoLongSide: 400, Gate: gate}); err == nil || runs.Load() != 1 {
		t.Fatalf("not a photo: err %v, gate passed %d times", err, runs.Load())
	}
}
