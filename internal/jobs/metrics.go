package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// WorkerMetrics are a worker's own counters. Their worker label has one value per worker
// process, so its cardinality is the number of workers.
type WorkerMetrics struct {
	photos      *prometheus.CounterVec
	readSeconds *prometheus.HistogramVec
	redeliver   prometheus.Counter
	deadLetters prometheus.Counter
	duplicates  prometheus.Counter
}

// NewWorkerMetrics registers the worker metrics on reg.
func NewWorkerMetrics(reg prometheus.Registerer) *WorkerMetrics {
	m := &WorkerMetrics{
		photos: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datalid_jobs_worker_photos_total", Help: "Photos read by this worker, by outcome (done, failed, retried).",
		}, []string{"worker", "outcome"}),
		readSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "datalid_jobs_worker_read_seconds", Help: "Time a worker spent reading one photo.",
			Buckets: prometheus.ExponentialBuckets(0.025, 2, 12),
		}, []string{"worker"}),
		redeliver: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "datalid_jobs_redeliveries_total", Help: "Photos this worker received on a second or later delivery.",
		}),
		deadLetters: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "datalid_jobs_dead_letters_total", Help: "Photos this worker dead-lettered after their last try.",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "datalid_jobs_duplicate_results_total", Help: "Reads whose result was already stored by an earlier delivery (their result was dropped).",
		}),
	}
	reg.MustRegister(m.photos, m.readSeconds, m.redeliver, m.deadLetters, m.duplicates)
	return m
}

func (m *WorkerMetrics) read(worker, outcome string, ms float64) {
	if m == nil {
		return
	}
	m.photos.WithLabelValues(worker, outcome).Inc()
	m.readSeconds.WithLabelValues(worker).Observe(ms / 1000)
}

func (m *WorkerMetrics) redelivered() {
	if m != nil {
		m.redeliver.Inc()
	}
}

func (m *WorkerMetrics) dead() {
	if m != nil {
		m.deadLetters.Inc()
	}
}

func (m *WorkerMetrics) duplicate() {
	if m != nil {
		m.duplicates.Inc()
	}
}

// statsTimeout bounds a scrape's questions to the queue.
const statsTimeout = 2 * time.Second

// queueCollector reports the queue as the server sees it, asked at scrape time.
type queueCollector struct {
	q                                          *Queue
	pending, inFlight, redelivered, dead, seen *prometheus.Desc
	workerPhotos, up                           *prometheus.Desc
}

// RegisterQueueMetrics reports queue depth, photos in flight, redeliveries, dead letters and
// each worker's photos on reg, read from the queue at each scrape.
func RegisterQueueMetrics(reg prometheus.Registerer, q *Queue) {
	reg.MustRegister(&queueCollector{
		q:            q,
		pending:      prometheus.NewDesc("datalid_jobs_queue_depth", "Photos waiting for a worker.", nil, nil),
		inFlight:     prometheus.NewDesc("datalid_jobs_in_flight", "Photos delivered to a worker and not yet acknowledged.", nil, nil),
		redelivered:  prometheus.NewDesc("datalid_jobs_redelivered", "Photos in flight on a second or later delivery.", nil, nil),
		dead:         prometheus.NewDesc("datalid_jobs_dead_letters", "Dead letters kept in the dead-letter stream.", nil, nil),
		seen:         prometheus.NewDesc("datalid_jobs_workers", "Workers that announced themselves recently.", nil, nil),
		workerPhotos: prometheus.NewDesc("datalid_jobs_worker_processed", "Photos each live worker has read since it started.", []string{"worker"}, nil),
		up:           prometheus.NewDesc("datalid_jobs_queue_up", "1 when the queue answered this scrape.", nil, nil),
	})
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.pending, c.inFlight, c.redelivered, c.dead, c.seen, c.workerPhotos, c.up} {
		ch <- d
	}
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	s, err := c.q.Stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(s.Pending))
	ch <- prometheus.MustNewConstMetric(c.inFlight, prometheus.GaugeValue, float64(s.InFlight))
	ch <- prometheus.MustNewConstMetric(c.redelivered, prometheus.GaugeValue, float64(s.Redelivered))
	ch <- prometheus.MustNewConstMetric(c.dead, prometheus.GaugeValue, float64(s.DeadLetters))
	ch <- prometheus.MustNewConstMetric(c.seen, prometheus.GaugeValue, float64(len(s.Workers)))
	for _, w := range s.Workers {
		ch <- prometheus.MustNewConstMetric(c.workerPhotos, prometheus.CounterValue, float64(w.Processed), w.ID)
	}
}
