package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/engine"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/report"
)

// options are Datalid's per-request form fields, parsed and validated.
type options struct {
	minScore float64 // detection_confidence: regions scoring below are dropped
	images   report.Images
}

// ocrEngines are the accepted ocr_engine values: the one engine this server runs, under its
// own name and Datalid's name for PaddleOCR. Anything else is refused rather than ignored.
var ocrEngines = []string{report.Engine, "paddleocr"}

// uploadReadBuffer sizes reads from the connection while parsing a form: the multipart
// reader's own 4 KiB buffer means a read system call per 4 KiB of photo.
const uploadReadBuffer = 256 << 10

// upload is one file of a request.
type upload struct {
	name string
	data []byte
}

// readRequest parses a multipart form (files under field, options beside them) or a raw
// image body. Files are read into memory, each within the per-file limit.
func (s *Server) readRequest(r *http.Request, field string, maxFiles int) ([]upload, options, error) {
	var opt options
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil && r.Header.Get("Content-Type") != "" {
		return nil, opt, fmt.Errorf("%w: Content-Type: %v", ErrBadRequest, err)
	}
	perFile := s.cfg.Server.MaxBodyBytes
	switch {
	case strings.HasPrefix(ct, "image/") || ct == "application/octet-stream":
		// A raw body is the image alone: no form overhead on top of the per-file limit.
		data, err := io.ReadAll(io.LimitReader(r.Body, perFile+1))
		if err != nil {
			return nil, opt, maybeBodyErr(err)
		}
		if int64(len(data)) > perFile {
			return nil, opt, withDetails(fmt.Errorf("%w: body is over %d bytes", imageio.ErrTooLarge, perFile), map[string]any{"max_bytes": perFile})
		}
		if err := opt.parse(r.URL.Query().Get); err != nil {
			return nil, opt, err
		}
		return []upload{{name: "body", data: data}}, opt, nil
	case ct == "multipart/form-data":
		if params["boundary"] == "" {
			return nil, opt, fmt.Errorf("%w: multipart body without boundary", ErrBadRequest)
		}
	default:
		return nil, opt, withDetails(fmt.Errorf("%w: Content-Type %q (send multipart/form-data with %q, or an image/* body)", ErrNotImage, ct, field),
			map[string]any{"content_type": ct})
	}
	mr := multipart.NewReader(bufio.NewReaderSize(r.Body, uploadReadBuffer), params["boundary"])
	// A single-file form is about Content-Length long (already capped by MaxBytesReader):
	// reserving it once saves the buffer's repeated doubling, which cost a cache hit on a
	// 3 MB photo more than hashing it. Batches are not sized up front: many files claiming
	// a large body would reserve memory the body never fills.
	var sizeHint int64
	if maxFiles == 1 && r.ContentLength > 0 {
		sizeHint = min(r.ContentLength, perFile+1)
	}
	fields := map[string]string{}
	var files []upload
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, opt, maybeBodyErr(err)
		}
		name := p.FormName()
		if p.FileName() == "" && name != field {
			v, err := io.ReadAll(io.LimitReader(p, 1024))
			if err != nil {
				return nil, opt, maybeBodyErr(err)
			}
			fields[name] = string(v)
			continue
		}
		if name != field {
			continue // other files are not ours; skip them
		}
		if len(files) >= maxFiles {
			return nil, opt, withDetails(fmt.Errorf("%w: more than %d files", ErrTooManyFiles, maxFiles), map[string]any{"max_files": maxFiles})
		}
		var buf bytes.Buffer
		buf.Grow(int(sizeHint) + bytes.MinRead) // ReadFrom wants MinRead free before each read
		n, err := io.Copy(&buf, io.LimitReader(p, perFile+1))
		if err != nil {
			return nil, opt, maybeBodyErr(err)
		}
		if n > perFile {
			return nil, opt, withDetails(fmt.Errorf("%w: %s is over %d bytes", imageio.ErrTooLarge, p.FileName(), perFile), map[string]any{"max_bytes": perFile})
		}
		files = append(files, upload{name: p.FileName(), data: buf.Bytes()})
	}
	if len(files) == 0 {
		return nil, opt, withDetails(fmt.Errorf("%w: no %q file in the form", ErrBadRequest, field), map[string]any{"field": field})
	}
	if err := opt.parse(func(k string) string { return fields[k] }); err != nil {
		return nil, opt, err
	}
	return files, opt, nil
}

// maybeBodyErr keeps the body's own errors recognisable through the readers (413 for a body
// limit, 408 for a body too slow, 503 for the body budget or shutdown); anything else is a
// malformed or cut-short body, the client's fault (400), never a 500.
func maybeBodyErr(err error) error {
	var mb *http.MaxBytesError
	var re *retryError
	switch {
	case errors.As(err, &mb), errors.As(err, &re), errors.Is(err, ErrBodyTimeout), errors.Is(err, errStopping):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %w (%v)", ErrBadRequest, ErrBodyCut, err)
	}
	return fmt.Errorf("%w: reading form: %v", ErrBadRequest, err)
}

func (o *options) parse(get func(string) string) error {
	num := func(key string) (float64, error) {
		v := get(key)
		if v == "" {
			return 0, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f <= 1) { // written so NaN fails too
			return 0, withDetails(fmt.Errorf("%w: %s must be a number from 0 to 1, got %q", ErrBadRequest, key, v), map[string]any{"field": key})
		}
		return f, nil
	}
	flag := func(key string) (bool, error) {
		v := get(key)
		if v == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(strings.ToLower(v))
		if err != nil {
			return false, withDetails(fmt.Errorf("%w: %s must be true or false, got %q", ErrBadRequest, key, v), map[string]any{"field": key})
		}
		return b, nil
	}
	var err error
	var errs []error
	o.minScore, err = num("detection_confidence")
	errs = append(errs, err)
	_, err = num("detection_iou") // validated; DBNet has no box overlap step to tune
	errs = append(errs, err)
	o.images.Visualization, err = flag("return_visualization")
	errs = append(errs, err)
	o.images.Crops, err = flag("return_crops")
	errs = append(errs, err)
	o.images.CropImages, err = flag("return_crop_images")
	errs = append(errs, err)
	for _, k := range []string{"return_full_ocr", "save_results"} {
		_, err = flag(k)
		errs = append(errs, err)
	}
	if e := strings.ToLower(get("ocr_engine")); e != "" && !contains(ocrEngines, e) {
		errs = append(errs, withDetails(fmt.Errorf("%w: ocr_engine %q is not available (have %s)", ErrBadRequest, e, strings.Join(ocrEngines, ", ")),
			map[string]any{"field": "ocr_engine"}))
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// withTimeout applies server.request_timeout.
func (s *Server) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if t := s.cfg.Server.RequestTimeout; t > 0 {
		return context.WithTimeout(ctx, t)
	}
	return context.WithCancel(ctx)
}

// ready refuses image requests before the models are warm or once shutting down.
func (s *Server) ready() error {
	switch s.state.Load() {
	case stateReady:
		return nil
	case stateStopping:
		return withDetails(&retryError{err: ErrNotReady, after: notReadyRetry}, map[string]any{"reason": "shutting_down"})
	}
	return &retryError{err: ErrNotReady, after: notReadyRetry}
}

// admitBody reads a request's body and admits it: a full server refuses before reading (the
// rejection drains the body, so it arrives as an answer), and admission is taken only once
// the body is in, so a client that uploads slowly never holds a place. The returned leave
// must be called; it may be called early (before the answer is written) and again.
func (s *Server) admitBody(w http.ResponseWriter, r *http.Request, field string, maxFiles int, maxBody int64) ([]upload, options, func(), error) {
	if err := s.ready(); err != nil {
		return nil, options{}, nil, err
	}
	if s.adm.full() {
		return nil, options{}, nil, s.adm.busy()
	}
	if err := s.adm.tooLate(s.cfg.Server.RequestTimeout); err != nil {
		return nil, options{}, nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	files, opt, err := s.readRequest(r, field, maxFiles)
	if x := exchangeOf(r.Context()); x != nil {
		x.doneReading()
	}
	if err != nil {
		return nil, opt, nil, err
	}
	if err := s.adm.tooLate(s.cfg.Server.RequestTimeout); err != nil {
		return nil, opt, nil, err
	}
	if err := s.adm.enter(); err != nil {
		return nil, opt, nil, err
	}
	return files, opt, sync.OnceFunc(s.adm.leave), nil
}

func (s *Server) handleProcess(w http.ResponseWriter, r *http.Request) error {
	files, opt, leave, err := s.admitBody(w, r, "file", 1, s.cfg.Server.MaxBodyBytes+formOverhead)
	if err != nil {
		return err
	}
	defer leave()
	ctx, cancel := s.withTimeout(r.Context())
	defer cancel()
	resp, outcome, err := s.readOne(ctx, files[0].data, opt)
	if h := xCache(outcome); h != "" {
		w.Header().Set("X-Cache", h)
	}
	if err != nil {
		return err
	}
	id := requestID(r.Context())
	resp.RequestID = &id
	leave() // writing the answer holds no place: a client that never reads it costs no capacity
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// pictureLongSide bounds the photo the pictures are drawn on and cut from (visualization and
// crops_base64): Datalid's front end shows them scaled into a page column well under 1280 px,
// so more pixels would only cost JPEG encoding and transfer. The rectified crops the
// recogniser read (crop_processed_base64) are the pipeline's own, at full size.
const pictureLongSide = 1280

// readOne reads one image and converts the answer. A pipeline run takes its decode memory and
// an inference slot (reserve); a cache hit takes neither. With pictures, the engine decodes
// the upload once (within the decode budget, weigh) and hands back the photo it read.
func (s *Server) readOne(ctx context.Context, data []byte, opt options) (*api.ProcessImageResponse, engine.CacheOutcome, error) {
	req := engine.Request{Data: data, MinRegionScore: opt.minScore, KeepCrops: opt.images.CropImages}
	if opt.images.Any() {
		req.PhotoLongSide = pictureLongSide
		req.Weigh = func(ctx context.Context) (func(), error) { return s.weigh(ctx, data) }
		req.Gate = s.slot
	} else {
		req.Gate = func(ctx context.Context) (func(), error) { return s.reserve(ctx, data) }
	}
	a, err := s.eng.Answer(ctx, req)
	if err != nil {
		return nil, a.Outcome, err
	}
	res := a.Result
	if a.Outcome.Status != "hit" {
		s.metrics.timings(res.Timings) // a hit's timings are its lookup, not the stages
	}
	now := s.now()
	resp := report.Response(res, dates.Today(now), now)
	if a.Photo != nil {
		if err := report.AddImages(&resp, a.Photo, res.Width, res, opt.images); err != nil {
			return nil, a.Outcome, err
		}
	}
	return &resp, a.Outcome, nil
}

func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) error {
	t0 := time.Now()
	maxFiles := s.cfg.Server.MaxBatchFiles
	files, opt, leave, err := s.admitBody(w, r, "files", maxFiles, s.batchBodyLimit())
	if err != nil {
		return err
	}
	defer leave()
	ctx, cancel := s.withTimeout(r.Context())
	defer cancel()
	out := api.BatchProcessResponse{Results: make([]api.BatchImageResult, len(files)), TotalImages: len(files)}
	// Files share the inference slots with everyone else; a few run at once so one batch
	// neither serialises behind itself nor takes every slot.
	sem := make(chan struct{}, min(len(files), max(1, s.cfg.Server.MaxInFlight/2)))
	var wg sync.WaitGroup
	var hits, misses atomic.Int32
	for i, f := range files {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			res := api.BatchImageResult{Filename: f.name}
			resp, outcome, err := s.readOne(ctx, f.data, opt)
			switch outcome.Status {
			case "hit":
				hits.Add(1)
			case "miss":
				misses.Add(1)
			}
			if err != nil {
				_, code := errorStatus(err)
				msg := code + ": " + err.Error()
				res.Error = &msg
			} else {
				res.Success, res.Result = true, resp
			}
			out.Results[i] = res
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err // timed out or the client left: no partial answer
	}
	for _, res := range out.Results {
		if res.Success {
			out.Successful++
		} else {
			out.Failed++
		}
	}
	switch {
	case out.Failed == 0:
		out.Status = api.StatusSuccess
	case out.Successful > 0:
		out.Status = api.StatusPartial
	default:
		out.Status = api.StatusFailed
	}
	if s.eng.CacheStats() != nil {
		// Per file: "hits=3 misses=2" (each file was looked up on its own).
		w.Header().Set("X-Cache", fmt.Sprintf("hits=%d misses=%d", hits.Load(), misses.Load()))
	} else {
		w.Header().Set("X-Cache", "off")
	}
	out.TotalTime = time.Since(t0).Seconds()
	out.ProcessedAt = s.now().Format(time.RFC3339Nano)
	id := requestID(r.Context())
	out.RequestID = &id
	leave()
	writeJSON(w, http.StatusOK, out)
	return nil
}
