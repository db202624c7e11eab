package digest

import (
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

// Upward is the digest's upward feedback: how the manager's team saw
// their support in the last round shown, and, for a manager's manager,
// the monthly trend of each manager who reports to them. Figures below
// the team's threshold are withheld; words never appear.
type Upward struct {
	ShowFrom int
	// Own is the manager's last round, nil when nobody is asked about them.
	Own     *playbook.UpwardRound
	Reports []UpwardReport
}

// UpwardReport is the trend of one manager who reports to the digest's.
type UpwardReport struct {
	Manager care.Member
	Trend   []playbook.UpwardRound
}

// UpwardOf is a manager's upward feedback at now, from the team's answers
// of the last playbook.UpwardTrendMonths months; nil when there is
// nothing to say (the team does not ask, or nobody is asked about the
// manager or about those who report to them).
func UpwardOf(team care.Team, manager string, answers []care.UpwardAnswer, now time.Time) *Upward {
	u := playbook.UpwardOf(team)
	if !u.On {
		return nil
	}
	month := u.LastShown(now)
	out := &Upward{ShowFrom: u.ShowFrom}
	if playbook.AskedAbout(team, manager) {
		r := u.Round(manager, month, answers)
		r.Words = nil // the results email shows them, the digest does not
		out.Own = &r
	}
	for _, m := range playbook.Reports(team, manager) {
		out.Reports = append(out.Reports, UpwardReport{Manager: m, Trend: u.Trend(strings.ToLower(m.Email), month, answers)})
	}
	if out.Own == nil && len(out.Reports) == 0 {
		return nil
	}
	return out
}

// Worth says whether the section alone makes a digest worth sending:
// someone answered, in the manager's last round or in a report's trend.
func (u *Upward) Worth() bool {
	if u == nil {
		return false
	}
	if u.Own != nil && u.Own.Answered > 0 {
		return true
	}
	for _, r := range u.Reports {
		if slices.ContainsFunc(r.Trend, func(m playbook.UpwardRound) bool { return m.Answered > 0 }) {
			return true
		}
	}
	return false
}
