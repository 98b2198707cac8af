package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/config"
)

// The hostile probe's findings (issue 9), each as a test against the fake engine with the
// transfer thresholds shortened. The same scenarios at full scale, on the real engine, are
// `make hostile` (cmd/datalid probe.go).

// startTuned is start with the server's thresholds changed before it serves.
func startTuned(t testing.TB, cfg config.Config, eng Engine, tune func(*Server)) *running {
	t.Helper()
	srv, err := New(Options{Config: cfg, Engine: eng, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if tune != nil {
		tune(srv)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := smallSendBuffers{l.(*net.TCPListener)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	var once sync.Once
	var serveErr error
	stop := func() {
		once.Do(func() {
			cancel()
			serveErr = <-done
		})
	}
	t.Cleanup(func() {
		stop()
		if serveErr != nil {
			t.Errorf("Serve: %v", serveErr)
		}
	})
	r := &running{srv: srv, url: "http://" + ln.Addr().String(), spec: loadSpec(t), stop: stop}
	for !srv.Ready() {
		time.Sleep(time.Millisecond)
	}
	return r
}

// smallSendBuffers makes a large answer to a client that does not read block the server's
// write at once, as it does across a real network, instead of vanishing into loopback buffers.
type smallSendBuffers struct{ *net.TCPListener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.AcceptTCP()
	if err == nil {
		c.SetWriteBuffer(16 << 10)
	}
	return c, err
}

func fast(s *Server) {
	s.xio.grace, s.xio.stopCut, s.xio.drainTime = 300*time.Millisecond, 200*time.Millisecond, 2*time.Second
}

// rawRequest is a request written by hand, as a hostile or plain client writes it.
func rawRequest(path, ctype string, body []byte, extra string) []byte {
	return fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n%s",
		path, ctype, len(body), extra, body)
}

func multipartBody(t testing.TB, field string, files [][]byte, fields map[string]string) ([]byte, string) {
	body, ct := form(t, field, files, fields)
	b, _ := io.ReadAll(body)
	return b, ct
}

// slowUpload sends the headers and the first bytes of body, then one byte every period; it
// returns the status line the server answers with ("" if it only closed).
func slowUpload(t testing.TB, addr string, head []byte, period time.Duration, stop <-chan struct{}) string {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer c.Close()
	c.Write(head)
	go func() {
		tk := time.NewTicker(period)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				if _, err := c.Write([]byte{'x'}); err != nil {
					return
				}
			}
		}
	}()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line)
}

// Finding 1: slow uploads held every admission place and a normal client got nothing. Now
// admission is taken once the body is in, and a body under the minimum rate is cut with 408.
func TestSlowBodiesHoldNoPlace(t *testing.T) {
	cfg := testConfig(t) // 2 in flight + 2 queued
	r := startTuned(t, cfg, &fakeEngine{}, func(s *Server) { fast(s); s.xio.grace = 2 * time.Second })
	addr := strings.TrimPrefix(r.url, "http://")
	img := pngBytes(t, 8, 8)
	body, ct := multipartBody(t, "file", [][]byte{img}, nil)
	head := rawRequest("/process", ct, body, "")
	head = head[:len(head)-len(body)+10] // headers and 10 body bytes
	stop := make(chan struct{})
	defer close(stop)
	const slow = 10 // 2.5 × capacity
	lines := make(chan string, slow)
	for range slow {
		go func() { lines <- slowUpload(t, addr, head, 100*time.Millisecond, stop) }()
	}
	deadline := time.Now().Add(time.Second)
	for r.srv.xio.reading.Load() < slow {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d slow uploads being read", r.srv.xio.reading.Load(), slow)
		}
		time.Sleep(time.Millisecond)
	}
	ok := 0
	for range 10 {
		if rp := r.post(t, "/process", [][]byte{img}, nil, nil); rp.status == 200 {
			ok++
		}
	}
	if ok != 10 {
		t.Errorf("a normal client got %d of 10 answers beside %d slow uploads", ok, slow)
	}
	t0 := time.Now()
	for range slow {
		if l := <-lines; !strings.Contains(l, " 408 ") {
			t.Errorf("slow upload answered %q, want 408", l)
		}
	}
	if d := time.Since(t0); d > 4*time.Second {
		t.Errorf("slow uploads cut after %v", d)
	}
}

// Finding 1 (second half): clients that never read a large answer held their places past
// request_timeout. Now the place is given back before the answer is written, and the write
// is cut at the minimum rate.
func TestNonReadingClientsHoldNoPlace(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.MaxBodyBytes = 8 << 20
	eng := &fakeEngine{}
	r := startTuned(t, cfg, eng, func(s *Server) {
		fast(s)
		s.xio.rate = 24 << 10 // ~200 KB answers: ~8 s each at this rate, so all four overlap
	})
	addr := strings.TrimPrefix(r.url, "http://")
	photo := pngNoise(t, 200, 200) // its visualization is ~50 KB of JPEG: far over the socket buffers
	body, ct := multipartBody(t, "files", [][]byte{photo, photo, photo}, map[string]string{"return_visualization": "true", "return_crops": "true"})
	req := rawRequest("/process/batch", ct, body, "")
	var conns []net.Conn
	for range 4 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.(*net.TCPConn).SetReadBuffer(4 << 10)
		defer c.Close()
		c.Write(req) // and never read
		conns = append(conns, c)
	}
	deadline := time.Now().Add(30 * time.Second)
	// Every image read (4 batches × 3), no place held, answers still being written (at least
	// the last one: how many overlap depends on how fast this machine processed them).
	for eng.started.Load() < 12 || r.srv.adm.admitted.Load() > 0 || r.srv.xio.count() < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("admitted %d, live %d", r.srv.adm.admitted.Load(), r.srv.xio.count())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Their answers are being written, and they hold no place: a normal client is served.
	writing := r.srv.xio.count()
	if rp := r.post(t, "/process", [][]byte{pngBytes(t, 8, 8)}, nil, nil); rp.status != 200 {
		t.Errorf("normal client beside non-readers: %d %s", rp.status, rp.body)
	}
	t.Logf("%d answers being written to clients that do not read, none holding a place", writing)
	// The writes end at the rate's deadline and their goroutines with them.
	for {
		n := r.srv.xio.count()
		if n == 0 {
			break
		}
		if time.Now().After(deadline.Add(30 * time.Second)) {
			t.Fatalf("%d answers still being written to clients that never read", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pngNoise is an incompressible picture, so its PNG and any JPEG of it are large.
func pngNoise(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range m.Pix {
		m.Pix[i] = uint8(rng.Uint32())
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Finding 1 (third half): one stalled uploader made SIGTERM wait the whole grace period and
// exit 1. Now shutdown cuts bodies still arriving and returns nil at once.
func TestShutdownCutsStalledUploads(t *testing.T) {
	r := startTuned(t, testConfig(t), &fakeEngine{}, nil) // full thresholds: only the stop cuts
	addr := strings.TrimPrefix(r.url, "http://")
	body, ct := multipartBody(t, "file", [][]byte{pngBytes(t, 8, 8)}, nil)
	head := rawRequest("/process", ct, body, "")
	head = head[:len(head)-len(body)+10]
	stop := make(chan struct{})
	defer close(stop)
	line := make(chan string, 1)
	go func() { line <- slowUpload(t, addr, head, time.Second, stop) }()
	for r.srv.xio.reading.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	t0 := time.Now()
	r.stop()
	if d := time.Since(t0); d > 3*time.Second {
		t.Errorf("shutdown took %v with a stalled uploader", d)
	}
	if l := <-line; !strings.Contains(l, " 503 ") {
		t.Errorf("stalled uploader at shutdown got %q, want 503", l)
	}
}

// Finding 5: rejections of bodies over ~256 KB arrived as TCP resets. Each is now an answer
// with its status (and Retry-After where waiting helps), the body drained first.
func TestRejectionsArriveAsAnswers(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.APIKeys = []string{"k"}
	cfg.Server.MaxBodyBytes = 4 << 20
	eng := &fakeEngine{block: make(chan struct{})}
	r := startTuned(t, cfg, eng, fast)
	addr := strings.TrimPrefix(r.url, "http://")
	photo := append(pngBytes(t, 8, 8), make([]byte, 1400<<10)...) // 1.4 MB: bytes after IEND are ignored
	body, ct := multipartBody(t, "file", [][]byte{photo}, nil)
	send := func(extra string) (string, http.Header) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write(rawRequest("/process", ct, body, "Connection: close\r\n"+extra)); err != nil {
			return "write: " + err.Error(), nil
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return "read: " + err.Error(), nil
		}
		resp.Body.Close()
		return resp.Status, resp.Header
	}
	if st, _ := send(""); !strings.HasPrefix(st, "401") {
		t.Errorf("no key: %q", st)
	}
	// Fill admission (2 in flight + 2 queued), then overload.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { send("X-API-Key: k\r\n") })
	}
	for r.srv.adm.admitted.Load() < 4 {
		time.Sleep(time.Millisecond)
	}
	for i := range 5 {
		st, h := send("X-API-Key: k\r\n")
		if !strings.HasPrefix(st, "503") || h.Get("Retry-After") == "" {
			t.Errorf("overload %d: %q Retry-After %q", i, st, h.Get("Retry-After"))
		}
	}
	rp := r.do(t, "GET", "/health", nil, "", nil)
	var h api.HealthResponse
	json.Unmarshal(rp.body, &h)
	if a := h.Components["admission"]; a.Status != "degraded" || !strings.Contains(a.Message, "saturated") {
		t.Errorf("/health at capacity: %+v", a)
	}
	close(eng.block)
	wg.Wait()
}

// Finding 8: a raw body cut short was a 500; NaN passed validation; a raw body was accepted
// up to max_body_bytes + 64 KiB.
func TestBodyAndOptionEdges(t *testing.T) {
	cfg := testConfig(t)
	r := startTuned(t, cfg, &fakeEngine{}, fast)
	addr := strings.TrimPrefix(r.url, "http://")
	img := pngBytes(t, 8, 8)

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	req := rawRequest("/process", "image/png", img, "")
	c.Write(req[:len(req)-len(img)/2]) // half the body, then the client's side closes
	c.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	c.Close()
	if err != nil || resp.StatusCode != 400 {
		t.Errorf("body cut short: %v %v", resp, err)
	}

	rp := r.post(t, "/process", [][]byte{img}, map[string]string{"detection_confidence": "NaN"}, nil)
	if rp.status != 400 || errCode(t, rp) != api.CodeValidation {
		t.Errorf("NaN: %d %s", rp.status, rp.body)
	}
	over := append(bytes.Clone(img), make([]byte, int(cfg.Server.MaxBodyBytes)-len(img)+1)...)
	rp = r.do(t, "POST", "/process", bytes.NewReader(over), "image/png", nil)
	if rp.status != 413 {
		t.Errorf("raw body 1 byte over max_body_bytes: %d", rp.status)
	}
}

// Finding 7: a batch body may be 50 × 10 MiB. It has its own bound now.
func TestBatchBodyBound(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.MaxBatchFiles, cfg.Server.MaxBodyBytes = 50, 10<<20
	r := startTuned(t, cfg, &fakeEngine{}, fast)
	if got := r.srv.batchBodyLimit(); got != maxBatchBody+formOverhead {
		t.Fatalf("batch body limit %d", got)
	}
	chunk := make([]byte, 9<<20)
	copy(chunk, pngBytes(t, 8, 8))
	files := make([][]byte, 8) // 72 MiB
	for i := range files {
		files[i] = chunk
	}
	rp := r.post(t, "/process/batch", files, nil, nil)
	if rp.status != 413 || errCode(t, rp) != api.CodeTooLarge {
		t.Errorf("72 MiB batch: %d %s", rp.status, rp.body)
	}
}

// Finding 8: /health needs no key, so it must not show paths or runtime errors.
func TestHealthHidesInternals(t *testing.T) {
	eng := &fakeEngine{warmErr: errors.New("open /opt/secret/models/det.onnx: ORT says no")}
	srv, err := New(Options{Config: testConfig(t), Engine: eng, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv.warmup(context.Background())
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/health", nil))
	if b := rec.Body.String(); strings.Contains(b, "secret") || strings.Contains(b, "ORT") {
		t.Errorf("/health leaks the warm-up error: %s", b)
	}
	if !strings.Contains(rec.Body.String(), "warm-up failed") {
		t.Errorf("/health: %s", rec.Body.String())
	}
}

// Finding 2: with return_visualization the photo was decoded a second time at full size. Now
// the server asks the engine for the photo with the answer, and one decode serves both.
func TestOneDecodePerRequest(t *testing.T) {
	eng := &fakeEngine{}
	r := startTuned(t, testConfig(t), eng, nil)
	rp := r.post(t, "/process", [][]byte{pngBytes(t, 64, 48)}, map[string]string{"return_visualization": "true"}, nil)
	if rp.status != 200 {
		t.Fatalf("%d %s", rp.status, rp.body)
	}
	if eng.started.Load() != 1 || eng.decodes.Load() != 1 {
		t.Errorf("reads %d, decodes %d: want one decode for the read and the pictures", eng.started.Load(), eng.decodes.Load())
	}
}

// Admission is weighted by each image's decode estimate: with the decode budget room for two
// maximal pictures, a third waits even though inference slots are free.
func TestAdmissionWeightedByDecodeBytes(t *testing.T) {
	cfg := testConfig(t)
	cfg.Server.MaxInFlight, cfg.Server.MaxQueue = 4, 4
	cfg.Server.MaxBodyBytes = 8 << 20
	cfg.Server.RequestTimeout = time.Minute // decoding 1000×900 under -race on a loaded machine is slow
	cfg.Decode.WorkingLongSide = 0
	eng := &fakeEngine{block: make(chan struct{})}
	r := startTuned(t, cfg, eng, func(s *Server) { s.decodeMem = newBudget(8 << 20) })
	big := pngBytes(t, 1000, 900) // 3.6 MB of RGBA each: two fit in 8 MB, three do not
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { r.post(t, "/process", [][]byte{big}, nil, nil) })
	}
	deadline := time.Now().Add(40 * time.Second)
	for eng.started.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if n := eng.started.Load(); n != 2 {
		t.Errorf("%d big images reading at once, want 2 (decode budget %d MB)", n, r.srv.decodeMem.total>>20)
	}
	if r.srv.adm.inFlight() != 2 {
		t.Errorf("%d slots held", r.srv.adm.inFlight())
	}
	close(eng.block)
	wg.Wait()
	if u := r.srv.decodeMem.inUse(); u != 0 {
		t.Errorf("decode budget not returned: %d", u)
	}
}
