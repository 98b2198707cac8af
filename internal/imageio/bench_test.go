package imageio

import (
	"bytes"
	"image"
	"image/jpeg"
	"sync"
	"testing"
)

// photo12MP is a 4000×3000 JPEG with gradients, edges and noise, roughly the
// entropy of a phone photo, built once because encoding takes about a second.
var photo12MP = sync.OnceValue(func() []byte {
	const w, h = 4000, 3000
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := uint32(7)
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223
			v := (x/3+y/5)&0xFF ^ ((x/40+y/40)&1)*80
			m.Y[y*m.YStride+x] = uint8(v + int(seed>>29))
		}
	}
	for y := range h / 2 {
		for x := range w / 2 {
			m.Cb[y*m.CStride+x] = uint8(128 + (x/50)%40 - 20)
			m.Cr[y*m.CStride+x] = uint8(128 + (y/30)%40 - 20)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		panic(err) // encoding to memory cannot fail
	}
	return buf.Bytes()
})

// BenchmarkDecodeJPEG12MP measures the path a phone photo takes: decoded
// for the detector (long side 960) and at full size.
func BenchmarkDecodeJPEG12MP(b *testing.B) {
	data := photo12MP()
	b.Logf("12 MP JPEG: %.1f MB, fast path %v", float64(len(data))/1e6, FastJPEG())
	for _, bc := range []struct {
		name   string
		target int
	}{{"target960", 960}, {"full", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Decode(data, Options{TargetLongSide: bc.target}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("stdlib-full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, _, err := decodeJPEGStd(data, DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
