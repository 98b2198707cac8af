package recognize

import (
	"image"
	"math"

	"github.com/datalid/datalid/internal/imgproc"
)

// fillNormalized writes img, resized to height h and width rw, into dst (one [3, h, padW]
// BGR plane set), scaled as PaddleOCR does: (x/255 − 0.5)/0.5. Columns past rw stay 0, the
// value PaddleOCR pads with.
func fillNormalized(dst []float32, img *image.RGBA, h, rw, padW int) {
	r := img
	if img.Rect.Dx() != rw || img.Rect.Dy() != h {
		r = imgproc.Resize(img, rw, h)
	}
	n := h * padW
	for y := range h {
		row := r.Pix[y*r.Stride : y*r.Stride+4*rw]
		o := y * padW
		for x := range rw {
			p := row[4*x : 4*x+3 : 4*x+3]
			dst[o+x] = float32(p[2])/127.5 - 1
			dst[n+o+x] = float32(p[1])/127.5 - 1
			dst[2*n+o+x] = float32(p[0])/127.5 - 1
		}
	}
}

// scaledWidth is the width of img resized to height h, capped at maxW.
func scaledWidth(img *image.RGBA, h, maxW int) int {
	b := img.Bounds()
	if b.Dy() == 0 {
		return 1
	}
	w := int(math.Ceil(float64(h) * float64(b.Dx()) / float64(b.Dy())))
	return max(1, min(w, maxW))
}
