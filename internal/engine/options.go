package engine

import (
	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/dates"
)

func datesOptions(c config.Config) dates.Options {
	return dates.Options{PreferMonthFirst: c.Dates.PreferMonthFirst}
}
