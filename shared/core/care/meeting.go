package care

import (
	"time"
)

// MeetingSettings: the team's weekly meeting. Before it, each manager who
// gets a digest gets a brief: what the team raised this week, the trends,
// the tickets worth discussing and the praise worth giving in front of
// the team. A reply "send" mails the agenda to the whole team. No day
// means no weekly meeting, and so no brief.
type MeetingSettings struct {
	Off  bool   `json:"off,omitempty" yaml:"off,omitempty"`
	Day  string `json:"day,omitempty" yaml:"day,omitempty"`   // no default: no day, no brief
	Time string `json:"time,omitempty" yaml:"time,omitempty"` // default 10:00
	// BriefBefore is how long before the meeting the brief goes (default
	// 2h, from MinBriefBefore to MaxBriefBefore), counted on the team's
	// wall clock.
	BriefBefore Duration `json:"briefBefore,omitempty" yaml:"briefBefore,omitempty"`
}

// How long before the meeting a brief may go: long enough to read it,
// and within the week it is about.
const (
	MinBriefBefore = 15 * time.Minute
	MaxBriefBefore = 3 * 24 * time.Hour
)

// validateMeeting reports the meeting option's problems, each naming the
// field.
func (t Team) validateMeeting(bad func(field, format string, args ...any)) {
	m := t.Meeting
	if m.Day != "" {
		if _, ok := Weekday(m.Day); !ok {
			bad("meeting.day", "%q is not a day of the week", m.Day)
		}
	}
	if m.Time != "" && !validClock(m.Time) {
		bad("meeting.time", "%q is not a time like 10:00", m.Time)
	}
	if d := time.Duration(m.BriefBefore); d != 0 && (d < MinBriefBefore || d > MaxBriefBefore) {
		bad("meeting.briefBefore", "%s must be between 15m and 3d (the default is 2h)", d)
	}
	if m.Day == "" && (m.Time != "" || m.BriefBefore != 0) {
		bad("meeting.day", "is required with meeting.time or meeting.briefBefore: on which day does the team meet?")
	}
}
