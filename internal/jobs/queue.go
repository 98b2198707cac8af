package jobs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Config is the queue's layout and its retry rules.
type Config struct {
	URL             string        // NATS server(s), comma-separated
	Replicas        int           // copies of every stream and bucket
	AckWait         time.Duration // silence after which a photo goes to another worker
	MaxDeliver      int           // tries per photo before the dead letter
	ResultTTL       time.Duration // how long job state, results and large photos are kept
	ObjectThreshold int           // photos above this many bytes go through the object store
	MaxJobPhotos    int           // most photos in one job
	Name            string        // connection name, shown by the server
}

// opTimeout bounds one JetStream API call; a restarting server answers within it or the
// caller retries.
const opTimeout = 5 * time.Second

// Queue is a connection to the job queue, shared by gateways and workers.
type Queue struct {
	cfg     Config
	nc      *nats.Conn
	js      jetstream.JetStream
	state   jetstream.KeyValue
	workers jetstream.KeyValue
	photos  jetstream.ObjectStore
	cons    jetstream.Consumer
}

// Open connects to NATS and creates (or updates) the streams, consumer and buckets. It keeps
// reconnecting forever, so a restarting server is a pause, not an error.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	if cfg.Replicas < 1 {
		cfg.Replicas = 1
	}
	nc, err := nats.Connect(cfg.URL, nats.Name(cfg.Name), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond), nats.RetryOnFailedConnect(false))
	if err != nil {
		return nil, fmt.Errorf("jobs: connect %s: %w", cfg.URL, err)
	}
	q := &Queue{cfg: cfg, nc: nc}
	if err := retry(ctx, 30*time.Second, q.setup); err != nil {
		nc.Close()
		return nil, fmt.Errorf("jobs: setting up streams: %w", err)
	}
	return q, nil
}

func (q *Queue) setup(ctx context.Context) error {
	js, err := jetstream.New(q.nc, jetstream.WithDefaultTimeout(opTimeout))
	if err != nil {
		return err
	}
	q.js = js
	r := q.cfg.Replicas
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: taskStream, Subjects: []string{taskSubject}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Replicas: r, MaxAge: q.cfg.ResultTTL,
		Duplicates: 2 * time.Minute, // a gateway's retried publish of the same photo is dropped
	}); err != nil {
		return fmt.Errorf("stream %s: %w", taskStream, err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: deadStream, Subjects: []string{deadSubject}, Storage: jetstream.FileStorage,
		Replicas: r, MaxAge: q.cfg.ResultTTL,
	}); err != nil {
		return fmt.Errorf("stream %s: %w", deadStream, err)
	}
	q.cons, err = js.CreateOrUpdateConsumer(ctx, taskStream, jetstream.ConsumerConfig{
		Durable: consumerName, AckPolicy: jetstream.AckExplicitPolicy, AckWait: q.cfg.AckWait,
		// One delivery past the tries: the worker that gets it only dead-letters the photo,
		// so a photo that kills every worker still ends with a recorded reason.
		MaxDeliver:    q.cfg.MaxDeliver + 1,
		MaxAckPending: 10000,
	})
	if err != nil {
		return fmt.Errorf("consumer: %w", err)
	}
	if q.state, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: stateBucket, TTL: q.cfg.ResultTTL, Storage: jetstream.FileStorage, Replicas: r,
	}); err != nil {
		return fmt.Errorf("bucket %s: %w", stateBucket, err)
	}
	if q.workers, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: workerBucket, TTL: 3 * heartbeatTick, Storage: jetstream.FileStorage, Replicas: r,
	}); err != nil {
		return fmt.Errorf("bucket %s: %w", workerBucket, err)
	}
	if q.photos, err = js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: photoBucket, TTL: q.cfg.ResultTTL, Storage: jetstream.FileStorage, Replicas: r,
	}); err != nil {
		return fmt.Errorf("object store %s: %w", photoBucket, err)
	}
	return nil
}

// Close drops the connection.
func (q *Queue) Close() { q.nc.Close() }

// Config is the queue's configuration.
func (q *Queue) Config() Config { return q.cfg }

// Submission is a job whose photos are being added. Call Add for each photo, then Commit;
// Abort records a failed submission so the job does not look merely slow.
type Submission struct {
	q    *Queue
	meta jobMeta
}

// Begin starts a job. With an idempotency key already used, it returns the first job
// instead (and a nil Submission): the caller answers with it and reads no photos.
func (q *Queue) Begin(ctx context.Context, idemKey string, fields map[string]string) (*Submission, *Job, error) {
	id := newID()
	if idemKey != "" {
		if !validKey(idemKey) {
			return nil, nil, ErrBadKey
		}
		ik := "idem." + hashKey(idemKey)
		err := retry(ctx, opTimeout, func(ctx context.Context) error {
			_, err := q.state.Create(ctx, ik, []byte(id))
			return err
		})
		if errors.Is(err, jetstream.ErrKeyExists) {
			e, err := q.state.Get(ctx, ik)
			if err != nil {
				return nil, nil, fmt.Errorf("jobs: idempotency key: %w", err)
			}
			job, err := q.Job(ctx, string(e.Value()))
			if err != nil {
				return nil, nil, err
			}
			job.Replayed = true
			return nil, job, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("jobs: idempotency key: %w", err)
		}
	}
	s := &Submission{q: q, meta: jobMeta{ID: id, Created: time.Now().UTC(), State: JobSubmitting, Fields: fields, IdempotencyKey: idemKey}}
	if err := s.save(ctx); err != nil {
		return nil, nil, err
	}
	return s, nil, nil
}

// ID is the new job's id.
func (s *Submission) ID() string { return s.meta.ID }

// Add queues one photo. Photos above the object threshold are stored in the object store
// and the task carries their name.
func (s *Submission) Add(ctx context.Context, name string, photo []byte) error {
	if len(s.meta.Names) >= s.q.cfg.MaxJobPhotos {
		return fmt.Errorf("%w: at most %d", ErrTooMany, s.q.cfg.MaxJobPhotos)
	}
	t := task{Job: s.meta.ID, Index: len(s.meta.Names), Name: name, Fields: s.meta.Fields}
	key := photoKey(t.Job, t.Index)
	if len(photo) > s.q.cfg.ObjectThreshold {
		t.Object = key
		if err := retry(ctx, opTimeout, func(ctx context.Context) error {
			_, err := s.q.photos.PutBytes(ctx, key, photo)
			return err
		}); err != nil {
			return fmt.Errorf("jobs: storing photo %d: %w", t.Index, err)
		}
	} else {
		t.Photo = photo
	}
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if err := retry(ctx, opTimeout, func(ctx context.Context) error {
		_, err := s.q.js.Publish(ctx, taskSubject, data, jetstream.WithMsgID(key))
		return err
	}); err != nil {
		return fmt.Errorf("jobs: queueing photo %d: %w", t.Index, err)
	}
	s.meta.Names = append(s.meta.Names, name)
	return nil
}

// Commit records the number of photos; the job is complete once each has a final state.
func (s *Submission) Commit(ctx context.Context) (*Job, error) {
	s.meta.State, s.meta.Total = JobQueued, len(s.meta.Names)
	if err := s.save(ctx); err != nil {
		return nil, err
	}
	return s.q.Job(ctx, s.meta.ID)
}

// Abort marks the job as failed during submission. Photos already queued are skipped by
// the workers.
func (s *Submission) Abort(ctx context.Context, cause error) {
	s.meta.State, s.meta.Total, s.meta.Error = JobAborted, len(s.meta.Names), cause.Error()
	_ = s.save(context.WithoutCancel(ctx)) // best effort: the client already gets the error
}

func (s *Submission) save(ctx context.Context) error {
	data, err := json.Marshal(s.meta)
	if err != nil {
		return err
	}
	return retry(ctx, opTimeout, func(ctx context.Context) error {
		_, err := s.q.state.Put(ctx, "job."+s.meta.ID, data)
		return err
	})
}

// meta reads a job's record.
func (q *Queue) meta(ctx context.Context, id string) (jobMeta, error) {
	var m jobMeta
	if !validID(id) {
		return m, ErrNotFound
	}
	e, err := q.state.Get(ctx, "job."+id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(e.Value(), &m)
}

// Job returns a job with every photo's state.
func (q *Queue) Job(ctx context.Context, id string) (*Job, error) {
	m, err := q.meta(ctx, id)
	if err != nil {
		return nil, err
	}
	results, err := q.results(ctx, id)
	if err != nil {
		return nil, err
	}
	return view(m, results), nil
}

// results collects the results written so far.
func (q *Queue) results(ctx context.Context, id string) (map[int]PhotoResult, error) {
	w, err := q.state.Watch(ctx, "res."+id+".*", jetstream.IgnoreDeletes())
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	out := map[int]PhotoResult{}
	for {
		select {
		case e := <-w.Updates():
			if e == nil {
				return out, nil // the initial values are all in
			}
			var r PhotoResult
			if json.Unmarshal(e.Value(), &r) == nil {
				out[r.Index] = r
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// view combines a job's record and its results.
func view(m jobMeta, results map[int]PhotoResult) *Job {
	j := &Job{ID: m.ID, Created: m.Created, Total: len(m.Names), Error: m.Error}
	if m.State == JobQueued || m.State == JobCanceled || m.State == JobAborted {
		j.Total = m.Total
	}
	n := max(j.Total, len(m.Names))
	for i := range n {
		r, ok := results[i]
		if !ok {
			name := ""
			if i < len(m.Names) {
				name = m.Names[i]
			}
			r = PhotoResult{Index: i, Name: name, State: StateQueued}
			if m.State == JobCanceled || m.State == JobAborted {
				r.State = StateCanceled // no worker will read it
			}
		}
		j.Photos = append(j.Photos, r)
		switch r.State {
		case StateDone:
			j.Counts.Done++
		case StateFailed:
			j.Counts.Failed++
		case StateDead:
			j.Counts.Dead++
		case StateCanceled:
			j.Counts.Canceled++
		default:
			j.Counts.Queued++
		}
	}
	switch {
	case m.State == JobSubmitting:
		j.State = JobSubmitting
	case m.State == JobAborted:
		j.State = JobAborted
	case m.State == JobCanceled:
		j.State = JobCanceled
	case j.Counts.Finished() == j.Total:
		j.State = JobDone
	case j.Counts.Finished() > 0:
		j.State = JobRunning
	default:
		j.State = JobQueued
	}
	return j
}

// Cancel stops the photos of a job that no worker has started; those already read keep
// their results. Cancelling a finished job changes nothing.
func (q *Queue) Cancel(ctx context.Context, id string) (*Job, error) {
	for range 5 { // optimistic concurrency against a submission committing at the same time
		if !validID(id) {
			return nil, ErrNotFound
		}
		e, err := q.state.Get(ctx, "job."+id)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		var m jobMeta
		if err := json.Unmarshal(e.Value(), &m); err != nil {
			return nil, err
		}
		job, err := q.Job(ctx, id)
		if err != nil {
			return nil, err
		}
		if job.State == JobDone || m.State != JobQueued {
			return job, nil
		}
		m.State = JobCanceled
		data, _ := json.Marshal(m)
		if _, err := q.state.Update(ctx, "job."+id, data, e.Revision()); err != nil {
			continue
		}
		return q.Job(ctx, id)
	}
	return nil, errors.New("jobs: cancel: the job kept changing")
}

// Watch calls fn with the job each time one of its photos finishes (and once at the
// start), until the job is complete or ctx ends. It returns the last view.
func (q *Queue) Watch(ctx context.Context, id string, fn func(*Job) error) (*Job, error) {
	m, err := q.meta(ctx, id)
	if err != nil {
		return nil, err
	}
	w, err := q.state.Watch(ctx, "res."+id+".*", jetstream.IgnoreDeletes())
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	results := map[int]PhotoResult{}
	initial := true
	// The record changes rarely (commit, cancel); a slow poll is enough to notice.
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		changed := false
		select {
		case e := <-w.Updates():
			if e == nil {
				initial, changed = false, true
				break
			}
			var r PhotoResult
			if json.Unmarshal(e.Value(), &r) == nil {
				results[r.Index] = r
				changed = !initial
			}
		case <-tick.C:
			if nm, err := q.meta(ctx, id); err == nil && nm.State != m.State {
				m, changed = nm, true
			}
		case <-ctx.Done():
			return view(m, results), ctx.Err()
		}
		if !changed {
			continue
		}
		j := view(m, results)
		if j.State == JobDone { // the record may have changed since the last poll (a cancel)
			if nm, err := q.meta(ctx, id); err == nil {
				m, j = nm, view(nm, results)
			}
		}
		if err := fn(j); err != nil {
			return j, err
		}
		if j.State == JobDone || j.State == JobCanceled || j.State == JobAborted {
			return j, nil
		}
	}
}

// Stats reads the queue's depth, the dead letters and the workers seen recently.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	ci, err := q.cons.Info(ctx)
	if err != nil {
		return s, err
	}
	s.Pending, s.InFlight, s.Redelivered = ci.NumPending, ci.NumAckPending, ci.NumRedelivered
	ds, err := q.js.Stream(ctx, deadStream)
	if err != nil {
		return s, err
	}
	if info, err := ds.Info(ctx); err == nil {
		s.DeadLetters = info.State.Msgs
	}
	lister, err := q.workers.ListKeys(ctx)
	if err != nil {
		return s, err
	}
	for k := range lister.Keys() {
		e, err := q.workers.Get(ctx, k)
		if err != nil {
			continue
		}
		var w WorkerInfo
		if json.Unmarshal(e.Value(), &w) == nil {
			s.Workers = append(s.Workers, w)
		}
	}
	return s, nil
}

// DeadLetters returns the dead letters still kept (oldest first), at most limit.
func (q *Queue) DeadLetters(ctx context.Context, limit int) ([]DeadLetter, error) {
	c, err := q.js.OrderedConsumer(ctx, deadStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, err
	}
	var out []DeadLetter
	for len(out) < limit {
		b, err := c.Fetch(min(limit-len(out), 100), jetstream.FetchMaxWait(200*time.Millisecond))
		if err != nil {
			return out, err
		}
		n := 0
		for m := range b.Messages() {
			n++
			var d DeadLetter
			if json.Unmarshal(m.Data(), &d) == nil {
				out = append(out, d)
			}
		}
		if n == 0 {
			break
		}
	}
	return out, nil
}

// retry runs op until it succeeds, ctx ends, or budget is spent, backing off between tries;
// it rides over a JetStream server restarting or a cluster electing a new leader. Errors
// that another try cannot change (a key that exists) return at once.
func retry(ctx context.Context, budget time.Duration, op func(context.Context) error) error {
	deadline := time.Now().Add(budget)
	wait := 100 * time.Millisecond
	for {
		octx, cancel := context.WithTimeout(ctx, opTimeout)
		err := op(octx)
		cancel()
		if err == nil || errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyNotFound) ||
			ctx.Err() != nil || time.Now().Add(wait).After(deadline) {
			return err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
		wait = min(2*wait, 2*time.Second)
	}
}

func photoKey(job string, i int) string { return job + "." + strconv.Itoa(i) }

// newID is a 128-bit random job id in hex (valid in KV keys and URLs).
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

func hashKey(k string) string {
	h := sha256.Sum256([]byte(k))
	return hex.EncodeToString(h[:])
}

func validKey(k string) bool {
	if k == "" || len(k) > maxIdemKeyLen {
		return false
	}
	return strings.IndexFunc(k, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}
