package engine

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/pipeline"
)

// ReadCachedImage (the server's picture path) reads the image it is given on a miss, stores
// the result under the upload's key, and on a hit passes no gate and cuts crops from that
// image: the same answer as ReadCached, with the upload decoded once by the caller.
func TestReadCachedImageSharesTheCache(t *testing.T) {
	e := open(t, cachedConfig(t, "memory"))
	defer e.Close()
	ctx := context.Background()
	data := renderedJPEG(t)
	img, err := imageio.Decode(data, imageio.Options{Limits: DecodeLimits(e.cfg), TargetLongSide: e.cfg.Decode.WorkingLongSide})
	if err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	gate := func(context.Context) (func(), error) { runs.Add(1); return func() {}, nil }

	miss, out, err := e.ReadCachedImage(ctx, data, img, pipeline.Options{KeepCrops: true}, gate)
	if err != nil || out.Status != "miss" || runs.Load() != 1 {
		t.Fatalf("first read: %+v %v, gate passed %d times", out, err, runs.Load())
	}
	if miss.Dates.Best == nil || miss.Dates.Best.Date.String() != "2027-04-09" {
		t.Fatalf("miss read %+v", miss.Dates.Best)
	}
	plain, out, err := e.ReadCached(ctx, data, pipeline.Options{}, gate)
	if err != nil || out != (CacheOutcome{"hit", "memory"}) || runs.Load() != 1 {
		t.Fatalf("plain read after the picture read: %+v %v, gate passed %d times", out, err, runs.Load())
	}
	hit, out, err := e.ReadCachedImage(ctx, data, img, pipeline.Options{KeepCrops: true}, gate)
	if err != nil || out != (CacheOutcome{"hit", "memory"}) || runs.Load() != 1 {
		t.Fatalf("picture hit: %+v %v, gate passed %d times", out, err, runs.Load())
	}
	if !reflect.DeepEqual(hit.Dates, miss.Dates) || !reflect.DeepEqual(plain.Dates, miss.Dates) || len(hit.Regions) != len(miss.Regions) {
		t.Fatalf("hit differs from miss:\n%+v\n%+v", hit.Dates, miss.Dates)
	}
	for i, r := range hit.Regions {
		if r.Crop == nil || r.Crop.Rect != miss.Regions[i].Crop.Rect {
			t.Fatalf("region %d: crop %v on the hit, %v on the miss", i, r.Crop, miss.Regions[i].Crop)
		}
	}
}
