package synth

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// WriteSet writes n photos drawn with Random from seed as dir/synth_0001.jpg…
// (JPEG quality 90) and dir/labels.csv with header "file,expiry_date,printed_text",
// printed_text being the lines joined by " / " as in the real photos' labels.
// The same seed always writes the same set.
func WriteSet(dir string, n int, seed int64, width, height int) error {
	if n < 0 {
		return fmt.Errorf("synth: negative photo count %d", n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Specs are drawn in order so the set depends only on the seed, not on scheduling.
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	specs := make([]Spec, n)
	for i := range specs {
		specs[i] = Random(r, width, height)
	}
	rows := make([][]string, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				rows[i], errs[i] = writeOne(dir, i+1, specs[i])
			}
		})
	}
	for i := range n {
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
	header := []string{"file", "expiry_date", "printed_text"}
	if err := cw.WriteAll(append([][]string{header}, rows...)); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "labels.csv"), buf.Bytes(), 0o644)
}

func writeOne(dir string, num int, s Spec) ([]string, error) {
	p, err := Render(s)
	if err != nil {
		return nil, fmt.Errorf("synth: photo %d: %w", num, err)
	}
	name := fmt.Sprintf("synth_%04d.jpg", num)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, p.Image, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("synth: photo %d: %w", num, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return []string{name, p.Label, strings.Join(p.Text, " / ")}, nil
}
