package playbook

import (
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Check back (CRAFT's "follow up"): some business days after a manager
// coached an agent, or answered a bad-rating alert with words for them,
// the manager is asked in one short email whether it worked, with open
// questions to ask the agent. They reply "done" (a note reaches the agent
// as a thank-you) or "later 2d".

// DefaultCheckBackAfter is how many business days after the coaching the
// manager is asked.
const DefaultCheckBackAfter = 3

// DefaultCheckBackTime is when check-backs go out, without business hours.
const DefaultCheckBackTime = "09:00"

// CheckBackQuestions are the open questions a check-back suggests asking
// the agent.
var CheckBackQuestions = []string{
	"Did it feel like our solution worked?",
	"What would you do differently next time?",
	"Any other thoughts?",
}

// ConcernQuestions are the open questions a check-back on a problem
// raised in a climate answer suggests.
var ConcernQuestions = []string{
	"Is it solved, or better than it was?",
	"Is anything still in the way?",
	"What would help most now?",
}

// CheckBack is a team's check-back settings with defaults applied.
type CheckBack struct {
	On       bool
	After    int    // business days
	Time     string // hh:mm in Location
	Days     [7]bool
	Location *time.Location
}

// CheckBackOf applies the defaults to a team's check-back settings:
// business days are the team's business hours' days, else Monday to
// Friday; the time is the start of business hours, else 09:00.
func CheckBackOf(t care.Team) CheckBack {
	c := CheckBack{On: !t.CheckBack.Off, After: int(t.CheckBack.After), Time: t.CheckBack.Time, Location: ForTeam(t).Location}
	if c.After <= 0 {
		c.After = DefaultCheckBackAfter
	}
	if b := t.BusinessHours; b != nil {
		for _, d := range b.Days {
			if wd, ok := care.Weekday(d); ok {
				c.Days[wd] = true
			}
		}
		if c.Time == "" {
			c.Time = b.Start
		}
	}
	if c.Days == [7]bool{} {
		for d := time.Monday; d <= time.Friday; d++ {
			c.Days[d] = true
		}
	}
	if c.Time == "" {
		c.Time = DefaultCheckBackTime
	}
	return c
}

// Due is when a check-back asked at `from` goes out: on the n-th business
// day after from's day (in the team's zone), at the check-back time. n < 1
// counts as the team's After.
func (c CheckBack) Due(from time.Time, n int) time.Time {
	if n < 1 {
		n = c.After
	}
	h, m := clock(c.Time)
	local := from.In(c.Location)
	for i := 1; i <= 7*(n+1); i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, h, m, 0, 0, c.Location)
		if c.Days[d.Weekday()] {
			if n--; n == 0 {
				return d
			}
		}
	}
	return from.Add(time.Duration(c.After) * 24 * time.Hour) // unreachable: Days has a day
}

// NextRun is the first business day at the check-back time strictly after
// `after`: when the due check-backs are sent.
func (c CheckBack) NextRun(after time.Time) time.Time {
	h, m := clock(c.Time)
	local := after.In(c.Location)
	for i := 0; i <= 7; i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, h, m, 0, 0, c.Location)
		if c.Days[d.Weekday()] && d.After(after) {
			return d
		}
	}
	return after.Add(24 * time.Hour) // unreachable: Days has a day
}

// Cron is the EventBridge Scheduler expression that sends due check-backs,
// to be read in the team's time zone: every business day at the time.
func (c CheckBack) Cron() string {
	h, m := clock(c.Time)
	names := [...]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
	var days []string
	for d, on := range c.Days {
		if on {
			days = append(days, names[d])
		}
	}
	return "cron(" + strconv.Itoa(m) + " " + strconv.Itoa(h) + " ? * " + strings.Join(days, ",") + " *)"
}
