package imageio

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// tiffDates builds a TIFF block whose IFD0 holds DateTime (changed) and a pointer to an
// EXIF sub-IFD holding DateTimeOriginal (taken); an empty string leaves its tag out.
func tiffDates(bo binary.AppendByteOrder, taken, changed string) []byte {
	b := []byte("II*\x00")
	if bo == binary.BigEndian {
		b = []byte("MM\x00*")
	}
	n0 := 0
	for _, s := range []string{taken, changed} {
		if s != "" {
			n0++
		}
	}
	sub := uint32(8 + 2 + 12*n0 + 4) // the sub-IFD follows IFD0
	strs := sub
	if taken != "" {
		strs += 2 + 12 + 4
	}
	ascii := func(b []byte, tag uint16, at uint32) []byte {
		b = bo.AppendUint16(b, tag)
		b = bo.AppendUint16(b, 2) // ASCII
		b = bo.AppendUint32(b, 20)
		return bo.AppendUint32(b, at)
	}
	b = bo.AppendUint32(b, 8)
	b = bo.AppendUint16(b, uint16(n0))
	if changed != "" {
		b = ascii(b, 0x0132, strs+20)
	}
	if taken != "" {
		b = bo.AppendUint16(b, 0x8769)
		b = bo.AppendUint16(b, 4) // LONG
		b = bo.AppendUint32(b, 1)
		b = bo.AppendUint32(b, sub)
	}
	b = bo.AppendUint32(b, 0)
	if taken != "" {
		b = bo.AppendUint16(b, 1)
		b = ascii(b, 0x9003, strs)
		b = bo.AppendUint32(b, 0)
	}
	pad := func(s string) []byte { return append([]byte(s), make([]byte, 20-len(s))...) }
	b = append(b, pad(taken)...)
	return append(b, pad(changed)...)
}

func TestTakenFromExif(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(16, 16), 90)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		name           string
		taken, changed string
		want           time.Time
	}{
		{"original", "2025:03:16 05:05:00", "2025:04:01 10:00:00", day(2025, 3, 16)},
		{"only last change", "", "2024:11:30 23:59:59", day(2024, 11, 30)},
		{"none", "", "", time.Time{}},
		{"blank original falls back", "0000:00:00 00:00:00", "2023:12:05 13:48:57", day(2023, 12, 5)},
		{"garbage", "yesterday", "", time.Time{}},
	}
	for _, c := range cases {
		for name, bo := range map[string]binary.AppendByteOrder{"II": binary.LittleEndian, "MM": binary.BigEndian} {
			data := withJPEGApp1(jpg, append([]byte("Exif\x00\x00"), tiffDates(bo, c.taken, c.changed)...))
			img, err := Decode(data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := img.Taken
			if !got.IsZero() {
				got = day(got.Year(), got.Month(), got.Day())
			}
			if !got.Equal(c.want) {
				t.Errorf("%s/%s: taken %v, want %v", c.name, name, img.Taken, c.want)
			}
		}
	}
	// Cut anywhere before the date's last character, the block yields no date and no panic
	// (the terminating NUL is not needed).
	const date = "2025:03:16 05:05:00"
	full := tiffDates(binary.LittleEndian, date, "")
	for n := range bytes.Index(full, []byte(date)) + len(date) {
		if got := tiffTaken(exifBlock("png", withPNGChunk(encodePNG(t, quadrants(4, 4)), "eXIf", full[:n]))); !got.IsZero() {
			t.Errorf("cut to %d bytes: taken %v", n, got)
		}
	}
}

// WithTaken writes the block Decode reads back, and leaves a photo with no date alone.
func TestWithTakenRoundTrip(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(16, 16), 90)
	when := time.Date(2025, 3, 16, 5, 5, 0, 0, time.UTC)
	img, err := Decode(WithTaken(jpg, when), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !img.Taken.Equal(when) || img.Orientation != 1 {
		t.Errorf("taken %v, orientation %d; want %v, 1", img.Taken, img.Orientation, when)
	}
	if got := WithTaken(jpg, time.Time{}); !bytes.Equal(got, jpg) {
		t.Error("no date: the photo changed")
	}
}
