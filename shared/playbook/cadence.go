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
	h, m := 8, 0
	if t, err := time.Parse("15:04", p.DigestTime); err == nil {
		h, m = t.Hour(), t.Minute()
	}
	local := after.In(p.Location)
	for i := 0; i <= 7; i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, h, m, 0, 0, p.Location)
		if d.Weekday() == p.DigestDay && d.After(after) {
			return d
		}
	}
	return after.Add(7 * 24 * time.Hour) // unreachable: some day in 8 is the digest day
}

// DigestCron is the EventBridge Scheduler expression of the digest, to be
// read in the team's time zone.
func (p Playbook) DigestCron() string {
	h, m := 8, 0
	if t, err := time.Parse("15:04", p.DigestTime); err == nil {
		h, m = t.Hour(), t.Minute()
	}
	days := [...]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
	return "cron(" + strconv.Itoa(m) + " " + strconv.Itoa(h) + " ? * " + days[p.DigestDay] + " *)"
}
