package playbook_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/playbook"
)

var (
	ref = care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}
	t0  = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
)

func customer(id string, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.CustomerMessage, At: at,
		Snapshot: care.Snapshot{AssigneeID: "1001", Status: care.StatusOpen}}
}

func agent(id string, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.AgentReply, At: at}
}

func note(id string, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.InternalNote, At: at}
}

func status(id string, s care.Status, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.StatusChanged, Status: s, At: at}
}

func TestRespondWindow(t *testing.T) {
	p := playbook.Default()
	tests := []struct {
		name     string
		timeline []care.Interaction
		wantDue  time.Time // zero: no task
		anchor   string
	}{
		{"a customer message opens a 24 hour window", []care.Interaction{customer("c1", t0)}, t0.Add(24 * time.Hour), "c1"},
		{"a second unanswered message keeps the first window", []care.Interaction{customer("c1", t0), customer("c2", t0.Add(time.Hour))}, t0.Add(24 * time.Hour), "c1"},
		{"a public agent reply closes the window", []care.Interaction{customer("c1", t0), agent("a1", t0.Add(time.Hour))}, time.Time{}, ""},
		{"an internal note does not close the window", []care.Interaction{customer("c1", t0), note("n1", t0.Add(time.Hour))}, t0.Add(24 * time.Hour), "c1"},
		{"a message after the reply opens a new window", []care.Interaction{customer("c1", t0), agent("a1", t0.Add(time.Hour)), customer("c2", t0.Add(2*time.Hour))}, t0.Add(26 * time.Hour), "c2"},
		{"solving the ticket closes the window", []care.Interaction{customer("c1", t0), status("s1", care.StatusSolved, t0.Add(time.Hour))}, time.Time{}, ""},
		{"a reply delivered before the message it answers still closes the window", []care.Interaction{agent("a1", t0.Add(time.Hour)), customer("c1", t0)}, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Desired(care.Fold(ref, tt.timeline))
			if tt.wantDue.IsZero() {
				if len(got) != 0 {
					t.Fatalf("got tasks %+v, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d tasks, want 1", len(got))
			}
			if !got[0].DueAt.Equal(tt.wantDue) || got[0].Anchor != tt.anchor || got[0].Kind != care.RespondCheck {
				t.Errorf("got task due %s anchored on %q (%s), want due %s anchored on %q", got[0].DueAt, got[0].Anchor, got[0].Kind, tt.wantDue, tt.anchor)
			}
		})
	}
}

func TestRespondCheck(t *testing.T) {
	p := playbook.Default()
	waiting := care.Fold(ref, []care.Interaction{customer("c1", t0)})
	task := p.Desired(waiting)[0]
	answered := care.Fold(ref, []care.Interaction{customer("c1", t0), agent("a1", t0.Add(time.Hour))})
	unassigned := waiting
	unassigned.AssigneeID = ""
	tests := []struct {
		name   string
		ticket care.Ticket
		now    time.Time
		remind bool
	}{
		{"a customer still waiting when the window closes gets the agent reminded", waiting, t0.Add(24 * time.Hour), true},
		{"a customer answered in time means no reminder", answered, t0.Add(24 * time.Hour), false},
		{"a task fired well before its time does nothing", waiting, t0.Add(23 * time.Hour), false},
		{"a late firing still reminds", waiting, t0.Add(30 * time.Hour), true},
		{"an unassigned ticket has nobody to remind", unassigned, t0.Add(24 * time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := p.Check(task, tt.ticket, tt.now)
			if v.Remind != tt.remind {
				t.Errorf("Remind = %v (%s), want %v", v.Remind, v.Reason, tt.remind)
			}
			if v.Reason == "" {
				t.Error("verdict has no reason")
			}
		})
	}
}

func TestReconcile(t *testing.T) {
	a := care.NewTask(ref, care.RespondCheck, "c1", t0)
	b := care.NewTask(ref, care.RespondCheck, "c2", t0)
	done, cancelled := a, a
	done.Status, cancelled.Status = care.TaskDone, care.TaskCancelled
	tests := []struct {
		name                  string
		existing, desired     []care.Task
		wantSched, wantCancel []string
	}{
		{"a new desired task is scheduled", nil, []care.Task{a}, []string{a.ID}, nil},
		{"a pending desired task is scheduled again, idempotently", []care.Task{a}, []care.Task{a}, []string{a.ID}, nil},
		{"a task that already fired is not scheduled again", []care.Task{done}, []care.Task{a}, nil, nil},
		{"a cancelled task that is desired again is scheduled again", []care.Task{cancelled}, []care.Task{a}, []string{a.ID}, nil},
		{"a pending task no longer desired is cancelled", []care.Task{a}, []care.Task{b}, []string{b.ID}, []string{a.ID}},
		{"a finished task no longer desired is left alone", []care.Task{done}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := playbook.Reconcile(tt.existing, tt.desired)
			if got := ids(plan.Schedule); !slices.Equal(got, tt.wantSched) {
				t.Errorf("schedule = %v, want %v", got, tt.wantSched)
			}
			if got := ids(plan.Cancel); !slices.Equal(got, tt.wantCancel) {
				t.Errorf("cancel = %v, want %v", got, tt.wantCancel)
			}
		})
	}
}

func ids(ts []care.Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}
