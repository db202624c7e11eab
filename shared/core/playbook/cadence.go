package playbook

import (
	"strconv"
	"time"
)

// Feedback cadence: every member hears from their manager at least every
// `feedback.cadence` (the digest names who is overdue), aiming at
// `feedback.praiseRatio` praise per coaching. The digest itself arrives on
// the team's `digest.day` at `digest.time` in its time zone.

// NextDigest is the first digest time strictly after `after`.
func (p Playbook) NextDigest(after time.Time) time.Time {
	return nextWeekly(p.DigestDay, p.DigestTime, p.Location, after)
}

// DigestCron is the EventBridge Scheduler expression of the digest, to be
// read in the team's time zone.
func (p Playbook) DigestCron() string { return weeklyCron(p.DigestDay, p.DigestTime) }

// nextWeekly is the first time strictly after `after` that falls on day at
// hh:mm (default 08:00) in loc.
func nextWeekly(day time.Weekday, hhmm string, loc *time.Location, after time.Time) time.Time {
	h, m := clock(hhmm)
	local := after.In(loc)
	for i := 0; i <= 7; i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, h, m, 0, 0, loc)
		if d.Weekday() == day && d.After(after) {
			return d
		}
	}
	return after.Add(7 * 24 * time.Hour) // unreachable: some day in 8 is that day
}

// weeklyCron is the Scheduler expression for day at hh:mm (default 08:00).
func weeklyCron(day time.Weekday, hhmm string) string {
	h, m := clock(hhmm)
	days := [...]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
	return "cron(" + strconv.Itoa(m) + " " + strconv.Itoa(h) + " ? * " + days[day] + " *)"
}

func clock(hhmm string) (h, m int) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 8, 0
	}
	return t.Hour(), t.Minute()
}
