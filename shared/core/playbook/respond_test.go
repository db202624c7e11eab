package playbook_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
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
			got := kinds(p.Desired(care.Fold(ref, tt.timeline)), care.RespondCheck, care.RespondWarning)
			if tt.wantDue.IsZero() {
				if len(got) != 0 {
					t.Fatalf("got tasks %+v, want none", got)
				}
				return
			}
			if len(got) != 2 {
				t.Fatalf("got %d tasks, want a warning and a check", len(got))
			}
			check, warn := got[0], got[1]
			if !check.DueAt.Equal(tt.wantDue) || check.Anchor != tt.anchor || check.Kind != care.RespondCheck {
				t.Errorf("got check due %s anchored on %q (%s), want due %s anchored on %q", check.DueAt, check.Anchor, check.Kind, tt.wantDue, tt.anchor)
			}
			if wantWarn := tt.wantDue.Add(-24 * time.Hour).Add(24 * time.Hour * 8 / 10); warn.Kind != care.RespondWarning || !warn.DueAt.Equal(wantWarn) {
				t.Errorf("got warning %s due %s, want %s at 80%% of the window", warn.Kind, warn.DueAt, wantWarn)
			}
		})
	}
}

func TestRespondCheck(t *testing.T) {
	p := playbook.Default()
	waiting := care.Fold(ref, []care.Interaction{customer("c1", t0)})
	tasks := p.Desired(waiting)
	check, warn := tasks[0], tasks[1]
	answered := care.Fold(ref, []care.Interaction{customer("c1", t0), agent("a1", t0.Add(time.Hour))})
	unassigned := waiting
	unassigned.AssigneeID = ""
	tests := []struct {
		name   string
		task   care.Task
		ticket care.Ticket
		now    time.Time
		notice playbook.Notice
	}{
		{"a customer still waiting when the window closes gets the agent reminded", check, waiting, t0.Add(24 * time.Hour), playbook.RespondReminder},
		{"a customer answered in time means no reminder", check, answered, t0.Add(24 * time.Hour), playbook.NoNotice},
		{"a task fired well before its time does nothing", check, waiting, t0.Add(23 * time.Hour), playbook.NoNotice},
		{"a late firing still reminds", check, waiting, t0.Add(30 * time.Hour), playbook.RespondReminder},
		{"an unassigned ticket has nobody to remind", check, unassigned, t0.Add(24 * time.Hour), playbook.NoNotice},
		{"at 80% of the window the agent is warned", warn, waiting, t0.Add(19*time.Hour + 12*time.Minute), playbook.RespondWarning},
		{"an answered customer means no warning", warn, answered, t0.Add(20 * time.Hour), playbook.NoNotice},
		{"a warning that fires after the window closed stays silent", warn, waiting, t0.Add(25 * time.Hour), playbook.NoNotice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := p.Check(tt.task, tt.ticket, tt.now)
			if v.Notice != tt.notice {
				t.Errorf("Notice = %q (%s), want %q", v.Notice, v.Reason, tt.notice)
			}
			if v.Reason == "" {
				t.Error("verdict has no reason")
			}
		})
	}
}

func TestRespondMoments(t *testing.T) {
	p := playbook.Default()
	tests := []struct {
		name     string
		timeline []care.Interaction
		now      time.Time
		want     []string // kind: what
	}{
		{"an answer within the hour is praised",
			[]care.Interaction{customer("c1", t0), agent("a1", t0.Add(25*time.Minute))}, t0.Add(time.Hour),
			[]string{"praise: Answered the customer within 25 minutes."}},
		{"an answer after a few hours is neither praised nor coached",
			[]care.Interaction{customer("c1", t0), agent("a1", t0.Add(5*time.Hour))}, t0.Add(6 * time.Hour), nil},
		{"a customer still waiting when the window closes is a coaching moment",
			[]care.Interaction{customer("c1", t0)}, t0.Add(24 * time.Hour),
			[]string{"coaching: The customer has waited more than 24 hours for an answer."}},
		{"a customer still waiting inside the window is no moment yet",
			[]care.Interaction{customer("c1", t0)}, t0.Add(23 * time.Hour), nil},
		{"a late answer is a coaching moment",
			[]care.Interaction{customer("c1", t0), agent("a1", t0.Add(31*time.Hour))}, t0.Add(32 * time.Hour),
			[]string{"coaching: The customer waited 31 hours for an answer; the team promises 24 hours."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range p.Moments(care.Fold(ref, tt.timeline), tt.now) {
				got = append(got, string(m.Kind)+": "+m.What)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("moments = %q, want %q", got, tt.want)
			}
		})
	}
	// The coaching moment of a customer who is still waiting has the same id
	// as the one the late answer gives, so it is stored once.
	waiting := p.Moments(care.Fold(ref, []care.Interaction{customer("c1", t0)}), t0.Add(25*time.Hour))
	late := p.Moments(care.Fold(ref, []care.Interaction{customer("c1", t0), agent("a1", t0.Add(31*time.Hour))}), t0.Add(32*time.Hour))
	if waiting[0].ID != late[0].ID {
		t.Errorf("ids differ: %s vs %s", waiting[0].ID, late[0].ID)
	}
}

func TestReconcile(t *testing.T) {
	a := care.NewTask(ref, care.RespondCheck, "c1", t0)
	b := care.NewTask(ref, care.RespondCheck, "c2", t0)
	done, cancelled, later := a, a, a
	done.Status, cancelled.Status = care.TaskDone, care.TaskCancelled
	later.DueAt = a.DueAt.Add(time.Hour)
	tests := []struct {
		name                  string
		existing, desired     []care.Task
		wantSched, wantCancel []string
	}{
		{"a new desired task is scheduled", nil, []care.Task{a}, []string{a.ID}, nil},
		{"a desired task already pending for the same time costs nothing", []care.Task{a}, []care.Task{a}, nil, nil},
		{"a desired task pending for another time is scheduled again", []care.Task{a}, []care.Task{later}, []string{a.ID}, nil},
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

// kinds keeps the tasks of the given kinds.
func kinds(tasks []care.Task, ks ...care.TaskKind) []care.Task {
	var out []care.Task
	for _, t := range tasks {
		if slices.Contains(ks, t.Kind) {
			out = append(out, t)
		}
	}
	return out
}
