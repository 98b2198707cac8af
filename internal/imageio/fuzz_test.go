package imageio

import (
	"encoding/binary"
	"errors"
	"testing"
)

// FuzzDecode checks the contract for untrusted bytes: no panic, and either
// an error wrapping a sentinel or an image that respects the limits and
// reports consistent geometry.
func FuzzDecode(f *testing.F) {
	jpg := encodeJPEG(f, quadrants(32, 16), 80)
	seeds := [][]byte{
		jpg,
		jpegWithOrientation(jpg, binary.BigEndian, 6),
		jpegWithOrientation(jpg, binary.LittleEndian, 3),
		jpg[:len(jpg)/2],
		encodePNG(f, textured(9, 7)),
		withPNGChunk(encodePNG(f, quadrants(8, 8)), "eXIf", tiffOrient(binary.LittleEndian, 8)),
		pngHeaderOnly(50000, 50000),
		encodeBMP(f, quadrants(6, 5)),
		webpFile(5, 3, vp8l(5, 3, func(x, y int) bool { return x == y }), nil),
		webpFile(5, 3, vp8l(5, 3, func(x, y int) bool { return x == y }), tiffOrient(binary.BigEndian, 5)),
		[]byte("not an image"),
		{0xFF, 0xD8, 0xFF},
		{},
	}
	for _, s := range seeds {
		f.Add(s, uint16(0))
		f.Add(s, uint16(7))
	}
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 4096}
	f.Fuzz(func(t *testing.T, data []byte, target uint16) {
		img, err := Decode(data, Options{Limits: lim, TargetLongSide: int(target)})
		if err != nil {
			for _, s := range []error{ErrEmpty, ErrTooLarge, ErrUnsupported, ErrCorrupt} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		w, h := img.RGBA.Rect.Dx(), img.RGBA.Rect.Dy()
		if img.OrigW <= 0 || img.OrigH <= 0 || img.OrigW > lim.MaxSide || img.OrigH > lim.MaxSide ||
			int64(img.OrigW)*int64(img.OrigH) > lim.MaxPixels {
			t.Fatalf("image %dx%d outside limits", img.OrigW, img.OrigH)
		}
		if w <= 0 || h <= 0 || w > img.OrigW || h > img.OrigH || img.Scale != float64(w)/float64(img.OrigW) {
			t.Fatalf("rgba %dx%d, orig %dx%d, scale %v", w, h, img.OrigW, img.OrigH, img.Scale)
		}
		if img.Orientation < 1 || img.Orientation > 8 || len(img.RGBA.Pix) < 4*w*h {
			t.Fatalf("orientation %d, %d pix bytes", img.Orientation, len(img.RGBA.Pix))
		}
	})
}
