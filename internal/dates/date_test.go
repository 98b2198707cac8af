package dates

import (
	"errors"
	"testing"
	"time"
)

func TestDaysUntil(t *testing.T) {
	today := Date{2026, time.March, 1}
	cases := []struct {
		d    Date
		want int
	}{
		{Date{2026, time.March, 1}, 0}, // expires today: not expired
		{Date{2026, time.March, 2}, 1},
		{Date{2026, time.February, 28}, -1},
		{Date{2027, time.March, 1}, 365},
		{Date{2024, time.February, 29}, -731},
		{Date{2000, time.January, 1}, -9556},
	}
	for _, c := range cases {
		if got := c.d.DaysUntil(today); got != c.want {
			t.Errorf("%s.DaysUntil(%s) = %d, want %d", c.d, today, got, c.want)
		}
	}
	// Agrees with time arithmetic in UTC, where days are exactly 24 h.
	for _, d := range []Date{{2001, 1, 31}, {2099, 12, 31}, {2024, 2, 29}, {1970, 1, 1}} {
		want := int(d.Time().Sub(today.Time()) / (24 * time.Hour))
		if got := d.DaysUntil(today); got != want {
			t.Errorf("%s: %d, want %d", d, got, want)
		}
	}
}

func TestTodayUsesLocation(t *testing.T) {
	// 01:30 in São Paulo is still the previous day in UTC-3... and the next day's in UTC.
	sp := time.FixedZone("BRT", -3*3600)
	now := time.Date(2026, time.March, 1, 23, 30, 0, 0, sp)
	if got := Today(now); got != (Date{2026, time.March, 1}) {
		t.Errorf("Today = %s", got)
	}
	if got := Today(now.UTC()); got != (Date{2026, time.March, 2}) {
		t.Errorf("Today(UTC) = %s", got)
	}
	// A product expiring today is not expired at the last minute of the day.
	if d := (Date{2026, time.March, 1}).DaysUntil(Today(now)); d != 0 {
		t.Errorf("DaysUntil = %d", d)
	}
}

func TestParseISO(t *testing.T) {
	d, err := ParseISO("2024-02-29")
	if err != nil || d != (Date{2024, time.February, 29}) || d.String() != "2024-02-29" {
		t.Fatalf("got %v, %v", d, err)
	}
	if got := d.Time(); !got.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v", got)
	}
	for _, bad := range []string{"", "2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024-01-01T00:00", "2024/01/01", "abcd-ef-gh"} {
		if _, err := ParseISO(bad); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseISO(%q) err = %v, want ErrBadDate", bad, err)
		}
	}
}

func TestParseLabel(t *testing.T) {
	d, p, err := ParseLabel("2024-02")
	if err != nil || d != (Date{2024, time.February, 29}) || p != PrecisionMonth {
		t.Errorf("month label: %v %v %v", d, p, err)
	}
	d, p, err = ParseLabel("2021-11-26")
	if err != nil || d != (Date{2021, time.November, 26}) || p != PrecisionDay {
		t.Errorf("day label: %v %v %v", d, p, err)
	}
	if _, _, err := ParseLabel("2021-13"); err == nil {
		t.Error("want error for month 13")
	}
}
