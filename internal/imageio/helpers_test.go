package imageio

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/bmp"
)

// Fixtures are built in code so each test shows exactly what it feeds in.

var (
	red    = color.RGBA{255, 0, 0, 255}
	green  = color.RGBA{0, 255, 0, 255}
	blue   = color.RGBA{0, 0, 255, 255}
	white  = color.RGBA{255, 255, 255, 255}
	yellow = color.RGBA{255, 255, 0, 255}
)

// quadrants returns a w×h image with red, green / blue, white quadrants: no
// two of the eight orientations map it to the same picture.
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = white
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// textured returns a w×h image with edges and noise, so JPEG data is not
// trivially small and truncation hits entropy-coded data.
func textured(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223
			n := uint8(seed >> 28)
			v := uint8(x*3+y*2) ^ uint8(((x/8+y/8)&1)*96)
			m.SetRGBA(x, y, color.RGBA{v + n, v/2 + n, 255 - v, 255})
		}
	}
	return m
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, m image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeBMP(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := bmp.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tiffOrient builds a minimal TIFF block whose IFD0 holds only the
// orientation tag, in the given byte order.
func tiffOrient(bo binary.AppendByteOrder, o uint16) []byte {
	b := []byte("II*\x00")
	if bo == binary.BigEndian {
		b = []byte("MM\x00*")
	}
	b = bo.AppendUint32(b, 8) // IFD0 offset
	b = bo.AppendUint16(b, 1) // one entry
	b = bo.AppendUint16(b, 0x0112)
	b = bo.AppendUint16(b, 3) // SHORT
	b = bo.AppendUint32(b, 1) // count
	b = bo.AppendUint16(b, o)
	b = bo.AppendUint16(b, 0)
	return bo.AppendUint32(b, 0) // no next IFD
}

// withJPEGApp1 inserts an APP1 segment right after SOI.
func withJPEGApp1(jpg, payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func jpegWithOrientation(jpg []byte, bo binary.AppendByteOrder, o uint16) []byte {
	return withJPEGApp1(jpg, append([]byte("Exif\x00\x00"), tiffOrient(bo, o)...))
}

func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// withPNGChunk inserts a chunk right after IHDR (signature 8 + IHDR 25 bytes).
func withPNGChunk(p []byte, typ string, data []byte) []byte {
	out := append([]byte{}, p[:33]...)
	out = append(out, pngChunk(typ, data)...)
	return append(out, p[33:]...)
}

// pngHeaderOnly is a PNG signature plus an IHDR claiming w×h RGBA pixels: what
// a decompression bomb looks like before its IDAT.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	b := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	return append(b, pngChunk("IEND", nil)...)
}

// bitWriter writes the LSB-first bit stream of VP8L.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (w *bitWriter) write(v uint64, bits uint) {
	w.acc |= v << w.n
	for w.n += bits; w.n >= 8; w.n -= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		return append(w.buf, byte(w.acc))
	}
	return w.buf
}

// vp8l hand-encodes a lossless WebP bitstream for a w×h image whose pixels
// are yellow where marked and red elsewhere. Each channel uses a "simple"
// prefix code: red, blue and alpha have one symbol (zero bits per pixel) and
// green has two (0 or 255: one bit per pixel), so no encoder is needed.
func vp8l(w, h int, marked func(x, y int) bool) []byte {
	var bw bitWriter
	bw.write(0x2f, 8)
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	bw.write(0, 1) // alpha_is_used
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes

	// one writes a simple prefix code with a single 8-bit symbol.
	one := func(sym uint64) {
		bw.write(1, 1)
		bw.write(0, 1)
		bw.write(1, 1)
		bw.write(sym, 8)
	}
	// green: simple code, 2 symbols, first is 1-bit (0), second is 8-bit (255)
	bw.write(1, 1)
	bw.write(1, 1)
	bw.write(0, 1)
	bw.write(0, 1)
	bw.write(255, 8)
	one(255) // red
	one(0)   // blue
	one(255) // alpha
	one(0)   // distance
	for y := range h {
		for x := range w {
			if marked(x, y) {
				bw.write(1, 1)
			} else {
				bw.write(0, 1)
			}
		}
	}
	return bw.bytes()
}

func riffChunk(fourcc string, data []byte) []byte {
	b := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func riffWebP(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// webpFile wraps a VP8L stream; with exif it uses the extended (VP8X) layout.
func webpFile(w, h int, stream, exif []byte) []byte {
	if exif == nil {
		return riffWebP(riffChunk("VP8L", stream))
	}
	x := []byte{1 << 3, 0, 0, 0} // EXIF flag
	x = append(x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	return riffWebP(riffChunk("VP8X", x), riffChunk("VP8L", stream), riffChunk("EXIF", exif))
}

// near reports whether two colours agree within tol per channel (JPEG is lossy).
func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// orientation is the EXIF orientation Decode applies to data: 1..8, or 1 when there is
// none or it cannot be read.
func orientation(format string, data []byte) int {
	return tiffOrientation(exifBlock(format, data))
}
