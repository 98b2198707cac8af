//go:build cgo && !noturbojpeg

package imageio

/*
#cgo LDFLAGS: -lturbojpeg
#include <turbojpeg.h>
*/
import "C"

import (
	"fmt"
	"image"
	"image/color"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// FastJPEG reports whether JPEGs are decoded by libjpeg-turbo (with DCT
// scaling for Options.TargetLongSide). It is true in this build.
func FastJPEG() bool { return true }

type scaling struct{ num, denom int }

// scaledDim is TJSCALED: libjpeg-turbo rounds scaled sizes up.
func (s scaling) scaledDim(d int) int { return (d*s.num + s.denom - 1) / s.denom }

// scalings lists the library's shrinking factors (num/denom <= 1), smallest
// first. Enlarging ones are left out: resizing up is not a decoder's job.
var scalings = sync.OnceValue(func() []scaling {
	var n C.int
	p := C.tjGetScalingFactors(&n)
	if p == nil || n <= 0 {
		return []scaling{{1, 1}}
	}
	var out []scaling
	for _, f := range unsafe.Slice(p, int(n)) {
		s := scaling{int(f.num), int(f.denom)}
		if s.num > 0 && s.denom > 0 && s.num <= s.denom {
			out = append(out, s)
		}
	}
	// Insertion sort by value: the list is ~9 entries and fixed.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].num*out[j-1].denom < out[j-1].num*out[j].denom; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
})

// pickScaling chooses the smallest factor whose scaled long side still
// reaches target, so pixels the detector would throw away are never decoded.
func pickScaling(w, h, target int) scaling {
	if target > 0 {
		long := max(w, h)
		for _, s := range scalings() {
			if s.scaledDim(long) >= target {
				return s
			}
		}
	}
	return scaling{1, 1}
}

// decodeJPEG decodes with libjpeg-turbo straight into the RGBA buffer. A
// handle is made per call: handles are not safe for concurrent use, and
// creating one costs microseconds against milliseconds of decoding.
func decodeJPEG(data []byte, lim Limits, target int) (*image.RGBA, int, int, error) {
	// libturbojpeg keeps warning text in thread-local storage; without pinning, the goroutine
	// can move to another OS thread between the decode and tjGetErrorStr2 and read another
	// thread's message, so a truncated file would intermittently pass as a benign warning.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	h := C.tjInitDecompress()
	if h == nil { // out of memory in C; the Go decoder may still manage
		return decodeJPEGStd(data, lim)
	}
	defer C.tjDestroy(h)

	src := (*C.uchar)(unsafe.Pointer(&data[0]))
	size := C.ulong(len(data))
	var cw, ch, subsamp, cspace C.int
	if C.tjDecompressHeader3(h, src, size, &cw, &ch, &subsamp, &cspace) != 0 &&
		(C.tjGetErrorCode(h) != C.TJERR_WARNING || cw <= 0 || ch <= 0) {
		return nil, 0, 0, fmt.Errorf("%w: jpeg header: %s", ErrCorrupt, C.GoString(C.tjGetErrorStr2(h)))
	}
	w, hh := int(cw), int(ch)
	if err := lim.check(w, hh); err != nil {
		return nil, 0, 0, err
	}
	if cspace == C.TJCS_CMYK || cspace == C.TJCS_YCCK {
		return decodeJPEGStd(data, lim) // libjpeg-turbo has no CMYK→RGB conversion
	}

	s := pickScaling(w, hh, target)
	img := image.NewRGBA(image.Rect(0, 0, s.scaledDim(w), s.scaledDim(hh)))
	// LIMITSCANS refuses progressive files with hundreds of scans, a known
	// way to make a small file cost minutes of CPU.
	rc := C.tjDecompress2(h, src, size, (*C.uchar)(unsafe.Pointer(&img.Pix[0])),
		C.int(img.Rect.Dx()), C.int(img.Stride), C.int(img.Rect.Dy()), C.TJPF_RGBA, C.TJFLAG_LIMITSCANS)
	if rc != 0 {
		msg := C.GoString(C.tjGetErrorStr2(h))
		// Other warnings (e.g. extraneous bytes before a marker) are common
		// in camera files that display fine, so the image is kept. A
		// truncated file is only a warning to libjpeg, which pads it with
		// grey; the user should learn the upload is incomplete instead.
		if C.tjGetErrorCode(h) != C.TJERR_WARNING || isTruncation(msg) {
			return nil, 0, 0, fmt.Errorf("%w: jpeg: %s", ErrCorrupt, msg)
		}
	}
	return img, w, hh, nil
}

// isTruncation matches libjpeg's JWRN_JPEG_EOF ("Premature end of JPEG
// file") and JWRN_HIT_MARKER ("Corrupt JPEG data: premature end of data
// segment").
func isTruncation(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "premature end")
}

// fastJPEGSize is the size decodeJPEG produces for a file libjpeg-turbo takes (not CMYK).
func fastJPEGSize(cfg image.Config, target int) (int, int, bool) {
	if cfg.ColorModel == color.CMYKModel {
		return 0, 0, false
	}
	s := pickScaling(cfg.Width, cfg.Height, target)
	return s.scaledDim(cfg.Width), s.scaledDim(cfg.Height), true
}
