package imageio

import (
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestDecodeFormats(t *testing.T) {
	q := quadrants(32, 16)
	cases := []struct {
		name   string
		data   []byte
		format string
		tol    int
	}{
		{"png", encodePNG(t, q), "png", 0},
		{"jpeg", encodeJPEG(t, q, 100), "jpeg", 40},
		{"bmp", encodeBMP(t, q), "bmp", 0},
		{"webp", webpFile(32, 16, vp8l(32, 16, func(x, y int) bool { return x >= 16 }), nil), "webp", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := Decode(c.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if img.Format != c.format || img.OrigW != 32 || img.OrigH != 16 || img.Scale != 1 || img.Orientation != 1 {
				t.Fatalf("got format %q %dx%d scale %v orientation %d", img.Format, img.OrigW, img.OrigH, img.Scale, img.Orientation)
			}
			if b := img.RGBA.Bounds(); b != image.Rect(0, 0, 32, 16) {
				t.Fatalf("bounds %v", b)
			}
			want := [4]color.RGBA{red, green, blue, white}
			if c.format == "webp" { // the hand-made stream has two colours
				want = [4]color.RGBA{red, yellow, red, yellow}
			}
			for i, p := range [4]image.Point{{8, 4}, {24, 4}, {8, 12}, {24, 12}} {
				if got := img.RGBA.RGBAAt(p.X, p.Y); !near(got, want[i], c.tol) {
					t.Errorf("pixel %v = %v, want %v", p, got, want[i])
				}
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	jpg := encodeJPEG(t, textured(256, 192), 90)
	pngData := encodePNG(t, textured(64, 64))

	// A JPEG whose SOF claims 30000×30000: libjpeg must not be asked to
	// allocate for it.
	hugeJPEG := append([]byte{}, jpg...)
	if i := strings.Index(string(hugeJPEG), "\xff\xc0"); i < 0 {
		t.Fatal("no SOF0 in fixture")
	} else {
		copy(hugeJPEG[i+5:], []byte{0x75, 0x30, 0x75, 0x30})
	}

	cases := []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"empty", nil, Limits{}, ErrEmpty},
		{"text", []byte("best before 01.02.2027\n"), Limits{}, ErrUnsupported},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), Limits{}, ErrUnsupported},
		{"truncated jpeg", jpg[:len(jpg)/2], Limits{}, ErrCorrupt},
		{"jpeg header only", jpg[:200], Limits{}, ErrCorrupt},
		{"jpeg magic only", jpg[:3], Limits{}, ErrCorrupt},
		{"truncated png", pngData[:len(pngData)/2], Limits{}, ErrCorrupt},
		{"png magic only", pngData[:8], Limits{}, ErrCorrupt},
		{"bmp magic only", []byte("BM"), Limits{}, ErrCorrupt},
		{"webp magic only", []byte("RIFF\x04\x00\x00\x00WEBP"), Limits{}, ErrCorrupt},
		{"png 50000x50000", pngHeaderOnly(50000, 50000), Limits{}, ErrTooLarge},
		{"png 8000x8000 over pixels", pngHeaderOnly(8000, 8000), Limits{}, ErrTooLarge},
		{"png side", pngHeaderOnly(30, 10), Limits{MaxSide: 20}, ErrTooLarge},
		{"jpeg 30000x30000", hugeJPEG, Limits{}, ErrTooLarge},
		{"max bytes", pngData, Limits{MaxBytes: 100}, ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := Decode(c.data, Options{Limits: c.lim})
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, %v; want %v", img, err, c.want)
			}
			t.Log(err)
		})
	}
}

// A header claiming a huge image must be refused before any pixel buffer is
// allocated: 50000×50000 RGBA would be 10 GB.
func TestTooLargeAllocatesLittle(t *testing.T) {
	data := pngHeaderOnly(50000, 50000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := Decode(data, Options{}); !errors.Is(err, ErrTooLarge) {
			t.Fatal(err)
		}
	})
	runtime.ReadMemStats(&after)
	perRun := (after.TotalAlloc - before.TotalAlloc) / 21
	t.Logf("%v allocs, %d bytes per refused decode", allocs, perRun)
	if allocs > 50 || perRun > 64<<10 {
		t.Fatalf("refusing a huge header cost %v allocs and %d bytes", allocs, perRun)
	}
}

func TestTargetLongSide(t *testing.T) {
	jpg := encodeJPEG(t, textured(800, 600), 90)
	if !FastJPEG() {
		img, err := Decode(jpg, Options{TargetLongSide: 200})
		if err != nil {
			t.Fatal(err)
		}
		if img.RGBA.Rect.Dx() != 800 || img.Scale != 1 {
			t.Fatalf("portable decoder must ignore TargetLongSide, got %v scale %v", img.RGBA.Rect, img.Scale)
		}
		t.Skip("DCT scaling needs the libjpeg-turbo build")
	}
	rotated := jpegWithOrientation(jpg, binary.LittleEndian, 6)
	cases := []struct {
		name         string
		data         []byte
		target       int
		w, h         int
		origW, origH int
		scale        float64
	}{
		{"full", jpg, 0, 800, 600, 800, 600, 1},
		{"1/4", jpg, 200, 200, 150, 800, 600, 0.25},
		{"3/8", jpg, 201, 300, 225, 800, 600, 0.375},
		{"1/8", jpg, 50, 100, 75, 800, 600, 0.125},
		{"above full", jpg, 5000, 800, 600, 800, 600, 1},
		{"rotated 1/4", rotated, 200, 150, 200, 600, 800, 0.25},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := Decode(c.data, Options{TargetLongSide: c.target})
			if err != nil {
				t.Fatal(err)
			}
			b := img.RGBA.Rect
			if b.Dx() != c.w || b.Dy() != c.h || img.OrigW != c.origW || img.OrigH != c.origH || img.Scale != c.scale {
				t.Fatalf("got %v orig %dx%d scale %v", b, img.OrigW, img.OrigH, img.Scale)
			}
		})
	}
}

func TestDecodeFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("ok.png", encodePNG(t, quadrants(8, 8)))
	text := write("notes.jpg", []byte("this is not a photo"))
	big := write("big.png", encodePNG(t, textured(64, 64)))

	if img, err := DecodeFile(good, Options{}); err != nil || img.OrigW != 8 {
		t.Fatalf("good file: %v, %v", img, err)
	}
	cases := []struct {
		path string
		lim  Limits
		want error
	}{
		{text, Limits{}, ErrUnsupported},
		{big, Limits{MaxBytes: 64}, ErrTooLarge},
		{filepath.Join(dir, "missing.jpg"), Limits{}, fs.ErrNotExist},
	}
	for _, c := range cases {
		_, err := DecodeFile(c.path, Options{Limits: c.lim})
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%s: got %v, want %v mentioning the path", c.path, err, c.want)
		}
	}
	if _, err := DecodeFile(dir, Options{}); err == nil {
		t.Error("directory decoded")
	}
}

func TestIsImageFile(t *testing.T) {
	for name, want := range map[string]bool{
		"a.jpg": true, "b.JPEG": true, "c.Png": true, "d.bmp": true, "e.webp": true,
		"f.gif": false, "g.jpg.txt": false, "jpg": false, "h": false, "dir/i.JPG": true,
	} {
		if got := IsImageFile(name); got != want {
			t.Errorf("IsImageFile(%q) = %v", name, got)
		}
	}
}

func TestDefaultLimitsApplyToZeroFields(t *testing.T) {
	got := Limits{MaxSide: 10}.withDefaults()
	d := DefaultLimits()
	if got.MaxSide != 10 || got.MaxBytes != d.MaxBytes || got.MaxPixels != d.MaxPixels {
		t.Fatalf("got %+v", got)
	}
}

// Decoders share no state between calls (libjpeg-turbo handles are per
// call); run under -race this checks it.
func TestConcurrentDecode(t *testing.T) {
	data := jpegWithOrientation(encodeJPEG(t, textured(120, 80), 90), binary.BigEndian, 6)
	want, err := Decode(data, Options{TargetLongSide: 40})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 10 {
				got, err := Decode(data, Options{TargetLongSide: 40})
				if err == nil && string(got.RGBA.Pix) != string(want.RGBA.Pix) {
					err = errors.New("concurrent decode differs")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// Truncation is reported through libturbojpeg's thread-local message; under concurrency a
// decode must still never mistake it for a benign warning (seen once in 30 CLI runs before
// decodes were pinned to their OS thread).
func TestTruncatedJPEGConcurrent(t *testing.T) {
	good := encodeJPEG(t, textured(320, 240), 90)
	bad := good[:len(good)/3]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				truncated := (g+i)%2 == 1
				data := good
				if truncated {
					data = bad
				}
				if _, err := Decode(data, Options{}); truncated != errors.Is(err, ErrCorrupt) {
					t.Errorf("goroutine %d run %d (truncated=%v): %v", g, i, truncated, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
