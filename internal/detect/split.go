package detect

import (
	"image"
	"math"

	"github.com/datalid/datalid/internal/imgproc"
)

// Printed lines set close together (inkjet coders print two or three lines a dot apart) touch
// in the probability map, and their component's one rectangle holds them all: the recogniser
// reads one line of it, or neither. A bridge between two lines is thinner than the lines, so
// eroding the component parts it while each line stays whole; every pixel of the component
// then goes back to the part it is connected to nearest, and each part gets its own box.
const (
	// maxSplitErosion is the largest erosion radius tried, in map pixels: a wider bridge is
	// a line in its own right (or one thick line), not two lines touching.
	maxSplitErosion = 3
	// minLineSpan is the least share of the component's long side each part must run along
	// for the parts to count as stacked lines: characters of a curved line part into short
	// pieces, lines of a block each run most of its length.
	minLineSpan = 0.5
	// minSplitSide is the least short side, in map pixels, of a component worth trying: a
	// thinner one cannot hold two lines.
	minSplitSide = 6
)

// splitLines returns the point sets of the lines a component holds when it holds two or more
// touching lines, else nil. hull is the component's convex hull and r its rectangle.
func splitLines(mask []bool, w, h int, hull []imgproc.Point, r imgproc.RotatedRect) [][]imgproc.Point {
	if r.ShortSide() < minSplitSide || len(hull) == 0 {
		return nil
	}
	box := hullBounds(hull).Intersect(image.Rect(0, 0, w, h))
	comp := component(mask, w, box, hull[0])
	if comp == nil {
		return nil
	}
	bw, bh := box.Dx(), box.Dy()
	// The long side's direction: parts are measured along it.
	ang := r.Angle
	if r.H > r.W {
		ang += math.Pi / 2
	}
	ux, uy := math.Cos(ang), math.Sin(ang)
	long := max(r.W, r.H)
	for rad := 1; rad <= maxSplitErosion; rad++ {
		core := erode(comp, bw, bh, rad)
		labels, n := label(core, bw, bh)
		if n < 2 {
			if n == 0 {
				return nil
			}
			continue
		}
		var lines []int32
		for l := int32(1); l <= int32(n); l++ {
			if span(labels, bw, l, ux, uy) >= minLineSpan*long {
				lines = append(lines, l)
			}
		}
		if len(lines) < 2 {
			continue
		}
		return grow(comp, labels, lines, bw, bh, box.Min)
	}
	return nil
}

func hullBounds(hull []imgproc.Point) image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range hull {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	return image.Rect(int(x0), int(y0), int(x1)+1, int(y1)+1)
}

// component is the 8-connected component of mask holding seed, as a mask over box (which
// must contain the whole component).
func component(mask []bool, w int, box image.Rectangle, seed imgproc.Point) []bool {
	bw, bh := box.Dx(), box.Dy()
	sx, sy := int(seed.X)-box.Min.X, int(seed.Y)-box.Min.Y
	if sx < 0 || sy < 0 || sx >= bw || sy >= bh {
		return nil
	}
	in := make([]bool, bw*bh)
	for y := range bh {
		copy(in[y*bw:(y+1)*bw], mask[(y+box.Min.Y)*w+box.Min.X:])
	}
	if !in[sy*bw+sx] {
		return nil
	}
	out := make([]bool, bw*bh)
	out[sy*bw+sx] = true
	stack := []int{sy*bw + sx}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		around(k, bw, bh, func(n int) {
			if in[n] && !out[n] {
				out[n] = true
				stack = append(stack, n)
			}
		})
	}
	return out
}

// around calls f with each of pixel k's 8 neighbours inside a w×h grid.
func around(k, w, h int, f func(int)) {
	x, y := k%w, k/w
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			nx, ny := x+dx, y+dy
			if (dx != 0 || dy != 0) && nx >= 0 && ny >= 0 && nx < w && ny < h {
				f(ny*w + nx)
			}
		}
	}
}

// erode keeps the pixels of m whose (2r+1)² square lies wholly in m: a pass along the rows,
// then one along the columns.
func erode(m []bool, w, h, r int) []bool {
	return erodePass(erodePass(m, w, h, r, 1, w), h, w, r, w, 1)
}

// erodePass keeps the pixels whose 2r+1 neighbours along one axis all lie in m: count lines
// of n pixels, step apart along a line and next apart from one line to the next.
func erodePass(m []bool, n, count, r, step, next int) []bool {
	out := make([]bool, len(m))
	for l := range count {
		for i := r; i < n-r; i++ {
			ok := true
			for k := i - r; k <= i+r && ok; k++ {
				ok = m[l*next+k*step]
			}
			out[l*next+i*step] = ok
		}
	}
	return out
}

// label numbers the 8-connected components of m from 1; 0 is background.
func label(m []bool, w, h int) ([]int32, int) {
	out := make([]int32, len(m))
	n := int32(0)
	var stack []int
	for i, on := range m {
		if !on || out[i] != 0 {
			continue
		}
		n++
		out[i] = n
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			around(k, w, h, func(j int) {
				if m[j] && out[j] == 0 {
					out[j] = n
					stack = append(stack, j)
				}
			})
		}
	}
	return out, int(n)
}

// span is how far the pixels labelled l reach along the direction (ux, uy).
func span(labels []int32, w int, l int32, ux, uy float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, v := range labels {
		if v == l {
			p := float64(i%w)*ux + float64(i/w)*uy
			lo, hi = min(lo, p), max(hi, p)
		}
	}
	return hi - lo
}

// grow gives every pixel of comp to the line part it is connected to by the shortest path
// (a breadth-first search from all parts at once) and returns each part's pixels in map
// coordinates. Pixels of the small parts that are no line go to the nearest line.
func grow(comp []bool, labels []int32, lines []int32, w, h int, off image.Point) [][]imgproc.Point {
	owner := make([]int32, len(comp))
	var queue []int
	for k, l := range lines {
		for i, v := range labels {
			if v == l {
				owner[i] = int32(k + 1)
				queue = append(queue, i)
			}
		}
	}
	for q := 0; q < len(queue); q++ {
		i := queue[q]
		around(i, w, h, func(j int) {
			if comp[j] && owner[j] == 0 {
				owner[j] = owner[i]
				queue = append(queue, j)
			}
		})
	}
	parts := make([][]imgproc.Point, len(lines))
	for i, o := range owner {
		if o > 0 {
			parts[o-1] = append(parts[o-1], imgproc.Point{X: float64(i%w + off.X), Y: float64(i/w + off.Y)})
		}
	}
	return parts
}

// componentMean is the mean probability over the pixels of the component with the given hull:
// the score over the text's own outline, as PaddleOCR's "slow" mode takes it over the contour.
// Its convex hull would take in the background inside a bend.
func componentMean(prob []float32, mask []bool, w, h int, hull []imgproc.Point) float64 {
	box := hullBounds(hull).Intersect(image.Rect(0, 0, w, h))
	comp := component(mask, w, box, hull[0])
	var sum float64
	n := 0
	for i, on := range comp {
		if on {
			sum += float64(prob[(i/box.Dx()+box.Min.Y)*w+i%box.Dx()+box.Min.X])
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// pixelMean is the mean probability over the given map pixels.
func pixelMean(prob []float32, w int, pts []imgproc.Point) float64 {
	if len(pts) == 0 {
		return 0
	}
	var sum float64
	for _, p := range pts {
		sum += float64(prob[int(p.Y)*w+int(p.X)])
	}
	return sum / float64(len(pts))
}
