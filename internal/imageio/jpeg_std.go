package imageio

import (
	"bytes"
	"image"
	"image/jpeg"
)

// decodeJPEGStd is the portable JPEG path: the whole decoder when cgo is off,
// and the fallback for CMYK/YCCK files that libjpeg-turbo cannot convert to
// RGB. It always decodes at full size.
func decodeJPEGStd(data []byte, lim Limits) (*image.RGBA, int, int, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, decodeError("jpeg", err)
	}
	if err := lim.check(cfg.Width, cfg.Height); err != nil {
		return nil, 0, 0, err
	}
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, decodeError("jpeg", err)
	}
	return toRGBA(m), cfg.Width, cfg.Height, nil
}
