package synth

import (
	"crypto/sha256"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestInkjetSpecRanges draws many inkjet recipes and checks the ranges the
// family promises: phone-size photos, a cap height of 0.8–2.2 % of the width,
// separate dots 0.35–0.7 of the pitch, a lean of at most 20° on about half,
// any angle in ±90° with about half within ±10°, all three dot grids, clutter.
func TestInkjetSpecRanges(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	const n = 300
	var level, leaning, ground, glare int
	fonts := map[string]int{}
	for i := range n {
		smp, err := RandomHard(r, "inkjet")
		if err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		s := smp.Spec
		checks := []struct {
			what string
			ok   bool
		}{
			{"phone size", slices.Contains(phoneSizes, [2]int{s.Width, s.Height})},
			{"cap height 0.8–2.2 % of the width", float64(s.TextHeight) >= math.Floor(minInkjetFrac*float64(s.Width)) &&
				float64(s.TextHeight) <= maxInkjetFrac*float64(s.Width)},
			{"dot size 0.35–0.7", s.Dots.Size >= 0.35 && s.Dots.Size <= 0.7},
			{"dot jitter", s.Dots.Jitter > 0 && s.Dots.Jitter <= 0.15},
			{"ink spread", s.Dots.Spread >= 0.05 && s.Dots.Spread <= 0.45},
			{"shear within 20°", math.Abs(s.Shear) <= 20},
			{"angle within 90°", math.Abs(s.Angle) <= 90},
			{"contrast 0.5–1", s.Contrast >= 0.5 && s.Contrast <= 1},
			{"clutter", s.Clutter.Art >= 2 && s.Clutter.Words >= 2},
			{"dot font", isGridFont(s.Font) || s.Font == "dotmatrix"},
			{"1–3 lines", len(s.Lines) >= 1 && len(s.Lines) <= 3},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("#%d: %s: %+v", i, c.what, s)
			}
		}
		if math.Abs(s.Angle) <= 10 {
			level++
		}
		if s.Shear != 0 {
			leaning++
		}
		if s.Clutter.Ground {
			ground++
		}
		if s.Clutter.Glare > 0 {
			glare++
		}
		fonts[s.Font]++
	}
	// Half the photos within ±10° plus the ninth of the others that land there: 56 %.
	for _, c := range []struct {
		what   string
		got    int
		lo, hi float64
	}{{"within ±10°", level, 0.45, 0.67}, {"leaning", leaning, 0.4, 0.6}, {"on a ground", ground, 0.3, 0.5}, {"with glare", glare, 0.4, 0.6}} {
		if f := float64(c.got) / n; f < c.lo || f > c.hi {
			t.Errorf("%s: %.2f of the photos, want %.2f–%.2f", c.what, f, c.lo, c.hi)
		}
	}
	for _, f := range []string{"dot5x7", "dot5x5", "dotmatrix"} {
		if fonts[f] < n/8 {
			t.Errorf("font %s in only %d of %d photos: %v", f, fonts[f], n, fonts)
		}
	}
}

// TestInkjetRenders renders many inkjet photos (a quarter of their size, to
// keep the test fast) and checks the labels, the date line's Box, and that
// the clutter keeps off the code: every artwork area, glare band and print
// block lies outside the code's block, print blocks lie inside the photo and
// off each other, and a ground lies under the whole code.
func TestInkjetRenders(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	var words, art int
	const n = 20
	for i := range n {
		smp, err := RandomHard(r, "inkjet")
		if err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		s := shrink(smp.Spec, 4)
		p, err := Render(s)
		if err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		want := s.Expiry.Format("2006-01-02")
		if s.MonthOnly {
			want = s.Expiry.Format("2006-01")
		}
		if p.Label != want || len(p.Other) != 0 || !slices.Equal(p.Text, s.Lines) ||
			!printedAs(s.Lines[s.DateLine], smp.Format, s.Expiry) {
			t.Errorf("#%d: label %q text %q format %s; want %q", i, p.Label, p.Text, smp.Format, want)
		}
		b := p.Image.Bounds()
		code := p.frame.code
		for _, c := range p.Box {
			if !c.In(b) {
				t.Errorf("#%d: Box %v outside the photo %v", i, p.Box, b)
			}
			// The Box is rounded to pixels; the code block has a margin of more than one.
			if u, v := p.frame.toFrame(float64(c.X), float64(c.Y)); !inside(rectF{u, v, u, v}, code.grow(1.5)) {
				t.Errorf("#%d: Box corner %v outside the code block %+v", i, c, code)
			}
		}
		pl := p.clutter
		for _, a := range pl.art {
			if a.overlaps(code) {
				t.Errorf("#%d: artwork %+v overlaps the code block %+v", i, a, code)
			}
		}
		photo := rectF{0, 0, float64(b.Dx()), float64(b.Dy())}
		for k, w := range pl.words {
			if w.overlaps(code) || overlapsAny(w, pl.words[:k]) {
				t.Errorf("#%d: print block %+v overlaps the code %+v or other print", i, w, code)
			}
			if !inside(p.frame.inPhoto(w, b.Dx(), b.Dy()), photo) {
				t.Errorf("#%d: print block %+v not inside the photo", i, w)
			}
		}
		if s.Clutter.Ground != (pl.ground != nil) || pl.ground != nil && !inside(code, *pl.ground) {
			t.Errorf("#%d: ground %v for a code block %+v", i, pl.ground, code)
		}
		words += len(pl.words)
		art += len(pl.art)
	}
	if words < n || art < n {
		t.Errorf("only %d print blocks and %d artwork areas in %d photos", words, art, n)
	}
}

// TestInkjetDeterministic renders one inkjet photo (at half size, still
// 2–3 MP) twice and a neighbour seed once: the same pixels for the same Spec,
// others for another seed.
func TestInkjetDeterministic(t *testing.T) {
	smp, err := RandomHard(rand.New(rand.NewPCG(61, 62)), "inkjet")
	if err != nil {
		t.Fatal(err)
	}
	s := shrink(smp.Spec, 2)
	s.Clutter.Ground, s.Clutter.Glare, s.Shear = true, 0.5, 12 // every code path of the family
	hash := func(s Spec) ([32]byte, *Photo) {
		p, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(p.Image.Pix), p
	}
	a, pa := hash(s)
	b, pb := hash(s)
	if a != b || pa.Box != pb.Box {
		t.Fatal("two renders of the same inkjet Spec differ")
	}
	s.Seed++
	if c, _ := hash(s); c == a {
		t.Error("another seed rendered the same pixels")
	}
}

// TestShearLeans checks the lean: a sheared line's Box is wider by the
// block height's share of tan(shear), and the ink at the top of the line
// moves right of the ink at its bottom.
func TestShearLeans(t *testing.T) {
	base := Spec{Seed: 5, Width: 900, Height: 500, Expiry: time.Date(2027, 3, 25, 0, 0, 0, 0, time.UTC), Lines: []string{"IIIIII"}, Font: "dot5x7", TextHeight: 70,
		Dots: DotStyle{Size: 0.6, Jitter: 0.01, Spread: 0.1}}
	flat, err := Render(base)
	if err != nil {
		t.Fatal(err)
	}
	base.Shear = 20
	lean, err := Render(base)
	if err != nil {
		t.Fatal(err)
	}
	fw, lw := flat.Box[1].X-flat.Box[0].X, lean.Box[1].X-lean.Box[0].X
	if grow := lw - fw; grow < 30 || grow > 45 { // 1.45 cap heights of 70 px × tan 20° ≈ 37
		t.Errorf("Box %d px wide leaning vs %d flat", lw, fw)
	}
	// Column of the leftmost ink in the top and bottom dot rows of the leaning print.
	leftInk := func(p *Photo, y int) int {
		bg := luma(p.Image, p.Box[0].X, p.Box[0].Y)
		for x := p.Box[0].X; x <= p.Box[1].X; x++ {
			if luma(p.Image, x, y) < bg-60 {
				return x
			}
		}
		return -1
	}
	pitch := 10
	// The top dot row is centred half a pitch below the cap line, which Box places 0.2 cap heights above.
	top := lean.Box[0].Y + int(math.Round(0.2*7*float64(pitch))) + pitch/2
	bottom := top + 6*pitch
	if lt, lb := leftInk(lean, top), leftInk(lean, bottom); lt < 0 || lb < 0 || lt-lb < 15 {
		t.Errorf("leftmost ink at the top %d, at the bottom %d: no forward lean", lt, lb)
	}
	base.Shear = 30
	if _, err := Render(base); err == nil {
		t.Error("shear of 30° accepted")
	}
	base.Shear, base.Clutter = 0, Clutter{Art: 40}
	if _, err := Render(base); err == nil {
		t.Error("40 artwork areas accepted")
	}
}
