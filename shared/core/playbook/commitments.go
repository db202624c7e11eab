package playbook

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Keep commitments: a due date set on the ticket (Zendesk task due date,
// Freshdesk due by) is a promise to the customer.
//
// The agent is reminded a while before it; a public reply or a solve
// before it keeps it (praise); reaching it without either misses it
// (coaching). Moving the due date makes a new promise.

func (p Playbook) commitment(t care.Ticket) bool {
	return p.CommitmentsOn && !t.DueAt.IsZero() && t.DueAt.After(t.DueSetAt) && open(t)
}

func dueAnchor(t care.Ticket) string { return "due@" + t.DueAt.UTC().Format(time.RFC3339Nano) }

func (p Playbook) commitmentTasks(t care.Ticket) []care.Task {
	if !p.commitment(t) || !t.CommitmentKeptAt.IsZero() {
		return nil
	}
	tasks := []care.Task{care.NewTask(t.Ref, care.CommitmentCheck, dueAnchor(t), t.DueAt)}
	if remind := t.DueAt.Add(-p.RemindBefore); remind.After(t.DueSetAt) {
		tasks = append(tasks, care.NewTask(t.Ref, care.CommitmentReminder, dueAnchor(t), remind))
	}
	return tasks
}

func (p Playbook) checkCommitment(task care.Task, t care.Ticket) Verdict {
	switch {
	case !p.commitment(t) || task.Anchor != dueAnchor(t) || !t.CommitmentKeptAt.IsZero():
		return Verdict{Reason: "commitment kept, moved or gone"}
	case task.Kind == care.CommitmentCheck:
		return Verdict{Reason: "commitment missed"}
	case t.AssigneeID == "":
		return Verdict{Reason: "commitment due but nobody is assigned"}
	default:
		return Verdict{Notice: CommitmentReminder, Reason: "commitment due soon"}
	}
}

func (p Playbook) commitmentMoments(t care.Ticket, now time.Time) []care.Moment {
	if !p.commitment(t) {
		return nil
	}
	local := t.DueAt.In(p.Location).Format("Mon 2 Jan 15:04")
	switch {
	case !t.CommitmentKeptAt.IsZero():
		m := care.NewMoment(t.Ref, care.Commitment, care.Praise, dueAnchor(t))
		m.AgentID, m.At = t.AssigneeID, t.CommitmentKeptAt
		m.What = fmt.Sprintf("Kept the promise to %s: due %s, done %s early.", customer(t), local, human(t.DueAt.Sub(t.CommitmentKeptAt)))
		return []care.Moment{m}
	case !now.Before(t.DueAt):
		m := care.NewMoment(t.Ref, care.Commitment, care.Coaching, dueAnchor(t))
		m.AgentID, m.At = t.AssigneeID, t.DueAt
		m.What = fmt.Sprintf("Missed the date promised to %s (%s).", customer(t), local)
		return []care.Moment{m}
	}
	return nil
}
