package dates

// Some keywords say less than they seem to. Once every date of a block is read, the kind a
// keyword gave a date is read again against the others: a product is made once, and its
// validity is printed after its manufacture date.

// unmarkLateLots reads as unmarked each whole date (day, month and year) that only a lot
// keyword marked as manufacture and that falls after a date a manufacture keyword marks: a
// product is made once, so the later date is no manufacture date but its validity, whose
// letter was misread as the lot's or lost ("FAB 25/09/2023" above "L25/09/2025"). A month
// and year after a lot letter may be the lot code itself ("L 12/22").
func unmarkLateLots(cs []Candidate, meta []found) {
	var made []Date
	for i, c := range cs {
		if c.Kind == KindManufacture && !meta[i].lot {
			made = append(made, c.Date)
		}
	}
	for i := range cs {
		c := &cs[i]
		if c.Kind != KindManufacture || !meta[i].lot || c.Precision != PrecisionDay {
			continue
		}
		for _, d := range made {
			if d.Before(c.Date) {
				c.Kind = KindUnknown
				c.Reason = joinReason(c.Reason, "after the manufacture date: no lot's")
				break
			}
		}
	}
}

// eForF reads as manufacture each date marked expiry only by a letter OCR also gives for
// the manufacture F (likeF), when a date no keyword marks, as strong (within pairSlack), is
// later: "F 08/2023 V 06/2025" read "E 08/2023" and "06/2025", its V lost. A validity date
// is printed after the manufacture date, and an E marking a validity would leave the later
// date nothing to be. Beside a date as it reads, an earlier unmarked one or none, E stays
// the validity ("M 12 2023 E 05 2025").
func eForF(cs []Candidate, meta []found) {
	for i := range cs {
		c := &cs[i]
		if c.Kind != KindExpiry || !meta[i].likeF {
			continue
		}
		for j, o := range cs {
			if o.Kind == KindUnknown && o.Date.After(c.Date) && meta[j].strength >= meta[i].strength-pairSlack {
				c.Kind = KindManufacture
				c.Reason = joinReason(c.Reason, "an unmarked later date: the E is an F")
				break
			}
		}
	}
}
