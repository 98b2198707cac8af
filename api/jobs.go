package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
)

// Job states and photo states of /v2/jobs.
const (
	JobSubmitting = "submitting"
	JobQueued     = "queued"
	JobRunning    = "running"
	JobDone       = "done"
	JobCanceled   = "canceled"
	JobAborted    = "aborted"

	PhotoQueued   = "queued"
	PhotoDone     = "done"
	PhotoFailed   = "failed"
	PhotoDead     = "dead"
	PhotoCanceled = "canceled"
)

// IdempotencyHeader names the request header that makes POST /v2/jobs safe to repeat.
const IdempotencyHeader = "Idempotency-Key"

// JobResponse is a job of /v2/jobs: its state, counts, and each photo's outcome.
type JobResponse struct {
	ID        string      `json:"id"`
	State     string      `json:"state"`
	CreatedAt string      `json:"created_at"`
	Total     int         `json:"total"`
	Counts    JobCounts   `json:"counts"`
	Error     string      `json:"error,omitempty"`
	Photos    []JobPhoto  `json:"photos,omitempty"`
	Replayed  bool        `json:"replayed,omitempty"` // answered for a repeated Idempotency-Key
	RequestID *string     `json:"request_id,omitempty"`
	Links     *JobLinks   `json:"links,omitempty"`
	Queue     *QueueBrief `json:"queue,omitempty"`
}

// JobCounts are a job's photos by state.
type JobCounts struct {
	Queued   int `json:"queued"`
	Done     int `json:"done"`
	Failed   int `json:"failed"`
	Dead     int `json:"dead"`
	Canceled int `json:"canceled"`
}

// Finished is the number of photos in a final state.
func (c JobCounts) Finished() int { return c.Done + c.Failed + c.Dead + c.Canceled }

// JobPhoto is one photo of a job. Result is the /process answer (ProcessImageResponse)
// when State is done; Error says why when it is failed or dead.
type JobPhoto struct {
	Index    int             `json:"index"`
	Filename string          `json:"filename"`
	State    string          `json:"state"`
	Result   json.RawMessage `json:"result,omitempty"`
	Error    string          `json:"error,omitempty"`
	Attempts int             `json:"attempts"`
	Worker   string          `json:"worker,omitempty"`
	ReadMS   float64         `json:"read_ms,omitempty"`
}

// Process decodes Result.
func (p JobPhoto) Process() (*ProcessImageResponse, error) {
	var r ProcessImageResponse
	if err := json.Unmarshal(p.Result, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// JobLinks are a job's URLs.
type JobLinks struct {
	Self   string `json:"self"`
	Events string `json:"events"`
}

// QueueBrief is the queue's depth as a submitter sees it.
type QueueBrief struct {
	Pending  uint64 `json:"pending"`
	InFlight int    `json:"in_flight"`
	Workers  int    `json:"workers"`
}

// QueueStatus is the queue in GET /health.
type QueueStatus struct {
	Pending     uint64         `json:"pending"`
	InFlight    int            `json:"in_flight"`
	Redelivered int            `json:"redelivered"`
	DeadLetters uint64         `json:"dead_letters"`
	Workers     []WorkerStatus `json:"workers"`
	Error       string         `json:"error,omitempty"`
}

// WorkerStatus is a worker that announced itself recently.
type WorkerStatus struct {
	ID          string  `json:"id"`
	Host        string  `json:"host"`
	Concurrency int     `json:"concurrency"`
	Processed   int64   `json:"processed"`
	Failed      int64   `json:"failed"`
	InFlight    int     `json:"in_flight"`
	SeenSeconds float64 `json:"seen_seconds_ago"`
}

// JobEvent is one server-sent event of GET /v2/jobs/{id}/events: "progress" carries the
// counts (Job without photos), "photo" one finished photo, "end" the whole job.
type JobEvent struct {
	Event string
	Job   *JobResponse
	Photo *JobPhoto
}

// JobForm is the multipart body of POST /v2/jobs: each photo as field "files", then option
// fields (the /process ones). Options are written first so the server can validate them
// before it queues any photo.
func JobForm(photos map[string][]byte, order []string, fields map[string]string) (body *bytes.Buffer, contentType string) {
	body = &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, name := range order {
		w, _ := mw.CreatePart(photoHeader(name)) // writes to memory: cannot fail
		w.Write(photos[name])
	}
	mw.Close()
	return body, mw.FormDataContentType()
}

// WriteJobPhoto streams one photo part of a job form to mw (for bodies too large to build
// in memory).
func WriteJobPhoto(mw *multipart.Writer, name string, r io.Reader) error {
	w, err := mw.CreatePart(photoHeader(name))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

func photoHeader(name string) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)
	h.Set("Content-Disposition", `form-data; name="files"; filename="`+esc+`"`)
	h.Set("Content-Type", "application/octet-stream")
	return h
}
