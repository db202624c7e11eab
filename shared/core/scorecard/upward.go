package scorecard

import (
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/playbook"
)

// UpwardMonth is one month of a manager's upward feedback as a dashboard
// may show it: the answers and their average from the team's threshold,
// else only that it is withheld. Words are never on a dashboard.
type UpwardMonth struct {
	Month    string // "2006-01"
	Withheld bool   // fewer answers than the threshold: no figures
	Answered int
	Average  float64
}

// UpwardRow is one manager's last months, oldest first.
type UpwardRow struct {
	Manager, Name string
	Months        []UpwardMonth
}

// Upward are the rows a manager's dashboard shows: their own, when they
// are asked about, and those of the managers who report to them (none of
// their peers'), each over the playbook.UpwardTrendMonths months up to
// the last round whose results had gone out by the period's end (or
// now). ShowFrom is the threshold; nil rows when the team does not ask.
func Upward(in Input) (rows []UpwardRow, showFrom int) {
	u := playbook.UpwardOf(in.Team)
	if !u.On {
		return nil, u.ShowFrom
	}
	end := in.To
	if !in.Now.IsZero() && in.Now.Before(end) {
		end = in.Now
	}
	month := u.LastShown(end.Add(-time.Nanosecond))
	viewer := strings.ToLower(in.Manager)
	var managers []string
	if playbook.AskedAbout(in.Team, viewer) {
		managers = append(managers, viewer)
	}
	for _, m := range playbook.Reports(in.Team, viewer) {
		managers = append(managers, strings.ToLower(m.Email))
	}
	for _, m := range managers {
		row := UpwardRow{Manager: m, Name: nameOf(in.Team, m)}
		for _, r := range u.Trend(m, month, in.Upward) {
			um := UpwardMonth{Month: r.Month, Withheld: !r.Shown}
			if r.Shown {
				um.Answered, um.Average = r.Answered, r.Average
			}
			row.Months = append(row.Months, um)
		}
		rows = append(rows, row)
	}
	return rows, u.ShowFrom
}
