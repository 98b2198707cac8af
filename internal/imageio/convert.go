package imageio

import (
	"image"
	"image/draw"
)

// toRGBA converts a decoder's output to the project's canonical opaque RGBA.
// Transparency is composited onto white, not dropped: a cut-out product shot
// with alpha would otherwise turn into black text on black. The common
// concrete types get row loops; generic At() costs an interface call and an
// allocation per pixel, which is seconds on a phone photo.
//
// The result starts at (0, 0). It may share memory with m, which callers
// never hold on to.
func toRGBA(m image.Image) *image.RGBA {
	switch m := m.(type) {
	case *image.RGBA:
		return rgbaOnWhite(m)
	case *image.NRGBA:
		return nrgbaOnWhite(m)
	case *image.YCbCr:
		if m.Rect.Min.X >= 0 && m.Rect.Min.Y >= 0 {
			return ycbcrToRGBA(m)
		}
	case *image.NYCbCrA:
		if m.Rect.Min.X >= 0 && m.Rect.Min.Y >= 0 {
			return nycbcraToRGBA(m)
		}
	case *image.Gray:
		return grayToRGBA(m)
	case *image.Paletted:
		return palettedToRGBA(m)
	}
	b := m.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for i := range dst.Pix {
		dst.Pix[i] = 0xFF
	}
	draw.Draw(dst, dst.Rect, m, b.Min, draw.Over)
	return dst
}

// rgbaOnWhite flattens premultiplied pixels in place: over white, each
// channel becomes c + (255 - a).
func rgbaOnWhite(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			p := (*[4]byte)(row[i : i+4])
			if a := p[3]; a != 0xFF {
				k := 0xFF - int(a)
				p[0] = uint8(min(int(p[0])+k, 0xFF))
				p[1] = uint8(min(int(p[1])+k, 0xFF))
				p[2] = uint8(min(int(p[2])+k, 0xFF))
				p[3] = 0xFF
			}
		}
	}
	return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect.Sub(m.Rect.Min)}
}

// nrgbaOnWhite reuses the NRGBA buffer: once every pixel is opaque the
// premultiplied and straight layouts are the same bytes.
func nrgbaOnWhite(m *image.NRGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			p := (*[4]byte)(row[i : i+4])
			if a := p[3]; a != 0xFF {
				p[0], p[1], p[2] = overWhite(p[0], a), overWhite(p[1], a), overWhite(p[2], a)
				p[3] = 0xFF
			}
		}
	}
	return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect.Sub(m.Rect.Min)}
}

// overWhite composites a straight (non-premultiplied) channel onto white.
func overWhite(c, a uint8) uint8 {
	return uint8((uint32(c)*uint32(a) + 0xFF*(0xFF-uint32(a)) + 127) / 0xFF)
}

// chromaShift gives log2 of the horizontal and vertical chroma subsampling.
func chromaShift(r image.YCbCrSubsampleRatio) (hs, vs int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 1, 0
	case image.YCbCrSubsampleRatio420:
		return 1, 1
	case image.YCbCrSubsampleRatio440:
		return 0, 1
	case image.YCbCrSubsampleRatio411:
		return 2, 0
	case image.YCbCrSubsampleRatio410:
		return 2, 1
	}
	return 0, 0
}

// ycbcrToRGBA uses the same 16.16 fixed-point arithmetic as
// color.YCbCrToRGB, so results match the standard library bit for bit. It
// relies on a non-negative Rect.Min, where shifts equal the divisions in
// YCbCr.COffset.
func ycbcrToRGBA(m *image.YCbCr) *image.RGBA {
	r := m.Rect
	w, h := r.Dx(), r.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	hs, vs := chromaShift(m.SubsampleRatio)
	cx0, cy0 := r.Min.X>>hs, r.Min.Y>>vs
	for y := range h {
		yRow := m.Y[y*m.YStride : y*m.YStride+w]
		cOff := ((r.Min.Y+y)>>vs - cy0) * m.CStride
		cb, cr := m.Cb[cOff:], m.Cr[cOff:]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x, yv := range yRow {
			ci := (r.Min.X+x)>>hs - cx0
			yy := int32(yv) * 0x10101
			cb1 := int32(cb[ci]) - 128
			cr1 := int32(cr[ci]) - 128
			p := (*[4]byte)(d[4*x : 4*x+4])
			p[0] = clamp16(yy + 91881*cr1)
			p[1] = clamp16(yy - 22554*cb1 - 46802*cr1)
			p[2] = clamp16(yy + 116130*cb1)
			p[3] = 0xFF
		}
	}
	return dst
}

// clamp16 takes a 16.16 fixed-point value to a byte, clamping to 0..255.
func clamp16(v int32) uint8 {
	if uint32(v)&0xFF000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// nycbcraToRGBA serves lossy WebP with alpha.
func nycbcraToRGBA(m *image.NYCbCrA) *image.RGBA {
	dst := ycbcrToRGBA(&m.YCbCr)
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	for y := range h {
		as := m.A[y*m.AStride : y*m.AStride+w]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x, a := range as {
			if a != 0xFF {
				p := (*[4]byte)(d[4*x : 4*x+4])
				p[0], p[1], p[2] = overWhite(p[0], a), overWhite(p[1], a), overWhite(p[2], a)
			}
		}
	}
	return dst
}

func grayToRGBA(m *image.Gray) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		src := m.Pix[y*m.Stride : y*m.Stride+w]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x, g := range src {
			*(*[4]byte)(d[4*x : 4*x+4]) = [4]byte{g, g, g, 0xFF}
		}
	}
	return dst
}

// palettedToRGBA composites the palette onto white once, then looks up.
func palettedToRGBA(m *image.Paletted) *image.RGBA {
	var lut [256][4]byte
	for i := range lut {
		lut[i] = [4]byte{0, 0, 0, 0xFF} // indexes past the palette: opaque black, as image/png pads it
	}
	for i, c := range m.Palette {
		if i >= len(lut) {
			break
		}
		r, g, b, a := c.RGBA() // premultiplied, 16-bit
		k := 0xFFFF - a
		lut[i] = [4]byte{uint8((r + k) >> 8), uint8((g + k) >> 8), uint8((b + k) >> 8), 0xFF}
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		src := m.Pix[y*m.Stride : y*m.Stride+w]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x, idx := range src {
			*(*[4]byte)(d[4*x : 4*x+4]) = lut[idx]
		}
	}
	return dst
}
