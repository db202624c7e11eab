package playbook

import (
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Hours are a team's business hours.
type Hours struct {
	days       [7]bool
	start, end int // minutes after midnight
}

func newHours(b *care.BusinessHours) *Hours {
	if b == nil {
		return nil
	}
	h := &Hours{start: minutes(b.Start), end: minutes(b.End)}
	for _, d := range b.Days {
		if wd, ok := care.Weekday(d); ok {
			h.days[wd] = true
		}
	}
	return h
}

func minutes(hhmm string) int {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0
	}
	return t.Hour()*60 + t.Minute()
}

// next is t if it falls within business hours in loc, else the next
// opening time. With no business hours every time is fine.
func (h *Hours) next(t time.Time, loc *time.Location) time.Time {
	if h == nil || h.start >= h.end {
		return t
	}
	local := t.In(loc)
	for i := 0; i < 8; i++ {
		y, m, d := local.Year(), local.Month(), local.Day()+i
		if !h.days[time.Date(y, m, d, 12, 0, 0, 0, loc).Weekday()] {
			continue
		}
		// Built from wall-clock fields so that DST changes keep 09:00 at 09:00.
		open := time.Date(y, m, d, h.start/60, h.start%60, 0, 0, loc)
		closing := time.Date(y, m, d, h.end/60, h.end%60, 0, 0, loc)
		switch {
		case i == 0 && !local.Before(open) && local.Before(closing):
			return t
		case open.After(local):
			return open
		}
	}
	return t // no business day at all: keep the time
}
