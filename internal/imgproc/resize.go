package imgproc

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// Fixed-point layout of the two resize passes. Weights along an axis sum to
// exactly 1<<weightBits. The vertical pass keeps midBits of fraction in a
// uint16 (255<<8 fits), so the horizontal pass accumulates at most
// 65280·2^14 < 2^31 in an int32 and nothing needs clamping: all weights are
// non-negative.
const (
	weightBits = 14
	weightOne  = 1 << weightBits
	midBits    = 8
	vShift     = weightBits - midBits
	hShift     = weightBits + midBits
)

// axisFilter lists, for each output index along one axis, the contiguous
// source indices that feed it (start, len(weights[i])) and their weights.
type axisFilter struct {
	start   []int
	weights [][]int32
}

// newAxisFilter picks bilinear sampling unless the axis shrinks by 2× or more,
// where bilinear would skip source pixels entirely and thin strokes of print
// would alias away; there every source pixel is averaged into the output
// pixel that covers it (OpenCV's INTER_AREA).
func newAxisFilter(src, dst int) axisFilter {
	f := axisFilter{start: make([]int, dst), weights: make([][]int32, dst)}
	scale := float64(src) / float64(dst)
	store := make([]int32, 0, dst*(int(scale)+2))
	var fw []float64
	for i := range dst {
		var first int
		fw = fw[:0]
		if scale >= 2 {
			// Exact products keep integer boundaries integer.
			lo := float64(i*src) / float64(dst)
			hi := float64((i+1)*src) / float64(dst)
			first = int(lo)
			for k := first; float64(k) < hi; k++ {
				fw = append(fw, (min(hi, float64(k+1))-max(lo, float64(k)))/scale)
			}
		} else {
			// Pixel centres align as in OpenCV's INTER_LINEAR, so corners
			// of an enlarged image keep the source corner values.
			x := (float64(i)+0.5)*scale - 0.5
			x0 := math.Floor(x)
			frac := x - x0
			first = int(x0)
			if x0 < 0 {
				first, frac = 0, 0
			}
			if first >= src-1 {
				first, frac = src-1, 0
			}
			fw = append(fw, 1-frac, frac)
		}
		first, q := quantize(fw, first, &store)
		f.start[i] = first
		f.weights[i] = q
	}
	return f
}

// quantize converts float weights into fixed point summing to exactly
// weightOne by rounding their running sum, so no weight goes negative however
// many taps share the total, and drops zero taps at both ends so passes never
// multiply by zero.
func quantize(fw []float64, first int, store *[]int32) (int, []int32) {
	n := len(*store)
	const one = float64(weightOne)
	var total, run float64
	for _, w := range fw {
		total += w
	}
	prev := int32(0)
	for _, w := range fw {
		run += w
		c := int32(math.Round(run / total * one))
		*store = append(*store, c-prev)
		prev = c
	}
	q := (*store)[n:]
	for len(q) > 1 && q[0] == 0 {
		q = q[1:]
		first++
	}
	for len(q) > 1 && q[len(q)-1] == 0 {
		q = q[:len(q)-1]
	}
	return first, q[:len(q):len(q)]
}

// Resize returns src scaled to w×h: bilinear when enlarging or shrinking by
// less than 2× along an axis, an area average when shrinking by 2× or more.
// It runs separably in fixed point, vertical pass first so the costlier
// per-tap horizontal pass runs over the (usually smaller) output width, and
// splits output rows across GOMAXPROCS for large images; each output pixel
// depends only on its inputs, so the result is deterministic. A w or h ≤ 0
// gives an empty image, an empty src a black one.
func Resize(src *image.RGBA, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if w <= 0 || h <= 0 || sw <= 0 || sh <= 0 {
		return dst
	}
	if sw == w && sh == h {
		for y := range h {
			copy(dst.Pix[y*dst.Stride:y*dst.Stride+4*w], src.Pix[y*src.Stride:])
		}
		return dst
	}
	hf, vf := newAxisFilter(sw, w), newAxisFilter(sh, h)

	workers := 1
	if w*h >= 1<<16 {
		workers = min(runtime.GOMAXPROCS(0), h/16)
	}
	if workers <= 1 {
		resizeRows(dst, src, &hf, &vf, 0, h)
		return dst
	}
	var wg sync.WaitGroup
	for i := range workers {
		y0, y1 := h*i/workers, h*(i+1)/workers
		wg.Go(func() { resizeRows(dst, src, &hf, &vf, y0, y1) })
	}
	wg.Wait()
	return dst
}

func resizeRows(dst, src *image.RGBA, hf, vf *axisFilter, y0, y1 int) {
	n := 4 * src.Rect.Dx()
	mid := make([]uint16, n)
	var acc []int32
	row := func(r int) []uint8 { return src.Pix[r*src.Stride : r*src.Stride+n] }
	for y := y0; y < y1; y++ {
		r, ws := vf.start[y], vf.weights[y]
		switch len(ws) {
		case 1:
			vertical1(mid, row(r))
		case 2:
			vertical2(mid, row(r), row(r+1), ws[0], ws[1])
		case 3:
			vertical3(mid, row(r), row(r+1), row(r+2), ws[0], ws[1], ws[2])
		default:
			if acc == nil {
				acc = make([]int32, n)
			}
			verticalN(mid, acc, src, r, ws)
		}
		horizontal(dst.Pix[y*dst.Stride:y*dst.Stride+4*dst.Rect.Dx()], mid, hf)
	}
}

func vertical1(mid []uint16, s0 []uint8) {
	s0 = s0[:len(mid)]
	for i, v := range s0 {
		mid[i] = uint16(v) << midBits
	}
}

func vertical2(mid []uint16, s0, s1 []uint8, w0, w1 int32) {
	s0, s1 = s0[:len(mid)], s1[:len(mid)]
	for i := range mid {
		mid[i] = uint16((w0*int32(s0[i]) + w1*int32(s1[i]) + 1<<(vShift-1)) >> vShift)
	}
}

func vertical3(mid []uint16, s0, s1, s2 []uint8, w0, w1, w2 int32) {
	s0, s1, s2 = s0[:len(mid)], s1[:len(mid)], s2[:len(mid)]
	for i := range mid {
		mid[i] = uint16((w0*int32(s0[i]) + w1*int32(s1[i]) + w2*int32(s2[i]) + 1<<(vShift-1)) >> vShift)
	}
}

func verticalN(mid []uint16, acc []int32, src *image.RGBA, r int, ws []int32) {
	clear(acc)
	for k, w := range ws {
		s := src.Pix[(r+k)*src.Stride:][:len(acc)]
		for i, v := range s {
			acc[i] += w * int32(v)
		}
	}
	for i, a := range acc {
		mid[i] = uint16((a + 1<<(vShift-1)) >> vShift)
	}
}

// horizontal is specialised by tap count because this per-pixel loop is a
// third of Resize's time; fixed-size slices let the compiler drop bounds
// checks.
func horizontal(d []uint8, mid []uint16, hf *axisFilter) {
	const round = 1 << (hShift - 1)
	d = d[:4*len(hf.weights)]
	for x, ws := range hf.weights {
		i := 4 * hf.start[x]
		o := d[4*x : 4*x+4 : 4*x+4]
		switch len(ws) {
		case 2:
			p := mid[i : i+8 : i+8]
			w0, w1 := ws[0], ws[1]
			o[0] = uint8((w0*int32(p[0]) + w1*int32(p[4]) + round) >> hShift)
			o[1] = uint8((w0*int32(p[1]) + w1*int32(p[5]) + round) >> hShift)
			o[2] = uint8((w0*int32(p[2]) + w1*int32(p[6]) + round) >> hShift)
			o[3] = uint8((w0*int32(p[3]) + w1*int32(p[7]) + round) >> hShift)
		case 3:
			p := mid[i : i+12 : i+12]
			w0, w1, w2 := ws[0], ws[1], ws[2]
			o[0] = uint8((w0*int32(p[0]) + w1*int32(p[4]) + w2*int32(p[8]) + round) >> hShift)
			o[1] = uint8((w0*int32(p[1]) + w1*int32(p[5]) + w2*int32(p[9]) + round) >> hShift)
			o[2] = uint8((w0*int32(p[2]) + w1*int32(p[6]) + w2*int32(p[10]) + round) >> hShift)
			o[3] = uint8((w0*int32(p[3]) + w1*int32(p[7]) + w2*int32(p[11]) + round) >> hShift)
		default:
			p := mid[i : i+4*len(ws)]
			var r, g, b, a int32 = round, round, round, round
			for k, w := range ws {
				q := p[4*k : 4*k+4 : 4*k+4]
				r += w * int32(q[0])
				g += w * int32(q[1])
				b += w * int32(q[2])
				a += w * int32(q[3])
			}
			o[0] = uint8(r >> hShift)
			o[1] = uint8(g >> hShift)
			o[2] = uint8(b >> hShift)
			o[3] = uint8(a >> hShift)
		}
	}
}
