package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// frontEndOrigin is where Datalid's front end (Next.js dev server) runs by default.
const frontEndOrigin = "http://localhost:3000"

// frontEndPost sends what Datalid's front end (lib/api.ts, processImage) sends: a browser
// FormData with the file first (named, typed by the browser), then the four return_* flags,
// from its origin.
func frontEndPost(t *testing.T, url, name, ctype string, data []byte) (int, http.Header, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", ctype)
	fw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	for _, k := range []string{"return_visualization", "return_crops", "return_full_ocr", "return_crop_images"} {
		mw.WriteField(k, "true")
	}
	mw.Close()
	req, err := http.NewRequest("POST", url+"/process", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", frontEndOrigin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// Datalid's front end against the default configuration: the CORS preflight from its origin,
// its request getting every field it renders (the date region first, as exp_date), and a file
// that is not an image getting the 400 it has words for, readable cross-origin.
func TestFrontEndShapedRequest(t *testing.T) {
	url := startReal(t, realConfig(t))

	// Preflight as a browser sends it for this origin (lib/api.ts sets mode: 'cors').
	req, _ := http.NewRequest("OPTIONS", url+"/process", nil)
	req.Header.Set("Origin", frontEndOrigin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,cache-control")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	allowHeaders := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != frontEndOrigin ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(allowHeaders, "content-type") || !strings.Contains(allowHeaders, "cache-control") {
		t.Errorf("preflight from %s: %d %v", frontEndOrigin, resp.StatusCode, resp.Header)
	}

	expiry := time.Date(2031, 3, 14, 0, 0, 0, 0, time.UTC)
	status, hdr, body := frontEndPost(t, url, "IMG_0001.jpg", "image/jpeg", photo(t, 11, expiry, 1280, 960))
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if hdr.Get("Access-Control-Allow-Origin") != frontEndOrigin {
		t.Errorf("answer without Access-Control-Allow-Origin %s: the browser would hide it", frontEndOrigin)
	}
	if hdr.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID")
	}
	var r map[string]any
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	need := func(m map[string]any, where string, keys ...string) {
		for _, k := range keys {
			if v, ok := m[k]; !ok || v == nil {
				t.Errorf("%s.%s missing or null", where, k)
			}
		}
	}
	// What components/ResultDisplay, CropDisplay and CropComparison render.
	need(r, "$", "status", "message", "detections", "ocr_results", "dates", "best_date", "processed_at",
		"metrics", "visualization_base64", "crops_base64", "request_id")
	dets, _ := r["detections"].([]any)
	ocrs, _ := r["ocr_results"].([]any)
	if len(dets) == 0 || len(dets) != len(ocrs) {
		t.Fatalf("%d detections, %d ocr results", len(dets), len(ocrs))
	}
	for _, d := range dets {
		need(d.(map[string]any), "detections[]", "bbox", "confidence", "class_id", "class_name", "has_mask", "segmentation")
	}
	for _, o := range ocrs {
		need(o.(map[string]any), "ocr_results[]", "text", "confidence", "engine", "processing_time", "crop_original_base64", "crop_processed_base64")
	}
	best, _ := r["best_date"].(map[string]any)
	need(best, "best_date", "date", "format", "confidence", "is_expired", "days_until_expiry")
	if best["date"] != "2031-03-14" {
		t.Errorf("best date %v, want 2031-03-14", best["date"])
	}
	for _, d := range r["dates"].([]any) {
		need(d.(map[string]any), "dates[]", "date", "confidence", "format", "is_valid", "is_expired", "days_until_expiry")
	}
	// The page shows the first crop as the date: it must be the date's line.
	first, firstText := dets[0].(map[string]any), ocrs[0].(map[string]any)
	if first["class_name"] != "exp_date" || !strings.Contains(firstText["text"].(string), "14") {
		t.Errorf("first detection %v %q, want the date line as exp_date (best date from %q)", first["class_name"], firstText["text"], best["text"])
	}
	for i, d := range dets {
		if c := d.(map[string]any)["class_name"]; c != "exp_date" && c != "text" {
			t.Errorf("detections[%d].class_name %v", i, c)
		}
	}
	if v, _ := r["visualization_base64"].(string); !strings.HasPrefix(v, "data:image/jpeg;base64,") {
		t.Error("visualization is not a JPEG data URI")
	}
	if v, _ := firstText["crop_original_base64"].(string); !strings.HasPrefix(v, "data:image/jpeg;base64,") {
		t.Error("first crop is not a JPEG data URI")
	}
	m := r["metrics"].(map[string]any)
	if rec, _ := m["recognition_time"].(float64); rec <= 0 {
		t.Errorf("recognition_time %v", m["recognition_time"])
	}

	// A file that is not an image: 400, which the page words as "Arquivo inválido", and
	// readable from its origin.
	status, hdr, body = frontEndPost(t, url, "notes.txt", "text/plain", []byte("not a photo, just words"))
	if status != http.StatusBadRequest || hdr.Get("Access-Control-Allow-Origin") != frontEndOrigin {
		t.Errorf("non-image: %d (ACAO %q): %s", status, hdr.Get("Access-Control-Allow-Origin"), body)
	}
	if !strings.Contains(string(body), `"UNSUPPORTED_FORMAT"`) {
		t.Errorf("non-image code: %s", body)
	}
}
