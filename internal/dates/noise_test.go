package dates

import "testing"

// Two spaced month-year dates run together are two dates; a month-year inside a longer run of
// spaced groups is still part of a number.
var monthYearRunCases = []findCase{
	{in: "V 4 2027 09 2024", want: "2027-04", kind: KindExpiry},
	{in: "03 2025 03 2027", want: "2027-03"},
	{in: "11 2026 08 2024 55", want: ""},
	{in: "44 11 2026 08 2024", want: ""},
	{in: "12 2026 08", want: ""},
}

func TestMonthYearRunTogether(t *testing.T) { runFindCases(t, monthYearRunCases) }
