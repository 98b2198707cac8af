package dates

// pairSlack is how much weaker a date's shape may be and still count as one half of a
// manufacture/expiry pair: 17.06.24 and 17/06/2026 pair up, a stray 05/26 next to
// 17/06/2026 does not.
const pairSlack = 0.12

// echoYears is the longest shelf life, in years, over which a validity repeating its
// manufacture date's day and month is taken as its pair (echoes): five for medicines and tins.
const echoYears = 5

// choose picks the expiry date among cs and says why. It never looks at today's date:
// "prefer future dates" makes the answer for a photo change with the calendar and hides
// expired products, which is exactly what a shopper needs to see.
//
// Order: a validity keyword tied to the date (the later of two such dates); then, for a
// manufacture/expiry pair, the unmarked date over the one marked manufacture, or the later
// of two dates; then format strength; then OCR-weighted confidence.
func choose(cs []Candidate, meta []found) (int, string) {
	switch len(cs) {
	case 0:
		return -1, ""
	case 1:
		return 0, "only date"
	}
	pool := make([]int, 0, len(cs))
	for i := range cs {
		if cs[i].Kind == KindExpiry && meta[i].assoc.explicit() {
			pool = append(pool, i)
		}
	}
	if len(pool) > 0 {
		// Two validity dates as strong as each other: one keyword is a stray letter read
		// before a manufacture date ("E 05/23" beside "V:05/25"), or the two bound a range.
		// Either way the validity ends at the later one.
		if best, ok := laterOf(cs, meta, pool); ok {
			return best, "later of two validity dates"
		}
		return strongest(cs, meta, pool), "validity keyword"
	}

	why := ""
	for i := range cs {
		if cs[i].Kind != KindManufacture {
			pool = append(pool, i)
		}
	}
	switch {
	case len(pool) == 0:
		for i := range cs {
			pool = append(pool, i)
		}
	case len(pool) < len(cs):
		why = "unmarked date beats manufacture date"
	}

	if best, ok := laterOf(cs, meta, pool); ok {
		return best, "later of manufacture/expiry pair"
	}
	if why == "" {
		why = "strongest format"
	}
	return strongest(cs, meta, pool), why
}

// laterOf picks the later date among the strongest of pool (within pairSlack), when they
// hold at least two dates.
func laterOf(cs []Candidate, meta []found, pool []int) (int, bool) {
	top := 0.0
	for _, i := range pool {
		top = max(top, meta[i].strength)
	}
	var pair []int
	for _, i := range pool {
		if meta[i].strength >= top-pairSlack {
			pair = append(pair, i)
		}
	}
	for _, i := range pool {
		if meta[i].strength < top-pairSlack && echoes(cs, pair, i) {
			pair = append(pair, i)
		}
	}
	if distinctDates(cs, pair) < 2 {
		return -1, false
	}
	best := pair[0]
	for _, i := range pair[1:] {
		if cs[best].Date.Before(cs[i].Date) ||
			(cs[i].Date == cs[best].Date && cs[i].Confidence > cs[best].Confidence) {
			best = i
		}
	}
	return best, true
}

// echoes reports whether candidate i repeats the day and month of a date in pair in a later
// year, within a shelf life. Products made on 17 June keep 17 June on their validity; a
// weaker reading (glued, "17.0626") that agrees with a strong one on both is no stray
// number, so it takes its place in the manufacture/expiry pair however weak its shape.
func echoes(cs []Candidate, pair []int, i int) bool {
	for _, j := range pair {
		if echo(cs[j], cs[i]) {
			return true
		}
	}
	return false
}

// echo reports whether b is dated on a's day and month, one to echoYears years later.
func echo(a, b Candidate) bool {
	return a.Precision == PrecisionDay && b.Precision == PrecisionDay &&
		a.Date.Day == b.Date.Day && a.Date.Month == b.Date.Month &&
		b.Date.Year > a.Date.Year && b.Date.Year-a.Date.Year <= echoYears
}

// strongest ranks by format strength, then confidence; ties go to the earlier candidate.
func strongest(cs []Candidate, meta []found, pool []int) int {
	best := pool[0]
	for _, i := range pool[1:] {
		switch {
		case meta[i].strength != meta[best].strength:
			if meta[i].strength > meta[best].strength {
				best = i
			}
		case cs[i].Confidence > cs[best].Confidence:
			best = i
		}
	}
	return best
}

func distinctDates(cs []Candidate, idx []int) int {
	n := 0
	for k, i := range idx {
		seen := false
		for _, j := range idx[:k] {
			if cs[j].Date == cs[i].Date {
				seen = true
				break
			}
		}
		if !seen {
			n++
		}
	}
	return n
}
