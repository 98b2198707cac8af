package imgproc

import "image"

// The rotations move whole 4-byte pixels; they serve the angle classifier
// (180°) and vertical text crops (90°), so exactness matters more than speed.

// Rotate90CCW returns src rotated a quarter turn counter-clockwise, like
// numpy's rot90: the top-right pixel becomes the top-left one.
func Rotate90CCW(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		for x := range w {
			// (x, y) → (y, w−1−x)
			copy(dst.Pix[(w-1-x)*dst.Stride+4*y:][:4], row[4*x:4*x+4])
		}
	}
	return dst
}

// Rotate90CW returns src rotated a quarter turn clockwise: the top-left pixel
// becomes the top-right one.
func Rotate90CW(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		for x := range w {
			// (x, y) → (h−1−y, x)
			copy(dst.Pix[x*dst.Stride+4*(h-1-y):][:4], row[4*x:4*x+4])
		}
	}
	return dst
}

// Rotate180 returns src turned upside down.
func Rotate180(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		out := dst.Pix[(h-1-y)*dst.Stride : (h-1-y)*dst.Stride+4*w]
		for x := range w {
			copy(out[4*(w-1-x):4*(w-1-x)+4], row[4*x:4*x+4])
		}
	}
	return dst
}
