package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

// The fused FP32 and INT8 models `make setup` writes load, say which file they are, and read
// rendered dates as the published models do.
func TestPrecisionsReadDates(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	specs := []synth.Spec{
		{Seed: 1, Expiry: day(2026, 3, 14), Layout: "VAL {DD}/{MM}/{YYYY}", Font: "bold"},
		{Seed: 2, Expiry: day(2027, 12, 7), Layout: "{YYYY}.{MM}.{DD}", Font: "regular", Angle: 5, Blur: 0.8},
	}
	for _, precision := range []string{"fp32-fused", "int8"} {
		c := testConfig(t)
		c.Models.DetectorPrecision, c.Models.RecognizerPrecision, c.Models.ClassifierPrecision = precision, precision, precision
		e, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		suffix := map[string]string{"fp32-fused": ".fused.onnx", "int8": ".int8.onnx"}[precision]
		for _, role := range []string{"detector", "recognizer", "classifier"} {
			if !strings.HasSuffix(info.Models[role], suffix) {
				t.Errorf("%s: %s loaded %s", precision, role, info.Models[role])
			}
		}
		for _, s := range specs {
			p, err := synth.Render(s)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Read(context.Background(), encodeJPEG(t, p), pipeline.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Dates.Best == nil || res.Dates.Best.Date.String() != p.Label {
				t.Errorf("%s: %s read %+v, want %s", precision, s.Layout, res.Dates.Best, p.Label)
			}
		}
		e.Close()
	}
}

func TestMissingPrecisionFileNamesSetup(t *testing.T) {
	c := testConfig(t)
	c.Models.Dir = t.TempDir() + "/nowhere"
	c.Models.RuntimeLibrary = testConfig(t).Models.RuntimeLibraryPath()
	c.Models.DetectorPrecision = "int8"
	_, err := New(c)
	if err == nil || !strings.Contains(err.Error(), "datalid quantize") {
		t.Fatalf("err = %v, want a hint naming datalid quantize", err)
	}
}
