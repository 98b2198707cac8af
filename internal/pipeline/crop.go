package pipeline

import (
	"image"
	"math"

	"github.com/datalid/datalid/internal/imgproc"
)

// Crop rectifies the quadrilateral q of img into an upright crop, as PaddleOCR's
// get_rotate_crop_image: the output size is the longer of each pair of opposite sides, and
// crops at least 1.5× taller than wide are turned 90° counter-clockwise (vertical text).
func Crop(img *image.RGBA, q imgproc.Quad) *image.RGBA {
	if mirrored(q) {
		// Corners listed counter-clockwise on screen would warp to a mirror image, which no
		// recogniser reads; reversed, they give the upright text or, at worst, text turned
		// 180°, which the angle classifier and the "flip" retry handle. The detector lists
		// corners clockwise today; this guards crops from other box sources (tiles, zoom).
		q = imgproc.Quad{q[3], q[2], q[1], q[0]}
	}
	w, h := cropSize(q)
	c := imgproc.WarpQuad(img, q, w, h)
	if turnsQuarter(w, h) {
		c = imgproc.Rotate90CCW(c)
	}
	return c
}

// standingTurn is how much taller than wide a crop must be for Crop to read it turned a
// quarter, as vertical text.
const standingTurn = 1.5

// cropSize is the size Crop warps q to: the longer of each pair of opposite sides.
func cropSize(q imgproc.Quad) (w, h int) {
	w = int(math.Max(imgproc.Dist(q[0], q[1]), imgproc.Dist(q[3], q[2])))
	h = int(math.Max(imgproc.Dist(q[0], q[3]), imgproc.Dist(q[1], q[2])))
	return max(w, 1), max(h, 1)
}

// turnsQuarter reports a crop of w×h that Crop turns a quarter counter-clockwise.
func turnsQuarter(w, h int) bool { return float64(h)/float64(w) >= standingTurn }

// mirrored reports corners that run counter-clockwise on screen (y pointing down): the
// shoelace area of TL, TR, BR, BL is positive only in clockwise order.
func mirrored(q imgproc.Quad) bool {
	var a float64
	for i := range q {
		j := (i + 1) % 4
		a += q[i].X*q[j].Y - q[j].X*q[i].Y
	}
	return a < 0
}
