package imageio

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Phones store photos sensor-side up and record the turn needed in EXIF tag
// 0x0112; reading dates needs the upright picture. The day the photo was taken
// bounds its manufacture dates. Only those tags are wanted, so this reads just
// enough of the container and TIFF structure to find them, with every offset
// bounds-checked: metadata comes from the same untrusted bytes as the pixels.

const exifOrientationTag = 0x0112

var exifHeader = []byte("Exif\x00\x00")

// exifBlock returns the TIFF block of data's EXIF metadata, or nil.
func exifBlock(format string, data []byte) []byte {
	switch format {
	case "jpeg":
		return jpegExif(data)
	case "png":
		return pngExif(data)
	case "webp":
		return webpExif(data)
	}
	return nil
}

// jpegExif returns the TIFF block of the first APP1 Exif segment. It stops at
// the first scan, since metadata segments precede the pixels.
func jpegExif(b []byte) []byte {
	i := 2 // after SOI
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return nil
		}
		m := b[i+1]
		if m == 0xFF { // fill byte before a marker
			i++
			continue
		}
		i += 2
		switch {
		case m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			continue // markers without a length
		case m == 0xDA || m == 0xD9:
			return nil
		}
		n := int(b[i])<<8 | int(b[i+1])
		if n < 2 || n > len(b)-i {
			return nil
		}
		seg := b[i+2 : i+n]
		if m == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			return seg[len(exifHeader):]
		}
		i += n
	}
	return nil
}

// pngExif returns the eXIf chunk. The chunk should precede IDAT, but some
// writers put it after, so the walk goes on to IEND; it only hops over chunk
// headers, which is cheap.
func pngExif(b []byte) []byte {
	i := 8 // after the signature
	for i+8 <= len(b) {
		n := binary.BigEndian.Uint32(b[i:])
		start := i + 8
		if uint64(n) > uint64(len(b)-start) {
			return nil
		}
		end := start + int(n)
		switch string(b[i+4 : i+8]) {
		case "eXIf":
			return bytes.TrimPrefix(b[start:end], exifHeader)
		case "IEND":
			return nil
		}
		i = end + 4 // CRC
	}
	return nil
}

// webpExif returns the EXIF chunk of an extended (VP8X) WebP file.
func webpExif(b []byte) []byte {
	i := 12 // after "RIFF" size "WEBP"
	for i+8 <= len(b) {
		n := binary.LittleEndian.Uint32(b[i+4:])
		start := i + 8
		if uint64(n) > uint64(len(b)-start) {
			return nil
		}
		if string(b[i:i+4]) == "EXIF" {
			return bytes.TrimPrefix(b[start:start+int(n)], exifHeader)
		}
		i = start + int(n) + int(n&1) // chunks are padded to even length
	}
	return nil
}

// tiffBlock is a TIFF block of EXIF metadata in its byte order.
type tiffBlock struct {
	b  []byte
	bo binary.ByteOrder
}

// parseTIFF checks a TIFF header and returns the block and the offset of IFD0.
func parseTIFF(t []byte) (tiffBlock, uint64, bool) {
	if len(t) < 8 {
		return tiffBlock{}, 0, false
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return tiffBlock{}, 0, false
	}
	return tiffBlock{t, bo}, uint64(bo.Uint32(t[4:])), true
}

// entry returns the offset of tag's 12-byte entry in the IFD at off: tag, type, count,
// then the value or its offset. ok is false when the IFD is cut short or lacks the tag.
func (t tiffBlock) entry(off uint64, tag uint16) (uint64, bool) {
	size := uint64(len(t.b))
	if off+2 > size {
		return 0, false
	}
	n := uint64(t.bo.Uint16(t.b[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > size {
			return 0, false
		}
		if t.bo.Uint16(t.b[e:]) == tag {
			return e, true
		}
	}
	return 0, false
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block in either byte
// order; anything unexpected yields 1 (as stored).
func tiffOrientation(b []byte) int {
	t, ifd0, ok := parseTIFF(b)
	if !ok {
		return 1
	}
	e, ok := t.entry(ifd0, exifOrientationTag)
	if !ok {
		return 1
	}
	var v uint32
	switch t.bo.Uint16(t.b[e+2:]) {
	case 3: // SHORT, left-justified in the 4-byte value field
		v = uint32(t.bo.Uint16(t.b[e+8:]))
	case 4: // LONG: off-spec, but some tools write it
		v = t.bo.Uint32(t.b[e+8:])
	}
	if t.bo.Uint32(t.b[e+4:]) == 0 || v < 1 || v > 8 {
		return 1
	}
	return int(v)
}

const (
	exifIFDTag         = 0x8769 // IFD0's pointer to the EXIF sub-IFD
	exifDateTakenTag   = 0x9003 // DateTimeOriginal, in the EXIF sub-IFD
	exifDateChangedTag = 0x0132 // DateTime, in IFD0: when the file was last changed
)

// tiffTaken returns when the photo was taken, from a TIFF block of EXIF metadata, or the
// zero time. Without DateTimeOriginal it takes DateTime, the file's last change: no earlier
// than the photo, so still a day nothing in it was made after.
func tiffTaken(b []byte) time.Time {
	t, ifd0, ok := parseTIFF(b)
	if !ok {
		return time.Time{}
	}
	if e, ok := t.entry(ifd0, exifIFDTag); ok && t.bo.Uint16(t.b[e+2:]) == 4 {
		if d := t.dateAt(uint64(t.bo.Uint32(t.b[e+8:])), exifDateTakenTag); !d.IsZero() {
			return d
		}
	}
	return t.dateAt(ifd0, exifDateChangedTag)
}

// dateAt reads tag of the IFD at off as an EXIF date ("2006:01:02 15:04:05", ASCII, its 20
// bytes stored at an offset); anything else yields the zero time.
func (t tiffBlock) dateAt(off uint64, tag uint16) time.Time {
	e, ok := t.entry(off, tag)
	if !ok || t.bo.Uint16(t.b[e+2:]) != 2 || t.bo.Uint32(t.b[e+4:]) < 19 {
		return time.Time{}
	}
	at := uint64(t.bo.Uint32(t.b[e+8:]))
	if at+19 > uint64(len(t.b)) {
		return time.Time{}
	}
	d, err := time.Parse("2006:01:02 15:04:05", string(t.b[at:at+19]))
	if err != nil {
		return time.Time{}
	}
	return d
}

// WithTaken returns jpg (a JPEG with no EXIF block of its own) with an EXIF block recording
// only when the photo was taken: what a camera would record of a picture taken another
// way up, for measuring one (datalid eval --turn).
func WithTaken(jpg []byte, t time.Time) []byte {
	if t.IsZero() || len(jpg) < 2 {
		return jpg
	}
	const ifd0, sub, text = 8, 8 + 18, 8 + 18 + 18 // two one-entry IFDs of 18 bytes, then the text
	b := binary.LittleEndian.AppendUint32([]byte("II*\x00"), ifd0)
	b = appendOneEntryIFD(b, exifIFDTag, 4, 1, sub)         // LONG: where the EXIF sub-IFD is
	b = appendOneEntryIFD(b, exifDateTakenTag, 2, 20, text) // ASCII: where the date is
	b = append(append(b, t.Format("2006:01:02 15:04:05")...), 0)
	seg := append(append([]byte{}, exifHeader...), b...)
	out := append([]byte{}, jpg[:2]...) // SOI
	out = append(out, 0xFF, 0xE1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// appendOneEntryIFD appends a little-endian IFD holding one entry and no next IFD.
func appendOneEntryIFD(b []byte, tag, typ uint16, count, value uint32) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(b, 1)
	b = le.AppendUint16(b, tag)
	b = le.AppendUint16(b, typ)
	b = le.AppendUint32(b, count)
	b = le.AppendUint32(b, value)
	return le.AppendUint32(b, 0)
}
