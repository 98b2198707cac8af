package imgproc

import (
	"encoding/binary"
	"image"
	"math"
	"runtime"
	"sync"
)

// Fixed-point layout. Both passes work on a pixel's four channels at once,
// packed in a uint64 (SIMD within a register), because a per-byte loop
// dominated the cost.
//
// The vertical pass spreads a pixel's RGBA bytes into four 16-bit lanes and
// weighs them with vBits-bit weights summing to 1<<vBits: a lane peaks at
// 255·256 < 2^16, so lanes never carry into each other and the result is the
// pixel with 8 fractional bits. The horizontal pass splits that into two
// uint64s of two 32-bit lanes (R,B and G,A) and weighs them with hBits-bit
// weights: a lane peaks at 65280·2^14 + rounding < 2^30. All weights are
// non-negative, so nothing needs clamping.
const (
	vBits  = 8
	hBits  = 14
	hShift = hBits + vBits
	lanes2 = 0x0000FFFF0000FFFF

	// wideShrink is the vertical reduction from which 8-bit weights get too
	// coarse (under 16 units per source row).
	wideShrink = 16
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
func newAxisFilter(src, dst, bits int) axisFilter {
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
		first, q := quantize(fw, first, bits, &store)
		f.start[i] = first
		f.weights[i] = q
	}
	return f
}

// quantize converts float weights into fixed point summing to exactly
// 1<<bits by rounding their running sum, so no weight goes negative however
// many taps share the total, and drops zero taps at both ends so passes never
// multiply by zero.
func quantize(fw []float64, first, bits int, store *[]int32) (int, []int32) {
	n := len(*store)
	one := float64(int32(1) << bits)
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
	hf, vf := newAxisFilter(sw, w, hBits), newAxisFilter(sh, h, vBitsFor(sh, h))

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

// vBitsFor returns the precision of the vertical weights: the packed 8-bit
// weights while each tap still gets a usable share of 256, 14-bit weights
// (and a slower pass) for extreme reductions.
func vBitsFor(src, dst int) int {
	if src < wideShrink*dst {
		return vBits
	}
	return hBits
}

func resizeRows(dst, src *image.RGBA, hf, vf *axisFilter, y0, y1 int) {
	sw := src.Rect.Dx()
	mid := make([]uint64, sw)
	row := func(r int) []uint8 { return src.Pix[r*src.Stride : r*src.Stride+4*sw] }
	wide := vBitsFor(src.Rect.Dy(), dst.Rect.Dy()) != vBits
	var acc []uint64
	if wide {
		acc = make([]uint64, 2*sw)
	}
	for y := y0; y < y1; y++ {
		r, ws := vf.start[y], vf.weights[y]
		switch {
		case wide:
			verticalWide(mid, acc, src, r, ws)
		case len(ws) == 1:
			vertical1(mid, row(r))
		case len(ws) == 2:
			vertical2(mid, row(r), row(r+1), ws)
		case len(ws) == 3:
			vertical3(mid, row(r), row(r+1), row(r+2), ws)
		default:
			verticalN(mid, src, r, ws)
		}
		horizontal(dst.Pix[y*dst.Stride:y*dst.Stride+4*dst.Rect.Dx()], mid, hf)
	}
}

// spread moves the bytes of an RGBA pixel into four 16-bit lanes.
func spread(u uint32) uint64 {
	t := uint64(u)
	t = (t | t<<16) & 0x0000FFFF0000FFFF
	return (t | t<<8) & 0x00FF00FF00FF00FF
}

func vertical1(mid []uint64, s0 []uint8) {
	s0 = s0[:4*len(mid)]
	for i := range mid {
		mid[i] = spread(binary.LittleEndian.Uint32(s0[4*i:])) << vBits
	}
}

func vertical2(mid []uint64, s0, s1 []uint8, ws []int32) {
	s0, s1 = s0[:4*len(mid)], s1[:4*len(mid)]
	w0, w1 := uint64(ws[0]), uint64(ws[1])
	for i := range mid {
		mid[i] = w0*spread(binary.LittleEndian.Uint32(s0[4*i:])) +
			w1*spread(binary.LittleEndian.Uint32(s1[4*i:]))
	}
}

func vertical3(mid []uint64, s0, s1, s2 []uint8, ws []int32) {
	s0, s1, s2 = s0[:4*len(mid)], s1[:4*len(mid)], s2[:4*len(mid)]
	w0, w1, w2 := uint64(ws[0]), uint64(ws[1]), uint64(ws[2])
	for i := range mid {
		mid[i] = w0*spread(binary.LittleEndian.Uint32(s0[4*i:])) +
			w1*spread(binary.LittleEndian.Uint32(s1[4*i:])) +
			w2*spread(binary.LittleEndian.Uint32(s2[4*i:]))
	}
}

func verticalN(mid []uint64, src *image.RGBA, r int, ws []int32) {
	clear(mid)
	for k, w := range ws {
		s := src.Pix[(r+k)*src.Stride:][:4*len(mid)]
		for i := range mid {
			mid[i] += uint64(w) * spread(binary.LittleEndian.Uint32(s[4*i:]))
		}
	}
}

// verticalWide averages many rows with hBits-bit weights in two 32-bit lanes
// per channel pair (at most 255·2^14 each) and rounds the result back to the
// 16-bit lanes horizontal expects.
func verticalWide(mid, acc []uint64, src *image.RGBA, r int, ws []int32) {
	clear(acc)
	rbAcc, gaAcc := acc[:len(mid)], acc[len(mid):2*len(mid)]
	for k, w := range ws {
		s := src.Pix[(r+k)*src.Stride:][:4*len(mid)]
		for i := range mid {
			p := spread(binary.LittleEndian.Uint32(s[4*i:]))
			rbAcc[i] += uint64(w) * (p & lanes2)
			gaAcc[i] += uint64(w) * (p >> 16 & lanes2)
		}
	}
	const shift = hBits - vBits
	const round = 1<<(shift-1) | 1<<(shift-1+32)
	for i := range mid {
		mid[i] = (rbAcc[i]+round)>>shift&lanes2 | ((gaAcc[i]+round)>>shift&lanes2)<<16
	}
}

// horizontal is specialised by tap count because this per-pixel loop is the
// other half of the cost; fixed-size slices let the compiler drop bounds
// checks.
func horizontal(d []uint8, mid []uint64, hf *axisFilter) {
	const round = 1<<(hShift-1) | 1<<(hShift-1+32)
	d = d[:4*len(hf.weights)]
	for x, ws := range hf.weights {
		i := hf.start[x]
		var rb, ga uint64 = round, round
		switch len(ws) {
		case 1:
			p := mid[i]
			rb += (p & lanes2) << hBits
			ga += (p >> 16 & lanes2) << hBits
		case 2:
			p := mid[i : i+2 : i+2]
			w0, w1 := uint64(ws[0]), uint64(ws[1])
			rb += w0*(p[0]&lanes2) + w1*(p[1]&lanes2)
			ga += w0*(p[0]>>16&lanes2) + w1*(p[1]>>16&lanes2)
		case 3:
			p := mid[i : i+3 : i+3]
			w0, w1, w2 := uint64(ws[0]), uint64(ws[1]), uint64(ws[2])
			rb += w0*(p[0]&lanes2) + w1*(p[1]&lanes2) + w2*(p[2]&lanes2)
			ga += w0*(p[0]>>16&lanes2) + w1*(p[1]>>16&lanes2) + w2*(p[2]>>16&lanes2)
		default:
			p := mid[i : i+len(ws)]
			for k, w := range ws {
				rb += uint64(w) * (p[k] & lanes2)
				ga += uint64(w) * (p[k] >> 16 & lanes2)
			}
		}
		// Each 32-bit lane holds value<<hShift below bit 30.
		px := uint32(rb>>hShift)&0xFF | uint32(ga>>hShift)&0xFF<<8 |
			uint32(rb>>(hShift+32))&0xFF<<16 | uint32(ga>>(hShift+32))&0xFF<<24
		binary.LittleEndian.PutUint32(d[4*x:], px)
	}
}
