package bench

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The charts are written by hand as SVG: a few rectangles, lines and labels need no plotting
// library, and SVG opens in any browser and diffs as text.

// WriteCharts writes latency.svg (a latency histogram per configuration) and, when more than
// one value was swept, throughput-vs-concurrency.svg and throughput-vs-batch.svg into dir.
// It returns the files written.
func WriteCharts(dir string, rep Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	write := func(name string, draw func(io.Writer)) error {
		var sb strings.Builder
		draw(&sb)
		p := filepath.Join(dir, name)
		files = append(files, p)
		return os.WriteFile(p, []byte(sb.String()), 0o644)
	}
	if err := write("latency.svg", func(w io.Writer) { Histograms(w, rep.Results, 30) }); err != nil {
		return files, err
	}
	conc := func(r Result) int { return r.Concurrency }
	batch := func(r Result) int { return r.BatchSize }
	if distinct(rep.Results, conc) > 1 {
		err := write("throughput-vs-concurrency.svg", func(w io.Writer) {
			LineChart(w, "Throughput vs concurrency", "concurrent callers", rep.Results, conc,
				func(r Result) string { return fmt.Sprintf("threads=%d batch=%d", r.Threads, r.BatchSize) })
		})
		if err != nil {
			return files, err
		}
	}
	if distinct(rep.Results, batch) > 1 {
		err := write("throughput-vs-batch.svg", func(w io.Writer) {
			LineChart(w, "Throughput vs batch size", "batch size", rep.Results, batch,
				func(r Result) string { return fmt.Sprintf("threads=%d conc=%d", r.Threads, r.Concurrency) })
		})
		if err != nil {
			return files, err
		}
	}
	return files, nil
}

func distinct(rs []Result, key func(Result) int) int {
	seen := map[int]bool{}
	for _, r := range rs {
		seen[key(r)] = true
	}
	return len(seen)
}

const (
	chartW      = 720
	panelH      = 150
	marginL     = 60
	marginR     = 20
	marginT     = 30
	marginB     = 40
	svgFont     = `font-family="sans-serif" font-size="11"`
	colourFill  = "#4682b4"
	colourLabel = "#333"
)

var palette = []string{"#4682b4", "#d2691e", "#2e8b57", "#8b008b", "#b8860b", "#dc143c", "#708090", "#000080"}

// Histograms draws one latency histogram per result, stacked, on a shared millisecond axis
// so configurations compare at a glance.
func Histograms(w io.Writer, rs []Result, bins int) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rs {
		for _, v := range r.LatenciesMS {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		hi = lo + 1
	}
	n := max(1, len(rs))
	h := marginT + n*panelH + marginB
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", chartW, h, chartW, h)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(w, `<text x="%d" y="18" %s font-size="14">Latency distribution (ms)</text>`+"\n", marginL, svgFont)
	plotW := float64(chartW - marginL - marginR)
	for i, r := range rs {
		counts := make([]int, bins)
		for _, v := range r.LatenciesMS {
			b := min(bins-1, int((v-lo)/(hi-lo)*float64(bins)))
			counts[b]++
		}
		top := max(1, slices.Max(counts))
		y0 := float64(marginT + (i+1)*panelH - 20) // baseline of this panel
		ph := float64(panelH - 40)
		bw := plotW / float64(bins)
		for b, c := range counts {
			bh := ph * float64(c) / float64(top)
			fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n",
				float64(marginL)+float64(b)*bw+0.5, y0-bh, bw-1, bh, palette[i%len(palette)])
		}
		fmt.Fprintf(w, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`+"\n", marginL, y0, chartW-marginR, y0, colourLabel)
		fmt.Fprintf(w, `<text x="%d" y="%.1f" %s fill="%s">%s — p50 %.0f, p95 %.0f, p99 %.0f ms, %d images (max %d per bin)</text>`+"\n",
			marginL, y0-ph-4, svgFont, colourLabel, escape(r.Label()), r.Latency.P50, r.Latency.P95, r.Latency.P99, r.Images, top)
		for _, q := range []float64{r.Latency.P50, r.Latency.P95} {
			x := float64(marginL) + (q-lo)/(hi-lo)*plotW
			fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-dasharray="3,2"/>`+"\n", x, y0-ph, x, y0)
		}
	}
	axisY := marginT + n*panelH - 20
	for k := 0; k <= 5; k++ {
		v := lo + (hi-lo)*float64(k)/5
		x := float64(marginL) + plotW*float64(k)/5
		fmt.Fprintf(w, `<text x="%.1f" y="%d" %s text-anchor="middle" fill="%s">%.0f</text>`+"\n", x, axisY+16, svgFont, colourLabel, v)
	}
	fmt.Fprintf(w, `<text x="%d" y="%d" %s text-anchor="middle" fill="%s">latency (ms); dashed: p50 and p95</text>`+"\n", chartW/2, axisY+32, svgFont, colourLabel)
	fmt.Fprintln(w, `</svg>`)
}

// LineChart draws throughput against x(r), one line per series(r).
func LineChart(w io.Writer, title, xLabel string, rs []Result, x func(Result) int, series func(Result) string) {
	const h = 360
	groups := map[string][]Result{}
	var names []string
	xs := map[int]bool{}
	top := 0.0
	for _, r := range rs {
		s := series(r)
		if _, ok := groups[s]; !ok {
			names = append(names, s)
		}
		groups[s] = append(groups[s], r)
		xs[x(r)] = true
		top = max(top, r.ThroughputIPS)
	}
	// x positions are evenly spaced by rank: swept values are usually powers of two.
	var xv []int
	for v := range xs {
		xv = append(xv, v)
	}
	slices.Sort(xv)
	plotW, plotH := float64(chartW-marginL-marginR-160), float64(h-marginT-marginB)
	px := func(v int) float64 {
		if len(xv) == 1 {
			return float64(marginL) + plotW/2
		}
		return float64(marginL) + plotW*float64(slices.Index(xv, v))/float64(len(xv)-1)
	}
	top = niceCeil(top)
	py := func(v float64) float64 { return float64(marginT) + plotH*(1-v/top) }

	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", chartW, h, chartW, h)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(w, `<text x="%d" y="18" %s font-size="14">%s</text>`+"\n", marginL, svgFont, escape(title))
	for k := 0; k <= 4; k++ {
		v := top * float64(k) / 4
		fmt.Fprintf(w, `<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", marginL, py(v), float64(marginL)+plotW, py(v))
		fmt.Fprintf(w, `<text x="%d" y="%.1f" %s text-anchor="end" fill="%s">%.1f</text>`+"\n", marginL-6, py(v)+4, svgFont, colourLabel, v)
	}
	for _, v := range xv {
		fmt.Fprintf(w, `<text x="%.1f" y="%d" %s text-anchor="middle" fill="%s">%d</text>`+"\n", px(v), h-marginB+16, svgFont, colourLabel, v)
	}
	fmt.Fprintf(w, `<text x="%.1f" y="%d" %s text-anchor="middle" fill="%s">%s</text>`+"\n", float64(marginL)+plotW/2, h-8, svgFont, colourLabel, escape(xLabel))
	fmt.Fprintf(w, `<text x="14" y="%.1f" %s transform="rotate(-90 14 %.1f)" text-anchor="middle" fill="%s">images/s</text>`+"\n", float64(marginT)+plotH/2, svgFont, float64(marginT)+plotH/2, colourLabel)
	for i, name := range names {
		g := groups[name]
		slices.SortFunc(g, func(a, b Result) int { return x(a) - x(b) })
		c := palette[i%len(palette)]
		var pts []string
		for _, r := range g {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(x(r)), py(r.ThroughputIPS)))
		}
		fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), c)
		for _, r := range g {
			fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %.2f img/s</title></circle>`+"\n",
				px(x(r)), py(r.ThroughputIPS), c, escape(r.Label()), r.ThroughputIPS)
		}
		ly := marginT + 14*i
		fmt.Fprintf(w, `<rect x="%.1f" y="%d" width="10" height="10" fill="%s"/>`+"\n", float64(marginL)+plotW+16, ly, c)
		fmt.Fprintf(w, `<text x="%.1f" y="%d" %s fill="%s">%s</text>`+"\n", float64(marginL)+plotW+30, ly+9, svgFont, colourLabel, escape(name))
	}
	fmt.Fprintln(w, `</svg>`)
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, for axis tops.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
