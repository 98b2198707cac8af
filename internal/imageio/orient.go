package imageio

import "image"

// applyOrientation returns m turned upright for EXIF orientation o. Flips and
// the half turn keep the size and are done in place, so a full-size 12 MP
// photo is not copied; the four quarter-turn cases need a new buffer.
func applyOrientation(m *image.RGBA, o int) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch o {
	case 2:
		for y := range h {
			reversePixels(m.Pix[y*m.Stride : y*m.Stride+4*w])
		}
		return m
	case 3:
		for y := range h / 2 {
			top := m.Pix[y*m.Stride : y*m.Stride+4*w]
			bot := m.Pix[(h-1-y)*m.Stride : (h-1-y)*m.Stride+4*w]
			for i, j := 0, 4*(w-1); i < 4*w; i, j = i+4, j-4 {
				t, b := (*[4]byte)(top[i:i+4]), (*[4]byte)(bot[j:j+4])
				*t, *b = *b, *t
			}
		}
		if h%2 == 1 {
			reversePixels(m.Pix[(h/2)*m.Stride : (h/2)*m.Stride+4*w])
		}
		return m
	case 4:
		tmp := make([]byte, 4*w)
		for y := range h / 2 {
			top := m.Pix[y*m.Stride : y*m.Stride+4*w]
			bot := m.Pix[(h-1-y)*m.Stride : (h-1-y)*m.Stride+4*w]
			copy(tmp, top)
			copy(top, bot)
			copy(bot, tmp)
		}
		return m
	case 5, 6, 7, 8:
		return transpose(m, o)
	}
	return m
}

func reversePixels(row []byte) {
	for i, j := 0, len(row)-4; i < j; i, j = i+4, j-4 {
		a, b := (*[4]byte)(row[i:i+4]), (*[4]byte)(row[j:j+4])
		*a, *b = *b, *a
	}
}

// transpose handles the orientations that swap width and height. Each one is
// an affine map from source (x, y) to a destination byte offset
// origin + x*ax + y*ay, so one loop serves all four; it walks the source in
// tiles so both images stay in cache (a naive column walk over a 12 MP
// destination misses on every pixel).
func transpose(m *image.RGBA, o int) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, h, w))
	ds := dst.Stride
	var origin, ax, ay int
	switch o {
	case 5: // transpose
		origin, ax, ay = 0, ds, 4
	case 6: // rotate 90° clockwise
		origin, ax, ay = (h-1)*4, ds, -4
	case 7: // transverse
		origin, ax, ay = (w-1)*ds+(h-1)*4, -ds, -4
	case 8: // rotate 90° counter-clockwise
		origin, ax, ay = (w-1)*ds, -ds, 4
	}
	const tile = 32
	for ty := 0; ty < h; ty += tile {
		yEnd := min(ty+tile, h)
		for tx := 0; tx < w; tx += tile {
			xEnd := min(tx+tile, w)
			for y := ty; y < yEnd; y++ {
				src := m.Pix[y*m.Stride+4*tx : y*m.Stride+4*xEnd]
				d := origin + tx*ax + y*ay
				for i := 0; i < len(src); i += 4 {
					*(*[4]byte)(dst.Pix[d : d+4]) = *(*[4]byte)(src[i : i+4])
					d += ax
				}
			}
		}
	}
	return dst
}
