package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A request shaped exactly like Datalid's front end (lib/api.ts) gets every field it renders.
func TestFrontEndShapedRequest(t *testing.T) {
	url := startReal(t, realConfig(t))
	expiry := time.Date(2031, 3, 14, 0, 0, 0, 0, time.UTC)
	status, hdr, body, err := postFile(http.DefaultClient, url, photo(t, 11, expiry, 1280, 960), map[string]string{
		"return_visualization": "true", "return_crops": "true", "return_full_ocr": "true", "return_crop_images": "true",
	})
	if err != nil || status != 200 {
		t.Fatalf("status %d err %v: %s", status, err, body)
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
	need(r, "$", "status", "message", "detections", "ocr_results", "dates", "best_date", "processed_at",
		"metrics", "visualization_base64", "crops_base64", "request_id")
	dets, _ := r["detections"].([]any)
	ocrs, _ := r["ocr_results"].([]any)
	if len(dets) == 0 || len(dets) != len(ocrs) {
		t.Fatalf("%d detections, %d ocr results", len(dets), len(ocrs))
	}
	for _, d := range dets {
		need(d.(map[string]any), "detections[]", "bbox", "confidence", "class_name", "has_mask", "segmentation")
	}
	for _, o := range ocrs {
		need(o.(map[string]any), "ocr_results[]", "text", "confidence", "engine", "processing_time", "crop_original_base64", "crop_processed_base64")
	}
	best, _ := r["best_date"].(map[string]any)
	need(best, "best_date", "date", "format", "confidence", "is_expired", "days_until_expiry")
	if best["date"] != "2031-03-14" {
		t.Errorf("best date %v, want 2031-03-14", best["date"])
	}
	if v, _ := r["visualization_base64"].(string); !strings.HasPrefix(v, "data:image/jpeg;base64,") {
		t.Error("visualization is not a JPEG data URI")
	}
}
