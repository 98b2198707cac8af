package imageio

import (
	"bytes"
	"encoding/binary"
)

// Phones store photos sensor-side up and record the turn needed in EXIF tag
// 0x0112; reading dates needs the upright picture. Only that one tag is
// wanted, so this reads just enough of the container and TIFF structure to
// find it, with every offset bounds-checked: metadata comes from the same
// untrusted bytes as the pixels.

const exifOrientationTag = 0x0112

var exifHeader = []byte("Exif\x00\x00")

// orientation returns the EXIF orientation 1..8 stored in data, or 1 when
// there is none or it cannot be read: broken metadata must never cost the
// user the picture.
func orientation(format string, data []byte) int {
	var tiff []byte
	switch format {
	case "jpeg":
		tiff = jpegExif(data)
	case "png":
		tiff = pngExif(data)
	case "webp":
		tiff = webpExif(data)
	}
	return tiffOrientation(tiff)
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

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block in either byte
// order; anything unexpected yields 1 (as stored).
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	size := uint64(len(t))
	off := uint64(bo.Uint32(t[4:]))
	if off+2 > size {
		return 1
	}
	n := uint64(bo.Uint16(t[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > size {
			return 1
		}
		if bo.Uint16(t[e:]) != exifOrientationTag {
			continue
		}
		var v uint32
		switch bo.Uint16(t[e+2:]) {
		case 3: // SHORT, left-justified in the 4-byte value field
			v = uint32(bo.Uint16(t[e+8:]))
		case 4: // LONG: off-spec, but some tools write it
			v = bo.Uint32(t[e+8:])
		}
		if bo.Uint32(t[e+4:]) == 0 || v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}
