package main

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"math"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/imgproc"
)

// turnQuality is the JPEG quality a changed photo is re-encoded at: high enough that the
// change, not the re-encoding, is what a reading is measured against.
const turnQuality = 95

// reshoot is how eval changes each photo before reading it, to ask whether the same product
// photographed another way would read as well: turned (another way up, or askew) and shrunk
// (from farther away, or by a phone or web page that keeps fewer pixels).
type reshoot struct {
	turn   int     // degrees counter-clockwise
	shrink float64 // each side times this; 1 keeps the size
}

// check accepts the changes eval can make: less than a whole turn either way, and a shrink
// that leaves a photo.
func (r reshoot) check() error {
	if r.turn <= -360 || r.turn >= 360 {
		return fmt.Errorf("--turn %d: want an angle between -359 and 359 degrees", r.turn)
	}
	if !(r.shrink > 0 && r.shrink <= 1) {
		return fmt.Errorf("--shrink %g: want a factor above 0 and at most 1", r.shrink)
	}
	return nil
}

func (r reshoot) none() bool { return r.turn == 0 && r.shrink == 1 }

// apply decodes data upright (EXIF orientation applied) within lim, shrinks it, turns it
// (a quarter turn exactly, pixel for pixel) and returns it as a JPEG that keeps the day it
// was taken: the photo as a phone held another way would have taken it.
func (r reshoot) apply(data []byte, lim imageio.Limits) ([]byte, error) {
	img, err := imageio.Decode(data, imageio.Options{Limits: lim})
	if err != nil {
		return nil, err
	}
	m := img.RGBA
	if r.shrink != 1 {
		b := m.Bounds()
		w := max(1, int(math.Round(float64(b.Dx())*r.shrink)))
		h := max(1, int(math.Round(float64(b.Dy())*r.shrink)))
		m = imgproc.Resize(m, w, h)
	}
	if r.turn%90 == 0 {
		for range (r.turn%360 + 360) % 360 / 90 {
			m = imgproc.Rotate90CCW(m)
		}
	} else {
		// A photo taken askew: the canvas grows to hold it, its corners filled from the edges.
		m = imgproc.Rotate(m, float64(r.turn))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: turnQuality}); err != nil {
		return nil, err
	}
	// The camera would have recorded the day all the same; the orientation is applied.
	return imageio.WithTaken(buf.Bytes(), img.Taken), nil
}
