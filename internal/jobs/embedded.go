package jobs

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// EmbeddedOptions configure an in-process NATS server with JetStream.
type EmbeddedOptions struct {
	Listen   string // client address host:port; port 0 picks a free one
	StoreDir string // JetStream file store
	Name     string // server name; required (and unique) in a cluster
	// Cluster, when set, makes the server a member of a cluster: its own route address
	// (host:port) and the routes of the others.
	ClusterName   string
	ClusterListen string
	Routes        []string
}

// readyTimeout bounds how long an embedded server may take to accept clients; recovering a
// large file store takes a few seconds, an empty one milliseconds.
const readyTimeout = 30 * time.Second

// StartEmbedded starts a NATS server with JetStream in this process and waits until it
// accepts clients. Shut it down with Shutdown (and WaitForShutdown).
func StartEmbedded(o EmbeddedOptions) (*natsserver.Server, error) {
	host, port, err := splitHostPort(o.Listen)
	if err != nil {
		return nil, fmt.Errorf("jobs: nats listen: %w", err)
	}
	opts := &natsserver.Options{
		ServerName: o.Name,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   o.StoreDir,
		NoSigs:     true, // the process owns its signals
		NoLog:      true,
		// Photos up to the object threshold travel inline; leave headroom above it.
		MaxPayload: 1 << 20,
	}
	if o.ClusterListen != "" {
		ch, cp, err := splitHostPort(o.ClusterListen)
		if err != nil {
			return nil, fmt.Errorf("jobs: cluster listen: %w", err)
		}
		opts.Cluster = natsserver.ClusterOpts{Name: o.ClusterName, Host: ch, Port: cp}
		for _, r := range o.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("jobs: route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	// The server reports a busy port only in its log and then never becomes ready; find out
	// first, with an error that says what to change.
	if port != 0 {
		ln, err := net.Listen("tcp", o.Listen)
		if err != nil {
			return nil, fmt.Errorf("jobs: nats listen %s: %w (another datalid serve or NATS server? set nats.listen, or nats.url to join it)", o.Listen, err)
		}
		ln.Close()
	}
	s, err := natsserver.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: nats server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(readyTimeout) {
		s.Shutdown()
		return nil, fmt.Errorf("jobs: nats server on %s not ready within %s", o.Listen, readyTimeout)
	}
	return s, nil
}

func splitHostPort(addr string) (string, int, error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, err
	}
	return h, n, nil
}
