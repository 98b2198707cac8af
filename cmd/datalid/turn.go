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

// checkTurn accepts the quarter turns eval can apply to a photo.
func checkTurn(deg int) error {
	switch deg {
	case 0, 90, 180, 270:
		return nil
	}
	return fmt.Errorf("--turn %d: want 0, 90, 180 or 270", deg)
}

// turnPhoto decodes data upright (EXIF orientation applied) within lim, turns it deg degrees
// counter-clockwise and returns it as a JPEG that keeps the day it was taken: the photo as
// a phone held another way up would have taken it.
func turnPhoto(data []byte, deg int, lim imageio.Limits) ([]byte, error) {
	img, err := imageio.Decode(data, imageio.Options{Limits: lim})
	if err != nil {
		return nil, err
	}
	m := img.RGBA
	for range deg / 90 {
		m = imgproc.Rotate90CCW(m)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: turnQuality}); err != nil {
		return nil, err
	}
	// The camera would have recorded the day all the same; the orientation is applied.
	return imageio.WithTaken(buf.Bytes(), img.Taken), nil
}
