package synth

import (
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

func TestZZSamples(t *testing.T) {
	os.MkdirAll("/tmp/synth_samples", 0o755)
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 8 {
		s := Random(r, 1280, 960)
		if i == 0 {
			s.Font = "dotmatrix"
		}
		if i == 1 {
			s.Font = "bold"
		}
		if i == 2 {
			s.Font = "regular"
		}
		st := time.Now()
		p, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		el := time.Since(st)
		f, _ := os.Create(fmt.Sprintf("/tmp/synth_samples/s%d.png", i))
		png.Encode(f, p.Image)
		f.Close()
		t.Logf("%d %v font=%s th=%d ang=%.1f blur=%.2f con=%.2f noise=%.3f %q %s box=%v", i, el, s.Font, s.TextHeight, s.Angle, s.Blur, s.Contrast, s.Noise, p.Text, p.Label, p.Box)
	}
}
