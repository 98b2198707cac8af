package server

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/datalid/datalid/internal/engine"
)

// metrics are the server's Prometheus collectors, registered on an injected registry (never
// the global one, so tests and several servers in one process do not collide). Labels are
// bounded: route is the mux pattern, status the numeric code, stage and model fixed sets.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
	rejects  *prometheus.CounterVec
	stages   *prometheus.HistogramVec
	load     prometheus.Gauge
}

// modelRoles are the engine's batched models (bounded label values).
var modelRoles = []string{"detector", "classifier", "recognizer"}

func newMetrics(reg prometheus.Registerer, s *Server) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datalid_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "datalid_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "datalid_http_in_flight_requests", Help: "HTTP requests being served now.",
		}),
		rejects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datalid_http_rejected_requests_total", Help: "Requests answered with an error, by stable error code.",
		}, []string{"code"}),
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "datalid_pipeline_stage_duration_seconds", Help: "Time per pipeline stage of each image read.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"stage"}),
		load: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "datalid_engine_model_load_seconds", Help: "Time taken to load the models.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.inFlight, m.rejects, m.stages, m.load, newCacheCollector(s.eng.CacheStats),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "datalid_admission_in_flight_images", Help: "Images holding an inference slot.",
		}, func() float64 { return float64(s.adm.inFlight()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "datalid_admission_queue_depth_images", Help: "Images waiting for an inference slot.",
		}, func() float64 { return float64(s.adm.waiting.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "datalid_admission_admitted_requests", Help: "Requests admitted (running or queued).",
		}, func() float64 { return float64(s.adm.admitted.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "datalid_server_uptime_seconds", Help: "Seconds since the server started.",
		}, func() float64 { return time.Since(s.started).Seconds() }),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{Namespace: "datalid"}),
		collectors.NewGoCollector(),
	)
	for _, role := range modelRoles {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "datalid_batch_queue_depth_items", Help: "Model calls waiting in the dynamic batcher.",
			ConstLabels: prometheus.Labels{"model": role},
		}, func() float64 { return float64(s.eng.QueueDepths()[role]) }))
	}
	return m
}

// BatchMetrics are the dynamic batcher's histograms. They exist before the engine (whose
// batchers feed them through engine.WithBatchObserver), hence apart from the server's own.
type BatchMetrics struct {
	size, wait *prometheus.HistogramVec
}

// NewBatchMetrics registers the batch histograms on reg.
func NewBatchMetrics(reg prometheus.Registerer) *BatchMetrics {
	b := &BatchMetrics{
		size: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "datalid_batch_size_items", Help: "Items per batched model run.",
			Buckets: []float64{1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64},
		}, []string{"model"}),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "datalid_batch_wait_seconds", Help: "How long the oldest input of a batched run waited.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25},
		}, []string{"model"}),
	}
	reg.MustRegister(b.size, b.wait)
	return b
}

// Observe records one batched run; pass it to engine.WithBatchObserver.
func (b *BatchMetrics) Observe(model string, items int, wait time.Duration) {
	b.size.WithLabelValues(model).Observe(float64(items))
	b.wait.WithLabelValues(model).Observe(wait.Seconds())
}

func (m *metrics) request(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) rejected(code string) { m.rejects.WithLabelValues(code).Inc() }

func (m *metrics) timings(t engine.Timings) {
	for _, st := range engine.Stages(t) {
		m.stages.WithLabelValues(st.Name).Observe(st.Time.Seconds())
	}
	m.stages.WithLabelValues("total").Observe(t.Total.Seconds())
}
