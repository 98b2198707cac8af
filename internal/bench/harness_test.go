package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
)

// fakeTarget sleeps a fixed time per read and fails every failEvery-th read.
type fakeTarget struct {
	delay     time.Duration
	failEvery int64
	calls     atomic.Int64
	inRT      atomic.Int64
}

func (f *fakeTarget) Read(ctx context.Context, data []byte) (map[string]time.Duration, error) {
	n := f.calls.Add(1)
	time.Sleep(f.delay)
	f.inRT.Add(int64(f.delay / 2))
	if f.failEvery > 0 && n%f.failEvery == 0 {
		return nil, errors.New("boom")
	}
	return map[string]time.Duration{StageDecode: f.delay / 4, StageDetectRun: f.delay / 2}, nil
}

func (f *fakeTarget) RuntimeTime() time.Duration { return time.Duration(f.inRT.Load()) }

func TestRunCountsAndErrors(t *testing.T) {
	ft := &fakeTarget{delay: 2 * time.Millisecond, failEvery: 5}
	inputs := []Input{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	var done atomic.Int64
	r, err := Run(context.Background(), ft, inputs, Options{Concurrency: 2, Warmup: 3, Iterations: 20, OnDone: func() { done.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	// Calls 1-3 are warm-up; of the counted calls 4..23, 5, 10, 15 and 20 fail.
	if ft.calls.Load() != 23 || done.Load() != 20 || r.Images+r.Errors != 20 || r.Errors != 4 || r.FirstError != "boom" {
		t.Errorf("calls %d, done %d, images %d, errors %d (%q)", ft.calls.Load(), done.Load(), r.Images, r.Errors, r.FirstError)
	}
	if r.ThroughputIPS <= 0 || r.Latency.P50 < 2 || len(r.LatenciesMS) != r.Images {
		t.Errorf("throughput %v, latency %+v", r.ThroughputIPS, r.Latency)
	}
	if got := r.StagesMS[StageDetectRun]; got < 0.9 || got > 1.1 {
		t.Errorf("detect_run mean %v ms, want 1", got)
	}
	// Half of each read's 2 ms is "runtime", so at least ~ a third is outside it (sleep overshoots).
	if r.OutsideRuntimeShare <= 0.3 || r.OutsideRuntimeShare >= 1 {
		t.Errorf("outside share %v", r.OutsideRuntimeShare)
	}
	if r.PeakRSS <= 0 && os.Getenv("GOOS") == "linux" {
		t.Error("no peak RSS")
	}
}

func TestRunDuration(t *testing.T) {
	ft := &fakeTarget{delay: time.Millisecond}
	r, err := Run(context.Background(), ft, []Input{{}}, Options{Duration: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// One input read for 30 ms: more than once, whatever the machine's load.
	if r.Images < 2 || r.WallSeconds < 0.03 {
		t.Errorf("%d images in %vs", r.Images, r.WallSeconds)
	}
	if _, err := Run(context.Background(), ft, nil, Options{}); !errors.Is(err, ErrNoInputs) {
		t.Errorf("no inputs: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, ft, []Input{{}}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestServerMode runs the concurrency sweep against a stand-in for `datalid serve`.
func TestServerMode(t *testing.T) {
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/process" || r.Header.Get("X-API-Key") != "k" {
			http.Error(w, "bad route", http.StatusNotFound)
			return
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(f)
		if !bytes.Equal(data, []byte("jpeg")) {
			http.Error(w, "wrong body", http.StatusBadRequest)
			return
		}
		if posts.Add(1) == 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		json.NewEncoder(w).Encode(api.ProcessImageResponse{Status: "success", Metrics: api.Metrics{DecodeTime: 0.002, DetectionTime: 0.01}})
	}))
	defer srv.Close()
	rep, err := Server(context.Background(), ServerTarget{URL: srv.URL + "/", APIKey: "k"}, []Input{{Data: []byte("jpeg")}}, []int{1, 2}, Options{Iterations: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 || rep.Results[0].Images+rep.Results[1].Images != 7 || rep.Results[0].Errors != 1 {
		t.Fatalf("results %+v", rep.Results)
	}
	if !strings.Contains(rep.Results[0].FirstError, "503") {
		t.Errorf("first error %q", rep.Results[0].FirstError)
	}
	if got := rep.Results[1].StagesMS[StageDetection]; got != 10 {
		t.Errorf("detection %v ms, want 10", got)
	}
	if rep.BestThroughput == "" || rep.BestLatency == "" {
		t.Errorf("no best named: %+v", rep)
	}
}

func TestReportsAndCharts(t *testing.T) {
	rep := Report{Mode: "in-process", Provider: "cpu", Inputs: 2, CPUs: 2}
	for _, c := range []int{1, 2} {
		for _, b := range []int{1, 8} {
			rep.Results = append(rep.Results, Result{
				Name: "c" + string(rune('0'+c)) + "b" + string(rune('0'+b)), Concurrency: c, BatchSize: b, Threads: 1,
				Images: 3, ThroughputIPS: float64(c * b), LatenciesMS: []float64{100, 120, 300},
				Latency: Latency{P50: 120, P95: 280}, StagesMS: map[string]float64{StageDecode: 5, StageORTRun: 80},
				OutsideRuntimeShare: 0.2,
			})
		}
	}
	rep.pickBest(true)
	var tb, jb bytes.Buffer
	if err := WriteTable(&tb, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"provider cpu", "img/s", "ort_run", "20%", "best batch size:     8"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	if err := WriteJSON(&jb, rep); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(jb.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	first := got["results"].([]any)[0].(map[string]any)
	for _, k := range []string{"throughput_ips", "latency_ms", "peak_rss_bytes", "stages_ms"} {
		if _, ok := first[k]; !ok {
			t.Errorf("JSON result lacks %s: %v", k, first)
		}
	}
	if _, ok := first["latency_ms"].(map[string]any)["p99"]; !ok {
		t.Error("latency_ms lacks p99")
	}
	dir := t.TempDir()
	files, err := WriteCharts(dir, rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("charts %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("</svg>")) {
			t.Errorf("%s is not an SVG document", filepath.Base(f))
		}
	}
}
