package report

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/detect"
	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/recognize"
)

func TestEveryLookHasItsOwnColour(t *testing.T) {
	seen := map[[4]uint8]string{}
	for _, name := range pipeline.TraceNames() {
		c, ok := lookColours[name]
		if !ok {
			t.Errorf("look %q has no colour", name)
		}
		k := [4]uint8{c.R, c.G, c.B, c.A}
		if other, dup := seen[k]; dup {
			t.Errorf("looks %q and %q share a colour", name, other)
		}
		seen[k] = name
	}
}

func TestWriteDebugWritesPicturesAndTable(t *testing.T) {
	work := image.NewRGBA(image.Rect(0, 0, 200, 100))
	crop := image.NewRGBA(image.Rect(0, 0, 60, 20))
	q := imgproc.Quad{{X: 20, Y: 20}, {X: 80, Y: 20}, {X: 80, Y: 40}, {X: 20, Y: 40}}
	res := &pipeline.Result{Trace: &pipeline.Trace{
		Work: work, Scale: 0.5,
		Prob: detect.Map{W: 50, H: 25, SX: 4, SY: 4, Prob: make([]float32, 50*25)},
		Looks: []pipeline.LookTrace{
			{Name: "first", Took: 1500 * time.Microsecond, Regions: []pipeline.Region{{Quad: q, Text: recognize.Text{Text: "VAL 12/2027", Confidence: 0.9}, Crop: crop}}},
			{Name: "dense" + pipeline.DiscardedSuffix, Regions: []pipeline.Region{{Quad: q, Text: recognize.Text{Text: "유통", Confidence: 0.1}, Crop: crop}}},
		},
	}}
	dir := t.TempDir()
	if err := WriteDebug(dir, res); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"prob.png", "boxes.png", "crops/001-first.png", "crops/002-dense-discarded.png", "crops/001-first.bare.png"} {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(fh); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		fh.Close()
	}
	// The bare crop is the crop alone, to read again by hand; the captioned one is taller.
	for f, h := range map[string]int{"crops/001-first.bare.png": 20, "crops/001-first.png": 36} {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if img.Bounds().Dy() != h {
			t.Errorf("%s: height %d, want %d", f, img.Bounds().Dy(), h)
		}
	}
	tsv, _ := os.ReadFile(filepath.Join(dir, "crops.tsv"))
	if !strings.Contains(string(tsv), "1\tfirst\t\t0.900") || !strings.Contains(string(tsv), "VAL 12/2027") {
		t.Errorf("crops.tsv:\n%s", tsv)
	}
	looks, _ := os.ReadFile(filepath.Join(dir, "looks.tsv"))
	if want := "look\tms\tregions\nfirst\t1.5\t1\ndense-discarded\t0.0\t1\n"; string(looks) != want {
		t.Errorf("looks.tsv:\n%s\nwant:\n%s", looks, want)
	}
	if err := WriteDebug(dir, &pipeline.Result{}); err == nil {
		t.Error("a result without a trace must be an error")
	}
}
