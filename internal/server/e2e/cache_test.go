package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/testredis"
)

// metric reads one sample from /metrics, e.g. `datalid_cache_errors_total{tier="redis"}`.
func metric(t *testing.T, url, series string) float64 {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	return 0
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

func mustPost(t *testing.T, url string, data []byte) (string, api.ProcessImageResponse) {
	t.Helper()
	status, h, body, err := postFile(http.DefaultClient, url, data, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("POST /process: %d %v %s", status, err, body)
	}
	var r api.ProcessImageResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	return h.Get("X-Cache"), r
}

// Redis stopped mid-run: every request still answers 200, as a counted miss; started again
// (empty), it is used again without restarting datalid.
func TestCacheRedisOutage(t *testing.T) {
	rds := testredis.Start(t)
	cfg := realConfig(t)
	cfg.Cache.Tiers = []string{"redis"}
	cfg.Cache.RedisURL = rds.URL()
	cfg.Cache.RedisTimeout = 200 * time.Millisecond
	url := startReal(t, cfg)
	data := photo(t, 41, time.Date(2029, 3, 8, 0, 0, 0, 0, time.UTC), 640, 480)

	if x, r := mustPost(t, url, data); x != "miss" || r.BestDate == nil || *r.BestDate.Date != "2029-03-08" {
		t.Fatalf("first request: X-Cache %q, best %+v", x, r.BestDate)
	}
	x, hit := mustPost(t, url, data)
	if x != "hit; tier=redis" || hit.BestDate == nil || *hit.BestDate.Date != "2029-03-08" {
		t.Fatalf("second request: X-Cache %q, best %+v", x, hit.BestDate)
	}

	rds.Stop()
	misses0 := metric(t, url, `datalid_cache_misses_total{tier="redis"}`)
	for i := range 3 {
		if x, _ := mustPost(t, url, data); x != "miss" {
			t.Fatalf("request %d with Redis down: X-Cache %q", i, x)
		}
	}
	if got := metric(t, url, `datalid_cache_misses_total{tier="redis"}`) - misses0; got != 3 {
		t.Fatalf("%v misses counted while Redis was down, want 3", got)
	}
	if metric(t, url, `datalid_cache_errors_total{tier="redis"}`) < 1 || metric(t, url, `datalid_cache_up{tier="redis"}`) != 0 {
		t.Fatal("Redis outage not visible in the metrics")
	}
	var h api.HealthResponse
	getJSON(t, url+"/health", &h)
	if c := h.Components["cache"]; c.Status != "degraded" || !strings.Contains(c.Message, "redis down") {
		t.Fatalf("/health cache component with Redis down: %+v", c)
	}

	rds.Start()
	deadline := time.Now().Add(15 * time.Second)
	for {
		x, _ := mustPost(t, url, data)
		if x == "hit; tier=redis" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Redis hit 15 s after it came back (last X-Cache %q)", x)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var info api.InfoResponse
	getJSON(t, url+"/info", &info)
	if len(info.Cache) != 1 || info.Cache[0].Tier != "redis" || info.Cache[0].State != "ok" || info.Cache[0].Hits < 2 {
		t.Fatalf("/info cache after recovery: %+v", info.Cache)
	}
}

// 50 concurrent identical requests run the pipeline once; a batch is looked up file by file;
// request options that only filter or present the result are applied on a hit.
func TestCacheSingleFlightAndBatch(t *testing.T) {
	cfg := realConfig(t)
	cfg.Cache.Tiers = []string{"memory"}
	cfg.Server.MaxQueue = 64 // all 50 admitted at once
	url := startReal(t, cfg)
	data := photo(t, 42, time.Date(2028, 11, 30, 0, 0, 0, 0, time.UTC), 800, 600)
	runs0 := metric(t, url, `datalid_pipeline_stage_duration_seconds_count{stage="total"}`)

	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	xs := map[string]int{}
	for range 50 {
		wg.Go(func() {
			<-start
			status, h, body, err := postFile(http.DefaultClient, url, data, nil)
			if err != nil || status != http.StatusOK {
				t.Errorf("POST: %d %v %s", status, err, body)
				return
			}
			mu.Lock()
			xs[h.Get("X-Cache")]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	if runs := metric(t, url, `datalid_pipeline_stage_duration_seconds_count{stage="total"}`) - runs0; runs != 1 {
		t.Fatalf("50 identical concurrent requests ran the pipeline %v times (X-Cache %v)", runs, xs)
	}
	if xs["miss"] != 1 || xs["miss"]+xs["hit; tier=shared"]+xs["hit; tier=memory"] != 50 {
		t.Fatalf("X-Cache values %v", xs)
	}

	// detection_confidence above every region's score empties the answer on a hit too.
	status, h, body, err := postFile(http.DefaultClient, url, data, map[string]string{"detection_confidence": "1", "return_crop_images": "true"})
	if err != nil || status != 200 || h.Get("X-Cache") != "hit; tier=memory" {
		t.Fatalf("filtered request: %d %v %q", status, err, h.Get("X-Cache"))
	}
	var filtered api.ProcessImageResponse
	json.Unmarshal(body, &filtered)
	if filtered.BestDate != nil || len(filtered.OCRResults) != 0 {
		t.Fatalf("detection_confidence=1 not applied on a hit: %+v", filtered.BestDate)
	}
	_, _, body, _ = postFile(http.DefaultClient, url, data, map[string]string{"return_crop_images": "true"})
	var crops api.ProcessImageResponse
	json.Unmarshal(body, &crops)
	if len(crops.OCRResults) == 0 || crops.OCRResults[0].CropProcessedBase64 == nil {
		t.Fatal("return_crop_images on a hit gave no processed crops")
	}

	other := photo(t, 43, time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), 640, 480)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for name, b := range map[string][]byte{"a.jpg": data, "b.jpg": other} {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(b)
	}
	mw.Close()
	resp, err := http.Post(url+"/process/batch", mw.FormDataContentType(), &form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Cache") != "hits=1 misses=1" {
		t.Fatalf("batch: %d, X-Cache %q", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
}
