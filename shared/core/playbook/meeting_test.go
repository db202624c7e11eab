package playbook_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestTheBriefGoesBeforeTheWeeklyMeetingOnTheTeamsWallClock(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	team := func(day, at string, before time.Duration) care.Team {
		return care.Team{TimeZone: "Europe/London", Meeting: care.MeetingSettings{Day: day, Time: at, BriefBefore: care.Duration(before)}}
	}
	for _, tt := range []struct {
		name        string
		team        care.Team
		cron        string
		after, want time.Time
	}{
		{"Tuesday's 10:00 meeting is briefed at 08:00 by default", team("tue", "", 0), "cron(0 8 ? * TUE *)",
			time.Date(2026, 12, 1, 7, 0, 0, 0, london), time.Date(2026, 12, 1, 8, 0, 0, 0, london)},
		{"at the brief time the next one is a week later", team("tue", "", 0), "cron(0 8 ? * TUE *)",
			time.Date(2026, 12, 1, 8, 0, 0, 0, london), time.Date(2026, 12, 8, 8, 0, 0, 0, london)},
		{"Monday 09:00 minus 2d wraps back to Saturday 09:00", team("mon", "09:00", 48*time.Hour), "cron(0 9 ? * SAT *)",
			time.Date(2026, 12, 1, 7, 0, 0, 0, london), time.Date(2026, 12, 5, 9, 0, 0, 0, london)},
		{"Sunday 00:10 minus 15m wraps back to Saturday 23:55", team("sunday", "00:10", 15*time.Minute), "cron(55 23 ? * SAT *)",
			time.Date(2026, 12, 1, 7, 0, 0, 0, london), time.Date(2026, 12, 5, 23, 55, 0, 0, london)},
		{"Saturday 01:00 minus 3d is Wednesday 01:00", team("sat", "01:00", 72*time.Hour), "cron(0 1 ? * WED *)",
			time.Date(2026, 12, 1, 7, 0, 0, 0, london), time.Date(2026, 12, 2, 1, 0, 0, 0, london)},
		{"across the clocks going back, 08:00 stays 08:00", team("mon", "", 0), "cron(0 8 ? * MON *)",
			time.Date(2026, 10, 20, 12, 0, 0, 0, london), time.Date(2026, 10, 26, 8, 0, 0, 0, london)},
		{"across the clocks going forward, 08:00 stays 08:00", team("mon", "", 0), "cron(0 8 ? * MON *)",
			time.Date(2026, 3, 24, 12, 0, 0, 0, london), time.Date(2026, 3, 30, 8, 0, 0, 0, london)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := playbook.MeetingOf(tt.team)
			if !m.On {
				t.Fatal("a team with a meeting day gets briefs")
			}
			if got := m.Cron(); got != tt.cron {
				t.Errorf("cron = %s, want %s", got, tt.cron)
			}
			if got := m.NextRun(tt.after); !got.Equal(tt.want) {
				t.Errorf("next run after %s = %s, want %s", tt.after, got, tt.want)
			}
		})
	}
}

func TestABriefPreparesTheNextMeeting(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	m := playbook.MeetingOf(care.Team{TimeZone: "Europe/London", Meeting: care.MeetingSettings{Day: "mon", Time: "09:00", BriefBefore: care.Duration(48 * time.Hour)}})
	brief := time.Date(2026, 12, 5, 9, 0, 0, 0, london)
	if got, want := m.Next(brief), time.Date(2026, 12, 7, 9, 0, 0, 0, london); !got.Equal(want) {
		t.Errorf("the Saturday brief prepares %s, want Monday's %s", got, want)
	}
	if got := m.Next(time.Date(2026, 12, 7, 9, 0, 0, 0, london)); !got.Equal(time.Date(2026, 12, 7, 9, 0, 0, 0, london)) {
		t.Errorf("at the meeting's time the meeting is that one, got %s", got)
	}
}

func TestATeamWithoutAMeetingDayGetsNoBrief(t *testing.T) {
	for name, team := range map[string]care.Team{
		"no meeting option": {},
		"a day, turned off": {Meeting: care.MeetingSettings{Day: "mon", Off: true}},
		"a time but no day": {Meeting: care.MeetingSettings{Time: "10:00"}},
	} {
		if playbook.MeetingOf(team).On {
			t.Errorf("%s: briefs are on", name)
		}
	}
}
