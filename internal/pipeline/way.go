package pipeline

import (
	"math"
	"sort"

	"github.com/datalid/datalid/internal/imgproc"
)

// mainWay is the way most of the text of regions idx runs: its quarter's axis a, turned to the
// mean direction of the long regions near it when they agree within maxWaySpread. Rows that
// start far apart along a slanted line (a label column, then a value column) are then ordered
// by where they lie across the print, not across the image. Print on a bent surface runs many
// ways at once, and no one of them orders its rows better than the axis.
func mainWay(g []geom, idx []int, a imgproc.Point) imgproc.Point {
	var long []int
	for _, i := range idx {
		if g[i].w >= minSlantAspect*g[i].h {
			long = append(long, i)
		}
	}
	if w, spread := meanWay(g, long, a, mainWayReach); spread <= maxWaySpread {
		return w
	}
	return a
}

// maxWaySpread is how far, in degrees (a length-weighted standard deviation), the long
// regions' directions may spread around their mean for it to be the photo's way: a flat pack
// photographed askew turns all its lines alike.
const maxWaySpread = 3.0

// meanWay is the direction of the regions idx whose text runs within reach degrees of ref,
// each weighed by its length (a short box shows its line's slant least), and how far their
// directions spread around it (a length-weighted standard deviation, in degrees); ref and an
// infinite spread when none does.
func meanWay(g []geom, idx []int, ref imgproc.Point, reach float64) (imgproc.Point, float64) {
	var sum imgproc.Point
	var weight float64
	for _, i := range idx {
		if near(g[i].u, ref, reach) {
			sum.X += g[i].w * g[i].u.X
			sum.Y += g[i].w * g[i].u.Y
			weight += g[i].w
		}
	}
	l := math.Hypot(sum.X, sum.Y)
	if l == 0 {
		return ref, math.Inf(1)
	}
	w := imgproc.Point{X: sum.X / l, Y: sum.Y / l}
	var sq float64
	for _, i := range idx {
		if near(g[i].u, ref, reach) {
			d := math.Atan2(g[i].u.X*w.Y-g[i].u.Y*w.X, dot(g[i].u, w)) * 180 / math.Pi
			sq += g[i].w * d * d
		}
	}
	return w, math.Sqrt(sq / weight)
}

// mainQuarter is the quarter (see quarter) most of the text of regions idx runs towards,
// weighed by length.
func mainQuarter(g []geom, idx []int) int {
	var length [4]float64
	for _, i := range idx {
		length[quarter(g[i].u)] += g[i].w
	}
	most := 0
	for k := range length {
		if length[k] > length[most] {
			most = k
		}
	}
	return most
}

// sortRows orders rows across axis a, the way most of their text runs, by their first regions.
func sortRows(g []geom, rows [][]int, a imgproc.Point) {
	n := imgproc.Point{X: -a.Y, Y: a.X}
	sort.SliceStable(rows, func(x, y int) bool { return dot(g[rows[x][0]].c, n) < dot(g[rows[y][0]].c, n) })
}
