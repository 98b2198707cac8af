//go:build !cgo || noturbojpeg

package imageio

import "image"

// FastJPEG reports whether JPEGs are decoded by libjpeg-turbo. In this build
// they are not: decoding is several times slower and ignores TargetLongSide.
func FastJPEG() bool { return false }

func decodeJPEG(data []byte, lim Limits, _ int) (*image.RGBA, int, int, error) {
	return decodeJPEGStd(data, lim)
}

// fastJPEGSize: every JPEG takes the portable path in this build.
func fastJPEGSize(image.Config, int) (int, int, bool) { return 0, 0, false }
