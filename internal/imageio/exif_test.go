package imageio

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

// uprightQuadrants lists, for each EXIF orientation, which source quadrant
// (0 TL, 1 TR, 2 BL, 3 BR) is seen in each quadrant of the upright picture
// (TL, TR, BL, BR). Written out from the EXIF definitions rather than
// computed, so the test does not share the code's arithmetic.
var uprightQuadrants = map[int][4]int{
	1: {0, 1, 2, 3}, // as stored
	2: {1, 0, 3, 2}, // mirrored left-right
	3: {3, 2, 1, 0}, // turned 180°
	4: {2, 3, 0, 1}, // mirrored top-bottom
	5: {0, 2, 1, 3}, // transposed
	6: {2, 0, 3, 1}, // turned 90° clockwise
	7: {3, 1, 2, 0}, // transverse
	8: {1, 3, 0, 2}, // turned 90° counter-clockwise
}

func TestOrientationAllFormats(t *testing.T) {
	const w, h = 64, 32 // JPEG quadrants align with 16×16 MCUs, so colours stay clean
	quadColours := [4]color.RGBA{red, green, blue, white}
	webpColours := [4]color.RGBA{yellow, red, red, red} // only the TL quadrant is marked
	jpg := encodeJPEG(t, quadrants(w, h), 100)
	pngData := encodePNG(t, quadrants(w, h))
	stream := vp8l(w, h, func(x, y int) bool { return x < w/2 && y < h/2 })

	orders := map[string]binary.AppendByteOrder{"II": binary.LittleEndian, "MM": binary.BigEndian}
	for o := 1; o <= 8; o++ {
		for boName, bo := range orders {
			tiff := tiffOrient(bo, uint16(o))
			cases := []struct {
				name    string
				data    []byte
				colours [4]color.RGBA
				tol     int
			}{
				{"jpeg", jpegWithOrientation(jpg, bo, uint16(o)), quadColours, 40},
				{"png", withPNGChunk(pngData, "eXIf", tiff), quadColours, 0},
				{"webp", webpFile(w, h, stream, tiff), webpColours, 0},
			}
			for _, c := range cases {
				t.Run(c.name+"/"+boName+"/"+string(rune('0'+o)), func(t *testing.T) {
					img, err := Decode(c.data, Options{})
					if err != nil {
						t.Fatal(err)
					}
					uw, uh := w, h
					if o >= 5 {
						uw, uh = h, w
					}
					if img.Orientation != o || img.OrigW != uw || img.OrigH != uh || img.RGBA.Rect != image.Rect(0, 0, uw, uh) {
						t.Fatalf("orientation %d, orig %dx%d, rect %v", img.Orientation, img.OrigW, img.OrigH, img.RGBA.Rect)
					}
					centres := [4]image.Point{{uw / 4, uh / 4}, {3 * uw / 4, uh / 4}, {uw / 4, 3 * uh / 4}, {3 * uw / 4, 3 * uh / 4}}
					for i, p := range centres {
						want := c.colours[uprightQuadrants[o][i]]
						if got := img.RGBA.RGBAAt(p.X, p.Y); !near(got, want, c.tol) {
							t.Errorf("upright quadrant %d at %v = %v, want %v", i, p, got, want)
						}
					}
				})
			}
		}
	}
}

func TestJPEGExifSegmentWalk(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(16, 16), 90)
	exif := append([]byte("Exif\x00\x00"), tiffOrient(binary.BigEndian, 6)...)
	xmp := []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>")
	fill := append([]byte{0xFF, 0xD8, 0xFF, 0xFF}, withJPEGApp1(jpg, exif)[2:]...)
	cases := []struct {
		name string
		data []byte
		want int
	}{
		{"exif", withJPEGApp1(jpg, exif), 6},
		{"xmp first", withJPEGApp1(withJPEGApp1(jpg, exif), xmp), 6},
		{"fill bytes", fill, 6},
		{"no exif", jpg, 1},
		{"exif after scan is ignored", append(append([]byte{}, jpg...), withJPEGApp1([]byte{0xFF, 0xD8}, exif)...), 1},
		{"orientation 0", jpegWithOrientation(jpg, binary.LittleEndian, 0), 1},
		{"orientation 9", jpegWithOrientation(jpg, binary.LittleEndian, 9), 1},
		{"bad length", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x'}, 1},
		{"length below 2", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 'E', 'x'}, 1},
		{"not a marker", []byte{0xFF, 0xD8, 0x00, 0xE1, 0x00, 0x08}, 1},
	}
	for _, c := range cases {
		if got := orientation("jpeg", c.data); got != c.want {
			t.Errorf("%s: orientation %d, want %d", c.name, got, c.want)
		}
	}
	// Every truncation of a valid Exif JPEG must be survivable.
	full := withJPEGApp1(jpg, exif)
	for n := range 64 {
		_ = orientation("jpeg", full[:n])
	}
}

func TestTIFFOrientationMalformed(t *testing.T) {
	le := binary.LittleEndian
	good := tiffOrient(le, 8)
	entry := func(tag, typ uint16, count uint32, val uint32) []byte {
		b := append([]byte("II*\x00"), 8, 0, 0, 0, 1, 0)
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, val)
	}
	cases := []struct {
		name string
		tiff []byte
		want int
	}{
		{"good", good, 8},
		{"nil", nil, 1},
		{"short", good[:6], 1},
		{"bad magic", append([]byte("XX*\x00"), good[4:]...), 1},
		{"ifd offset past end", append([]byte("II*\x00\xff\xff\xff\xff"), good[8:]...), 1},
		{"entries cut off", good[:14], 1},
		{"many entries, short data", append(append([]byte{}, good[:8]...), 0xff, 0xff), 1},
		{"other tag", entry(0x0110, 3, 1, 6), 1},
		{"ascii type", entry(0x0112, 2, 1, 6), 1},
		{"count zero", entry(0x0112, 3, 0, 6), 1},
		{"long type", entry(0x0112, 4, 1, 6), 6},
		{"big-endian", tiffOrient(binary.BigEndian, 5), 5},
	}
	for _, c := range cases {
		if got := tiffOrientation(c.tiff); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
	for n := range len(good) {
		if got := tiffOrientation(good[:n]); got != 1 && n < len(good)-4 {
			t.Errorf("truncated to %d: got %d", n, got)
		}
	}
}

func TestContainerExifMalformed(t *testing.T) {
	tiff := tiffOrient(binary.LittleEndian, 3)
	pngData := withPNGChunk(encodePNG(t, quadrants(4, 4)), "eXIf", append([]byte("Exif\x00\x00"), tiff...))
	webp := webpFile(4, 4, vp8l(4, 4, func(x, y int) bool { return false }), tiff)
	if got := orientation("png", pngData); got != 3 {
		t.Errorf("png eXIf with Exif prefix: %d", got)
	}
	if got := orientation("webp", webp); got != 3 {
		t.Errorf("webp EXIF: %d", got)
	}
	for n := range len(pngData) {
		_ = orientation("png", pngData[:n])
	}
	for n := range len(webp) {
		_ = orientation("webp", webp[:n])
	}
	bogus := []byte("RIFF\x00\x00\x00\x00WEBPEXIF\xff\xff\xff\xff")
	if got := orientation("webp", bogus); got != 1 {
		t.Errorf("bogus chunk length: %d", got)
	}
}
