package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/config"
)

// running is a server on 127.0.0.1:0.
type running struct {
	srv  *Server
	url  string
	spec *specValidator
	stop func()
}

func start(t testing.TB, cfg config.Config, eng Engine, waitReady bool) *running {
	t.Helper()
	srv, err := New(Options{Config: cfg, Engine: eng, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	r := &running{srv: srv, url: "http://" + ln.Addr().String(), spec: loadSpec(t), stop: stop}
	if waitReady {
		deadline := time.Now().Add(2 * time.Minute)
		for !srv.Ready() {
			if time.Now().After(deadline) {
				t.Fatal("server never became ready")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return r
}

// form builds a multipart body: files under field, then string fields.
func form(t testing.TB, field string, files [][]byte, fields map[string]string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i, f := range files {
		w, err := mw.CreateFormFile(field, "photo"+string(rune('a'+i))+".png")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r *running) do(t testing.TB, method, path string, body io.Reader, ctype string, hdr map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, r.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}
}

func (r *running) post(t testing.TB, path string, files [][]byte, fields map[string]string, hdr map[string]string) reply {
	t.Helper()
	field := "file"
	if path != "/process" {
		field = "files"
	}
	body, ct := form(t, field, files, fields)
	return r.do(t, http.MethodPost, path, body, ct, hdr)
}

func errCode(t testing.TB, rp reply) string {
	t.Helper()
	var e api.ErrorResponse
	if err := json.Unmarshal(rp.body, &e); err != nil || e.Status != "error" {
		t.Fatalf("status %d: not an error envelope: %s", rp.status, rp.body)
	}
	if e.RequestID == nil || *e.RequestID != rp.header.Get("X-Request-ID") {
		t.Errorf("envelope request_id %v, header %q", e.RequestID, rp.header.Get("X-Request-ID"))
	}
	return e.Error.Code
}

func TestProcessAppliesOptions(t *testing.T) {
	r := start(t, testConfig(t), &fakeEngine{}, true)
	img := pngBytes(t, 64, 48)
	rp := r.post(t, "/process", [][]byte{img}, map[string]string{
		"return_visualization": "true", "return_crops": "true", "return_crop_images": "true", "return_full_ocr": "true",
	}, map[string]string{"X-Request-ID": "abc-123"})
	if rp.status != http.StatusOK {
		t.Fatalf("status %d: %s", rp.status, rp.body)
	}
	r.spec.validate(t, "/process", "POST", 200, rp.body)
	var resp api.ProcessImageResponse
	json.Unmarshal(rp.body, &resp)
	if rp.header.Get("X-Request-ID") != "abc-123" || resp.RequestID == nil || *resp.RequestID != "abc-123" {
		t.Errorf("request id not carried: header %q body %v", rp.header.Get("X-Request-ID"), resp.RequestID)
	}
	if resp.BestDate == nil || *resp.BestDate.Date != "2026-06-17" || resp.Status != api.StatusSuccess {
		t.Errorf("best date %+v status %s", resp.BestDate, resp.Status)
	}
	if resp.VisualizationBase64 == nil || !strings.HasPrefix(*resp.VisualizationBase64, "data:image/jpeg;base64,") {
		t.Error("return_visualization ignored")
	}
	if len(resp.CropsBase64) != 1 || resp.OCRResults[0].CropOriginalBase64 == nil || resp.OCRResults[0].CropProcessedBase64 == nil {
		t.Error("return_crops / return_crop_images ignored")
	}
	// Without the flags, no pictures; a stricter detection_confidence drops the region.
	rp = r.post(t, "/process", [][]byte{img}, map[string]string{"detection_confidence": "0.9"}, nil)
	json.Unmarshal(rp.body, &resp)
	if resp.VisualizationBase64 != nil || len(resp.Detections) != 0 || resp.Status != api.StatusFailed {
		t.Errorf("detection_confidence 0.9: %d detections, status %s", len(resp.Detections), resp.Status)
	}
	// A raw image body works too.
	rp = r.do(t, "POST", "/process", bytes.NewReader(img), "image/png", nil)
	if rp.status != 200 {
		t.Errorf("raw body: %d %s", rp.status, rp.body)
	}
}

func TestErrorPaths(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.APIKeys = []string{"secret"}
	r := start(t, cfg, &fakeEngine{}, true)
	key := map[string]string{"X-API-Key": "secret"}
	img := pngBytes(t, 8, 8)
	big := bytes.Repeat([]byte{0}, int(cfg.Server.MaxBodyBytes)+1)
	cases := []struct {
		name   string
		do     func() reply
		status int
		code   string
	}{
		{"no key", func() reply { return r.post(t, "/process", [][]byte{img}, nil, nil) }, 401, api.CodeUnauthorized},
		{"wrong key", func() reply {
			return r.post(t, "/process", [][]byte{img}, nil, map[string]string{"X-API-Key": "secreT"})
		}, 401, api.CodeUnauthorized},
		// Datalid answered a file that is not an image with 400 on its routes; the code says which.
		{"not an image type", func() reply { return r.do(t, "POST", "/process", strings.NewReader("hi"), "text/plain", key) }, 400, api.CodeUnsupported},
		{"unknown image bytes", func() reply { return r.post(t, "/process", [][]byte{[]byte("GIF89a not really")}, nil, key) }, 400, api.CodeUnsupported},
		{"not an image type, batch", func() reply { return r.do(t, "POST", "/process_batch", strings.NewReader("hi"), "text/plain", key) }, 400, api.CodeUnsupported},
		{"corrupt image", func() reply { return r.post(t, "/process", [][]byte{img[:40]}, nil, key) }, 400, api.CodeInvalidImage},
		{"too big", func() reply { return r.post(t, "/process", [][]byte{big}, nil, key) }, 413, api.CodeTooLarge},
		{"bad option", func() reply {
			return r.post(t, "/process", [][]byte{img}, map[string]string{"detection_confidence": "1.5"}, key)
		}, 400, api.CodeValidation},
		{"bad engine", func() reply {
			return r.post(t, "/process", [][]byte{img}, map[string]string{"ocr_engine": "tesseract"}, key)
		}, 400, api.CodeValidation},
		{"no file", func() reply { return r.post(t, "/process", nil, map[string]string{"x": "y"}, key) }, 400, api.CodeValidation},
		{"too many files", func() reply { return r.post(t, "/process/batch", [][]byte{img, img, img, img}, nil, key) }, 400, api.CodeTooManyFiles},
		{"unknown route", func() reply { return r.do(t, "GET", "/nope", nil, "", key) }, 404, api.CodeNotFound},
		{"wrong method", func() reply { return r.do(t, "DELETE", "/process", nil, "", key) }, 405, api.CodeMethod},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rp := c.do()
			if rp.status != c.status {
				t.Fatalf("status %d, want %d: %s", rp.status, c.status, rp.body)
			}
			if code := errCode(t, rp); code != c.code {
				t.Errorf("code %s, want %s", code, c.code)
			}
			if c.status != 404 && c.status != 405 && c.status != 401 {
				r.spec.validate(t, pathOf(c.name), "POST", c.status, rp.body)
			}
		})
	}
	// Probes and metrics need no key.
	for _, p := range []string{"/health", "/readiness", "/metrics"} {
		if rp := r.do(t, "GET", p, nil, "", nil); rp.status != 200 {
			t.Errorf("%s without key: %d", p, rp.status)
		}
	}
}

// pathOf says which route a TestErrorPaths case posts to.
func pathOf(name string) string {
	if name == "too many files" {
		return "/process/batch"
	}
	return "/process"
}

func TestTimeout(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.RequestTimeout = 100 * time.Millisecond
	r := start(t, cfg, &fakeEngine{block: make(chan struct{})}, true)
	rp := r.post(t, "/process", [][]byte{pngBytes(t, 8, 8)}, nil, nil)
	if rp.status != http.StatusGatewayTimeout || errCode(t, rp) != api.CodeTimeout {
		t.Fatalf("status %d: %s", rp.status, rp.body)
	}
	r.spec.validate(t, "/process", "POST", 504, rp.body)
}

func TestAdmissionRejectsAtOnce(t *testing.T) {
	cfg := testConfig(t) // 2 in flight + 2 queued
	eng := &fakeEngine{block: make(chan struct{})}
	r := start(t, cfg, eng, true)
	img := pngBytes(t, 8, 8)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if rp := r.post(t, "/process", [][]byte{img}, nil, nil); rp.status != 200 {
				t.Errorf("admitted request: %d %s", rp.status, rp.body)
			}
		})
	}
	for r.srv.adm.admitted.Load() < 4 || r.srv.adm.waiting.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	t0 := time.Now()
	rp := r.post(t, "/process", [][]byte{img}, nil, nil)
	if rp.status != 503 || errCode(t, rp) != api.CodeOverloaded || rp.header.Get("Retry-After") == "" {
		t.Errorf("overload: %d %q %s", rp.status, rp.header.Get("Retry-After"), rp.body)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("rejection took %v; must be immediate", d)
	}
	r.spec.validate(t, "/process", "POST", 503, rp.body)
	close(eng.block)
	wg.Wait()
}

func TestRateLimit(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.RateLimitPerMinute = 2
	r := start(t, cfg, &fakeEngine{}, true)
	img := pngBytes(t, 8, 8)
	for i := range 2 {
		if rp := r.post(t, "/process", [][]byte{img}, nil, nil); rp.status != 200 {
			t.Fatalf("request %d: %d", i, rp.status)
		}
	}
	rp := r.post(t, "/process", [][]byte{img}, nil, nil)
	if rp.status != 429 || errCode(t, rp) != api.CodeRateLimited || rp.header.Get("Retry-After") == "" {
		t.Fatalf("third request: %d %q %s", rp.status, rp.header.Get("Retry-After"), rp.body)
	}
	r.spec.validate(t, "/process", "POST", 429, rp.body)
}

func TestReadinessAndShutdown(t *testing.T) {
	eng := &fakeEngine{warm: make(chan struct{}), block: make(chan struct{})}
	r := start(t, testConfig(t), eng, false)
	rp := r.do(t, "GET", "/readiness", nil, "", nil)
	if rp.status != 503 || !strings.Contains(string(rp.body), "models_not_loaded") {
		t.Fatalf("before warm-up: %d %s", rp.status, rp.body)
	}
	r.spec.validate(t, "/readiness", "GET", 503, rp.body)
	if rp := r.post(t, "/process", [][]byte{pngBytes(t, 8, 8)}, nil, nil); rp.status != 503 || errCode(t, rp) != api.CodeNotReady {
		t.Fatalf("process before ready: %d %s", rp.status, rp.body)
	}
	close(eng.warm)
	for !r.srv.Ready() {
		time.Sleep(time.Millisecond)
	}
	for _, p := range []string{"/readiness", "/health", "/info"} {
		rp := r.do(t, "GET", p, nil, "", nil)
		if rp.status != 200 {
			t.Fatalf("%s: %d", p, rp.status)
		}
		r.spec.validate(t, p, "GET", 200, rp.body)
	}
	// Shutdown lets the request in flight finish.
	got := make(chan reply, 1)
	go func() { got <- r.post(t, "/process", [][]byte{pngBytes(t, 8, 8)}, nil, nil) }()
	for eng.started.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	stopped := make(chan struct{})
	go func() { r.stop(); close(stopped) }()
	time.Sleep(50 * time.Millisecond)
	close(eng.block)
	if rp := <-got; rp.status != 200 {
		t.Errorf("in-flight request during shutdown: %d %s", rp.status, rp.body)
	}
	<-stopped
	if _, err := http.Get(r.url + "/health"); err == nil {
		t.Error("server still accepts after shutdown")
	}
}

func TestBatch(t *testing.T) {
	r := start(t, testConfig(t), &fakeEngine{}, true)
	img := pngBytes(t, 16, 16)
	for _, path := range []string{"/process/batch", "/process_batch"} {
		rp := r.post(t, path, [][]byte{img, []byte("not an image"), img}, nil, nil)
		if rp.status != 200 {
			t.Fatalf("%s: %d %s", path, rp.status, rp.body)
		}
		r.spec.validate(t, path, "POST", 200, rp.body)
		var b api.BatchProcessResponse
		json.Unmarshal(rp.body, &b)
		if b.Status != api.StatusPartial || b.Successful != 2 || b.Failed != 1 || b.Results[1].Error == nil || b.Results[0].Result == nil {
			t.Errorf("%s: %+v", path, b)
		}
	}
}

func TestCORSAndMetrics(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.CORSOrigins = []string{"https://app.example"}
	r := start(t, cfg, &fakeEngine{}, true)
	rp := r.do(t, "OPTIONS", "/process", nil, "", map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
	if rp.status != 204 || rp.header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("preflight: %d %v", rp.status, rp.header)
	}
	rp = r.do(t, "GET", "/health", nil, "", map[string]string{"Origin": "https://evil.example"})
	if rp.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS allowed an unlisted origin")
	}
	if rp = r.do(t, "GET", "/health", nil, "", map[string]string{"Origin": "http://localhost:3000"}); rp.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("a configured list still allowed the default origins")
	}
	r.post(t, "/process", [][]byte{pngBytes(t, 8, 8)}, nil, nil)
	r.post(t, "/process", [][]byte{[]byte("junk")}, nil, nil)
	m := string(r.do(t, "GET", "/metrics", nil, "", nil).body)
	for _, want := range []string{
		`datalid_http_requests_total{method="POST",route="POST /process",status="200"} 1`,
		`datalid_http_rejected_requests_total{code="UNSUPPORTED_FORMAT"} 1`,
		`datalid_pipeline_stage_duration_seconds_count{stage="detect_run"} 1`,
		"datalid_admission_in_flight_images", "datalid_batch_queue_depth_items", "datalid_process_resident_memory_bytes",
		"datalid_http_request_duration_seconds_bucket", "datalid_engine_model_load_seconds",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestWebPageServed(t *testing.T) {
	r := start(t, testConfig(t), &fakeEngine{}, true)
	rp := r.do(t, "GET", "/", nil, "", nil)
	if rp.status != 200 || !strings.Contains(string(rp.body), `capture="environment"`) {
		t.Fatalf("/: %d", rp.status)
	}
	for _, f := range []string{"/static/app.js", "/static/style.css", "/openapi.json", "/favicon.ico"} {
		if rp := r.do(t, "GET", f, nil, "", nil); rp.status != 200 {
			t.Errorf("%s: %d", f, rp.status)
		}
	}
	if rp := r.do(t, "GET", "/favicon.ico", nil, "", nil); rp.header.Get("Content-Type") != "image/svg+xml" || !bytes.HasPrefix(rp.body, []byte("<svg")) {
		t.Errorf("/favicon.ico: %s %.40q", rp.header.Get("Content-Type"), rp.body)
	}
}

func TestErrorStatusTable(t *testing.T) {
	if s, c := errorStatus(errors.New("boom")); s != 500 || c != api.CodeInternal {
		t.Errorf("plain error: %d %s", s, c)
	}
	if s, _ := errorStatus(context.Canceled); s != 499 {
		t.Errorf("cancelled: %d", s)
	}
}
