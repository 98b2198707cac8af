package pipeline

import (
	"math"
	"slices"
	"sort"

	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/imgproc"
)

// Packaging often pre-prints its labels in a column ("Lote:", "Fab:", "Val:") and a coder
// stamps the values beside them later, wherever the pack sat under it: the two columns keep
// their order but not their alignment. A value half a line off its label is no piece of the
// label's row (chainRows), and joins the row above or below, or none. labelledRows pairs such
// columns by order instead.

// maxLabelPitch is how far apart, in text heights, the labels of one column stand at most.
const maxLabelPitch = 3.0

// columnSlack is how much, in text heights, the shifts between each label and its value may
// differ: a column stamped askew shifts all its values alike.
const columnSlack = 0.5

// columnSkew is how far, in degrees, the text of a column's labels and values may run from
// its first label's.
const columnSkew = 20

// labelledRows chains the regions idx into rows as chainRows does (no gap limit), except
// that a column of labels (labelColumns) whose values stand in a column beside it, one each,
// reads each label with its value (pairColumn).
func labelledRows(rs []Region, g []geom, idx []int) [][]int {
	stacks := labelColumns(rs, g, idx)
	if len(stacks) == 0 {
		return chainRows(g, idx, printedLines)
	}
	inStack := map[int]bool{}
	for _, s := range stacks {
		for _, i := range s {
			inStack[i] = true
		}
	}
	rows := chainRows(g, slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return inStack[i] }), printedLines)
	used := make([]bool, len(rows))
	var paired [][]int
	taken := map[int]bool{}
	for _, s := range stacks {
		for k, ri := range pairColumn(g, s, rows, used) {
			used[ri] = true
			paired = append(paired, append([]int{s[k]}, rows[ri]...))
			for _, i := range paired[len(paired)-1] {
				taken[i] = true
			}
		}
	}
	if len(paired) == 0 {
		return chainRows(g, idx, printedLines)
	}
	out := chainRows(g, slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return taken[i] }), printedLines)
	out = append(out, paired...)
	sortRows(g, out, mainWay(g, idx, quarterAxis(mainQuarter(g, idx))))
	return out
}

// labelColumns returns the columns of labels among the regions idx, each top to bottom: two
// or more regions that read as a label alone (dates.IsLabel), their text running the same
// way, one below the other (overlapping along their text) at most maxLabelPitch text heights
// apart.
func labelColumns(rs []Region, g []geom, idx []int) [][]int {
	var labels []int
	for _, i := range idx {
		if dates.IsLabel(rs[i].Text.Text) {
			labels = append(labels, i)
		}
	}
	if len(labels) < 2 {
		return nil
	}
	n := g[labels[0]].n
	sort.SliceStable(labels, func(a, b int) bool { return dot(g[labels[a]].c, n) < dot(g[labels[b]].c, n) })
	var stacks [][]int
	for _, i := range labels {
		joined := false
		for k, s := range stacks {
			if stacked(g[s[len(s)-1]], g[i]) {
				stacks[k] = append(s, i)
				joined = true
				break
			}
		}
		if !joined {
			stacks = append(stacks, []int{i})
		}
	}
	return slices.DeleteFunc(stacks, func(s []int) bool { return len(s) < 2 })
}

// stacked reports whether label b stands next below label a in a column: text running the
// same way, the two spans along it overlapping, and b past a's line by half a text height to
// maxLabelPitch heights.
func stacked(a, b geom) bool {
	if !near(a.u, b.u, columnSkew) {
		return false
	}
	d := imgproc.Point{X: b.c.X - a.c.X, Y: b.c.Y - a.c.Y}
	across, along := dot(d, a.n), dot(d, a.u)
	mh := (a.h + b.h) / 2
	return across > mh/2 && across <= maxLabelPitch*mh && math.Abs(along) < (a.w+b.w)/2
}

// columnWay is the way the text of the labels s and of the rows beside them runs (see
// meanWay): a label of three or four letters is boxed within a few degrees of its line, and
// over the width of a table a few degrees shift a value by a whole line.
func columnWay(g []geom, s []int, rows [][]int) imgproc.Point {
	u, _ := meanWay(g, append(slices.Clone(s), slices.Concat(rows...)...), g[s[0]].u, columnSkew)
	return u
}

// pairColumn returns, for the column of labels s (top to bottom), the rows (indices into
// rows, none of them used) holding their values in order, or nil. The values are the rows
// that start past the column's right edge within a line's pitch of its first and last label,
// as many as there are labels, each shifted from its label across the text by the same
// amount (within columnSlack) of less than the pitch.
func pairColumn(g []geom, s []int, rows [][]int, used []bool) []int {
	u := columnWay(g, s, rows)
	n := imgproc.Point{X: -u.Y, Y: u.X}
	var h, right float64
	for _, i := range s {
		h += g[i].h / float64(len(s))
		right = max(right, dot(g[i].c, u)+g[i].w/2)
	}
	first, last := dot(g[s[0]].c, n), dot(g[s[len(s)-1]].c, n)
	pitch := (last - first) / float64(len(s)-1)
	var vs []int
	for ri, row := range rows {
		f := g[row[0]]
		across := dot(f.c, n)
		if used[ri] || !near(f.u, u, columnSkew) || dot(f.c, u)-f.w/2 < right-h/2 ||
			across <= first-pitch || across >= last+pitch {
			continue
		}
		vs = append(vs, ri)
	}
	if len(vs) != len(s) {
		return nil
	}
	sort.SliceStable(vs, func(a, b int) bool { return dot(g[rows[vs[a]][0]].c, n) < dot(g[rows[vs[b]][0]].c, n) })
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, ri := range vs {
		d := dot(g[rows[ri][0]].c, n) - dot(g[s[k]].c, n)
		lo, hi = min(lo, d), max(hi, d)
	}
	if hi-lo > columnSlack*h || max(-lo, hi) >= pitch {
		return nil
	}
	return vs
}
