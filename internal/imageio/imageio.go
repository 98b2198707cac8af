// Package imageio owns turning untrusted bytes into an upright RGBA image:
// format sniffing, size limits checked before pixels are allocated, EXIF
// orientation, and fast JPEG decoding (libjpeg-turbo with DCT scaling when
// built with cgo, the standard library otherwise).
package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"
)

// Limits bound what Decode will accept. A zero or negative field means "use
// the default", so the zero Options value is safe for untrusted input.
type Limits struct {
	MaxBytes  int64 // default 25 MiB
	MaxPixels int64 // width*height of the encoded image, default 50 MP; checked from the header BEFORE decoding pixels
	MaxSide   int   // default 20000
	// MaxDecodeBytes bounds what one decode allocates, estimated from the header before any
	// pixel buffer exists (Estimate); default MaxPixels × decodeBytesPerPixel.
	MaxDecodeBytes int64
}

// DefaultLimits fits phone photos (12–50 MP) with room to spare while
// keeping one decode's memory in the low hundreds of MB.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 25 << 20, MaxPixels: 50_000_000, MaxSide: 20000}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = d.MaxSide
	}
	if l.MaxDecodeBytes <= 0 {
		l.MaxDecodeBytes = l.MaxPixels * decodeBytesPerPixel
	}
	return l
}

// check is called with the encoded dimensions read from the header, so an
// image that is too big is refused before its pixel buffer exists.
func (l Limits) check(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: image has no pixels (%dx%d)", ErrCorrupt, w, h)
	}
	if w > l.MaxSide || h > l.MaxSide {
		return fmt.Errorf("%w: %dx%d has a side over %d px", ErrTooLarge, w, h, l.MaxSide)
	}
	if px := int64(w) * int64(h); px > l.MaxPixels {
		return fmt.Errorf("%w: %dx%d is %d pixels, over the limit of %d", ErrTooLarge, w, h, px, l.MaxPixels)
	}
	return nil
}

// Options tune one decode.
type Options struct {
	Limits Limits
	// TargetLongSide, when > 0, allows the decoder to return a smaller image whose long side is still >= TargetLongSide
	// (libjpeg-turbo DCT scaling 1/2, 1/4, 1/8 for JPEG; an integer box filter while decoding a non-interlaced PNG;
	// other formats decode at full size and are NOT resized here).
	TargetLongSide int
}

// Image is a decoded, upright picture plus what callers need to map
// coordinates found on it back to the full-resolution original.
type Image struct {
	RGBA         *image.RGBA // upright (EXIF orientation applied)
	Format       string      // "jpeg", "png", "bmp", "webp"
	OrigW, OrigH int         // upright size of the full-resolution image (after orientation), before any DCT scaling
	Scale        float64     // RGBA width / OrigW (1 when not scaled)
	Orientation  int         // EXIF orientation 1..8 that was applied (1 when none)
	Taken        time.Time   // when the photo was taken, from EXIF (zero when unknown); a civil time, no zone
}

// Every error from Decode wraps exactly one of these, so callers (the HTTP
// server in particular) can map failures to a status without parsing text.
var (
	ErrEmpty       = errors.New("imageio: empty image data")
	ErrTooLarge    = errors.New("imageio: image too large")
	ErrUnsupported = errors.New("imageio: unsupported image format")
	ErrCorrupt     = errors.New("imageio: corrupt image data")
)

// Decode turns untrusted bytes into an upright RGBA image. The result is
// smaller than the original only for a JPEG decoded with TargetLongSide by
// the fast path, or a non-interlaced PNG; Scale says by how much. The memory
// it will need is estimated from the header first and refused over
// Limits.MaxDecodeBytes. Errors wrap ErrEmpty, ErrTooLarge,
// ErrUnsupported or ErrCorrupt.
func Decode(data []byte, opt Options) (*Image, error) {
	lim := opt.Limits.withDefaults()
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	format, err := sniff(data)
	if err != nil {
		return nil, err
	}

	c, err := estimate(format, data, lim, opt.TargetLongSide)
	switch {
	case err == nil:
		if err := lim.checkBudget(format, c); err != nil {
			return nil, err
		}
	case format == "jpeg" && FastJPEG() && !errors.Is(err, ErrTooLarge):
		// libjpeg-turbo reads variants image/jpeg's header parser refuses (arithmetic coding);
		// it checks the limits itself and allocates at most MaxPixels × 4, within any budget.
	default:
		return nil, err
	}
	var (
		rgba *image.RGBA
		w, h int // encoded full-resolution size
	)
	if format == "jpeg" {
		rgba, w, h, err = decodeJPEG(data, lim, opt.TargetLongSide)
	} else {
		rgba, w, h, err = decodeOther(format, data, lim, opt.TargetLongSide)
	}
	if err != nil {
		return nil, err
	}

	// Broken metadata never costs the user the picture: it reads as none.
	meta := exifBlock(format, data)
	o := tiffOrientation(meta)
	rgba = applyOrientation(rgba, o)
	if o >= 5 {
		w, h = h, w
	}
	return &Image{
		RGBA:        rgba,
		Format:      format,
		OrigW:       w,
		OrigH:       h,
		Scale:       float64(rgba.Rect.Dx()) / float64(w),
		Orientation: o,
		Taken:       tiffTaken(meta),
	}, nil
}

// DecodeFile reads (ReadFile) and decodes one file. Every error names the path.
func DecodeFile(path string, opt Options) (*Image, error) {
	data, err := ReadFile(path, opt.Limits.withDefaults().MaxBytes)
	if err != nil {
		return nil, err
	}
	img, err := Decode(data, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// IsImageFile reports whether a folder scan should pick up name. It looks at
// the extension only; Decode still sniffs the content.
func IsImageFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".bmp", ".webp":
		return true
	}
	return false
}

// sniff identifies the format by magic bytes: file names and Content-Type
// headers from clients are not trustworthy.
func sniff(b []byte) (string, error) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpeg", nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png", nil
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp", nil
	case bytes.HasPrefix(b, []byte("BM")):
		return "bmp", nil
	}
	// Naming common formats we do not read tells a user what to convert.
	what := "unknown content"
	switch {
	case bytes.HasPrefix(b, []byte("GIF8")):
		what = "GIF"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		what = "TIFF"
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		what = "HEIF/AVIF (" + strings.TrimSpace(string(b[8:12])) + ")"
	}
	return "", fmt.Errorf("%w: %s (want JPEG, PNG, BMP or WebP)", ErrUnsupported, what)
}

// decodeOther handles the formats that always go through Go decoders.
func decodeOther(format string, data []byte, lim Limits, target int) (*image.RGBA, int, int, error) {
	if format == "png" {
		hdr, err := readPNGHeader(data)
		if err != nil {
			return nil, 0, 0, err
		}
		if err := lim.check(hdr.w, hdr.h); err != nil {
			return nil, 0, 0, err
		}
		if pngStreamable(hdr) {
			m, err := decodePNGStream(data, hdr, target)
			return m, hdr.w, hdr.h, err
		}
	}
	var (
		cfg image.Config
		err error
	)
	switch format {
	case "png":
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case "bmp":
		cfg, err = bmp.DecodeConfig(bytes.NewReader(data))
	case "webp":
		cfg, err = webp.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return nil, 0, 0, decodeError(format, err)
	}
	if err := lim.check(cfg.Width, cfg.Height); err != nil {
		return nil, 0, 0, err
	}
	var m image.Image
	switch format {
	case "png":
		m, err = png.Decode(bytes.NewReader(data))
	case "bmp":
		m, err = bmp.Decode(bytes.NewReader(data))
	case "webp":
		m, err = webp.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, 0, 0, decodeError(format, err)
	}
	if b := m.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		// A decoder that disagrees with its own header would defeat the
		// limit check; refuse rather than trust either number.
		return nil, 0, 0, fmt.Errorf("%w: %s header says %dx%d, pixels are %dx%d",
			ErrCorrupt, format, cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}
	return toRGBA(m), cfg.Width, cfg.Height, nil
}

// decodeError sorts a decoder's error into "we do not read this variant"
// and "the data is broken": the first is fixable by converting the file, the
// second by re-taking or re-uploading it.
func decodeError(format string, err error) error {
	var (
		pngUnsup  png.UnsupportedError
		jpegUnsup jpeg.UnsupportedError
	)
	msg := err.Error()
	if !strings.HasPrefix(msg, format) {
		msg = format + ": " + msg
	}
	if errors.As(err, &pngUnsup) || errors.As(err, &jpegUnsup) || errors.Is(err, bmp.ErrUnsupported) {
		return fmt.Errorf("%w: %s", ErrUnsupported, msg)
	}
	return fmt.Errorf("%w: %s", ErrCorrupt, msg)
}
