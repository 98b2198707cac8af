package recognize

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/testmodels"
)

func testDict(t *testing.T) *Dictionary {
	d, err := ParseDictionary([]byte("0\n1\n2\n/\nA"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDictionary(t *testing.T) {
	d := testDict(t)
	// blank + 5 keys (the last without a trailing newline) + space
	if d.Classes() != 7 || d.Char(0) != "" || d.Char(5) != "A" || d.Char(6) != " " {
		t.Fatalf("classes %d: %q %q %q", d.Classes(), d.Char(0), d.Char(5), d.Char(6))
	}
	if _, err := ParseDictionary(nil); err == nil {
		t.Error("empty dictionary accepted")
	}
}

// frames builds a [T, C] softmax-like matrix whose argmax per frame is cls[t] with prob p[t].
func frames(classes int, cls []int, p []float32) []float32 {
	out := make([]float32, len(cls)*classes)
	for t, c := range cls {
		for k := range classes {
			out[t*classes+k] = (1 - p[t]) / float32(classes-1)
		}
		out[t*classes+c] = p[t]
	}
	return out
}

func TestDecodeGreedy(t *testing.T) {
	d := testDict(t)
	cases := []struct {
		name string
		cls  []int
		p    []float32
		want string
		conf float64
	}{
		{"repeats merge", []int{2, 2, 0, 3, 3}, []float32{.9, .8, .9, .7, .9}, "12", 0.8},
		{"blank separates repeats", []int{1, 0, 1, 4, 5}, []float32{1, 1, 1, 1, 1}, "00/A", 1},
		{"space trimmed at ends", []int{6, 2, 6, 3, 6}, []float32{.9, .9, .9, .9, .9}, "1 2", 0.9},
		{"all blank", []int{0, 0, 0}, []float32{.9, .9, .9}, "", 0},
	}
	for _, c := range cases {
		got := d.DecodeGreedy(frames(d.Classes(), c.cls, c.p), len(c.cls), d.Classes())
		if got.Text != c.want {
			t.Errorf("%s: text %q want %q", c.name, got.Text, c.want)
		}
		if diff := got.Confidence - c.conf; diff > 1e-6 || diff < -1e-6 {
			t.Errorf("%s: confidence %v want %v", c.name, got.Confidence, c.conf)
		}
	}
}

// widthRunner records the batch shapes it is asked to run and answers with blank frames.
type widthRunner struct {
	classes int
	shapes  [][]int64
}

func (w *widthRunner) Run(_ context.Context, shape []int64, _ []float32) ([]int64, []float32, error) {
	w.shapes = append(w.shapes, append([]int64(nil), shape...))
	n, t := shape[0], shape[3]/8
	out := make([]float32, n*t*int64(w.classes))
	for i := 0; i < len(out); i += w.classes {
		out[i] = 1
	}
	return []int64{n, t, int64(w.classes)}, out, nil
}

func TestRecognizerBatchesBySimilarWidth(t *testing.T) {
	d := testDict(t)
	run := &widthRunner{classes: d.Classes()}
	r := NewRecognizer(run, d, 48, 1600, 8)
	crops := []*image.RGBA{
		image.NewRGBA(image.Rect(0, 0, 100, 48)),
		image.NewRGBA(image.Rect(0, 0, 800, 48)),
		image.NewRGBA(image.Rect(0, 0, 110, 48)),
		image.NewRGBA(image.Rect(0, 0, 210, 24)), // scales to 420×48
	}
	texts, times, err := r.Read(context.Background(), crops)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 4 || len(times) != 4 {
		t.Fatalf("results %d %d", len(texts), len(times))
	}
	// 100 and 110 share a batch padded to 112; 420 and 800 run alone.
	want := [][]int64{{2, 3, 48, 112}, {1, 3, 48, 424}, {1, 3, 48, 800}}
	if len(run.shapes) != len(want) {
		t.Fatalf("batches %v want %v", run.shapes, want)
	}
	for i := range want {
		for k := range want[i] {
			if run.shapes[i][k] != want[i][k] {
				t.Fatalf("batches %v want %v", run.shapes, want)
			}
		}
	}
}

// textCrop draws s in black on white, like a tight crop of printed text.
func textCrop(t *testing.T, s string) *image.RGBA {
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 36, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	w := font.MeasureString(face, s).Ceil() + 20
	img := image.NewRGBA(image.Rect(0, 0, w, 48))
	draw.Draw(img, img.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	dr := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face, Dot: fixed.P(10, 36)}
	dr.DrawString(s)
	return img
}

func TestRealModelsReadPrintedDate(t *testing.T) {
	dir := testmodels.Dir(t)
	if _, err := onnx.Init(filepath.Join(dir, "libonnxruntime.so.1")); err != nil {
		t.Fatal(err)
	}
	dict, err := LoadDictionary(filepath.Join(dir, "ppocr_keys_v1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	recS, err := onnx.NewSession(filepath.Join(dir, "ch_PP-OCRv4_rec_infer.onnx"), onnx.Options{IntraOpThreads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer recS.Close()
	clsS, err := onnx.NewSession(filepath.Join(dir, "ch_ppocr_mobile_v2.0_cls_infer.onnx"), onnx.Options{IntraOpThreads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer clsS.Close()

	crop := textCrop(t, "VAL 05/12/2025")
	flippedCrop := imgproc.Rotate180(crop)
	up, err := NewClassifier(clsS, 0.9, 4).Upside(context.Background(), []*image.RGBA{crop, flippedCrop})
	if err != nil {
		t.Fatal(err)
	}
	if up[0] || !up[1] {
		t.Errorf("classifier upside = %v, want [false true]", up)
	}
	texts, _, err := NewRecognizer(recS, dict, 48, 1600, 6).Read(context.Background(), []*image.RGBA{crop, textCrop(t, "LOTE 2403B")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(texts[0].Text, "05/12/2025") || texts[0].Confidence < 0.8 {
		t.Errorf("read %q (%.2f)", texts[0].Text, texts[0].Confidence)
	}
	if len([]rune(texts[0].Text)) != len(texts[0].CharProbs) {
		t.Errorf("char probs %d for %q", len(texts[0].CharProbs), texts[0].Text)
	}
	if !strings.Contains(strings.ReplaceAll(texts[1].Text, " ", ""), "LOTE2403B") {
		t.Errorf("read %q", texts[1].Text)
	}
}
