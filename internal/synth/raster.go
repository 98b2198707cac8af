package synth

import (
	"image"
	"math"
	"math/rand/v2"
)

// Packaging surfaces: white card, cream, kraft, pale blue, light grey, pale yellow, pale pink.
var paperColours = [][3]float64{
	{245, 244, 240}, {240, 232, 210}, {205, 180, 145}, {215, 228, 240},
	{215, 215, 212}, {245, 238, 190}, {240, 220, 222},
}

// Can lids, caps and foil: aluminium, tinplate, gold lacquer, dark steel, white-coated lid.
var metalColours = [][3]float64{
	{192, 194, 198}, {168, 170, 174}, {196, 168, 112}, {128, 130, 136}, {226, 226, 222},
}

// Date-coder inks: black, dark blue, dark brown, charcoal, dark red.
var inkColours = [][3]float64{
	{18, 18, 22}, {18, 28, 72}, {52, 36, 26}, {45, 45, 48}, {72, 16, 22},
}

func inkColour(rng *rand.Rand) [3]float64 {
	if rng.IntN(2) == 0 {
		return inkColours[0] // black dominates on real products
	}
	return inkColours[rng.IntN(len(inkColours))]
}

// background paints a light packaging surface: a colour gradient for uneven
// lighting, low-frequency value noise for print and crease texture, and faint
// stripes like corrugation or printing bands, so detectors cannot rely on a flat page.
//
// The photo's blur is applied here analytically: gradient and value noise are too
// smooth to change under a few pixels of blur, and a sine of period P blurred with
// sigma keeps exp(-2π²σ²/P²) of its amplitude. Only the ink layer then needs a real
// convolution (see blurBlock), which is what keeps a render fast.
func background(rng *rand.Rand, w, h int, sigma float64, palette [][3]float64) *image.RGBA {
	base := palette[rng.IntN(len(palette))]
	var c0, dc [3]float32
	for i := range 3 {
		v := base[i] + rng.Float64()*16 - 8
		c0[i] = float32(v)
		dc[i] = float32(-10 - rng.Float64()*25) // the far side is in shadow
	}
	ga := rng.Float64() * 2 * math.Pi
	gx, gy := math.Cos(ga)/float64(w+h), math.Sin(ga)/float64(w+h)
	g0 := 0.5 - (gx*float64(w)+gy*float64(h))/2 // keeps t within 0..1 across the photo

	noise := valueNoise(rng, w, h)
	sa := (rng.Float64() - 0.5) * math.Pi // cos ≥ 0, so the phase only grows along a row
	period := 10 + rng.Float64()*30
	sx, sy := math.Cos(sa)/period, math.Sin(sa)/period
	amp := (1 + rng.Float64()*2.5) * math.Exp(-2*math.Pi*math.Pi*sigma*sigma/(period*period))
	// A sine table indexed by phase avoids a math.Sin per pixel.
	const lutN = 1024
	var lut [lutN]float32
	for i := range lut {
		lut[i] = float32(amp * math.Sin(2*math.Pi*float64(i)/lutN))
	}

	img := image.NewRGBA(image.Rect(0, 0, w, h))
	nrow := make([]float32, noise.gw)
	for y := range h {
		noise.row(y, nrow)
		row := img.Pix[y*img.Stride:][:4*w]
		t := float32(g0 + gy*float64(y))
		dt := float32(gx)
		ph := float64(y) * sy
		ph -= math.Floor(ph)
		for x := range w {
			cell := x / noise.cell
			fx := float32(x-cell*noise.cell) / float32(noise.cell)
			lum := nrow[cell] + (nrow[cell+1]-nrow[cell])*fx + lut[int(ph*lutN)&(lutN-1)]
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0] = roundByte(c0[0] + dc[0]*t + lum)
			p[1] = roundByte(c0[1] + dc[1]*t + lum)
			p[2] = roundByte(c0[2] + dc[2]*t + lum)
			p[3] = 255
			t += dt
			if ph += sx; ph >= 1 {
				ph--
			}
		}
	}
	return img
}

// field is a coarse grid upsampled bilinearly: the texture is low-frequency,
// so evaluating it per pixel would waste most of the render time.
type field struct {
	cell   int
	gw, gh int
	v      []float32
}

// row interpolates the grid vertically at photo row y, leaving the cheap
// horizontal interpolation to the caller's pixel loop.
func (f *field) row(y int, out []float32) {
	iy := y / f.cell
	ty := float32(y-iy*f.cell) / float32(f.cell)
	top, bot := f.v[iy*f.gw:][:f.gw], f.v[(iy+1)*f.gw:][:f.gw]
	for i := range out {
		out[i] = top[i] + (bot[i]-top[i])*ty
	}
}

// valueNoise sums two octaves of smooth value noise, in grey levels (about ±12).
func valueNoise(rng *rand.Rand, w, h int) *field {
	f := &field{cell: 8}
	f.gw, f.gh = w/f.cell+2, h/f.cell+2
	f.v = make([]float32, f.gw*f.gh)
	for _, oct := range []struct{ size, amp float64 }{{float64(max(w, h)) / 4, 8}, {float64(max(w, h)) / 18, 4}} {
		lw, lh := int(float64(w+2*f.cell)/oct.size)+3, int(float64(h+2*f.cell)/oct.size)+3
		lat := make([]float64, lw*lh)
		for i := range lat {
			lat[i] = (rng.Float64()*2 - 1) * oct.amp
		}
		for gy := range f.gh {
			py := float64(gy*f.cell) / oct.size
			iy := int(py)
			ty := smooth(py - float64(iy))
			for gx := range f.gw {
				px := float64(gx*f.cell) / oct.size
				ix := int(px)
				tx := smooth(px - float64(ix))
				a := lat[iy*lw+ix] + (lat[iy*lw+ix+1]-lat[iy*lw+ix])*tx
				b := lat[(iy+1)*lw+ix] + (lat[(iy+1)*lw+ix+1]-lat[(iy+1)*lw+ix])*tx
				f.v[gy*f.gw+gx] += float32(a + (b-a)*ty)
			}
		}
	}
	return f
}

func smooth(t float64) float64 { return t * t * (3 - 2*t) }

// composite lays ink over img where the mask has coverage; contrast scales the
// ink's opacity, so faded or thin ink stays the same hue but lighter.
func composite(img *image.RGBA, b block, x0, y0 int, ink [3]float64, contrast float64) {
	k := float32(contrast)
	for y := range b.h {
		py := y0 + y
		if py < 0 || py >= img.Rect.Dy() {
			continue
		}
		for x := range b.w {
			px := x0 + x
			a := b.a[y*b.w+x] * k
			if a <= 0 || px < 0 || px >= img.Rect.Dx() {
				continue
			}
			p := img.Pix[py*img.Stride+4*px:]
			for c := range 3 {
				v := float32(p[c])
				p[c] = roundByte(v + (float32(ink[c])-v)*a)
			}
		}
	}
}

// blurBlock convolves the ink mask with a separable float32 Gaussian, first
// growing the block by the kernel radius so blurred edges are not cut off.
// Blurring before rotation is exact because the Gaussian is isotropic.
func blurBlock(b block, sigma float64) block {
	kernel := gaussianKernel(sigma)
	r := len(kernel) / 2
	w, h := b.w+2*r, b.h+2*r
	// Horizontal pass: tmp rows are the block's rows, widened and centred.
	tmp := make([]float32, w*b.h)
	for y := range b.h {
		src, dst := b.a[y*b.w:][:b.w], tmp[y*w:][:w]
		for x, v := range src {
			if v == 0 {
				continue // most of a text block is empty; scatter only the ink
			}
			out := dst[x : x+2*r+1]
			for k, kv := range kernel {
				out[k] += kv * v
			}
		}
	}
	out := block{w: w, h: h, a: make([]float32, w*h)}
	for y := range b.h {
		src := tmp[y*w:][:w]
		for k, kv := range kernel {
			dst := out.a[(y+k)*w:][:w]
			for x, v := range src {
				dst[x] += kv * v
			}
		}
	}
	for i, p := range b.date {
		out.date[i] = [2]float64{p[0] + float64(r), p[1] + float64(r)}
	}
	return out
}

func gaussianKernel(sigma float64) []float32 {
	r := max(1, int(math.Ceil(3*sigma)))
	kernel := make([]float32, 2*r+1)
	var sum float32
	for i := range kernel {
		d := float64(i - r)
		kernel[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += kernel[i]
	}
	for i := range kernel {
		kernel[i] /= sum
	}
	return kernel
}

// addNoise adds sensor-like noise: mostly luminance, a little chroma. One hash
// per pixel supplies all the random bits, which is cheaper than a generator call per channel.
func addNoise(img *image.RGBA, amount float64, seed uint64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	scale := float32(amount * 255)
	for y := range h {
		row := img.Pix[y*img.Stride:][:4*w]
		for x := range w {
			z := splitmix(seed ^ uint64(y*w+x)*0x9e3779b97f4a7c15)
			// Sum of two uniforms: triangular, close enough to Gaussian sensor noise.
			lum := (float32(z&0xffff)+float32(z>>16&0xffff))/65535 - 1
			for c := range 3 {
				chroma := float32(z>>(32+10*c)&0x3ff)/1023 - 0.5
				v := float32(row[4*x+c]) + scale*(lum+0.3*chroma)
				row[4*x+c] = roundByte(v)
			}
		}
	}
}

func splitmix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// roundByte avoids the NaN handling of the min/max builtins, which doubled its cost in the per-pixel loops.
func roundByte(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// grainMinPixels is the photo size from which Render uses addGrain instead of
// addNoise: on 8–12 MP photos the per-pixel hash and float rounding of
// addNoise were a third of the render. Smaller (classic) photos keep addNoise
// so that their pixels stay what they were.
const grainMinPixels = 2_000_000

// addGrain is addNoise's statistics (triangular luminance noise of amplitude
// amount, a little chroma) from one xorshift generator per row, in integers.
func addGrain(img *image.RGBA, amount float64, seed uint64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// scale is amount·255 in 1/256 steps; a sample below is ±65535 in 1/65536 steps.
	scale := int64(amount * 255 * 256)
	for y := range h {
		row := img.Pix[y*img.Stride:][:4*w]
		z := splitmix(seed ^ uint64(y)*0x9e3779b97f4a7c15)
		for x := range w {
			z ^= z << 13
			z ^= z >> 7
			z ^= z << 17
			lum := int64(z&0xffff) + int64(z>>16&0xffff) - 65535
			for c := range 3 {
				// 0.3 × a uniform ±0.5 of full scale: (k−512)·19 ≈ 0.3·(k/1023−0.5)·65536.
				chroma := (int64(z>>(32+10*c)&0x3ff) - 512) * 19
				v := int64(row[4*x+c])<<24 + scale*(lum+chroma) + 1<<23
				row[4*x+c] = uint8(min(max(v>>24, 0), 255))
			}
		}
	}
}
