package bench

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"math/rand/v2"

	"github.com/datalid/datalid/internal/synth"
)

// Synthetic renders n labelled synthetic photos (internal/synth, 1280×960, JPEG quality 90)
// drawn from seed, so a benchmark needs no photo files and is the same on every machine.
func Synthetic(n int, seed int64) ([]Input, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0xbe7c4))
	out := make([]Input, 0, n)
	for i := range n {
		p, err := synth.Render(synth.Random(r, 0, 0))
		if err != nil {
			return nil, fmt.Errorf("bench: synthetic photo %d: %w", i+1, err)
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, p.Image, &jpeg.Options{Quality: 90}); err != nil {
			return nil, err
		}
		out = append(out, Input{Name: fmt.Sprintf("synthetic-%d (%s)", i+1, p.Label), Data: buf.Bytes()})
	}
	return out, nil
}
