package imgproc

import (
	"image"
	"math"
	"slices"
)

// This file holds the photometric steps of Datalid's crop preprocessing (DATALID.md §1.3):
// colour normalisation, CLAHE, sharpening, denoising, inversion and padding. They work on
// one crop (tens of thousands of pixels), so they favour clarity over SIMD tricks.

// luma returns the Rec. 601 luminance of every pixel of img, row-major, Rect.Min at 0.
func luma(img *image.RGBA) ([]uint8, int, int) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := make([]uint8, w*h)
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			p := row[4*x : 4*x+3 : 4*x+3]
			out[y*w+x] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
		}
	}
	return out, w, h
}

// fromGray builds an opaque grey RGBA image from luminance values.
func fromGray(g []uint8, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for i, v := range g {
		o := out.Pix[4*i : 4*i+4 : 4*i+4]
		o[0], o[1], o[2], o[3] = v, v, v, 255
	}
	return out
}

// Gray returns img as an opaque grey image.
func Gray(img *image.RGBA) *image.RGBA { return fromGray(luma(img)) }

// shiftLuma returns img with every pixel's luminance moved to g, keeping its colour offsets:
// contrast steps change how light a pixel is, not its hue.
func shiftLuma(img *image.RGBA, old, g []uint8) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			d := int(g[y*w+x]) - int(old[y*w+x])
			s, o := row[4*x:4*x+4:4*x+4], out.Pix[(y*w+x)*4:(y*w+x)*4+4:(y*w+x)*4+4]
			o[0], o[1], o[2], o[3] = clamp8(int(s[0])+d), clamp8(int(s[1])+d), clamp8(int(s[2])+d), 255
		}
	}
	return out
}

func clamp8(v int) uint8 { return uint8(min(255, max(0, v))) }

// GrayWorld scales each channel so the three channel means are equal (Datalid's
// normalize_colors gray_world): a yellow cast from shop lighting becomes grey.
func GrayWorld(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var sum [3]float64
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			sum[0] += float64(row[4*x])
			sum[1] += float64(row[4*x+1])
			sum[2] += float64(row[4*x+2])
		}
	}
	mean := (sum[0] + sum[1] + sum[2]) / 3
	var k [3]float64
	for c := range k {
		k[c] = 1
		if sum[c] > 0 {
			k[c] = mean / sum[c]
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			o := out.Pix[(y*w+x)*4 : (y*w+x)*4+4]
			for c := range 3 {
				o[c] = clamp8(int(float64(row[4*x+c])*k[c] + 0.5))
			}
			o[3] = 255
		}
	}
	return out
}

// CLAHE applies contrast-limited adaptive histogram equalisation to the luminance, with a
// grid×grid tile layout and OpenCV's clip limit convention (clip × tile area / 256 per bin).
// Faint dot-matrix ink on a glossy pack gains contrast locally without blowing out glare.
func CLAHE(img *image.RGBA, clip float64, grid int) *image.RGBA {
	g, w, h := luma(img)
	if w == 0 || h == 0 {
		return image.NewRGBA(image.Rect(0, 0, w, h))
	}
	gx, gy := max(1, min(grid, w)), max(1, min(grid, h))
	tw, th := (w+gx-1)/gx, (h+gy-1)/gy
	// Rounding the tile size up can leave the last tiles empty (w=20, grid 8: tiles of 3
	// cover 20 in 7); count only tiles that start inside the image.
	gx, gy = (w+tw-1)/tw, (h+th-1)/th
	maps := make([][256]uint8, gx*gy)
	for ty := range gy {
		for tx := range gx {
			var hist [256]int
			x0, y0 := tx*tw, ty*th
			x1, y1 := min(w, x0+tw), min(h, y0+th)
			n := 0
			for y := y0; y < y1; y++ {
				for _, v := range g[y*w+x0 : y*w+x1] {
					hist[v]++
					n++
				}
			}
			if n == 0 {
				for v := range 256 {
					maps[ty*gx+tx][v] = uint8(v)
				}
				continue
			}
			limit := max(1, int(clip*float64(n)/256))
			excess := 0
			for v := range hist {
				if hist[v] > limit {
					excess += hist[v] - limit
					hist[v] = limit
				}
			}
			add, rest := excess/256, excess%256
			cdf := 0
			for v := range hist {
				cdf += hist[v] + add
				if v < rest {
					cdf++
				}
				maps[ty*gx+tx][v] = clamp8(int(float64(cdf)*255/float64(n) + 0.5))
			}
		}
	}
	out := make([]uint8, len(g))
	for y := range h {
		fy := (float64(y)+0.5)/float64(th) - 0.5
		ty0 := max(0, min(gy-1, int(math.Floor(fy))))
		ty1 := min(gy-1, ty0+1)
		wy := min(1, max(0, fy-float64(ty0)))
		for x := range w {
			fx := (float64(x)+0.5)/float64(tw) - 0.5
			tx0 := max(0, min(gx-1, int(math.Floor(fx))))
			tx1 := min(gx-1, tx0+1)
			wx := min(1, max(0, fx-float64(tx0)))
			v := g[y*w+x]
			top := (1-wx)*float64(maps[ty0*gx+tx0][v]) + wx*float64(maps[ty0*gx+tx1][v])
			bot := (1-wx)*float64(maps[ty1*gx+tx0][v]) + wx*float64(maps[ty1*gx+tx1][v])
			out[y*w+x] = clamp8(int((1-wy)*top + wy*bot + 0.5))
		}
	}
	return shiftLuma(img, g, out)
}

// LocalContrast returns the luminance's departure from its local mean (a box of radius r,
// applied twice), amplified gain times around mid-grey: print a few grey levels off its
// background (dark ink on a panel of nearly its colour, worn inkjet) stands out as plainly
// as ordinary print, however bright or dark the panel. Unlike CLAHE nothing caps the gain,
// so paper grain grows with it.
func LocalContrast(img *image.RGBA, r int, gain float64) *image.RGBA {
	g, w, h := luma(img)
	if w == 0 || h == 0 {
		return image.NewRGBA(image.Rect(0, 0, w, h))
	}
	m := boxBlur(boxBlur(g, w, h, r), w, h, r)
	out := make([]uint8, len(g))
	for i, v := range g {
		out[i] = clamp8(128 + int(gain*float64(int(v)-int(m[i]))))
	}
	return fromGray(out, w, h)
}

// boxBlur returns the mean of each pixel's (2r+1)² neighbourhood (replicated border),
// through a summed-area table so the cost does not depend on r.
func boxBlur(g []uint8, w, h, r int) []uint8 {
	sat := integral(g, w, h)
	out := make([]uint8, len(g))
	for y := range h {
		y0, y1 := max(0, y-r), min(h, y+r+1)
		for x := range w {
			x0, x1 := max(0, x-r), min(w, x+r+1)
			s := sat[y1*(w+1)+x1] - sat[y0*(w+1)+x1] - sat[y1*(w+1)+x0] + sat[y0*(w+1)+x0]
			out[y*w+x] = uint8((s + int64((x1-x0)*(y1-y0))/2) / int64((x1-x0)*(y1-y0)))
		}
	}
	return out
}

func integral(g []uint8, w, h int) []int64 {
	sat := make([]int64, (w+1)*(h+1))
	for y := range h {
		var row int64
		for x := range w {
			row += int64(g[y*w+x])
			sat[(y+1)*(w+1)+x+1] = sat[y*(w+1)+x+1] + row
		}
	}
	return sat
}

// Sharpen is an unsharp mask on the luminance: v + strength·(v − blur(v)). Three box
// passes approximate Datalid's Gaussian σ=2 closely enough for text edges.
func Sharpen(img *image.RGBA, strength float64) *image.RGBA {
	g, w, h := luma(img)
	b := boxBlur(boxBlur(boxBlur(g, w, h, 1), w, h, 1), w, h, 1)
	out := make([]uint8, len(g))
	for i, v := range g {
		out[i] = clamp8(int(float64(v) + strength*(float64(v)-float64(b[i])) + 0.5))
	}
	return shiftLuma(img, g, out)
}

// Median3 is a 3×3 median filter on the luminance: it removes the salt-and-pepper specks
// of dot-matrix ink and JPEG noise while keeping stroke edges.
func Median3(img *image.RGBA) *image.RGBA {
	g, w, h := luma(img)
	out := make([]uint8, len(g))
	var win [9]uint8
	for y := range h {
		for x := range w {
			k := 0
			for dy := -1; dy <= 1; dy++ {
				yy := min(h-1, max(0, y+dy))
				for dx := -1; dx <= 1; dx++ {
					win[k] = g[yy*w+min(w-1, max(0, x+dx))]
					k++
				}
			}
			slices.Sort(win[:])
			out[y*w+x] = win[4]
		}
	}
	return shiftLuma(img, g, out)
}

// BoxDenoise blurs the luminance with a (2r+1)² mean: dot-matrix dots merge into strokes
// the recogniser was trained on.
func BoxDenoise(img *image.RGBA, r int) *image.RGBA {
	g, w, h := luma(img)
	return shiftLuma(img, g, boxBlur(g, w, h, max(1, r)))
}

// InvertIfDark inverts img when more than 60 % of its pixels are dark (Datalid's rule):
// light print on a dark pack becomes dark on light, which the recogniser reads better.
// It reports whether it inverted.
func InvertIfDark(img *image.RGBA) (*image.RGBA, bool) {
	g, w, h := luma(img)
	dark := 0
	for _, v := range g {
		if v < 128 {
			dark++
		}
	}
	if w*h == 0 || float64(dark) <= 0.6*float64(w*h) {
		return img, false
	}
	return Invert(img), true
}

// Invert returns the photographic negative of img (alpha kept).
func Invert(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		o := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			o[i], o[i+1], o[i+2], o[i+3] = 255-row[i], 255-row[i+1], 255-row[i+2], row[i+3]
		}
	}
	return out
}

// Pad returns img with a border of n pixels of grey level v on every side. PP-OCR crops cut
// tight to the ink lose their first and last characters more often than padded ones.
func Pad(img *image.RGBA, n int, v uint8) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	n = max(0, n)
	out := image.NewRGBA(image.Rect(0, 0, w+2*n, h+2*n))
	for i := 0; i < len(out.Pix); i += 4 {
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = v, v, v, 255
	}
	for y := range h {
		copy(out.Pix[(y+n)*out.Stride+4*n:], img.Pix[y*img.Stride:y*img.Stride+4*w])
	}
	return out
}

// MergeDots returns a grey image whose dark ink is grown by r pixels (a minimum filter of
// the luminance over a (2r+1)² square, separable): the separate dots of dot-matrix print
// join into strokes, which the detector and the recogniser were trained on.
func MergeDots(img *image.RGBA, r int) *image.RGBA {
	g, w, h := luma(img)
	if w == 0 || h == 0 || r < 1 {
		return fromGray(g, w, h)
	}
	tmp := make([]uint8, len(g))
	for y := range h {
		row, out := g[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		for x := range w {
			m := uint8(255)
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				m = min(m, row[k])
			}
			out[x] = m
		}
	}
	out := make([]uint8, len(g))
	for y := range h {
		for x := range w {
			m := uint8(255)
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				m = min(m, tmp[k*w+x])
			}
			out[y*w+x] = m
		}
	}
	return fromGray(out, w, h)
}
