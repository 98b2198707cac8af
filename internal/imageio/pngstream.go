package imageio

import (
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"io"
)

// A PNG is decoded here row by row, straight into 8-bit RGBA at the working size, instead of
// through image/png: that decoder allocates the whole picture in its stored form first (8 bytes
// a pixel for 16-bit RGBA), so a 381 KB file of zeros at 7000×7000×16 bit cost ~880 MB before
// the pipeline shrank it to 2048 px. Here the peak is the output image plus two rows. Interlaced
// (Adam7) files are rare and cannot be shrunk row by row; they still go through image/png,
// bounded by the decode budget.

// pngHeader is IHDR plus what the rows need from PLTE and tRNS.
type pngHeader struct {
	w, h       int
	depth      int // bits per sample: 1, 2, 4, 8, 16
	color      int // 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
	interlaced bool
	trns       bool // a tRNS chunk was seen (set while reading chunks)
}

// channels is the samples per pixel of the stored form.
func (h pngHeader) channels() int {
	switch h.color {
	case 2:
		return 3
	case 4:
		return 2
	case 6:
		return 4
	}
	return 1
}

// rowBytes is one stored row without its filter byte.
func (h pngHeader) rowBytes() int { return (h.w*h.channels()*h.depth + 7) / 8 }

// goBytesPerPixel is what image/png allocates per pixel for this header (its decoded form).
func (h pngHeader) goBytesPerPixel() int64 {
	wide := int64(1)
	if h.depth == 16 {
		wide = 2
	}
	switch h.color {
	case 0:
		return wide // Gray or Gray16 (tRNS would make it NRGBA: counted by the caller's slack)
	case 3:
		return 1
	}
	return 4 * wide // RGB is decoded as RGBA; GA and RGBA as NRGBA(64)
}

var validPNGDepths = map[int][]int{0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}

// readPNGHeader parses IHDR, which the PNG standard puts first.
func readPNGHeader(data []byte) (pngHeader, error) {
	const sigLen = 8
	if len(data) < sigLen+8+13+4 || string(data[sigLen+4:sigLen+8]) != "IHDR" ||
		binary.BigEndian.Uint32(data[sigLen:]) != 13 {
		return pngHeader{}, fmt.Errorf("%w: png: missing IHDR", ErrCorrupt)
	}
	d := data[sigLen+8:]
	w, h := binary.BigEndian.Uint32(d[0:]), binary.BigEndian.Uint32(d[4:])
	if w > 1<<31-1 || h > 1<<31-1 {
		return pngHeader{}, fmt.Errorf("%w: png: dimensions overflow", ErrCorrupt)
	}
	hdr := pngHeader{w: int(w), h: int(h), depth: int(d[8]), color: int(d[9]), interlaced: d[12] == 1}
	okDepth := false
	for _, v := range validPNGDepths[hdr.color] {
		okDepth = okDepth || v == hdr.depth
	}
	if !okDepth || d[10] != 0 || d[11] != 0 || d[12] > 1 {
		return pngHeader{}, fmt.Errorf("%w: png: color type %d, bit depth %d, compression %d, filter %d, interlace %d",
			ErrUnsupported, hdr.color, hdr.depth, d[10], d[11], d[12])
	}
	return hdr, nil
}

// pngChunks walks the chunks after the signature, checking each CRC.
type pngChunks struct {
	data []byte
	off  int
}

func (c *pngChunks) next() (typ string, body []byte, err error) {
	if len(c.data)-c.off < 12 {
		return "", nil, fmt.Errorf("%w: png: truncated before IEND", ErrCorrupt)
	}
	n := int64(binary.BigEndian.Uint32(c.data[c.off:]))
	if n > int64(len(c.data)-c.off-12) {
		return "", nil, fmt.Errorf("%w: png: chunk runs past the end of the file", ErrCorrupt)
	}
	end := c.off + 8 + int(n)
	typ, body = string(c.data[c.off+4:c.off+8]), c.data[c.off+8:end]
	if crc32.ChecksumIEEE(c.data[c.off+4:end]) != binary.BigEndian.Uint32(c.data[end:]) {
		return "", nil, fmt.Errorf("%w: png: %s chunk checksum mismatch", ErrCorrupt, typ)
	}
	c.off = end + 4
	return typ, body, nil
}

// idatReader concatenates consecutive IDAT chunks into the zlib stream.
type idatReader struct {
	chunks *pngChunks
	cur    []byte
	done   bool
	err    error
}

func (r *idatReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.done {
			return 0, io.EOF
		}
		save := r.chunks.off
		typ, body, err := r.chunks.next()
		if err != nil {
			r.err = err
			return 0, err
		}
		if typ != "IDAT" {
			r.chunks.off, r.done = save, true // leave it for the caller
			return 0, io.EOF
		}
		r.cur = body
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// decodePNGStream decodes a non-interlaced PNG, shrunk by an integer box filter so its long side
// stays >= target (target <= 0: full size). Transparency is composited onto white as toRGBA does.
func decodePNGStream(data []byte, hdr pngHeader, target int) (*image.RGBA, error) {
	ch := &pngChunks{data: data, off: 8}
	var (
		palette [256][4]uint8 // RGBA straight, alpha composited later
		nPal    int
		trns    []byte
	)
	for i := range palette {
		palette[i] = [4]uint8{0, 0, 0, 0xFF}
	}
	// Chunks before the first IDAT: PLTE and tRNS matter, the rest is skipped.
	for {
		save := ch.off
		typ, body, err := ch.next()
		if err != nil {
			return nil, err
		}
		if typ == "IDAT" {
			ch.off = save
			break
		}
		switch typ {
		case "PLTE":
			if len(body)%3 != 0 || len(body)/3 > 256 {
				return nil, fmt.Errorf("%w: png: bad PLTE length %d", ErrCorrupt, len(body))
			}
			nPal = len(body) / 3
			for i := range nPal {
				palette[i] = [4]uint8{body[3*i], body[3*i+1], body[3*i+2], 0xFF}
			}
		case "tRNS":
			trns, hdr.trns = body, true
		case "IEND":
			return nil, fmt.Errorf("%w: png: no image data", ErrCorrupt)
		}
	}
	if hdr.color == 3 {
		if nPal == 0 {
			return nil, fmt.Errorf("%w: png: paletted image without PLTE", ErrCorrupt)
		}
		for i := 0; i < len(trns) && i < nPal; i++ {
			palette[i][3] = trns[i]
		}
	}
	// The zlib header is checked and the stream inflated raw: its Adler-32 cost a third of the
	// decode of a large file, and every chunk's CRC-32 is checked already.
	idat := &idatReader{chunks: ch}
	var zh [2]byte
	if _, err := io.ReadFull(idat, zh[:]); err != nil || zh[0]&0x0F != 8 || (uint16(zh[0])<<8|uint16(zh[1]))%31 != 0 || zh[1]&0x20 != 0 {
		return nil, fmt.Errorf("%w: png: bad zlib header", ErrCorrupt)
	}
	zr := flate.NewReader(idat)
	k := pngShrink(hdr.w, hdr.h, target)
	ow, oh := shrunkSize(hdr.w, hdr.h, target)
	dst := image.NewRGBA(image.Rect(0, 0, ow, oh))
	sums := make([]uint64, 3*ow) // box sums of the output row being built
	cur, prev := make([]byte, hdr.rowBytes()+1), make([]byte, hdr.rowBytes()+1)
	bpp := max(1, hdr.channels()*hdr.depth/8)
	px := newPNGPixel(hdr, &palette, trns)
	rgb := make([]uint8, 3*hdr.w)
	for y := range hdr.h {
		if _, err := io.ReadFull(zr, cur); err != nil {
			return nil, fmt.Errorf("%w: png: image data: %v", ErrCorrupt, unexpected(err))
		}
		if err := unfilter(cur[0], cur[1:], prev[1:], bpp); err != nil {
			return nil, err
		}
		toRGB(hdr, cur[1:], rgb, px)
		if k == 1 {
			for x := range hdr.w {
				sums[3*x] += uint64(rgb[3*x])
				sums[3*x+1] += uint64(rgb[3*x+1])
				sums[3*x+2] += uint64(rgb[3*x+2])
			}
		} else {
			for x := range hdr.w {
				o := 3 * (x / k)
				sums[o] += uint64(rgb[3*x])
				sums[o+1] += uint64(rgb[3*x+1])
				sums[o+2] += uint64(rgb[3*x+2])
			}
		}
		if (y+1)%k == 0 || y == hdr.h-1 {
			rows := uint64(y%k + 1)
			d := dst.Pix[(y/k)*dst.Stride:]
			for ox := range ow {
				n := rows * uint64(min(k, hdr.w-ox*k))
				p := d[4*ox : 4*ox+4]
				p[0] = uint8((sums[3*ox] + n/2) / n)
				p[1] = uint8((sums[3*ox+1] + n/2) / n)
				p[2] = uint8((sums[3*ox+2] + n/2) / n)
				p[3] = 0xFF
			}
			clear(sums)
		}
		cur, prev = prev, cur
	}
	// The rest of the stream must end cleanly and the file must reach IEND: a truncated
	// upload is reported, not read as a picture (image/png does the same).
	if n, err := zr.Read(make([]byte, 1)); n > 0 || (err != nil && err != io.EOF) {
		if err == nil {
			err = errors.New("extra data after the last row")
		}
		return nil, fmt.Errorf("%w: png: %v", ErrCorrupt, unexpected(err))
	}
	for {
		typ, _, err := ch.next()
		if err != nil {
			return nil, err
		}
		if typ == "IEND" {
			return dst, nil
		}
	}
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// unfilter undoes one row's filter in place (PNG spec §9).
func unfilter(f byte, cur, prev []byte, bpp int) error {
	switch f {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3:
		for i := range bpp {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case 4:
		for i := range cur {
			var a, c int
			if i >= bpp {
				a, c = int(cur[i-bpp]), int(prev[i-bpp])
			}
			b := int(prev[i])
			p := a + b - c
			pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
			switch {
			case pa <= pb && pa <= pc:
				cur[i] += uint8(a)
			case pb <= pc:
				cur[i] += uint8(b)
			default:
				cur[i] += uint8(c)
			}
		}
	default:
		return fmt.Errorf("%w: png: bad filter type %d", ErrCorrupt, f)
	}
	return nil
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// newPNGPixel returns a function giving pixel x of an unfiltered row as opaque 8-bit RGB,
// composited onto white. 16-bit samples keep their high byte (as image/png + toRGBA round).
func newPNGPixel(h pngHeader, pal *[256][4]uint8, trns []byte) func(row []byte, x int) [3]uint8 {
	wide := h.depth == 16
	sample := func(row []byte, i int) (v8 uint8, raw uint16) { // i-th sample of the row
		switch h.depth {
		case 16:
			raw = binary.BigEndian.Uint16(row[2*i:])
			return uint8(raw >> 8), raw
		case 8:
			return row[i], uint16(row[i])
		}
		perByte := 8 / h.depth
		shift := uint(8 - h.depth*(i%perByte+1))
		raw = uint16(row[i/perByte]>>shift) & (1<<h.depth - 1)
		if h.color == 3 {
			return uint8(raw), raw
		}
		return uint8(raw * 255 / (1<<h.depth - 1)), raw
	}
	alpha := func(row []byte, i int) uint8 {
		if wide {
			return row[2*i]
		}
		return row[i]
	}
	switch h.color {
	case 0:
		var tv int = -1
		if len(trns) >= 2 {
			tv = int(binary.BigEndian.Uint16(trns))
		}
		return func(row []byte, x int) [3]uint8 {
			g, raw := sample(row, x)
			if int(raw) == tv {
				return [3]uint8{0xFF, 0xFF, 0xFF}
			}
			return [3]uint8{g, g, g}
		}
	case 2:
		var tr [3]int = [3]int{-1, -1, -1}
		if len(trns) >= 6 {
			for i := range tr {
				tr[i] = int(binary.BigEndian.Uint16(trns[2*i:]))
			}
		}
		return func(row []byte, x int) [3]uint8 {
			r, rr := sample(row, 3*x)
			g, rg := sample(row, 3*x+1)
			b, rb := sample(row, 3*x+2)
			if int(rr) == tr[0] && int(rg) == tr[1] && int(rb) == tr[2] {
				return [3]uint8{0xFF, 0xFF, 0xFF}
			}
			return [3]uint8{r, g, b}
		}
	case 3:
		var lut [256][3]uint8
		for i, c := range *pal {
			lut[i] = [3]uint8{overWhite(c[0], c[3]), overWhite(c[1], c[3]), overWhite(c[2], c[3])}
		}
		return func(row []byte, x int) [3]uint8 {
			i, _ := sample(row, x)
			return lut[i]
		}
	case 4:
		return func(row []byte, x int) [3]uint8 {
			g, _ := sample(row, 2*x)
			v := overWhite(g, alpha(row, 2*x+1))
			return [3]uint8{v, v, v}
		}
	}
	return func(row []byte, x int) [3]uint8 {
		r, _ := sample(row, 4*x)
		g, _ := sample(row, 4*x+1)
		b, _ := sample(row, 4*x+2)
		a := alpha(row, 4*x+3)
		return [3]uint8{overWhite(r, a), overWhite(g, a), overWhite(b, a)}
	}
}

// toRGB converts one unfiltered row to opaque RGB: tight loops for the common stored forms
// without transparency chunks, the general per-pixel function for the rest.
func toRGB(h pngHeader, row, rgb []uint8, px func([]byte, int) [3]uint8) {
	switch {
	case h.color == 2 && h.depth == 8 && !h.trns:
		copy(rgb, row)
		return
	case h.color == 6 && h.depth == 8:
		for x := range h.w {
			p := row[4*x : 4*x+4]
			a := p[3]
			if a == 0xFF {
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = p[0], p[1], p[2]
			} else {
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = overWhite(p[0], a), overWhite(p[1], a), overWhite(p[2], a)
			}
		}
		return
	case h.color == 6 && h.depth == 16:
		for x := range h.w {
			p := row[8*x : 8*x+8]
			a := p[6]
			rgb[3*x], rgb[3*x+1], rgb[3*x+2] = overWhite(p[0], a), overWhite(p[2], a), overWhite(p[4], a)
		}
		return
	case h.color == 2 && h.depth == 16 && !h.trns:
		for x := range h.w {
			rgb[3*x], rgb[3*x+1], rgb[3*x+2] = row[6*x], row[6*x+2], row[6*x+4]
		}
		return
	case h.color == 0 && h.depth == 8 && !h.trns:
		for x, g := range row[:h.w] {
			rgb[3*x], rgb[3*x+1], rgb[3*x+2] = g, g, g
		}
		return
	}
	for x := range h.w {
		c := px(row, x)
		rgb[3*x], rgb[3*x+1], rgb[3*x+2] = c[0], c[1], c[2]
	}
}

// pngStreamable reports whether decodePNGStream can take the file.
func pngStreamable(h pngHeader) bool { return !h.interlaced }
