package playbook_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestACheckBackComesBusinessDaysLaterInTheTeamsZone(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	weekdays := playbook.CheckBackOf(care.Team{TimeZone: "Europe/London"})
	sunToThu := playbook.CheckBackOf(care.Team{TimeZone: "Asia/Kolkata", CheckBack: care.CheckBackSettings{After: 2},
		BusinessHours: &care.BusinessHours{Days: []string{"sun", "mon", "tue", "wed", "thu"}, Start: "10:30", End: "18:00"}})
	tests := []struct {
		name      string
		c         playbook.CheckBack
		from      time.Time
		n         int
		want      time.Time
		wantAfter int
	}{
		{"Monday's coaching is checked back on Thursday at 09:00", weekdays, time.Date(2026, 11, 30, 14, 0, 0, 0, london), 0, time.Date(2026, 12, 3, 9, 0, 0, 0, london), 3},
		{"Thursday's skips the weekend: Tuesday", weekdays, time.Date(2026, 12, 3, 17, 0, 0, 0, london), 0, time.Date(2026, 12, 8, 9, 0, 0, 0, london), 3},
		{"Saturday's counts from Monday: Wednesday", weekdays, time.Date(2026, 12, 5, 11, 0, 0, 0, london), 0, time.Date(2026, 12, 9, 9, 0, 0, 0, london), 3},
		{"the day is the team's, not UTC's: 23:30 UTC Monday is Tuesday in Kolkata", sunToThu, time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), 0, time.Date(2026, 12, 3, 10, 30, 0, 0, kolkata), 2},
		{"the team's own business days: Wednesday's skips Friday and Saturday", sunToThu, time.Date(2026, 12, 2, 12, 0, 0, 0, kolkata), 0, time.Date(2026, 12, 6, 10, 30, 0, 0, kolkata), 2},
		{"later 1 from Friday is Monday", weekdays, time.Date(2026, 12, 4, 9, 5, 0, 0, london), 1, time.Date(2026, 12, 7, 9, 0, 0, 0, london), 3},
		{"across the clocks going back, 09:00 stays 09:00", weekdays, time.Date(2026, 10, 23, 12, 0, 0, 0, london), 1, time.Date(2026, 10, 26, 9, 0, 0, 0, london), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.c.After != tt.wantAfter {
				t.Errorf("after = %d, want %d", tt.c.After, tt.wantAfter)
			}
			if got := tt.c.Due(tt.from, tt.n); !got.Equal(tt.want) {
				t.Errorf("due %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckBacksGoOutEveryBusinessDayAtTheirTime(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	c := playbook.CheckBackOf(care.Team{TimeZone: "Europe/London", CheckBack: care.CheckBackSettings{Time: "08:45"}})
	for _, tt := range []struct {
		name        string
		after, want time.Time
	}{
		{"before the time it is today", time.Date(2026, 12, 1, 8, 0, 0, 0, london), time.Date(2026, 12, 1, 8, 45, 0, 0, london)},
		{"at the time it is tomorrow", time.Date(2026, 12, 1, 8, 45, 0, 0, london), time.Date(2026, 12, 2, 8, 45, 0, 0, london)},
		{"Friday evening's next is Monday", time.Date(2026, 12, 4, 18, 0, 0, 0, london), time.Date(2026, 12, 7, 8, 45, 0, 0, london)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NextRun(tt.after); !got.Equal(tt.want) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if got := c.Cron(); got != "cron(45 8 ? * MON,TUE,WED,THU,FRI *)" {
		t.Errorf("cron = %s", got)
	}
	if !c.On || playbook.CheckBackOf(care.Team{CheckBack: care.CheckBackSettings{Off: true}}).On {
		t.Error("check-backs are on unless the team turns them off")
	}
}
