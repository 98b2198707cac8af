package pipeline

import (
	"math"
	"sort"
	"strings"
)

// GroupLines joins regions whose vertical extents overlap by at least half the smaller height
// into lines, left to right, so a date split across boxes ("30 04" | "27") is parsed whole.
// Regions with no text or below minConf are left out.
func GroupLines(rs []Region, minConf float64) []Line {
	type span struct{ top, bot float64 }
	ext := func(i int) span {
		_, y0, _, y1 := rs[i].Quad.Bounds()
		return span{y0, y1}
	}
	var lines []Line
	var spans []span
	for i, r := range rs {
		if r.Text.Text == "" || r.Text.Confidence < minConf {
			continue
		}
		s := ext(i)
		placed := false
		for li := range lines {
			ls := spans[li]
			ov := math.Min(ls.bot, s.bot) - math.Max(ls.top, s.top)
			if ov >= 0.5*math.Min(ls.bot-ls.top, s.bot-s.top) {
				lines[li].Regions = append(lines[li].Regions, i)
				spans[li] = span{math.Min(ls.top, s.top), math.Max(ls.bot, s.bot)}
				placed = true
				break
			}
		}
		if !placed {
			lines = append(lines, Line{Regions: []int{i}})
			spans = append(spans, s)
		}
	}
	for li := range lines {
		idx := lines[li].Regions
		sort.SliceStable(idx, func(a, b int) bool { return rs[idx[a]].Quad[0].X < rs[idx[b]].Quad[0].X })
		parts := make([]string, len(idx))
		for k, i := range idx {
			parts[k] = rs[i].Text.Text
		}
		lines[li].Text = strings.Join(parts, " ")
	}
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return spans[order[a]].top < spans[order[b]].top })
	sorted := make([]Line, 0, len(lines))
	for _, i := range order {
		// A region read line by line (splitRead) holds several printed lines.
		for _, t := range strings.Split(lines[i].Text, "\n") {
			sorted = append(sorted, Line{Text: t, Regions: lines[i].Regions})
		}
	}
	return sorted
}
