package report

import (
	"github.com/datalid/datalid/internal/dates"
	"github.com/datalid/datalid/internal/pipeline"
)

// Class names and ids of detections. Datalid's detector found one class, the date region
// (exp_date, id 0), and its front end shows the first detection's crop as the date; our
// detector finds every text line, so regions on a line where a date was read are labelled
// exp_date and listed first, and every other region follows as text (id 1).
const (
	ClassDate   = "exp_date"
	ClassDateID = 0
	ClassText   = "text"
	ClassTextID = 1
)

// Order is the order in which a response lists res.Regions (detections, ocr_results and crops
// share it): regions on date lines first, the line of the chosen (or withheld) date leading
// and the other date lines in reading order, then every other region as the pipeline listed
// it. dated[i] reports whether order[i] is on a date line. A line whose only dates are
// manufacture dates is not a date region: Datalid's class was the expiry date.
func Order(res *pipeline.Result) (order []int, dated []bool) {
	n := len(res.Regions)
	order, dated = make([]int, 0, n), make([]bool, 0, n)
	taken := make([]bool, n)
	addLine := func(li int) {
		if li < 0 || li >= len(res.Lines) {
			return
		}
		for _, i := range res.Lines[li].Regions {
			if i >= 0 && i < n && !taken[i] {
				taken[i] = true
				order, dated = append(order, i), append(dated, true)
			}
		}
	}
	if top := res.Dates.Top(); top != nil && top.Kind != dates.KindManufacture {
		addLine(top.Line)
	}
	for _, c := range res.Dates.Candidates {
		if c.Kind != dates.KindManufacture {
			addLine(c.Line)
		}
	}
	for i := range n {
		if !taken[i] {
			order, dated = append(order, i), append(dated, false)
		}
	}
	return order, dated
}
