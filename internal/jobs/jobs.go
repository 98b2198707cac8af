// Package jobs owns datalid's asynchronous jobs on NATS JetStream: the queue layout (a
// work-queue stream of photo tasks, a dead-letter stream, a KV bucket of job state and
// results, an object store for large photos), submission with idempotency keys, the worker
// loop (explicit acks, in-progress heartbeats, bounded tries, dead letters with a reason),
// job views and progress watches, queue metrics, and an embedded NATS server for a single
// machine. It knows nothing about reading photos: a worker is given a Processor.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Names of the JetStream assets; one list, shared by gateways and workers.
const (
	taskStream    = "DATALID_TASKS"
	taskSubject   = "datalid.tasks"
	deadStream    = "DATALID_DEAD"
	deadSubject   = "datalid.dead"
	consumerName  = "workers" // a work-queue stream allows one unfiltered consumer: all workers bind to it
	stateBucket   = "datalid_jobs"
	workerBucket  = "datalid_workers"
	photoBucket   = "datalid_photos"
	maxIdemKeyLen = 255
)

// Photo states. A photo ends in exactly one of the final ones.
const (
	StateQueued   = "queued"   // not read yet
	StateDone     = "done"     // read; Result holds the /process answer
	StateFailed   = "failed"   // the photo itself is bad (e.g. not an image); not retried
	StateDead     = "dead"     // every try failed; dead-lettered with the reason
	StateCanceled = "canceled" // the job was cancelled before the photo was read
)

// Job states.
const (
	JobSubmitting = "submitting" // photos are still arriving
	JobQueued     = "queued"     // nothing finished yet
	JobRunning    = "running"    // some photos finished
	JobDone       = "done"       // every photo is in a final state
	JobCanceled   = "canceled"   // cancelled; read photos keep their results
	JobAborted    = "aborted"    // the submission failed half-way; see Error
)

// Errors.
var (
	ErrNotFound = errors.New("jobs: no such job")
	ErrBadKey   = errors.New("jobs: idempotency key must be 1-255 printable characters")
	ErrTooMany  = errors.New("jobs: too many photos in one job")
)

// heartbeatTick is how often an idle worker re-announces itself; the workers bucket keeps an
// entry 3 ticks, so a dead worker leaves /health within 30 s.
const heartbeatTick = 10 * time.Second

// Processor reads one photo with the job's form fields (the /process options) and returns
// the /process answer as JSON. An error wrapped with Permanent marks the photo itself as
// bad: it fails at once instead of being retried.
type Processor func(ctx context.Context, photo []byte, fields map[string]string) (json.RawMessage, error)

// permanentError marks an error that another try cannot fix.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent wraps err so that the worker fails the photo without retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was wrapped with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// task is one photo of a job on the work queue.
type task struct {
	Job    string            `json:"job"`
	Index  int               `json:"index"`
	Name   string            `json:"name"`
	Photo  []byte            `json:"photo,omitempty"`  // inline when small
	Object string            `json:"object,omitempty"` // object-store name when large
	Fields map[string]string `json:"fields,omitempty"`
}

// jobMeta is a job's record in the state bucket (key job.<id>).
type jobMeta struct {
	ID             string            `json:"id"`
	Created        time.Time         `json:"created"`
	State          string            `json:"state"` // submitting, queued (committed), canceled, aborted
	Total          int               `json:"total"`
	Names          []string          `json:"names"`
	Fields         map[string]string `json:"fields,omitempty"`
	IdempotencyKey string            `json:"idempotency_key,omitempty"`
	Error          string            `json:"error,omitempty"`
}

// PhotoResult is one photo's outcome (key res.<job>.<index>); written once, by Create.
type PhotoResult struct {
	Index    int             `json:"index"`
	Name     string          `json:"name"`
	State    string          `json:"state"`
	Result   json.RawMessage `json:"result,omitempty"`
	Error    string          `json:"error,omitempty"`
	Attempts int             `json:"attempts"`
	Worker   string          `json:"worker,omitempty"`
	ReadMS   float64         `json:"read_ms,omitempty"`
	Finished time.Time       `json:"finished"`
}

// attempt records a try in progress (key try.<job>.<index>), so that whoever dead-letters
// the photo can say what happened to the earlier tries.
type attempt struct {
	Worker  string    `json:"worker"`
	Number  int       `json:"number"`
	Started time.Time `json:"started"`
	Error   string    `json:"error,omitempty"` // set when the try ended in an error
}

// DeadLetter is what the dead-letter stream carries for a photo that used up its tries.
type DeadLetter struct {
	Job      string    `json:"job"`
	Index    int       `json:"index"`
	Name     string    `json:"name"`
	Reason   string    `json:"reason"`
	Attempts int       `json:"attempts"`
	At       time.Time `json:"at"`
}

// Job is a job as clients see it.
type Job struct {
	ID       string        `json:"id"`
	State    string        `json:"state"`
	Created  time.Time     `json:"created"`
	Total    int           `json:"total"`
	Counts   Counts        `json:"counts"`
	Error    string        `json:"error,omitempty"`
	Photos   []PhotoResult `json:"photos"`
	Replayed bool          `json:"-"` // returned for a repeated Idempotency-Key
}

// Counts are the photos of a job by state.
type Counts struct {
	Queued   int `json:"queued"`
	Done     int `json:"done"`
	Failed   int `json:"failed"`
	Dead     int `json:"dead"`
	Canceled int `json:"canceled"`
}

// Finished is the number of photos in a final state.
func (c Counts) Finished() int { return c.Done + c.Failed + c.Dead + c.Canceled }

// WorkerInfo is what a worker announces about itself (bucket datalid_workers).
type WorkerInfo struct {
	ID          string    `json:"id"`
	Host        string    `json:"host"`
	Concurrency int       `json:"concurrency"`
	Started     time.Time `json:"started"`
	Seen        time.Time `json:"seen"`
	Processed   int64     `json:"processed"`
	Failed      int64     `json:"failed"`
	InFlight    int       `json:"in_flight"`
}

// Stats describe the queue.
type Stats struct {
	Pending     uint64       `json:"pending"`     // waiting for a worker
	InFlight    int          `json:"in_flight"`   // delivered, not yet acknowledged
	Redelivered int          `json:"redelivered"` // delivered more than once, not yet acknowledged
	DeadLetters uint64       `json:"dead_letters"`
	Workers     []WorkerInfo `json:"workers"`
}
