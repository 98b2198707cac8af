package pipeline_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image/jpeg"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/pipeline"
	"github.com/datalid/datalid/internal/synth"
)

// withExifDate returns a JPEG with an EXIF block whose IFD0 holds only DateTime.
func withExifDate(jpg []byte, date string) []byte {
	le := binary.LittleEndian
	tiff := le.AppendUint32([]byte("II*\x00"), 8)
	tiff = le.AppendUint16(tiff, 1)
	tiff = le.AppendUint16(tiff, 0x0132)
	tiff = le.AppendUint16(tiff, 2) // ASCII
	tiff = le.AppendUint32(tiff, 20)
	tiff = le.AppendUint32(tiff, 8+2+12+4)
	tiff = le.AppendUint32(tiff, 0)
	tiff = append(append(tiff, date...), 0)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(append(out, app1...), seg...)
	return append(out, jpg[2:]...)
}

// A label whose two numeric dates read either way round: the day the photo was taken,
// from its EXIF metadata, rules out the order that would put the manufacture date after
// it, and the expiry date is read the same way.
func TestPhotoDateDecidesDayMonthOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	p := newPipeline(t, false)
	ph, err := synth.Render(synth.Spec{
		Seed: 4, Width: 1200, Height: 900, Expiry: time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC),
		Lines: []string{"MFG 11/02/2025", "USE BY 10/02/2026"}, DateLine: 1,
		Font: "bold", TextHeight: 48, Contrast: 0.9,
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, ph.Image, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ exif, want string }{
		{"", "2026-10-02"},                    // no photo date: the US phrase reads month first
		{"2025:03:10 09:30:00", "2026-02-10"}, // 2 November 2025 had not come
		{"2026:01:05 09:30:00", "2026-10-02"}, // both days had come: undecided
	} {
		data := buf.Bytes()
		if c.exif != "" {
			data = withExifDate(data, c.exif)
		}
		res, err := p.Read(context.Background(), data, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := "-"
		if b := res.Dates.Best; b != nil {
			got = b.Date.String()
		}
		if got != c.want {
			t.Errorf("photo taken %q: best date %s, want %s (lines %+v)", c.exif, got, c.want, res.Lines)
		}
	}
}
