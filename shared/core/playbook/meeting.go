package playbook

import (
	"strconv"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The weekly meeting brief (CRAFT's "analyze and connect"): before the
// team's weekly meeting, each manager gets what the team raised this week,
// the trends, the tickets worth discussing and the praise worth giving in
// front of the team; a reply "send" mails the agenda to the whole team.

// Defaults of the meeting option.
const (
	DefaultMeetingTime = "10:00"
	DefaultBriefBefore = 2 * time.Hour
	// MaxBriefPraise caps the praise moments a brief offers: a meeting
	// thanks a few people well rather than everyone in a list.
	MaxBriefPraise = 5
)

// Meeting is a team's meeting settings with defaults applied. The brief
// goes at a fixed time of the week on the team's wall clock: the meeting's
// day and time minus BriefBefore (Monday 09:00 minus 2d is Saturday
// 09:00), so that it is one weekly schedule in the team's zone and stays
// at the same local time across clock changes.
type Meeting struct {
	On          bool // the team meets weekly (a day is set) and has not turned briefs off
	Day         time.Weekday
	Time        string // hh:mm
	BriefBefore time.Duration
	Location    *time.Location
	// BriefDay and BriefTime are when the brief goes.
	BriefDay  time.Weekday
	BriefTime string
}

// MeetingOf applies the defaults to a team's meeting settings.
func MeetingOf(t care.Team) Meeting {
	m := Meeting{Time: t.Meeting.Time, BriefBefore: time.Duration(t.Meeting.BriefBefore), Location: ForTeam(t).Location}
	day, ok := care.Weekday(t.Meeting.Day)
	m.On, m.Day = ok && !t.Meeting.Off, day
	if m.Time == "" {
		m.Time = DefaultMeetingTime
	}
	if m.BriefBefore <= 0 {
		m.BriefBefore = DefaultBriefBefore
	}
	h, min := clock(m.Time)
	const week = 7 * 24 * 60
	at := ((int(m.Day)*24*60+h*60+min-int(m.BriefBefore/time.Minute))%week + week) % week
	m.BriefDay = time.Weekday(at / (24 * 60))
	m.BriefTime = hhmm(at%(24*60)/60, at%60)
	return m
}

func hhmm(h, m int) string {
	pad := func(n int) string {
		if n < 10 {
			return "0" + strconv.Itoa(n)
		}
		return strconv.Itoa(n)
	}
	return pad(h) + ":" + pad(m)
}

// NextRun is the first brief time strictly after `after`.
func (m Meeting) NextRun(after time.Time) time.Time {
	return nextWeekly(m.BriefDay, m.BriefTime, m.Location, after)
}

// Cron is the EventBridge Scheduler expression of the brief, to be read
// in the team's time zone.
func (m Meeting) Cron() string { return weeklyCron(m.BriefDay, m.BriefTime) }

// Next is the first meeting at or after t: the meeting a brief sent at t
// prepares.
func (m Meeting) Next(t time.Time) time.Time {
	return nextWeekly(m.Day, m.Time, m.Location, t.Add(-time.Nanosecond))
}
