package dates

import (
	"errors"
	"fmt"
	"time"
)

// Precision says how much of a date was printed.
type Precision string

// Kind says what a printed date means on the package.
type Kind string

const (
	// PrecisionDay: day, month and year were printed.
	PrecisionDay Precision = "day"
	// PrecisionMonth: only month and year were printed; the Date holds the month's last day,
	// because a product marked "05/2026" is good through the end of May.
	PrecisionMonth Precision = "month"

	KindExpiry      Kind = "expiry"
	KindManufacture Kind = "manufacture"
	KindUnknown     Kind = "unknown"
)

// The years a printed date may name. Two-digit years are read as 20yy; packaging in use
// today never carries a date before 2010, and OCR noise such as "5 09.05" (a clock time) or
// "03/04F" (a cut year) reads as 2005 or 2004, so a narrower window rejects it. The window
// is fixed, not relative to today; Options.Latest, a horizon years past today, narrows it.
const (
	minYear = 2010
	maxYear = 2059
)

// HorizonYears is how far past the day it is read a printed date may fall. Shelf lives run
// to a few years (five for medicines and tins), and a photo is read on the day it is taken
// or later; OCR noise in a two-digit year ("47" for "17", "38" for "30", a lot number's
// digits) names any year up to maxYear, decades out. Five years of shelf life and three of
// slack. See Horizon.
const HorizonYears = 8

// Horizon is the last day a date printed on a product read on day may fall on (Options.Latest).
// It moves with the calendar by design, a year a year: the fixed window alone would either
// reject real dates some day or keep admitting misreads decades out.
func Horizon(day Date) Date {
	y := day.Year + HorizonYears
	return Date{Year: y, Month: day.Month, Day: min(day.Day, daysIn(y, day.Month))}
}

// ErrBadDate is returned (wrapped) when a string does not hold a valid calendar date.
var ErrBadDate = errors.New("dates: not a valid date")

// Date is a civil date with no time zone: expiry dates are calendar days, and doing
// arithmetic on time.Time instants is what made Datalid call "expires today" expired.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date (any year from 1 to 9999).
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 12 &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// DaysUntil returns whole calendar days from today to d (0 when d is today, negative when past).
// Uses civil dates, not durations (fixes Datalid's floor bug: a product expiring today is NOT expired).
func (d Date) DaysUntil(today Date) int {
	return dayNumber(d) - dayNumber(today)
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return dayNumber(d) < dayNumber(e) }

// Today returns the civil date of now in now's location: "today" is the shopper's day,
// not UTC's.
func Today(now time.Time) Date {
	y, m, d := now.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseISO parses "YYYY-MM-DD".
func ParseISO(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q", ErrBadDate, s)
	}
	return Today(t), nil
}

// ParseLabel parses an expiry label as written in evaluation files: "YYYY-MM-DD" (day
// precision) or "YYYY-MM" (month precision, returned as the month's last day, the same
// convention Find uses).
func ParseLabel(s string) (Date, Precision, error) {
	if len(s) == len("2006-01") {
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return Date{}, "", fmt.Errorf("%w: %q", ErrBadDate, s)
		}
		return endOfMonth(t.Year(), t.Month()), PrecisionMonth, nil
	}
	d, err := ParseISO(s)
	return d, PrecisionDay, err
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func endOfMonth(y int, m time.Month) Date {
	return Date{Year: y, Month: m, Day: daysIn(y, m)}
}

// plausible reports whether y-m-d is a real date in the range printed on packaging.
func plausible(y, m, d int) bool {
	return y >= minYear && y <= maxYear && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, time.Month(m))
}

// dayNumber counts days since 1970-01-01 in the proleptic Gregorian calendar
// (Howard Hinnant's days_from_civil), so day differences never touch clocks or zones.
func dayNumber(d Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
