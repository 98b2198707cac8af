package config

import (
	"net/url"
	"slices"
	"time"
)

// NATSConfig configures asynchronous jobs on NATS JetStream (internal/jobs): where the queue
// lives, how long a read may take before another worker gets it, how many tries a photo
// gets, and how long results are kept.
type NATSConfig struct {
	// Enabled turns on /v2/jobs and the job queue; off, serve has no queue at all.
	Enabled bool `yaml:"enabled"`
	// URL of an external NATS cluster (nats://host:4222, comma-separated seeds); "" = run
	// an embedded server with JetStream in this process.
	URL string `yaml:"url"`
	// Listen is the embedded server's client address; loopback by default so nothing
	// outside the machine can reach the queue unless asked.
	Listen string `yaml:"listen"`
	// StoreDir holds the embedded server's JetStream file store.
	StoreDir string `yaml:"store_dir"`
	// Replicas of the streams and buckets (1 for one server; 3 for a 3-node cluster).
	Replicas int `yaml:"replicas"`
	// Workers is how many photos this process reads from the queue at once; 0 = none
	// (a gateway: HTTP only, remote `datalid worker`s do the reading).
	Workers int `yaml:"workers"`
	// AckWait is how long a delivered photo may go without an ack or an in-progress
	// heartbeat before it is handed to another worker.
	AckWait time.Duration `yaml:"ack_wait"`
	// MaxDeliver is how many times a photo is tried; after that it is dead-lettered.
	MaxDeliver int `yaml:"max_deliver"`
	// ResultTTL is how long job state and results are kept.
	ResultTTL time.Duration `yaml:"result_ttl"`
	// ObjectThreshold: photos larger than this go through the object store instead of
	// inside the task message (NATS messages are limited to 1 MiB by default).
	ObjectThreshold int64 `yaml:"object_threshold"`
	// MaxJobPhotos is the most photos one POST /v2/jobs may carry.
	MaxJobPhotos int `yaml:"max_job_photos"`
}

// natsSchemes are the accepted URL schemes of nats.url.
var natsSchemes = []string{"nats", "tls", "ws", "wss"}

func (n NATSConfig) validate(v *validator) {
	if n.URL != "" {
		for _, s := range splitURLs(n.URL) {
			if u, err := url.Parse(s); err != nil || !slices.Contains(natsSchemes, u.Scheme) || u.Host == "" {
				v.add("nats.url", "%q is not a nats://host:port URL", s)
			}
		}
	}
	v.hostPort("nats.listen", n.Listen)
	if n.Enabled && n.URL == "" {
		v.required("nats.store_dir", n.StoreDir)
	}
	v.intRange("nats.replicas", int64(n.Replicas), 1, 5)
	v.intRange("nats.workers", int64(n.Workers), 0, 1024)
	v.durRange("nats.ack_wait", n.AckWait, time.Second, 24*time.Hour)
	v.intRange("nats.max_deliver", int64(n.MaxDeliver), 1, 100)
	v.durRange("nats.result_ttl", n.ResultTTL, time.Minute, 365*24*time.Hour)
	// Below 1 MiB (NATS's default message limit) minus room for the task's other fields.
	v.intRange("nats.object_threshold", n.ObjectThreshold, 1024, 900*1024)
	v.intRange("nats.max_job_photos", int64(n.MaxJobPhotos), 1, 100000)
}

// splitURLs splits a comma-separated list of server URLs, as NATS clients accept them.
func splitURLs(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
