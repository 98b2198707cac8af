package pipeline_test

import (
	"context"
	"image"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datalid/datalid/internal/imgproc"
	"github.com/datalid/datalid/internal/recognize"
)

// font5 is an invented 5-row dot-matrix font, the kind small pharmacy coders print.
var font5 = map[rune][]string{
	'0': {".###.", "#...#", "#...#", "#...#", ".###."},
	'2': {"####.", "....#", ".###.", "#....", "#####"},
	'5': {"#####", "#....", "####.", "....#", "####."},
}

// inkjet prints text in font5 as an inkjet coder does: round dots 5 px across on a 7 px
// pitch, leaning right by lean px per row, one empty column between characters, slightly
// soft, on light card.
func inkjet(text string, lean float64) *image.RGBA {
	const pitch, margin = 7.0, 14.0
	w := int(2*margin + float64(len(text)*6)*pitch + 5*lean)
	h := int(2*margin + 5*pitch)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 228
	}
	for k, c := range text {
		for r, row := range font5[c] {
			for col, on := range row {
				if on != '#' {
					continue
				}
				cx := margin + float64(k*6+col)*pitch + lean*float64(4-r)
				cy := margin + float64(r)*pitch
				for y := int(cy - 4); y <= int(cy+4); y++ {
					for x := int(cx - 4); x <= int(cx+4); x++ {
						// Coverage falls off over about a pixel: a photographed dot is soft.
						d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
						a := math.Min(1, math.Max(0, 3.0-d))
						o := img.PixOffset(x, y)
						v := uint8(228 - a*190)
						img.Pix[o], img.Pix[o+1], img.Pix[o+2] = min(img.Pix[o], v), min(img.Pix[o+1], v), min(img.Pix[o+2], v)
					}
				}
			}
		}
	}
	return img
}

// The real recogniser reads a small italic dot-matrix line from its redrawn lattice.
func TestRecogniserReadsRedrawnLattice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	cfg, dir, open := realModels(t)
	dict, err := recognize.LoadDictionary(filepath.Join(dir, cfg.Models.Dictionary))
	if err != nil {
		t.Fatal(err)
	}
	rec := recognize.NewRecognizer(open(cfg.Models.Recognizer), dict, cfg.Recognition.Height, cfg.Recognition.MaxWidth, cfg.Recognition.BatchSize)
	for _, lean := range []float64{0, 2} {
		crop := inkjet("2025", lean)
		dp, ok := imgproc.FindDots(crop)
		if !ok {
			t.Fatalf("lean %v: no dots found", lean)
		}
		lats := imgproc.DotGrids(crop, dp)
		if len(lats) != 1 || lats[0].Rows != 5 {
			t.Fatalf("lean %v: lattices %+v, want one of 5 rows", lean, lats)
		}
		texts, _, err := rec.Read(context.Background(), []*image.RGBA{crop, imgproc.JoinDotsAt(crop, dp), imgproc.DrawLattice(lats[0])})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("lean %v: the crop reads %q, joined %q, its lattice %q (%.2f)", lean, texts[0].Text, texts[1].Text, texts[2].Text, texts[2].Confidence)
		if got := strings.Map(fold, texts[2].Text); got != "2025" {
			t.Errorf("lean %v: redrawn lattice reads %q, want 2025", lean, texts[2].Text)
		}
	}
}

// fold maps full-width digits, which the recogniser sometimes writes, to ASCII ones.
func fold(r rune) rune {
	if r >= '０' && r <= '９' {
		return '0' + r - '０'
	}
	return r
}
