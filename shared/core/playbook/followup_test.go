package playbook_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestFollowUpTasks(t *testing.T) {
	london := care.Team{ID: "support", TimeZone: "Europe/London",
		BusinessHours: &care.BusinessHours{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Start: "09:00", End: "17:30"}}
	// Solved on Monday 30 Nov at 20:00 London; seven days later is a Monday evening.
	solvedAt := time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)
	base := []care.Interaction{customer("c1", solvedAt.Add(-time.Hour)), agent("a1", solvedAt.Add(-30*time.Minute))}
	tests := []struct {
		name      string
		team      care.Team
		timeline  []care.Interaction
		wantDue   time.Time // zero: no follow-up tasks
		wantCheck time.Time
	}{
		{"solving schedules a follow-up seven days later", care.Team{},
			append(slices.Clone(base), solve("s1", solvedAt)), solvedAt.Add(7 * 24 * time.Hour), solvedAt.Add(9 * 24 * time.Hour)},
		{"a follow-up that would fall after hours moves to the next opening", london,
			append(slices.Clone(base), solve("s1", solvedAt)), time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)},
		{"reopening cancels the follow-up", care.Team{},
			append(slices.Clone(base), solve("s1", solvedAt), reopen("r1", solvedAt.Add(24*time.Hour))), time.Time{}, time.Time{}},
		{"the followed-up tag means it is done", care.Team{},
			append(slices.Clone(base), solve("s1", solvedAt), tagged("t1", solvedAt.Add(3*24*time.Hour), "followed-up")), time.Time{}, time.Time{}},
		{"a follow-up: note means it is done", care.Team{},
			append(slices.Clone(base), solve("s1", solvedAt), noteSaying("n1", "follow-up: all fine", solvedAt.Add(7*24*time.Hour))), time.Time{}, time.Time{}},
		{"a team can switch follow-ups off", care.Team{FollowUp: care.FollowUpSettings{Off: true}},
			append(slices.Clone(base), solve("s1", solvedAt)), time.Time{}, time.Time{}},
		{"solving again after a reopen schedules a new follow-up", care.Team{},
			append(slices.Clone(base), solve("s1", solvedAt), reopen("r1", solvedAt.Add(time.Hour)), solve("s2", solvedAt.Add(2*time.Hour))),
			solvedAt.Add(7*24*time.Hour + 2*time.Hour), solvedAt.Add(9*24*time.Hour + 2*time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kinds(playbook.ForTeam(tt.team).Desired(care.Fold(ref, tt.timeline)), care.FollowUp, care.FollowUpCheck)
			if tt.wantDue.IsZero() {
				if len(got) != 0 {
					t.Fatalf("got %+v, want no follow-up", got)
				}
				return
			}
			if len(got) != 2 || !got[0].DueAt.Equal(tt.wantDue) || !got[1].DueAt.Equal(tt.wantCheck) {
				t.Fatalf("got %+v, want reminder at %s and check at %s", got, tt.wantDue, tt.wantCheck)
			}
		})
	}
}

func TestFollowUpChecksAndMoments(t *testing.T) {
	p := playbook.Default()
	solvedAt := t0.Add(2 * time.Hour)
	solved := care.Fold(ref, []care.Interaction{customer("c1", t0), agent("a1", t0.Add(time.Hour)), solve("s1", solvedAt)})
	tasks := kinds(p.Desired(solved), care.FollowUp, care.FollowUpCheck)
	reminder, check := tasks[0], tasks[1]
	done := care.Fold(ref, []care.Interaction{customer("c1", t0), agent("a1", t0.Add(time.Hour)), solve("s1", solvedAt), tagged("t1", solvedAt.Add(7*24*time.Hour), "followed-up")})

	if v := p.Check(reminder, solved, reminder.DueAt); v.Notice != playbook.FollowUpReminder {
		t.Errorf("due follow-up: %+v, want a reminder", v)
	}
	if v := p.Check(reminder, done, reminder.DueAt); v.Notice != playbook.NoNotice {
		t.Errorf("done follow-up: %+v, want no reminder", v)
	}
	if v := p.Check(check, solved, check.DueAt); v.Notice != playbook.NoNotice {
		t.Errorf("check: %+v, want no email (the moment says it)", v)
	}
	tests := []struct {
		name   string
		ticket care.Ticket
		now    time.Time
		want   []string
	}{
		{"a follow-up done is praised", done, solvedAt.Add(8 * 24 * time.Hour),
			[]string{"follow_up/praise 1001: Followed up with the customer 7 days after solving the ticket (the followed-up tag)."}},
		{"a follow-up missed after the grace period is a coaching moment", solved, check.DueAt,
			[]string{"follow_up/coaching 1001: No follow-up with the customer within 9 days of solving the ticket."}},
		{"a follow-up not yet missed is no moment", solved, check.DueAt.Add(-time.Minute), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := momentsOf(p.Moments(tt.ticket, tt.now))
			got = slices.DeleteFunc(got, func(s string) bool { return !slices.Contains([]string{"follow_up"}, s[:9]) })
			if !slices.Equal(got, tt.want) {
				t.Errorf("moments = %q, want %q", got, tt.want)
			}
		})
	}
}
