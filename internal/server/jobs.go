package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/jobs"
)

// jobRoutes registers /v2/jobs when the server has a queue.
func (s *Server) jobRoutes(handle func(string, func(http.ResponseWriter, *http.Request) error)) {
	if s.jobs == nil {
		return
	}
	s.jobsIn = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "datalid_jobs_submitted_photos_total", Help: "Photos accepted on POST /v2/jobs.",
	})
	s.reg.MustRegister(s.jobsIn)
	jobs.RegisterQueueMetrics(s.reg, s.jobs)
	handle("POST /v2/jobs", s.handleJobSubmit)
	handle("GET /v2/jobs/{id}", s.handleJobGet)
	handle("DELETE /v2/jobs/{id}", s.handleJobCancel)
	handle("GET /v2/jobs/{id}/events", s.handleJobEvents)
}

// JobProcessor reads queued photos with this server's engine, inference slots and metrics,
// answering exactly what POST /process would. Errors a retry cannot fix (a bad image, a bad
// option) are marked permanent so the photo fails at once instead of using up its tries.
func (s *Server) JobProcessor() jobs.Processor {
	return func(ctx context.Context, photo []byte, fields map[string]string) (json.RawMessage, error) {
		var opt options
		if err := opt.parse(func(k string) string { return fields[k] }); err != nil {
			return nil, jobs.Permanent(err)
		}
		resp, _, err := s.readOne(ctx, photo, opt)
		if err != nil {
			status, code := errorStatus(err)
			if ctx.Err() == nil && status >= 400 && status < 500 {
				return nil, jobs.Permanent(fmt.Errorf("%s: %w", code, err))
			}
			return nil, err
		}
		return json.Marshal(resp)
	}
}

// jobErr maps the queue's errors onto the server's (one status mapping, in errors.go).
func jobErr(err error) error {
	switch {
	case errors.Is(err, jobs.ErrNotFound):
		return fmt.Errorf("%w: %v", ErrNotFound, err)
	case errors.Is(err, jobs.ErrBadKey):
		return withDetails(fmt.Errorf("%w: %v", ErrBadRequest, err), map[string]any{"field": api.IdempotencyHeader})
	case errors.Is(err, jobs.ErrTooMany):
		return withDetails(fmt.Errorf("%w: %v", ErrTooManyFiles, err), map[string]any{"max_files": 0})
	}
	return err
}

// handleJobSubmit queues a job: one photo (an image body, or field "file") or many (fields
// "files"). Photos are queued as they arrive, so memory holds one photo at a time; options
// come from the query string or from form fields before the first photo.
//
// Admission as for /process (admitBody): a full server refuses before reading (the refusal
// drains the body, so it arrives as an answer), and no place is held while bytes arrive: a
// slow uploader holds its bytes in the body budget and is cut by the minimum upload rate, not
// a place. Admission decides whether a new job begins (admitJob); a job begun is taken to its
// end, so a server that fills up meanwhile never leaves half a job under a used
// Idempotency-Key.
func (s *Server) handleJobSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.adm.full() {
		return s.adm.busy()
	}
	maxPhotos := s.jobs.Config().MaxJobPhotos
	perFile := s.cfg.Server.MaxBodyBytes
	r.Body = http.MaxBytesReader(w, r.Body, perFile*int64(maxPhotos)+formOverhead)
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("%w: Content-Type: %v", ErrBadRequest, err)
	}
	fields := map[string]string{}
	for k, v := range r.URL.Query() {
		fields[k] = v[0]
	}
	var next func() (string, io.Reader, error) // the next photo; io.EOF after the last
	switch {
	case strings.HasPrefix(ct, "image/") || ct == "application/octet-stream":
		done := false
		next = func() (string, io.Reader, error) {
			if done {
				return "", nil, io.EOF
			}
			done = true
			return "body", r.Body, nil
		}
	case ct == "multipart/form-data" && params["boundary"] != "":
		mr := multipart.NewReader(r.Body, params["boundary"])
		next = func() (string, io.Reader, error) {
			for {
				p, err := mr.NextPart()
				if err != nil {
					if errors.Is(err, io.EOF) {
						return "", nil, err
					}
					return "", nil, maybeBodyErr(err)
				}
				name := p.FormName()
				if name == "files" || name == "file" {
					return p.FileName(), p, nil
				}
				if p.FileName() != "" {
					continue // someone else's file
				}
				v, err := io.ReadAll(io.LimitReader(p, 1024))
				if err != nil {
					return "", nil, maybeBodyErr(err)
				}
				if _, seen := fields["\x00photos"]; seen {
					return "", nil, withDetails(fmt.Errorf("%w: option %q after the photos; send options first", ErrBadRequest, name), map[string]any{"field": name})
				}
				fields[name] = string(v)
			}
		}
	default:
		return withDetails(fmt.Errorf("%w: Content-Type %q (send multipart/form-data with \"files\", or an image/* body)", ErrNotImage, ct),
			map[string]any{"content_type": ct})
	}

	// The first photo fixes the options: validate them before anything is queued.
	name, body, err := next()
	if errors.Is(err, io.EOF) {
		return withDetails(fmt.Errorf("%w: no \"files\" in the form", ErrBadRequest), map[string]any{"field": "files"})
	}
	if err != nil {
		return err
	}
	var opt options
	if err := opt.parse(func(k string) string { return fields[k] }); err != nil {
		return err
	}
	fields["\x00photos"] = "" // marks that options are closed
	jobFields := map[string]string{}
	for k, v := range fields {
		if !strings.HasPrefix(k, "\x00") {
			jobFields[k] = v
		}
	}
	ctx := r.Context()
	var (
		sub    *jobs.Submission
		replay *jobs.Job
	)
	if err := s.admitJob(func() (e error) {
		sub, replay, e = s.jobs.Begin(ctx, r.Header.Get(api.IdempotencyHeader), jobFields)
		return e
	}); err != nil {
		return jobErr(err)
	}
	if replay != nil {
		w.Header().Set("Location", "/v2/jobs/"+replay.ID)
		s.writeJob(w, r, http.StatusOK, replay, false)
		return nil
	}
	for {
		data, err := io.ReadAll(io.LimitReader(body, perFile+1))
		if err == nil && int64(len(data)) > perFile {
			err = withDetails(fmt.Errorf("%w: %s is over %d bytes", imageio.ErrTooLarge, name, perFile), map[string]any{"max_bytes": perFile})
		}
		if err == nil && len(data) == 0 {
			err = fmt.Errorf("%w: %s is empty", imageio.ErrEmpty, name)
		}
		if err == nil {
			err = sub.Add(ctx, name, data)
		}
		if x := exchangeOf(ctx); err == nil && x != nil {
			// The photo is in the queue now: a job's body is streamed through, so only the
			// photo being read counts against the body budget, not the whole job.
			x.release()
		}
		if err == nil {
			name, body, err = next()
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			sub.Abort(ctx, err)
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return err
			}
			return jobErr(err)
		}
	}
	job, err := sub.Commit(ctx)
	if err != nil {
		return err
	}
	s.jobsIn.Add(float64(job.Total))
	w.Header().Set("Location", "/v2/jobs/"+job.ID)
	s.writeJob(w, r, http.StatusAccepted, job, false)
	return nil
}

// admitJob holds an admission place while a new job is begun in the queue (its Idempotency-Key
// claimed, its record written); a server at capacity refuses it with 503 + Retry-After before
// anything is written.
func (s *Server) admitJob(begin func() error) error {
	if err := s.adm.enter(); err != nil {
		return err
	}
	defer s.adm.leave()
	return begin()
}

func (s *Server) handleJobGet(w http.ResponseWriter, r *http.Request) error {
	job, err := s.jobs.Job(r.Context(), r.PathValue("id"))
	if err != nil {
		return jobErr(err)
	}
	s.writeJob(w, r, http.StatusOK, job, true)
	return nil
}

// handleJobCancel cancels the photos no worker has started; read photos keep their results.
func (s *Server) handleJobCancel(w http.ResponseWriter, r *http.Request) error {
	job, err := s.jobs.Cancel(r.Context(), r.PathValue("id"))
	if err != nil {
		return jobErr(err)
	}
	s.writeJob(w, r, http.StatusOK, job, true)
	return nil
}

// handleJobEvents streams a job's progress as server-sent events: "progress" with the counts
// each time photos finish, "photo" for each finished photo, and "end" with the whole job.
func (s *Server) handleJobEvents(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	if _, err := s.jobs.Job(ctx, id); err != nil {
		return jobErr(err)
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	sent := map[int]bool{}
	send := func(event string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return err
		}
		return rc.Flush()
	}
	last, err := s.jobs.Watch(ctx, id, func(j *jobs.Job) error {
		for _, p := range j.Photos {
			if p.State != jobs.StateQueued && !sent[p.Index] {
				sent[p.Index] = true
				if err := send("photo", toAPIPhoto(p)); err != nil {
					return err
				}
			}
		}
		return send("progress", s.apiJob(r, j, false))
	})
	if err != nil {
		return nil // the client left or the stream broke: nothing more to say
	}
	send("end", s.apiJob(r, last, true))
	return nil
}

func (s *Server) writeJob(w http.ResponseWriter, r *http.Request, status int, j *jobs.Job, photos bool) {
	resp := s.apiJob(r, j, photos)
	if status != http.StatusOK || j.Replayed {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		if st, err := s.jobs.Stats(ctx); err == nil {
			resp.Queue = &api.QueueBrief{Pending: st.Pending, InFlight: st.InFlight, Workers: len(st.Workers)}
		}
		cancel()
	}
	writeJSON(w, status, resp)
}

func (s *Server) apiJob(r *http.Request, j *jobs.Job, photos bool) *api.JobResponse {
	id := requestID(r.Context())
	resp := &api.JobResponse{
		ID: j.ID, State: j.State, CreatedAt: j.Created.Format(time.RFC3339Nano), Total: j.Total, Error: j.Error,
		Counts:   api.JobCounts{Queued: j.Counts.Queued, Done: j.Counts.Done, Failed: j.Counts.Failed, Dead: j.Counts.Dead, Canceled: j.Counts.Canceled},
		Replayed: j.Replayed, RequestID: &id,
		Links: &api.JobLinks{Self: "/v2/jobs/" + j.ID, Events: "/v2/jobs/" + j.ID + "/events"},
	}
	if photos {
		resp.Photos = make([]api.JobPhoto, 0, len(j.Photos))
		for _, p := range j.Photos {
			resp.Photos = append(resp.Photos, toAPIPhoto(p))
		}
	}
	return resp
}

func toAPIPhoto(p jobs.PhotoResult) api.JobPhoto {
	return api.JobPhoto{Index: p.Index, Filename: p.Name, State: p.State, Result: p.Result, Error: p.Error,
		Attempts: p.Attempts, Worker: p.Worker, ReadMS: p.ReadMS}
}

// queueHealth adds the queue and the workers seen to GET /health.
func (s *Server) queueHealth(ctx context.Context, h *api.HealthResponse) {
	if s.jobs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	st, err := s.jobs.Stats(ctx)
	if err != nil {
		h.Queue = &api.QueueStatus{Error: err.Error()}
		h.Components["queue"] = api.ComponentStatus{Status: "degraded", Message: "queue unreachable: " + err.Error()}
		return
	}
	q := &api.QueueStatus{Pending: st.Pending, InFlight: st.InFlight, Redelivered: st.Redelivered, DeadLetters: st.DeadLetters, Workers: []api.WorkerStatus{}}
	for _, w := range st.Workers {
		q.Workers = append(q.Workers, api.WorkerStatus{ID: w.ID, Host: w.Host, Concurrency: w.Concurrency, Processed: w.Processed,
			Failed: w.Failed, InFlight: w.InFlight, SeenSeconds: time.Since(w.Seen).Seconds()})
	}
	h.Queue = q
	h.Components["queue"] = api.ComponentStatus{Status: "healthy",
		Message: fmt.Sprintf("%d pending, %d in flight, %d workers", st.Pending, st.InFlight, len(st.Workers))}
}
