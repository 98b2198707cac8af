package synth

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func baseSpec() Spec {
	return Spec{
		Seed:     42,
		Width:    640,
		Height:   480,
		Expiry:   time.Date(2027, time.March, 25, 0, 0, 0, 0, time.UTC),
		Font:     "bold",
		Angle:    5,
		Blur:     0.8,
		Contrast: 0.9,
		Noise:    0.04,
		Extra:    []string{"FAB 01/02/2026", "L 2403B"},
	}
}

func TestRenderDeterministic(t *testing.T) {
	for _, f := range []string{"bold", "dotmatrix"} {
		s := baseSpec()
		s.Font = f
		a, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Image.Pix, b.Image.Pix) || a.Box != b.Box || a.Label != b.Label {
			t.Errorf("%s: two renders of the same Spec differ", f)
		}
		s.Seed++
		c, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(a.Image.Pix, c.Image.Pix) {
			t.Errorf("%s: a different seed rendered identical pixels", f)
		}
	}
}

func TestLabelAndLines(t *testing.T) {
	s := baseSpec()
	p, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Label != "2027-03-25" {
		t.Errorf("Label = %q, want 2027-03-25", p.Label)
	}
	want := []string{"FAB 01/02/2026", "VAL 25/03/2027", "L 2403B"}
	if strings.Join(p.Text, "|") != strings.Join(want, "|") {
		t.Errorf("Text = %q, want %q", p.Text, want)
	}

	s.MonthOnly, s.Layout = true, "EXP {MON}{YYYY}"
	p, err = Render(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Label != "2027-03" || p.Text[1] != "EXP MAR2027" {
		t.Errorf("month-only: Label %q, date line %q", p.Label, p.Text[1])
	}
}

func TestFormatDate(t *testing.T) {
	d := time.Date(2031, time.May, 4, 0, 0, 0, 0, time.UTC)
	for pattern, want := range map[string]string{
		"VAL: {DD}.{MM}.{YY}":       "VAL: 04.05.31",
		"VENC {DD}/{MES}/{YYYY}":    "VENC 04/MAI/2031",
		"BEST BY {MON} {DD} {YYYY}": "BEST BY MAY 04 2031",
		"{YYYY}.{MM}.{DD}":          "2031.05.04",
	} {
		got, err := formatDate(pattern, d)
		if err != nil || got != want {
			t.Errorf("formatDate(%q) = %q, %v; want %q", pattern, got, err, want)
		}
	}
	for _, bad := range []string{"VAL {DAY}", "VAL {DD"} {
		if _, err := formatDate(bad, d); err == nil {
			t.Errorf("formatDate(%q) succeeded", bad)
		}
	}
}

func TestRenderRejectsBadSpecs(t *testing.T) {
	cases := map[string]func(*Spec){
		"no expiry":           func(s *Spec) { s.Expiry = time.Time{} },
		"unknown font":        func(s *Spec) { s.Font = "comic" },
		"month-only mislabel": func(s *Spec) { s.Layout = "VAL {MM}/{YYYY}" },
		"day with MonthOnly":  func(s *Spec) { s.MonthOnly, s.Layout = true, "VAL {DD}/{MM}/{YYYY}" },
		"contrast":            func(s *Spec) { s.Contrast = 2 },
		"tiny photo":          func(s *Spec) { s.Width, s.Height = 10, 10 },
	}
	for name, mutate := range cases {
		s := baseSpec()
		mutate(&s)
		if _, err := Render(s); err == nil {
			t.Errorf("%s: Render succeeded", name)
		}
	}
	s := baseSpec()
	s.TextHeight = 400
	if _, err := Render(s); !errors.Is(err, errNoFit) {
		t.Errorf("oversized TextHeight: err = %v, want errNoFit", err)
	}
}

func TestEveryLayoutAndFontDrawsText(t *testing.T) {
	fonts := []string{"regular", "bold", "mono", "monobold", "dotmatrix"}
	for i, l := range Layouts() {
		s := baseSpec()
		s.Seed = int64(i)
		s.Layout, s.MonthOnly = l.Pattern, l.MonthOnly
		s.Font = fonts[i%len(fonts)]
		s.Angle = float64(i%7*2 - 6)
		t.Run(l.Name+"/"+s.Font, func(t *testing.T) {
			p, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			checkPhoto(t, p)
		})
	}
}

// checkPhoto asserts the Box lies inside the photo and covers ink clearly darker than the background.
func checkPhoto(t *testing.T, p *Photo) {
	t.Helper()
	b := p.Image.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, 0, 0
	for _, pt := range p.Box {
		if !pt.In(b) {
			t.Fatalf("Box corner %v outside %v", pt, b)
		}
		minX, minY = min(minX, pt.X), min(minY, pt.Y)
		maxX, maxY = max(maxX, pt.X), max(maxY, pt.Y)
	}
	if maxX-minX < 20 || maxY-minY < 8 {
		t.Fatalf("Box %v is degenerate", p.Box)
	}
	darkest := 255
	for y := minY; y <= maxY; y++ {
		for x := minX; x <= maxX; x++ {
			darkest = min(darkest, luma(p.Image, x, y))
		}
	}
	// Background reference: the mean of whichever corner patch is lightest (the text may sit near one).
	bg := 0
	for _, c := range []image.Point{{0, 0}, {b.Max.X - 16, 0}, {0, b.Max.Y - 16}, {b.Max.X - 16, b.Max.Y - 16}} {
		sum := 0
		for y := c.Y; y < c.Y+16; y++ {
			for x := c.X; x < c.X+16; x++ {
				sum += luma(p.Image, x, y)
			}
		}
		bg = max(bg, sum/256)
	}
	if bg-darkest < 60 {
		t.Errorf("darkest pixel in Box %d vs background %d: text not drawn where Box says", darkest, bg)
	}
}

func luma(img *image.RGBA, x, y int) int {
	p := img.Pix[img.PixOffset(x, y):]
	return (299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000
}

func TestRandomSpecsRender(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dateLine := regexp.MustCompile(`\d`)
	for i := range 30 {
		w, h := 800, 600
		if i%2 == 1 {
			w, h = 480, 360 // narrow photos must still fit every layout
		}
		s := Random(r, w, h)
		p, err := Render(s)
		if err != nil {
			t.Fatalf("spec %d (%+v): %v", i, s, err)
		}
		checkPhoto(t, p)
		want := s.Expiry.Format("2006-01-02")
		if s.MonthOnly {
			want = s.Expiry.Format("2006-01")
		}
		if p.Label != want {
			t.Errorf("spec %d: Label %q, want %q", i, p.Label, want)
		}
		for _, e := range s.Extra {
			if isManufacture(e) && !dateLine.MatchString(e) {
				t.Errorf("spec %d: manufacture line %q has no date", i, e)
			}
		}
	}
}

func TestRandomMonthFirstDaysAreUnambiguous(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 400 {
		s := Random(r, 1280, 960)
		if s.Layout == "BEST IF USED BY {MM}/{DD}/{YYYY}" && s.Expiry.Day() <= 12 {
			t.Fatalf("month-first numeric layout got ambiguous day %d", s.Expiry.Day())
		}
	}
}

func TestWriteSet(t *testing.T) {
	dir := t.TempDir()
	const n = 5
	if err := WriteSet(dir, n, 9, 320, 240); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 || strings.Join(rows[0], ",") != "file,expiry_date,other_dates,printed_text,date_format,layout" {
		t.Fatalf("labels.csv: %d rows, header %q", len(rows), rows[0])
	}
	label := regexp.MustCompile(`^\d{4}-\d{2}(-\d{2})?$`)
	for i, row := range rows[1:] {
		if want := fmt.Sprintf("synth_%04d.jpg", i+1); row[0] != want {
			t.Errorf("row %d file %q, want %q", i+1, row[0], want)
		}
		if !label.MatchString(row[1]) || row[3] == "" || row[4] == "" || row[5] != ClassicFamily {
			t.Errorf("row %d: label %q, text %q, format %q, layout %q", i+1, row[1], row[3], row[4], row[5])
		}
		img, err := os.Open(filepath.Join(dir, row[0]))
		if err != nil {
			t.Fatal(err)
		}
		_, format, err := image.DecodeConfig(img)
		img.Close()
		if err != nil || format != "jpeg" {
			t.Errorf("%s: format %q, %v", row[0], format, err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	s := Random(rand.New(rand.NewPCG(5, 6)), 1280, 960)
	s.Blur = 1.2 // the costliest pass, so the number is an upper bound
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderHard renders the largest hard photos (12 MP dot matrix),
// encoding included, since the JPEG encoder is what a set pays per photo.
func BenchmarkRenderHard(b *testing.B) {
	smp, err := RandomHard(rand.New(rand.NewPCG(5, 6)), "dotmatrix")
	if err != nil {
		b.Fatal(err)
	}
	smp.Spec.Width, smp.Spec.Height = 4032, 3024
	b.ReportAllocs()
	for b.Loop() {
		p, err := Render(smp.Spec)
		if err != nil {
			b.Fatal(err)
		}
		if err := jpeg.Encode(io.Discard, p.Image, &jpeg.Options{Quality: smp.Quality}); err != nil {
			b.Fatal(err)
		}
	}
}
