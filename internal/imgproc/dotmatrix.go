package imgproc

import (
	"image"
	"math"
	"slices"
)

// Dot-matrix print (inkjet date coders) draws each character as separate dots on a 5×7 or
// 7×9 grid. A recogniser trained on solid strokes reads such a line badly, so a crop whose ink
// is mostly dots of one size on a regular pitch gets its dots joined into strokes at that
// pitch before it is read.

const (
	// minDots is the least number of dot-like blobs a crop needs to be called dot-matrix:
	// two characters of a 5×7 font already have more than twenty.
	minDots = 16
	// dotShare is the least share of the ink blobs that must be dot-sized: solid text breaks
	// into a few specks too, but its ink is mostly strokes.
	dotShare = 0.6
	// maxDotOfHeight bounds a dot's size by the crop's height: a crop is one line, and a
	// dot is at most a fifth of a character of seven rows plus margins.
	maxDotOfHeight = 0.2
)

// DotPattern describes the dots of a dot-matrix crop, in pixels.
type DotPattern struct {
	Pitch float64 // median distance between a dot and its nearest neighbour
	Size  float64 // median dot diameter
	Dots  int     // dot-like blobs found
}

// dotContrasts are the ink thresholds (least difference from the local mean) FindDots tries in
// turn. Inkjet dots that bleed into their neighbours form one blob at the loosest threshold;
// a dot's centre is darker than where it touches the next one, so a stricter threshold
// parts them again. JPEG noise and paper texture stay under the loosest.
var dotContrasts = []int{12, 36, 64, 96}

// minPartedDot is the least dot diameter, in pixels, that a stricter threshold may find: a
// dot that bleeds into its neighbours is large, while the specks of a broken solid stroke
// at a strict threshold are one to three pixels.
const minPartedDot = 4

// FindDots reports whether the ink of img (a crop of one line) is dot-matrix print, and its
// dots' pitch and size.
func FindDots(img *image.RGBA) (DotPattern, bool) {
	g, w, h := luma(img)
	if w < 8 || h < 8 {
		return DotPattern{}, false
	}
	mean := boxBlur(g, w, h, max(2, h/4))
	dark := inkIsDark(g)
	for k, c := range dotContrasts {
		p, ok := dotsAt(inkMask(g, mean, dark, c), w, h)
		// A strict threshold also breaks thin solid strokes into specks; only dots big
		// enough to have bled into each other are parted there.
		if ok && (k == 0 || p.Size >= minPartedDot) {
			return p, true
		}
	}
	return DotPattern{}, false
}

// dotsAt measures the dot pattern of one ink mask.
func dotsAt(ink []bool, w, h int) (DotPattern, bool) {
	blobs := blobsOf(ink, w, h)
	if len(blobs) < minDots {
		return DotPattern{}, false
	}
	maxDot := math.Max(2, maxDotOfHeight*float64(h))
	var dots []blob
	for _, b := range blobs {
		if float64(max(b.w, b.h)) <= maxDot && b.w <= 2*b.h+1 && b.h <= 2*b.w+1 {
			dots = append(dots, b)
		}
	}
	if len(dots) < minDots || float64(len(dots)) < dotShare*float64(len(blobs)) {
		return DotPattern{}, false
	}
	sizes := make([]float64, len(dots))
	near := make([]float64, len(dots))
	for i, a := range dots {
		sizes[i] = float64(max(a.w, a.h))
		best := math.Inf(1)
		for j, b := range dots {
			if i != j {
				best = math.Min(best, math.Hypot(a.cx-b.cx, a.cy-b.cy))
			}
		}
		near[i] = best
	}
	slices.Sort(sizes)
	slices.Sort(near)
	p := DotPattern{Pitch: near[len(near)/2], Size: sizes[len(sizes)/2], Dots: len(dots)}
	// Dots of a character sit about one pitch apart; blobs much farther apart than their own
	// size are specks of noise, not a dot matrix.
	if p.Pitch > 4*p.Size {
		return DotPattern{}, false
	}
	return p, true
}

// JoinDots returns img with the dots of dot-matrix print joined into strokes: a grey closing
// of the ink (grow, then shrink back) over the gap between neighbouring dots, then a light
// blur that rounds the joins. A crop that is not dot-matrix is returned unchanged.
func JoinDots(img *image.RGBA) *image.RGBA {
	p, ok := FindDots(img)
	if !ok {
		return img
	}
	return JoinDotsAt(img, p)
}

// JoinDotsAt joins dots of the given pattern (see JoinDots) across the gap between them.
func JoinDotsAt(img *image.RGBA, p DotPattern) *image.RGBA {
	return joinDots(img, gapRadius(p))
}

// gapRadius closes the gap between neighbouring dots: half of it, rounded up.
func gapRadius(p DotPattern) int { return max(1, int(math.Ceil((p.Pitch-p.Size)/2+0.5))) }

// BoldDots joins the dots of the given pattern into strokes half a pitch wide whatever the
// dots' own size: small or faint dots joined only across their gap stay thin, dotted-looking
// strokes, and large dots that bled together measure small gaps they do not have.
func BoldDots(img *image.RGBA, p DotPattern) *image.RGBA {
	return joinDots(img, boldRadius(p))
}

func boldRadius(p DotPattern) int { return max(1, int(math.Ceil(p.Pitch/4+0.5))) }

// Bolder reports whether BoldDots draws thicker strokes than JoinDotsAt: only then is it
// another reading.
func (p DotPattern) Bolder() bool {
	return boldRadius(p) > gapRadius(p)
}

// joinDots closes the ink over r pixels: grow, shrink back, then blur the joins round.
func joinDots(img *image.RGBA, r int) *image.RGBA {
	g, w, h := luma(img)
	dark := inkIsDark(g)
	if !dark {
		for i := range g {
			g[i] = 255 - g[i]
		}
	}
	g = minFilter(g, w, h, r)
	g = maxFilter(g, w, h, r)
	g = boxBlur(g, w, h, max(1, r/2))
	if !dark {
		for i := range g {
			g[i] = 255 - g[i]
		}
	}
	return fromGray(g, w, h)
}

// inkIsDark reports whether the ink is darker than the background: the ink is the
// minority side of the Otsu threshold.
func inkIsDark(g []uint8) bool {
	t := otsu(g)
	dark := 0
	for _, v := range g {
		if v <= t {
			dark++
		}
	}
	return dark <= len(g)/2
}

// inkMask marks pixels at least contrast darker (or, for light ink, lighter) than their
// neighbourhood's mean: a local threshold, since light falls unevenly across a printed line.
func inkMask(g, mean []uint8, dark bool, contrast int) []bool {
	m := make([]bool, len(g))
	for i, v := range g {
		if dark {
			m[i] = int(v) < int(mean[i])-contrast
		} else {
			m[i] = int(v) > int(mean[i])+contrast
		}
	}
	return m
}

type blob struct {
	cx, cy float64
	w, h   int
	n      int
}

// blobsOf labels the 4-connected components of mask (at most maxBlobs of them).
func blobsOf(mask []bool, w, h int) []blob {
	const maxBlobs = 4096
	seen := make([]bool, len(mask))
	var out []blob
	stack := make([]int, 0, 64)
	for i, on := range mask {
		if !on || seen[i] {
			continue
		}
		if len(out) == maxBlobs {
			break
		}
		seen[i] = true
		stack = append(stack[:0], i)
		x0, y0, x1, y1 := w, h, 0, 0
		var sx, sy float64
		n := 0
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := k%w, k/w
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			sx, sy = sx+float64(x), sy+float64(y)
			n++
			for _, nb := range [4]int{k - 1, k + 1, k - w, k + w} {
				if nb < 0 || nb >= len(mask) || seen[nb] || !mask[nb] {
					continue
				}
				if (nb == k-1 && x == 0) || (nb == k+1 && x == w-1) {
					continue
				}
				seen[nb] = true
				stack = append(stack, nb)
			}
		}
		out = append(out, blob{cx: sx / float64(n), cy: sy / float64(n), w: x1 - x0 + 1, h: y1 - y0 + 1, n: n})
	}
	return out
}

// minFilter and maxFilter are the grey erosion and dilation over a (2r+1)² square, done as a
// row pass then a column pass.
func minFilter(g []uint8, w, h, r int) []uint8 {
	return squareFilter(g, w, h, r, func(a, b uint8) uint8 { return min(a, b) })
}

func maxFilter(g []uint8, w, h, r int) []uint8 {
	return squareFilter(g, w, h, r, func(a, b uint8) uint8 { return max(a, b) })
}

func squareFilter(g []uint8, w, h, r int, pick func(a, b uint8) uint8) []uint8 {
	tmp := make([]uint8, len(g))
	for y := range h {
		row := g[y*w : (y+1)*w]
		for x := range w {
			m := row[x]
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				m = pick(m, row[k])
			}
			tmp[y*w+x] = m
		}
	}
	out := make([]uint8, len(g))
	for y := range h {
		for x := range w {
			m := tmp[y*w+x]
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				m = pick(m, tmp[k*w+x])
			}
			out[y*w+x] = m
		}
	}
	return out
}
