package synth

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// DefaultHardShare is the share of hard-family photos in a mixed set: enough
// (about 23 photos per family in 500) for per-family accuracy to mean
// something, while the classic layouts still dominate the headline figure.
const DefaultHardShare = 0.28

// SetOptions describes a synthetic set.
type SetOptions struct {
	N             int
	Seed          int64
	Width, Height int // size of the classic photos; hard families choose phone-camera sizes
	// Families, when set, renders only these families ("classic" and/or
	// HardFamilies), dealt out in turn. Empty means the standard mix: HardShare
	// of the photos, at positions drawn from the seed, dealt out over the hard
	// families in turn, the rest classic.
	Families  []string
	HardShare float64 // 0 = DefaultHardShare
}

// WriteSet writes the classic set: n photos drawn with Random from seed. See WriteSetOptions.
func WriteSet(dir string, n int, seed int64, width, height int) error {
	return WriteSetOptions(dir, SetOptions{N: n, Seed: seed, Width: width, Height: height, Families: []string{ClassicFamily}})
}

// WriteSetOptions writes o.N photos as dir/synth_0001.jpg… and dir/labels.csv
// with header "file,expiry_date,other_dates,printed_text,date_format,layout",
// printed_text being the lines joined by " / " and other_dates the
// manufacture dates joined by ";", as in the real photos' labels; layout is
// the family. The same options always write the same set.
func WriteSetOptions(dir string, o SetOptions) error {
	samples, err := drawSet(o)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rows := make([][]string, len(samples))
	errs := make([]error, len(samples))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(samples), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				rows[i], errs[i] = writeOne(dir, i+1, samples[i])
			}
		})
	}
	for i := range samples {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}

	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	header := []string{"file", "expiry_date", "other_dates", "printed_text", "date_format", "layout"}
	if err := cw.WriteAll(append([][]string{header}, rows...)); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "labels.csv"), buf.Bytes(), 0o644)
}

// drawSet draws every sample in order from one generator, so the set depends
// only on the options, not on scheduling.
func drawSet(o SetOptions) ([]Sample, error) {
	if o.N < 0 {
		return nil, fmt.Errorf("synth: negative photo count %d", o.N)
	}
	if o.HardShare < 0 || o.HardShare > 1 {
		return nil, fmt.Errorf("synth: hard share %g outside 0..1", o.HardShare)
	}
	for _, f := range o.Families {
		if f != ClassicFamily && !knownFamily(f) {
			return nil, fmt.Errorf("synth: unknown layout family %q (want one of %s)", f, familyNames())
		}
	}
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed))
	family := make([]string, o.N)
	if len(o.Families) > 0 {
		for i := range family {
			family[i] = o.Families[i%len(o.Families)]
		}
	} else {
		share := o.HardShare
		if share == 0 {
			share = DefaultHardShare
		}
		for i := range family {
			family[i] = ClassicFamily
		}
		hard := r.Perm(o.N)[:int(math.Round(share*float64(o.N)))]
		slices.Sort(hard)
		for j, i := range hard {
			family[i] = hardFamilies[j%len(hardFamilies)]
		}
	}
	out := make([]Sample, o.N)
	for i, f := range family {
		if f == ClassicFamily {
			s := Random(r, o.Width, o.Height)
			out[i] = Sample{Spec: s, Family: f, Format: patternFormat(s.Layout), Quality: 90}
			continue
		}
		var err error
		if out[i], err = RandomHard(r, f); err != nil {
			return nil, fmt.Errorf("synth: photo %d: %w", i+1, err)
		}
	}
	return out, nil
}

// patternFormat is a layout pattern's date part in the labels' notation: "VAL {DD}/{MM}/{YYYY}" → "DD/MM/YYYY".
func patternFormat(pattern string) string {
	_, date := splitKeyword(pattern)
	return strings.NewReplacer("{", "", "}", "", "MES", "MON").Replace(date)
}

func writeOne(dir string, num int, smp Sample) ([]string, error) {
	p, err := Render(smp.Spec)
	if err != nil {
		return nil, fmt.Errorf("synth: photo %d: %w", num, err)
	}
	name := fmt.Sprintf("synth_%04d.jpg", num)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, p.Image, &jpeg.Options{Quality: smp.Quality}); err != nil {
		return nil, fmt.Errorf("synth: photo %d: %w", num, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return []string{name, p.Label, strings.Join(p.Other, ";"), strings.Join(p.Text, " / "), smp.Format, smp.Family}, nil
}
