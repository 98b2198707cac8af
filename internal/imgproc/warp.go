package imgproc

import (
	"encoding/binary"
	"image"
	"math"
)

// WarpQuad returns the w×h image obtained by mapping the quadrilateral q of
// src onto the rectangle (0,0)–(w,h) with a perspective transform
// (q[0]→(0,0), q[1]→(w,0), q[2]→(w,h), q[3]→(0,h)), with bilinear sampling
// and a replicated border, like PaddleOCR's get_rotate_crop_image
// (cv2.warpPerspective with BORDER_REPLICATE). As in OpenCV, output pixel
// (x, y) samples the source at the image of the point (x, y), so an
// axis-aligned quad with integer corners yields an exact crop. A w or h ≤ 0
// gives an empty image, an empty src a black one.
func WarpQuad(src *image.RGBA, q Quad, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if w <= 0 || h <= 0 || sw <= 0 || sh <= 0 {
		return dst
	}
	m := squareToQuad(q)
	// Fold the output scaling into the homography: u = x/w, v = y/h.
	iw, ih := 1/float64(w), 1/float64(h)
	m[0], m[3], m[6] = m[0]*iw, m[3]*iw, m[6]*iw
	m[1], m[4], m[7] = m[1]*ih, m[4]*ih, m[7]*ih

	maxX, maxY := float64(sw-1), float64(sh-1)
	pix, stride := src.Pix, src.Stride
	for y := range h {
		fy := float64(y)
		nx, ny, dn := m[1]*fy+m[2], m[4]*fy+m[5], m[7]*fy+m[8]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x := range w {
			fx := float64(x)
			d := 1 / (m[6]*fx + dn)
			sx := (m[0]*fx + nx) * d
			sy := (m[3]*fx + ny) * d
			// Clamping the coordinate is exactly a replicated border for
			// bilinear sampling, and the negated test also catches NaN.
			if !(sx > 0) {
				sx = 0
			} else if sx > maxX {
				sx = maxX
			}
			if !(sy > 0) {
				sy = 0
			} else if sy > maxY {
				sy = maxY
			}
			x0, y0 := int(sx), int(sy)
			i := y0*stride + 4*x0
			dx, dy := 4, stride
			if x0 >= sw-1 {
				dx = 0
			}
			if y0 >= sh-1 {
				dy = 0
			}
			// 8-bit fractions (OpenCV uses 5); via int because a float to
			// uint64 conversion is a slow branchy sequence.
			wx := uint64(int((sx-float64(x0))*256 + 0.5))
			wy := uint64(int((sy-float64(y0))*256 + 0.5))
			px := lerp4(pix[i:i+4], pix[i+dx:i+dx+4], pix[i+dy:i+dy+4], pix[i+dy+dx:i+dy+dx+4], wx, wy)
			binary.LittleEndian.PutUint32(out[4*x:4*x+4], px)
		}
	}
	return dst
}

// lerp4 interpolates the four channels of the pixels p00, p01 (right),
// p10 (below) and p11 at once in the lanes of a uint64: along x in 16-bit
// lanes (at most 255·256), then along y in 32-bit lanes (at most 65280·256).
func lerp4(p00, p01, p10, p11 []uint8, fx, fy uint64) uint32 {
	le := binary.LittleEndian
	top := spread(le.Uint32(p00))*(256-fx) + spread(le.Uint32(p01))*fx
	bot := spread(le.Uint32(p10))*(256-fx) + spread(le.Uint32(p11))*fx
	const round = 1<<15 | 1<<47
	rb := (top&lanes2)*(256-fy) + (bot&lanes2)*fy + round
	ga := (top>>16&lanes2)*(256-fy) + (bot>>16&lanes2)*fy + round
	return uint32(rb>>16)&0xFF | uint32(ga>>16)&0xFF<<8 | uint32(rb>>48)&0xFF<<16 | uint32(ga>>48)&0xFF<<24
}

// lanes2 selects two 16-bit values 32 bits apart: applied to spread pixels it
// leaves R and B (or, shifted by 16, G and A) in 32-bit lanes.
const lanes2 = 0x0000FFFF0000FFFF

// spread moves the bytes of an RGBA pixel into four 16-bit lanes.
func spread(u uint32) uint64 {
	t := uint64(u)
	t = (t | t<<16) & 0x0000FFFF0000FFFF
	return (t | t<<8) & 0x00FF00FF00FF00FF
}

// squareToQuad returns the homography (row-major 3×3) mapping the unit square
// (0,0),(1,0),(1,1),(0,1) onto q[0..3] (Heckbert's closed form). A degenerate
// quad whose projective part cannot be solved falls back to the affine map
// through q[0], q[1], q[3] rather than producing infinities.
func squareToQuad(q Quad) [9]float64 {
	p0, p1, p2, p3 := q[0], q[1], q[2], q[3]
	sx := p0.X - p1.X + p2.X - p3.X
	sy := p0.Y - p1.Y + p2.Y - p3.Y
	dx1, dx2 := p1.X-p2.X, p3.X-p2.X
	dy1, dy2 := p1.Y-p2.Y, p3.Y-p2.Y
	det := dx1*dy2 - dx2*dy1
	var g, h float64
	if (sx != 0 || sy != 0) && math.Abs(det) > 1e-12 {
		g = (sx*dy2 - dx2*sy) / det
		h = (dx1*sy - sx*dy1) / det
	}
	return [9]float64{
		p1.X - p0.X + g*p1.X, p3.X - p0.X + h*p3.X, p0.X,
		p1.Y - p0.Y + g*p1.Y, p3.Y - p0.Y + h*p3.Y, p0.Y,
		g, h, 1,
	}
}
