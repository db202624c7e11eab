package playbook_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestCommitments(t *testing.T) {
	p := playbook.Default()
	dueAt := t0.Add(48 * time.Hour)
	promised := []care.Interaction{customer("c1", t0), agent("a1", t0.Add(time.Hour)), due("d1", dueAt, t0.Add(time.Hour))}
	open := care.Fold(ref, promised)
	tasks := kinds(p.Desired(open), care.CommitmentCheck, care.CommitmentReminder)
	if len(tasks) != 2 || !tasks[0].DueAt.Equal(dueAt) || !tasks[1].DueAt.Equal(dueAt.Add(-2*time.Hour)) {
		t.Fatalf("tasks = %+v, want a reminder 2h before the due date and a check at it", tasks)
	}
	check, reminder := tasks[0], tasks[1]
	kept := care.Fold(ref, append(slices.Clone(promised), agent("a2", dueAt.Add(-3*time.Hour))))
	moved := care.Fold(ref, append(slices.Clone(promised), due("d2", dueAt.Add(24*time.Hour), t0.Add(2*time.Hour))))

	tests := []struct {
		name   string
		task   care.Task
		ticket care.Ticket
		notice playbook.Notice
	}{
		{"an open promise gets a reminder before it is due", reminder, open, playbook.CommitmentReminder},
		{"a kept promise gets no reminder", reminder, kept, playbook.NoNotice},
		{"a moved due date makes the old reminder moot", reminder, moved, playbook.NoNotice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := p.Check(tt.task, tt.ticket, tt.task.DueAt); v.Notice != tt.notice {
				t.Errorf("notice %q (%s), want %q", v.Notice, v.Reason, tt.notice)
			}
		})
	}
	if got := kinds(p.Desired(kept), care.CommitmentCheck, care.CommitmentReminder); len(got) != 0 {
		t.Errorf("a kept promise still has tasks %+v", got)
	}
	if m := commitmentMoments(p, kept, dueAt); len(m) != 1 || !strings.HasPrefix(m[0], "commitment/praise 1001: Kept the promise") {
		t.Errorf("kept: %q, want praise", m)
	}
	if m := commitmentMoments(p, open, check.DueAt); len(m) != 1 || !strings.HasPrefix(m[0], "commitment/coaching 1001: Missed the date promised") {
		t.Errorf("missed: %q, want coaching", m)
	}
	if m := commitmentMoments(p, open, check.DueAt.Add(-time.Minute)); len(m) != 0 {
		t.Errorf("not yet due: %q, want none", m)
	}
}

func commitmentMoments(p playbook.Playbook, t care.Ticket, now time.Time) []string {
	return slices.DeleteFunc(momentsOf(p.Moments(t, now)), func(s string) bool { return !strings.HasPrefix(s, "commitment/") })
}
