package imageio

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// pngVariants are pictures in every stored form image/png writes: gray 8/16, RGB(A) 8/16,
// paletted at 1, 2, 4 and 8 bits with transparency.
func pngVariants(w, h int) map[string]image.Image {
	src := textured(w, h)
	gray, gray16 := image.NewGray(src.Rect), image.NewGray16(src.Rect)
	nrgba, nrgba64, rgba64 := image.NewNRGBA(src.Rect), image.NewNRGBA64(src.Rect), image.NewRGBA64(src.Rect)
	out := map[string]image.Image{"rgba opaque": src, "gray": gray, "gray16": gray16, "nrgba": nrgba, "nrgba64": nrgba64, "rgba64": rgba64}
	for y := range h {
		for x := range w {
			c := src.RGBAAt(x, y)
			gray.SetGray(x, y, color.Gray{c.G})
			gray16.SetGray16(x, y, color.Gray16{uint16(c.G)<<8 | uint16(c.R)})
			nrgba.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, uint8(x * 255 / w)})
			nrgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(c.R) << 8, uint16(c.G)<<8 | 0x80, uint16(c.B) << 8, uint16(y*65535/h) | 0xFF})
			rgba64.SetRGBA64(x, y, color.RGBA64{uint16(c.R) << 8, uint16(c.G) << 8, uint16(c.B) << 8, 0xFFFF})
		}
	}
	for _, n := range []int{2, 4, 16, 256} {
		pal := color.Palette{}
		for i := range n {
			pal = append(pal, color.NRGBA{uint8(i * 37), uint8(255 - i), uint8(i * 11), uint8(255 - i*3%256)})
		}
		m := image.NewPaletted(src.Rect, pal)
		for y := range h {
			for x := range w {
				m.SetColorIndex(x, y, uint8((x*3+y*5)%n))
			}
		}
		out["paletted"+itoa(n)] = m
	}
	return out
}

func itoa(n int) string {
	return string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}

// The streaming decoder must produce what image/png + toRGBA produce (±1 for 16-bit rounding).
func TestPNGStreamMatchesImagePNG(t *testing.T) {
	for name, m := range pngVariants(37, 23) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := png.Encode(&buf, m); err != nil {
				t.Fatal(err)
			}
			want, err := png.Decode(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			ref := toRGBA(want)
			got, err := Decode(buf.Bytes(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.RGBA.Rect != ref.Rect {
				t.Fatalf("size %v, want %v", got.RGBA.Rect, ref.Rect)
			}
			for y := range ref.Rect.Dy() {
				for x := range ref.Rect.Dx() {
					if a, b := got.RGBA.RGBAAt(x, y), ref.RGBAAt(x, y); !near(a, b, 1) {
						t.Fatalf("pixel %d,%d: %v, want %v", x, y, a, b)
					}
				}
			}
		})
	}
}

// With a target, a PNG is shrunk while decoding by a whole factor, long side still >= target,
// and a flat picture stays flat.
func TestPNGStreamShrinks(t *testing.T) {
	m := image.NewNRGBA64(image.Rect(0, 0, 1000, 300))
	for i := 0; i < len(m.Pix); i += 8 {
		copy(m.Pix[i:], []byte{0x40, 0, 0x80, 0, 0xC0, 0, 0xFF, 0xFF})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	img, err := Decode(buf.Bytes(), Options{TargetLongSide: 300})
	if err != nil {
		t.Fatal(err)
	}
	if img.RGBA.Rect.Dx() != 334 || img.RGBA.Rect.Dy() != 100 || img.OrigW != 1000 || img.OrigH != 300 {
		t.Fatalf("got %v of %dx%d", img.RGBA.Rect, img.OrigW, img.OrigH)
	}
	if c := img.RGBA.RGBAAt(333, 99); c != (color.RGBA{0x40, 0x80, 0xC0, 0xFF}) {
		t.Fatalf("edge pixel %v", c)
	}
}

// zeroPNG16 is the probe's bomb: a w×h 16-bit RGBA PNG of zeros, a few hundred KB.
func zeroPNG16(t testing.TB, w, h int, interlace byte) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, interlace)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if interlace == 0 {
		row := make([]byte, 1+w*8)
		for range h {
			zw.Write(row)
		}
	} else {
		// Adam7: seven passes, each its own rows of the pixels on its grid.
		for _, p := range [][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
			pw, ph := (w-p[0]+p[2]-1)/p[2], (h-p[1]+p[3]-1)/p[3]
			if pw <= 0 || ph <= 0 {
				continue
			}
			row := make([]byte, 1+pw*8)
			for range ph {
				zw.Write(row)
			}
		}
	}
	zw.Close()
	b := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", z.Bytes())...)
	return append(b, pngChunk("IEND", nil)...)
}

// Finding 2: a 7000×7000 16-bit PNG of zeros cost ~880 MB. Decoded at the working size it must
// allocate about the output picture, not the stored form (392 MB) plus RGBA (196 MB).
func TestPNG16BombDecodesSmall(t *testing.T) {
	if testing.Short() || raceOn {
		// It runs in the plain unit pass; under -race, inflating 392 MB takes minutes and the
		// decoder shares no state between goroutines to race on.
		t.Skip("builds and inflates a 7000x7000 16-bit file")
	}
	data := zeroPNG16(t, 7000, 7000, 0)
	t.Logf("file: %d KB", len(data)>>10)
	opt := Options{TargetLongSide: 2048}
	est, err := Estimate(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	img, err := Decode(data, opt)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := int64(after.TotalAlloc - before.TotalAlloc)
	t.Logf("decoded to %v, allocated %d MB, estimated %d MB", img.RGBA.Rect, alloc>>20, est>>20)
	if img.RGBA.Rect.Dx() != 2334 || img.OrigW != 7000 {
		t.Fatalf("got %v of %d", img.RGBA.Rect, img.OrigW)
	}
	if alloc > 40<<20 || alloc > est*2 {
		t.Fatalf("decode allocated %d MB (estimate %d MB)", alloc>>20, est>>20)
	}
}

// An interlaced 16-bit PNG cannot be streamed: it is refused from its header when the decoded
// form would exceed the budget, before a pixel buffer exists.
func TestDecodeBudgetRefusesFromHeader(t *testing.T) {
	data := zeroPNG16(t, 3000, 3000, 1)  // 9 MP: 9e6 × (8 + 4) = 108 MB decoded
	lim := Limits{MaxPixels: 10_000_000} // budget 60 MB
	est, err := Estimate(data, Options{Limits: lim})
	if err != nil || est < 100<<20 {
		t.Fatalf("estimate %d MB, %v", est>>20, err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Decode(data, Options{Limits: lim})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 1<<20 {
		t.Fatalf("refusal allocated %d bytes", a)
	}
	t.Log(err)
	// Under a budget that allows it, the same file decodes (through image/png).
	img, err := Decode(data, Options{Limits: Limits{MaxDecodeBytes: 200 << 20}})
	if err != nil || img.OrigW != 3000 {
		t.Fatalf("%v", err)
	}
}

// Estimates follow the stored form: a paletted picture costs less than 16-bit RGBA of the same
// size when both go through image/png.
func TestEstimateByStoredForm(t *testing.T) {
	pal := pngHeaderOnly(4000, 3000)
	pal[8+8+9] = 3 // color type: paletted
	pal[8+8+8] = 8
	fixCRC(pal)
	deep := zeroPNG16(t, 40, 30, 1)
	e1, err1 := Estimate(pal, Options{})
	e2, err2 := Estimate(deep, Options{})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if e1 != 4000*3000*4+2*4000+24*4000 {
		t.Errorf("streamed paletted 4000x3000: %d", e1)
	}
	if e2 != 40*30*12 {
		t.Errorf("interlaced 16-bit 40x30: %d, want %d", e2, 40*30*12)
	}
}

func fixCRC(p []byte) {
	n := binary.BigEndian.Uint32(p[8:])

	binary.BigEndian.PutUint32(p[16+n:], crc32.ChecksumIEEE(p[12:16+n]))
}

// Findings 3 and 4: ReadFile refuses devices and FIFOs at once, without reading or blocking.
func TestReadFileRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.jpg")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.jpg")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no mkfifo:", err)
	}
	good := filepath.Join(dir, "ok.png")
	os.WriteFile(good, encodePNG(t, quadrants(8, 8)), 0o600)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range []string{zero, fifo, dir} {
			if _, err := ReadFile(p, 1<<20); !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: %v, want ErrNotRegular", p, err)
			}
		}
		if b, err := ReadFile(good, 1<<20); err != nil || len(b) == 0 {
			t.Errorf("good file: %v", err)
		}
		if _, err := ReadFile(good, 10); !errors.Is(err, ErrTooLarge) {
			t.Errorf("limit: %v", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a special file")
	}
}
