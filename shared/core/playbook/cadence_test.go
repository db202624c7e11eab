package playbook_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestTheDigestComesOnTheTeamsDayAndTime(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	p := playbook.ForTeam(care.Team{TimeZone: "Europe/London", Digest: care.DigestSettings{Day: "friday", Time: "16:30"}})
	tests := []struct {
		name        string
		after, want time.Time
	}{
		{"a Monday's next digest is that Friday", time.Date(2026, 11, 30, 9, 0, 0, 0, london), time.Date(2026, 12, 4, 16, 30, 0, 0, london)},
		{"on Friday before the time it is today", time.Date(2026, 12, 4, 16, 0, 0, 0, london), time.Date(2026, 12, 4, 16, 30, 0, 0, london)},
		{"exactly at the time it is next week", time.Date(2026, 12, 4, 16, 30, 0, 0, london), time.Date(2026, 12, 11, 16, 30, 0, 0, london)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.NextDigest(tt.after); !got.Equal(tt.want) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if got := p.DigestCron(); got != "cron(30 16 ? * FRI *)" {
		t.Errorf("cron = %s", got)
	}
	if got := playbook.Default().DigestCron(); got != "cron(0 8 ? * MON *)" {
		t.Errorf("default cron = %s", got)
	}
}
