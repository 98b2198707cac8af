package server

import (
	"context"
	"fmt"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/memtrim"
)

// decodeOptions are the engine's: its limits (with imageio's decode budget) and working size.
func (s *Server) decodeOptions() imageio.Options {
	return imageio.Options{Limits: engine.DecodeLimits(s.cfg), TargetLongSide: s.cfg.Decode.WorkingLongSide}
}

// decodeBudget is the decode memory all images together may hold.
func decodeBudget(o imageio.Options) int64 {
	lim := o.Limits
	if lim.MaxDecodeBytes <= 0 {
		px := lim.MaxPixels
		if px <= 0 {
			px = imageio.DefaultLimits().MaxPixels
		}
		lim.MaxDecodeBytes = px * 6 // imageio's default per-decode budget
	}
	return decodeBudgetPictures * lim.MaxDecodeBytes
}

// reserve weighs an image by what decoding it will cost and then waits for an inference
// slot: the gate of a pipeline run that decodes the upload itself. A cache hit never calls it.
func (s *Server) reserve(ctx context.Context, data []byte) (release func(), err error) {
	give, err := s.weigh(ctx, data)
	if err != nil {
		return nil, err
	}
	slot, err := s.slot(ctx)
	if err != nil {
		give()
		return nil, err
	}
	return func() { slot(); give() }, nil
}

// weigh takes an image's decode memory, estimated from its header, from the decode budget
// (waiting for it). An image that cannot be decoded, or is over the per-decode budget, is
// refused here without waiting.
func (s *Server) weigh(ctx context.Context, data []byte) (release func(), err error) {
	weight, err := imageio.Estimate(data, s.decodeOptions())
	if err != nil {
		return nil, err
	}
	weight += int64(len(data)) // the decoder reads the upload while it writes pixels
	if err := s.decodeMem.take(ctx, weight); err != nil {
		return nil, err
	}
	return func() { s.decodeMem.give(weight) }, nil
}

// slot takes an inference slot (its hold time feeds the predicted wait, admission_wait.go);
// it counts as a read for ReleaseWhenIdle.
func (s *Server) slot(ctx context.Context) (release func(), err error) {
	slot, err := s.adm.slot(ctx)
	if err != nil {
		return nil, err
	}
	end := s.reads.Begin()
	return func() { end(); slot() }, nil
}

// batchBodyLimit is a batch body's own bound: its files at the per-file limit, capped.
func (s *Server) batchBodyLimit() int64 {
	sc := s.cfg.Server
	return min(sc.MaxBodyBytes*int64(max(1, sc.MaxBatchFiles)), max(maxBatchBody, sc.MaxBodyBytes)) + formOverhead
}

// ReleaseWhenIdle hands memory back after each burst of reads until ctx ends (memtrim.WhenIdle
// over this server's slots: every read that reaches the runtime, from a request or a queued
// job). Serve runs it; `datalid worker`, which reads through JobProcessor without serving,
// runs it itself.
func (s *Server) ReleaseWhenIdle(ctx context.Context) { memtrim.WhenIdle(ctx, &s.reads, s.log) }

// admissionStatus is /health's view of admission: places, slots, bodies and decode memory in
// use against their limits, "degraded" while new requests are being refused.
func (s *Server) admissionStatus() api.ComponentStatus {
	admitted, capacity := s.adm.admitted.Load(), s.adm.capacity
	bodies, decoding := s.xio.bodies.inUse(), s.decodeMem.inUse()
	msg := fmt.Sprintf("%d/%d admitted (%d in flight, %d waiting), %d bodies arriving, body memory %d/%d MB, decode memory %d/%d MB",
		admitted, capacity, s.adm.inFlight(), s.adm.waiting.Load(), s.xio.reading.Load(),
		bodies>>20, s.xio.bodies.total>>20, decoding>>20, s.decodeMem.total>>20)
	if admitted >= capacity || bodies >= s.xio.bodies.total {
		return api.ComponentStatus{Status: "degraded", Message: "saturated: " + msg}
	}
	return api.ComponentStatus{Status: "healthy", Message: msg}
}
