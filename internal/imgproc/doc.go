// Package imgproc owns the pure-Go pixel and geometry operations of the
// pipeline: resizing, perspective crops, rotations and the contour geometry
// the text detector needs (connected components, convex hulls, minimum-area
// rectangles, polygon scores), and Datalid's crop preprocessing steps (colour
// normalisation, CLAHE, sharpening, denoising, thresholds, deskew, inversion,
// padding, dot merging, line splitting).
//
// Images are the standard *image.RGBA. Inputs may have a Rect with a non-zero
// Min (sub-images); every function indexes Pix relative to Rect.Min, and every
// image it returns has Rect.Min at (0, 0). Pixels are processed as four
// independent channels, so premultiplied alpha is preserved.
//
// Nothing here uses cgo: the detector and recognizer run many of these
// operations per photo, and keeping them in Go keeps the binary portable and
// the behaviour identical on every platform.
package imgproc
