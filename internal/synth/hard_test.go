package synth

import (
	"bytes"
	"encoding/csv"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// formatPattern turns a labels-style date format ("MON DD YYYY", "MM/YY")
// back into a formatDate pattern, so a test can print what the label claims.
func formatPattern(format string) string {
	return regexp.MustCompile(`YYYY|YY|MM|DD|MON`).ReplaceAllStringFunc(format, func(t string) string { return "{" + t + "}" })
}

// printedAs reports whether line holds d in format, with English or Portuguese month names.
func printedAs(line, format string, d time.Time) bool {
	p := formatPattern(format)
	for _, pat := range []string{p, strings.ReplaceAll(p, "{MON}", "{MES}")} {
		if s, err := formatDate(pat, d); err == nil && strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// TestHardTextsMatchLabels checks, over many draws of every family, that the
// expiry line prints the labelled expiry in the labelled format, that a
// labelled manufacture date is printed too and is earlier, that month-only
// labels go with day-less formats, and that the dot font can print every line.
func TestHardTextsMatchLabels(t *testing.T) {
	gens := map[string]func(*rand.Rand) text{"us": usText, "monthyear": monthYearText, "glued": gluedText, "eu": euText, "inkjet": inkjetText}
	dayless := regexp.MustCompile(`^[^D]*$`)
	for name, gen := range gens {
		r := rand.New(rand.NewPCG(11, uint64(len(name))))
		formats := map[string]bool{}
		for i := range 300 {
			tx := gen(r)
			formats[tx.format] = true
			if tx.dateLine < 0 || tx.dateLine >= len(tx.lines) {
				t.Fatalf("%s #%d: dateLine %d of %q", name, i, tx.dateLine, tx.lines)
			}
			if !printedAs(tx.lines[tx.dateLine], tx.format, tx.expiry) {
				t.Errorf("%s #%d: line %q does not print %s as %s", name, i, tx.lines[tx.dateLine], tx.expiry.Format("2006-01-02"), tx.format)
			}
			if dayless.MatchString(tx.format) != tx.monthOnly {
				t.Errorf("%s #%d: format %s but monthOnly=%v", name, i, tx.format, tx.monthOnly)
			}
			if !tx.made.IsZero() {
				if !slices.ContainsFunc(tx.lines, func(l string) bool { return printedAs(l, tx.format, tx.made) }) {
					t.Errorf("%s #%d: manufacture %s not printed as %s in %q", name, i, tx.made.Format("2006-01-02"), tx.format, tx.lines)
				}
				if !tx.made.AddDate(0, 1, 0).Before(tx.expiry.AddDate(0, 0, 1)) {
					t.Errorf("%s #%d: manufacture %s not a month before expiry %s", name, i, tx.made, tx.expiry)
				}
			}
			if strings.Contains(tx.format, "MM/DD") && tx.expiry.Day() <= 12 {
				t.Errorf("%s #%d: month-first %q has an ambiguous day", name, i, tx.lines[tx.dateLine])
			}
			for _, l := range tx.lines {
				if _, err := dot5Width(l); err != nil {
					t.Errorf("%s #%d: %v", name, i, err)
				}
				if _, err := gridWidth("dot5x5", l); err != nil {
					t.Errorf("%s #%d: %v", name, i, err)
				}
			}
		}
		if len(formats) < 5 {
			t.Errorf("%s: only %d formats in 300 draws: %v", name, len(formats), formats)
		}
	}
}

// TestRandomHardSizes checks the scale the families promise: phone-camera
// photos for dot matrix and US prints, a date line of 1.5–4 % of the width
// (shrunk only to fit), and a text block that fits the photo.
func TestRandomHardSizes(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, fam := range HardFamilies() {
		for i := range 40 {
			smp, err := RandomHard(r, fam)
			if err != nil {
				t.Fatalf("%s #%d: %v", fam, i, err)
			}
			s := smp.Spec
			mp := float64(s.Width*s.Height) / 1e6
			large := fam == "dotmatrix" || fam == "us" || fam == "inkjet"
			if large && (mp < 7.9 || mp > 12.3) || !large && (mp < 1.9 || mp > 3.2) {
				t.Errorf("%s #%d: %d×%d (%.1f MP)", fam, i, s.Width, s.Height, mp)
			}
			frac := float64(s.TextHeight) / float64(s.Width)
			hi := maxLineFrac
			if fam == "embossed" {
				hi = maxEmbossFrac
			}
			if frac > hi+1e-9 || s.TextHeight < 12 {
				t.Errorf("%s #%d: text height %d on width %d (%.3f)", fam, i, s.TextHeight, s.Width, frac)
			}
			if smp.Family != fam || smp.Quality < 80 || smp.Quality > 92 || s.Expiry.IsZero() {
				t.Errorf("%s #%d: sample %+v", fam, i, smp)
			}
			if err := normalize(&s); err != nil {
				t.Errorf("%s #%d: %v", fam, i, err)
			}
		}
	}
	if _, err := RandomHard(r, "comic"); err == nil {
		t.Error("unknown family accepted")
	}
}

// shrink scales a hard spec down by k so a test can render every family cheaply.
func shrink(s Spec, k int) Spec {
	s.Width, s.Height, s.TextHeight = s.Width/k, s.Height/k, max(12, s.TextHeight/k)
	s.Blur /= float64(k)
	return s
}

// TestRenderHardFamilies renders each family (scaled down) twice: the same
// pixels both times, the labelled dates, and visible text inside Box. Embossed
// print has no ink, so there "visible" means a luminance range well above a
// patch of plain background's.
func TestRenderHardFamilies(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for _, fam := range HardFamilies() {
		t.Run(fam, func(t *testing.T) {
			smp, err := RandomHard(r, fam)
			if err != nil {
				t.Fatal(err)
			}
			s := shrink(smp.Spec, 4)
			a, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Image.Pix, b.Image.Pix) {
				t.Fatal("two renders differ")
			}
			want := s.Expiry.Format("2006-01-02")
			if s.MonthOnly {
				want = s.Expiry.Format("2006-01")
			}
			if a.Label != want || len(a.Other) != btoi(!s.Made.IsZero()) || !slices.Equal(a.Text, s.Lines) {
				t.Errorf("label %q other %q text %q; want %q, made %v, %q", a.Label, a.Other, a.Text, want, s.Made, s.Lines)
			}
			if s.Emboss == 0 {
				checkPhoto(t, a)
				return
			}
			c0, c1 := cornerOpposite(a)
			inBox, plain := lumaRange(a, a.Box[0], a.Box[2]), lumaRange(a, c0, c1)
			if inBox < plain+12 {
				t.Errorf("embossed Box luma range %d vs plain background %d", inBox, plain)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lumaRange is max−min luma over the rectangle spanned by two corners.
func lumaRange(p *Photo, c0, c1 image.Point) int {
	lo, hi := 255, 0
	for y := min(c0.Y, c1.Y); y <= max(c0.Y, c1.Y); y++ {
		for x := min(c0.X, c1.X); x <= max(c0.X, c1.X); x++ {
			v := luma(p.Image, x, y)
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return hi - lo
}

// cornerOpposite is a Box-sized patch in the photo corner farthest from the Box.
func cornerOpposite(p *Photo) (image.Point, image.Point) {
	b := p.Image.Bounds()
	w, h := p.Box[2].X-p.Box[0].X, p.Box[2].Y-p.Box[0].Y
	x, y := 0, 0
	if p.Box[0].X < b.Dx()/2 {
		x = b.Dx() - w - 1
	}
	if p.Box[0].Y < b.Dy()/2 {
		y = b.Dy() - h - 1
	}
	return image.Point{x, y}, image.Point{x + w, y + h}
}

// TestDotsAreSeparate renders the 5×7 font sharp and level and counts the
// dots of an E's top bar: five, with gaps, because the dots are 0.6 of the pitch.
func TestDotsAreSeparate(t *testing.T) {
	s := Spec{Seed: 1, Width: 800, Height: 400, Expiry: time.Date(2027, 3, 25, 0, 0, 0, 0, time.UTC),
		Lines: []string{"E"}, Font: "dot5x7", TextHeight: 70, Dots: DotStyle{Size: 0.6, Jitter: 0.02, Spread: 0.1}}
	p, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	// The glyph's top row of dots is centred half a pitch (70/7 = 10 px) below the cap line,
	// which Box places 0.2 cap heights (2 pitches) above it.
	pitch := 10
	y := p.Box[0].Y + int(math.Round(1.2*7*float64(pitch)-7*float64(pitch))) + pitch/2
	bg := luma(p.Image, p.Box[0].X, p.Box[0].Y)
	runs, inRun := 0, false
	for x := p.Box[0].X; x <= p.Box[1].X; x++ {
		dark := luma(p.Image, x, y) < bg-60
		if dark && !inRun {
			runs++
		}
		inRun = dark
	}
	if runs != 5 {
		t.Errorf("top bar of E at y=%d: %d dark runs, want 5 separate dots", y, runs)
	}
}

// TestWarpsBend checks that an arc lifts the line's ends (a taller Box, about as wide) and a
// cylinder foreshortens it (a narrower one) against the same flat print.
func TestWarpsBend(t *testing.T) {
	flat := Spec{Seed: 2, Width: 900, Height: 600, Expiry: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC),
		Lines: []string{"VAL 20/01/2026"}, Font: "bold", TextHeight: 40}
	size := func(w Warp) (int, int) {
		s := flat
		s.Warp = w
		p, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		checkPhoto(t, p)
		return p.Box[2].X - p.Box[0].X, p.Box[2].Y - p.Box[0].Y
	}
	fw, fh := size(Warp{})
	aw, ah := size(Warp{Kind: "arc", Span: 70})
	dw, dh := size(Warp{Kind: "arc", Span: 70, Down: true})
	cw, _ := size(Warp{Kind: "cylinder", Span: 90})
	if ah < fh*3/2 || dh < fh*3/2 || aw < fw*9/10 || dw < fw*9/10 {
		t.Errorf("arc Box %d×%d / %d×%d vs flat %d×%d: not bent", aw, ah, dw, dh, fw, fh)
	}
	if cw >= fw*95/100 {
		t.Errorf("cylinder Box width %d vs flat %d: not foreshortened", cw, fw)
	}
	bad := flat
	bad.Warp = Warp{Kind: "twist", Span: 40}
	if _, err := Render(bad); err == nil {
		t.Error("unknown warp accepted")
	}
}

func TestDot5GlyphsWellFormed(t *testing.T) {
	for c, g := range dot5Glyphs {
		for _, row := range g {
			if len(row) != dot5Cols || strings.Trim(row, ".#") != "" {
				t.Errorf("glyph %q row %q", c, row)
			}
		}
	}
	for c, g := range dot5x5Glyphs {
		for _, row := range g {
			if len(row) != dot5Cols || strings.Trim(row, ".#") != "" {
				t.Errorf("5×5 glyph %q row %q", c, row)
			}
		}
	}
	for _, c := range "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:/.- " {
		if _, ok := dot5x5Glyphs[c]; !ok {
			t.Errorf("5×5 font lacks %q", c)
		}
	}
	// Digits must differ from each other and from the letters they could pass for.
	seen := map[[dot5x5Rows]string]rune{}
	for c, g := range dot5x5Glyphs {
		if o, dup := seen[g]; dup && c != ' ' && !(c == '0' && o == 'O' || c == 'O' && o == '0') {
			t.Errorf("5×5 glyphs %q and %q are the same", c, o)
		}
		seen[g] = c
	}
	if _, err := dot5Width("val 01"); err == nil {
		t.Error("lowercase accepted by the 5×7 font")
	}
}

// TestMixedSet checks the standard mix: the hard share, dealt evenly over the
// families, placed by the seed, and the same set for the same options.
func TestMixedSet(t *testing.T) {
	o := SetOptions{N: 500, Seed: 1, Width: 1280, Height: 960}
	a, err := drawSet(o)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, s := range a {
		count[s.Family]++
	}
	if count[ClassicFamily] != 360 {
		t.Errorf("classic %d of 500, want 360 (share %.2f)", count[ClassicFamily], DefaultHardShare)
	}
	per := 140 / len(HardFamilies())
	for _, f := range HardFamilies() {
		if count[f] < per || count[f] > per+1 {
			t.Errorf("%s: %d photos, want %d–%d", f, count[f], per, per+1)
		}
	}
	b, _ := drawSet(o)
	o.Seed = 2
	c, _ := drawSet(o)
	same := func(x, y []Sample) bool {
		return slices.EqualFunc(x, y, func(p, q Sample) bool { return p.Family == q.Family && p.Spec.Seed == q.Spec.Seed })
	}
	if !same(a, b) || same(a, c) {
		t.Error("set not determined by its seed")
	}
	only, err := drawSet(SetOptions{N: 7, Seed: 1, Families: []string{"embossed", "glued"}})
	if err != nil || only[0].Family != "embossed" || only[1].Family != "glued" || only[6].Family != "embossed" {
		t.Errorf("--layouts embossed,glued: %v", err)
	}
	for _, bad := range []SetOptions{{N: 3, Families: []string{"cursive"}}, {N: 3, HardShare: 2}, {N: -1}} {
		if _, err := drawSet(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if got := patternFormat("BEST BY {MON} {DD} {YYYY}"); got != "MON DD YYYY" {
		t.Errorf("patternFormat = %q", got)
	}
}

// TestWriteSetHardRows writes a small set of one hard family and checks that
// labels.csv carries the family and the manufacture dates the text prints.
func TestWriteSetHardRows(t *testing.T) {
	dir := t.TempDir()
	if err := WriteSetOptions(dir, SetOptions{N: 2, Seed: 4, Families: []string{"monthyear"}}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("labels.csv: %d rows, %v", len(rows), err)
	}
	month := regexp.MustCompile(`^\d{4}-\d{2}$`)
	for _, row := range rows[1:] {
		if !month.MatchString(row[1]) || row[5] != "monthyear" || strings.Contains(row[4], "DD") {
			t.Errorf("row %q", row)
		}
		if row[2] != "" && (!month.MatchString(row[2]) || row[2] >= row[1]) {
			t.Errorf("row %q: other date not an earlier month", row)
		}
	}
}

// The stacked family prints codes of several dot-matrix lines touching, a row of dots apart
// or less, and only when named: the mixes, measured over many changes, hold none.
func TestStackedFamilyTouchesItsLines(t *testing.T) {
	set, err := drawSet(SetOptions{N: 12, Seed: 3, Families: []string{"stacked"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range set {
		sp := s.Spec
		if len(sp.Lines) < 2 || !isDotFont(sp.Font) || sp.Leading < minLeading || sp.Leading > minLeading+0.15 {
			t.Errorf("stacked sample: %d lines, font %s, leading %.2f", len(sp.Lines), sp.Font, sp.Leading)
		}
		if _, err := Render(sp); err != nil {
			t.Errorf("%q: %v", sp.Lines, err)
		}
	}
	mixed, _ := drawSet(SetOptions{N: 500, Seed: 1})
	if slices.ContainsFunc(mixed, func(s Sample) bool { return s.Family == "stacked" }) {
		t.Error("the standard mix holds stacked codes")
	}
	// Two lines of the 5×7 grid at leading 1 step seven dot rows: five fewer than the
	// coders' loose default, whose step is twelve.
	lines := []string{"12", "34"}
	_, loose, err := blockSize("dot5x7", lines, 70, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, tight, _ := blockSize("dot5x7", lines, 70, 1, minLeading)
	if loose-tight != 5*10 {
		t.Errorf("block %d px high at leading 1, %d loose: want 50 px less", tight, loose)
	}
	sp := baseSpec()
	sp.Leading = 0.5
	if _, err := Render(sp); err == nil {
		t.Error("leading 0.5 accepted")
	}
}
