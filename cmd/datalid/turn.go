package main

import (
	"bytes"
	"fmt"
	"image/jpeg"

	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/imgproc"
)

// turnQuality is the JPEG quality a turned photo is re-encoded at: high enough that the
// turn, not the re-encoding, is what a reading is measured against.
const turnQuality = 95

// checkTurn accepts the turns eval can apply to a photo: less than a whole turn either way.
func checkTurn(deg int) error {
	if deg <= -360 || deg >= 360 {
		return fmt.Errorf("--turn %d: want an angle between -359 and 359 degrees", deg)
	}
	return nil
}

// turnPhoto decodes data upright (EXIF orientation applied) within lim, turns it deg degrees
// counter-clockwise (a quarter turn exactly, pixel for pixel) and returns it as a JPEG that
// keeps the day it was taken: the photo as a phone held another way up, or askew, would have
// taken it.
func turnPhoto(data []byte, deg int, lim imageio.Limits) ([]byte, error) {
	img, err := imageio.Decode(data, imageio.Options{Limits: lim})
	if err != nil {
		return nil, err
	}
	m := img.RGBA
	if deg%90 == 0 {
		for range (deg%360 + 360) % 360 / 90 {
			m = imgproc.Rotate90CCW(m)
		}
	} else {
		// A photo taken askew: the canvas grows to hold it, its corners filled from the edges.
		m = imgproc.Rotate(m, float64(deg))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: turnQuality}); err != nil {
		return nil, err
	}
	// The camera would have recorded the day all the same; the orientation is applied.
	return imageio.WithTaken(buf.Bytes(), img.Taken), nil
}
