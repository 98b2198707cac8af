package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/recognize"
)

func result(lines ...string) *pipeline.Result {
	res := &pipeline.Result{Width: 640, Height: 480}
	for i, l := range lines {
		y := float64(10 + 40*i)
		res.Regions = append(res.Regions, pipeline.Region{
			Quad:    imgproc.Quad{{X: 10, Y: y}, {X: 200, Y: y}, {X: 200, Y: y + 30}, {X: 10, Y: y + 30}},
			Score:   0.9,
			Text:    recognize.Text{Text: l, Confidence: 0.95},
			RecTime: 8 * time.Millisecond,
		})
		res.Lines = append(res.Lines, pipeline.Line{Text: l, Regions: []int{i}})
	}
	in := make([]dates.Line, len(lines))
	for i, l := range lines {
		in[i] = dates.Line{Text: l, Confidence: 0.95}
	}
	res.Dates = dates.Find(in, dates.Options{})
	res.Timings = pipeline.Timings{Decode: time.Millisecond, DetectRun: 100 * time.Millisecond, Recognize: 20 * time.Millisecond, Total: 130 * time.Millisecond}
	return res
}

func TestResponseStatusAndExpiry(t *testing.T) {
	today, _ := dates.ParseISO("2026-06-17")
	now := time.Date(2026, 6, 17, 15, 0, 0, 0, time.FixedZone("BRT", -3*3600))
	cases := []struct {
		lines   []string
		status  string
		date    string
		expired bool
		days    int
	}{
		{[]string{"FAB 17.06.24", "VAL 17.06.26"}, api.StatusSuccess, "2026-06-17", false, 0}, // expires today: not expired
		{[]string{"EXP 16/06/2026"}, api.StatusSuccess, "2026-06-16", true, -1},
		{[]string{"VAL 05/2026"}, api.StatusSuccess, "2026-05-31", true, -17},
		{[]string{"LOTE 12A"}, api.StatusPartial, "", false, 0},
		{nil, api.StatusFailed, "", false, 0},
	}
	for _, c := range cases {
		r := Response(result(c.lines...), today, now)
		if r.Status != c.status {
			t.Errorf("%v: status %s want %s", c.lines, r.Status, c.status)
		}
		if len(r.Detections) != len(c.lines) || len(r.OCRResults) != len(c.lines) {
			t.Errorf("%v: %d detections %d ocr", c.lines, len(r.Detections), len(r.OCRResults))
		}
		if !strings.Contains(r.ProcessedAt, "-03:00") {
			t.Errorf("processed_at %q has no offset", r.ProcessedAt)
		}
		if c.date == "" {
			if r.BestDate != nil {
				t.Errorf("%v: best %v", c.lines, *r.BestDate.Date)
			}
			continue
		}
		b := r.BestDate
		if b == nil || *b.Date != c.date || *b.IsExpired != c.expired || *b.DaysUntilExpiry != c.days || b.Format == nil || *b.Format == "" {
			t.Errorf("%v: best %+v", c.lines, b)
		}
		if r.Metrics.DetectionTime != 0.1 || r.Metrics.TotalTime != 0.13 || r.Metrics.NumDetections != len(c.lines) {
			t.Errorf("metrics %+v", r.Metrics)
		}
	}
	r := Response(result("VAL 05/12/2025"), today, now)
	d := r.Detections[0]
	if d.BBox.X1 != 10 || d.BBox.Width != 190 || len(d.Segmentation) != 4 || !d.HasMask || r.OCRResults[0].Engine != Engine {
		t.Errorf("detection %+v ocr %+v", d, r.OCRResults[0])
	}
}

func TestWriters(t *testing.T) {
	today, _ := dates.ParseISO("2026-01-01")
	resp := Response(result("VAL 05/12/2025"), today, time.Now())
	rows := []Row{{File: "a.jpg", Response: &resp}, {File: "b.jpg", Err: errors.New("imageio: corrupt image data")}}
	for _, format := range Formats {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, format)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, "2025-12-05") || !strings.Contains(out, "corrupt") {
			t.Errorf("%s output lacks the date or the error:\n%s", format, out)
		}
		switch format {
		case "json":
			var v []map[string]any
			if err := json.Unmarshal(buf.Bytes(), &v); err != nil || len(v) != 2 || v[1]["status"] != "error" {
				t.Errorf("json: %v %v", err, v)
			}
		case "jsonl":
			if n := strings.Count(out, "\n"); n != 2 {
				t.Errorf("jsonl: %d lines", n)
			}
		case "table":
			if !strings.Contains(out, "expired 27 days ago") {
				t.Errorf("table badge missing:\n%s", out)
			}
		}
	}
	if _, err := NewWriter(&bytes.Buffer{}, "xml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestBadge(t *testing.T) {
	cases := map[int]string{0: "expires today", 1: "1 day left", 12: "12 days left", -1: "expired yesterday", -3: "expired 3 days ago"}
	for days, want := range cases {
		if got := Badge(days < 0, days); got != want {
			t.Errorf("Badge(%d) = %q want %q", days, got, want)
		}
	}
}

// Datalid's front end shows the first detection's crop as the date: the date line comes
// first as exp_date, the rest follow as text, and ocr_results and crops keep that order.
func TestDateRegionsFirst(t *testing.T) {
	today, _ := dates.ParseISO("2026-06-17")
	res := result("LOTE 12A", "FAB 17.06.24", "", "VAL 17.06.26")
	r := Response(res, today, time.Now())
	if len(r.Detections) != 4 || len(r.OCRResults) != 4 {
		t.Fatalf("%d detections, %d ocr results: every region must stay listed", len(r.Detections), len(r.OCRResults))
	}
	want := []struct{ text, class string }{{"VAL 17.06.26", ClassDate}, {"LOTE 12A", ClassText}, {"FAB 17.06.24", ClassText}, {"", ClassText}}
	for i, w := range want {
		if r.OCRResults[i].Text != w.text || r.Detections[i].ClassName != w.class {
			t.Errorf("#%d: %q %s, want %q %s", i, r.OCRResults[i].Text, r.Detections[i].ClassName, w.text, w.class)
		}
	}
	if r.Detections[0].ClassID != ClassDateID || r.Detections[1].ClassID != ClassTextID {
		t.Errorf("class ids %d %d", r.Detections[0].ClassID, r.Detections[1].ClassID)
	}
	if r.Detections[0].BBox.Y1 != 130 { // the fourth region's box (y = 10 + 40*3) moved with it
		t.Errorf("first box y1 %v, want 130", r.Detections[0].BBox.Y1)
	}
}

// A date found by a second look was recognised there: recognition and OCR time include it.
func TestSecondLookTimes(t *testing.T) {
	res := result("VAL 17.06.26")
	res.Timings.Recognize, res.Timings.Crop, res.Timings.SecondLook = time.Millisecond, time.Millisecond, 300*time.Millisecond
	m := Response(res, dates.Date{}, time.Now()).Metrics
	if m.SecondLookTime != 0.3 || m.RecognitionTime != 0.302 || m.OCRTime != 0.302 {
		t.Errorf("second_look %v recognition %v ocr %v", m.SecondLookTime, m.RecognitionTime, m.OCRTime)
	}
}
