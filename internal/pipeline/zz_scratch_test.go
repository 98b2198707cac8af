package pipeline_test

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/onnx"
	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/recognize"
	"github.com/datalid/datalid/internal/synth"
	"github.com/datalid/datalid/internal/testmodels"
)

func TestZZDotsScratch(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	dir := testmodels.Dir(t)
	onnx.Init(filepath.Join(dir, "libonnxruntime.so.1"))
	s, _ := onnx.NewSession(filepath.Join(dir, "ch_PP-OCRv4_rec_infer.onnx"), onnx.Options{IntraOpThreads: 1, InterOpThreads: 1, GraphOptimization: "all", CPUMemArena: true})
	dict, _ := recognize.LoadDictionary(filepath.Join(dir, "ppocr_keys_v1.txt"))
	rec := recognize.NewRecognizer(s, dict, 48, 1600, 6)
	variants := map[string]func(*image.RGBA) *image.RGBA{
		"raw":  func(m *image.RGBA) *image.RGBA { return m },
		"join": imgproc.JoinDots,
		"merge": func(m *image.RGBA) *image.RGBA { return imgproc.MergeDots(m, max(1, m.Rect.Dy()/30)) },
	}
	names := []string{"raw", "join", "merge"}
	right := map[string]int{}
	found := 0
	r := rand.New(rand.NewPCG(1, 2))
	n := 60
	for i := range n {
		sp := synth.Random(r, 1280, 960)
		sp.Font = "dotmatrix"
		sp.TextHeight = 10 + r.IntN(40)
		sp.Angle = 0
		sp.Blur = r.Float64() * 1.2
		sp.Extra = nil
		ph, err := synth.Render(sp)
		if err != nil {
			continue
		}
		b := ph.Box
		pad := float64(b[3].Y-b[0].Y) * 0.25
		q := imgproc.Quad{{X: float64(b[0].X) - pad, Y: float64(b[0].Y) - pad}, {X: float64(b[1].X) + pad, Y: float64(b[1].Y) - pad}, {X: float64(b[2].X) + pad, Y: float64(b[2].Y) + pad}, {X: float64(b[3].X) - pad, Y: float64(b[3].Y) + pad}}
		crop := pipeline.Crop(ph.Image, q)
		dp, ok := imgproc.FindDots(crop)
		if ok {
			found++
		}
		want := strings.ReplaceAll(ph.Text[len(ph.Text)-1], " ", "")
		for _, line := range ph.Text {
			if strings.ContainsAny(line, "0123456789") {
				want = strings.ReplaceAll(line, " ", "")
			}
		}
		var row []string
		for _, name := range names {
			t0 := time.Now()
			in := variants[name](crop)
			el := time.Since(t0)
			txt, _, _ := rec.Read(context.Background(), []*image.RGBA{in})
			got := strings.ReplaceAll(txt[0].Text, " ", "")
			if got == want {
				right[name]++
			}
			row = append(row, fmt.Sprintf("%s=%q(%.2f,%v)", name, got, txt[0].Confidence, el.Round(time.Microsecond)))
		}
		t.Logf("%d h=%d blur=%.1f dots=%v %+v want %q %s", i, sp.TextHeight, sp.Blur, ok, dp, want, strings.Join(row, " "))
	}
	t.Logf("found dots %d/%d; right %v", found, n, right)
}

func TestZZCrops(t *testing.T) {
	dirc := os.Getenv("ZZC")
	if dirc == "" {
		t.Skip()
	}
	dir := testmodels.Dir(t)
	onnx.Init(filepath.Join(dir, "libonnxruntime.so.1"))
	s, _ := onnx.NewSession(filepath.Join(dir, "ch_PP-OCRv4_rec_infer.onnx"), onnx.Options{IntraOpThreads: 1, InterOpThreads: 1, GraphOptimization: "all", CPUMemArena: true})
	dict, _ := recognize.LoadDictionary(filepath.Join(dir, "ppocr_keys_v1.txt"))
	rec := recognize.NewRecognizer(s, dict, 48, 1600, 6)
	files, _ := filepath.Glob(filepath.Join(dirc, "*.png"))
	os.MkdirAll("/tmp/zzout", 0o755)
	for _, f := range files {
		fh, _ := os.Open(f)
		im, _ := png.Decode(fh)
		fh.Close()
		b := im.Bounds()
		crop := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()-16))
		draw.Draw(crop, crop.Rect, im, b.Min, draw.Src)
		dp, ok := imgproc.FindDots(crop)
		up := imgproc.Resize(crop, crop.Rect.Dx()*3, crop.Rect.Dy()*3)
		dp2, ok2 := imgproc.FindDots(up)
		vs := map[string]*image.RGBA{"raw": crop, "join": imgproc.JoinDots(crop), "up3join": imgproc.JoinDots(up), "merge": imgproc.MergeDots(crop, max(1, crop.Rect.Dy()/30))}
		var row []string
		for _, name := range []string{"raw", "join", "up3join", "merge"} {
			txt, _, _ := rec.Read(context.Background(), []*image.RGBA{vs[name]})
			row = append(row, fmt.Sprintf("%s=%q(%.2f)", name, txt[0].Text, txt[0].Confidence))
			o, _ := os.Create("/tmp/zzout/" + filepath.Base(f) + "-" + name + ".png")
			png.Encode(o, vs[name])
			o.Close()
		}
		t.Logf("%s dots=%v %+v up:%v %+v %s", filepath.Base(f), ok, dp, ok2, dp2, strings.Join(row, " "))
	}
}
