package imageio

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"
)

// decodeBytesPerPixel sets the default decode budget: MaxPixels × this. Six bytes a pixel is
// the costliest common path at full size, the portable JPEG decoder (up to 3 bytes of YCbCr
// 4:4:4 plus 4 of RGBA, less the 4:2:0 saving most cameras use), so every photo within
// max_pixels still decodes; what the budget refuses are stored forms that spend more than a
// photo's worth of memory per pixel, like 16-bit interlaced PNG (8 + 4 bytes a pixel).
const decodeBytesPerPixel = 6

// Estimate is the peak memory Decode will allocate for data with opt, read from the header
// alone (nothing is decoded): the decoded form at the size the decoder will produce, plus the
// RGBA conversion and the working copy where those are separate buffers. The server weighs
// admission with it; Decode refuses files whose estimate is over Limits.MaxDecodeBytes.
func Estimate(data []byte, opt Options) (int64, error) {
	lim := opt.Limits.withDefaults()
	if len(data) == 0 {
		return 0, ErrEmpty
	}
	format, err := sniff(data)
	if err != nil {
		return 0, err
	}
	c, err := estimate(format, data, lim, opt.TargetLongSide)
	if err != nil {
		return 0, err
	}
	return c.bytes, nil
}

// cost is one decode's size and memory, from its header.
type cost struct {
	w, h  int   // encoded size
	bytes int64 // peak allocation
}

func estimate(format string, data []byte, lim Limits, target int) (cost, error) {
	var (
		cfg image.Config
		err error
		per int64 // decoded bytes per pixel at full size, conversion included
	)
	switch format {
	case "png":
		hdr, err := readPNGHeader(data)
		if err != nil {
			return cost{}, err
		}
		if err := lim.check(hdr.w, hdr.h); err != nil {
			return cost{}, err
		}
		c := cost{w: hdr.w, h: hdr.h}
		if pngStreamable(hdr) {
			ow, oh := shrunkSize(hdr.w, hdr.h, target)
			c.bytes = int64(ow)*int64(oh)*4 + 2*int64(hdr.rowBytes()) + 24*int64(ow)
			return c.plusWorking(ow, oh, target), nil
		}
		per = hdr.goBytesPerPixel()
		if per != 4 || hdr.depth == 16 || hdr.color == 0 && hdr.depth < 8 {
			per += 4 // a separate RGBA conversion (8-bit NRGBA is converted in place)
		}
		c.bytes = per * int64(hdr.w) * int64(hdr.h)
		return c.plusWorking(hdr.w, hdr.h, target), nil
	case "jpeg":
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return cost{}, decodeError(format, err)
		}
		if err := lim.check(cfg.Width, cfg.Height); err != nil {
			return cost{}, err
		}
		c := cost{w: cfg.Width, h: cfg.Height}
		if ow, oh, ok := fastJPEGSize(cfg, target); ok {
			c.bytes = int64(ow) * int64(oh) * 4
			return c.plusWorking(ow, oh, target), nil
		}
		switch cfg.ColorModel {
		case color.GrayModel:
			per = 1 + 4
		case color.CMYKModel:
			per = 4 + 4
		default:
			per = 3 + 4
		}
	case "bmp":
		cfg, err = bmp.DecodeConfig(bytes.NewReader(data))
		per = 4 // RGBA/NRGBA converted in place; paletted is 1 + 4 but rare
		if _, ok := cfg.ColorModel.(color.Palette); ok {
			per = 1 + 4
		}
	case "webp":
		cfg, err = webp.DecodeConfig(bytes.NewReader(data))
		per = 3 + 4 // lossy: YCbCr 4:2:0 (1.5) + alpha (1), then RGBA; lossless: NRGBA in place
	}
	if err != nil {
		return cost{}, decodeError(format, err)
	}
	if err := lim.check(cfg.Width, cfg.Height); err != nil {
		return cost{}, err
	}
	c := cost{w: cfg.Width, h: cfg.Height, bytes: per * int64(cfg.Width) * int64(cfg.Height)}
	return c.plusWorking(cfg.Width, cfg.Height, target), nil
}

// plusWorking adds the pipeline's working copy, made when the decoded picture (dw×dh) is
// larger than the working size.
func (c cost) plusWorking(dw, dh, target int) cost {
	if long := max(dw, dh); target > 0 && long > target {
		c.bytes += int64(target) * int64(target) * int64(min(dw, dh)) / int64(long) * 4
	}
	return c
}

// shrunkSize is the size decodePNGStream produces: an integer box factor keeping the long
// side >= target.
func shrunkSize(w, h, target int) (int, int) {
	k := pngShrink(w, h, target)
	return (w + k - 1) / k, (h + k - 1) / k
}

func pngShrink(w, h, target int) int {
	if long := max(w, h); target > 0 && long >= 2*target {
		return long / target // floor(long/k) >= target
	}
	return 1
}

// checkBudget refuses a decode whose estimate is over the budget, naming both numbers so the
// client learns what to change.
func (l Limits) checkBudget(format string, c cost) error {
	if c.bytes > l.MaxDecodeBytes {
		return fmt.Errorf("%w: this %dx%d %s needs about %d MB to decode, over the budget of %d MB",
			ErrTooLarge, c.w, c.h, format, c.bytes>>20, l.MaxDecodeBytes>>20)
	}
	return nil
}
