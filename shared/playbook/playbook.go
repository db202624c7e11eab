// Package playbook holds the team's agreed behaviours as pure functions of
// (ticket state, task, now, settings). Each behaviour lives in its own file
// with its tests beside it. Nothing here stores, sends or schedules: callers
// get back what should be scheduled, cancelled or said, and do it.
package playbook

import (
	"time"

	"github.com/carecoach/carecoach/shared/care"
)

// Playbook is one team's settings for the behaviours.
type Playbook struct {
	// ResponseWindow is how long a customer may wait for a public answer.
	ResponseWindow time.Duration
}

// Default is the playbook the seeds recommend.
func Default() Playbook {
	return Playbook{ResponseWindow: 24 * time.Hour}
}

// ForTeam is the default playbook with a team's overrides.
func ForTeam(t care.Team) Playbook {
	p := Default()
	if t.ResponseWindow > 0 {
		p.ResponseWindow = time.Duration(t.ResponseWindow)
	}
	return p
}

// Desired lists the tasks that should be pending for a ticket in its current
// state. Deriving the whole set from state (rather than reacting to the
// latest event) is what makes processing order-tolerant and idempotent.
func (p Playbook) Desired(t care.Ticket) []care.Task {
	var tasks []care.Task
	if task, ok := p.respondTask(t); ok {
		tasks = append(tasks, task)
	}
	return tasks
}

// Plan says which tasks to create and which to cancel.
type Plan struct {
	Schedule []care.Task
	Cancel   []care.Task
}

// Reconcile compares the tasks a ticket has with the ones it should have.
// A desired task is scheduled unless it has already fired (done); a
// cancelled one is scheduled again, because deliveries arrive out of order
// and a late, older event can make a task look unneeded for a while. An
// existing pending task that is no longer desired is cancelled.
func Reconcile(existing, desired []care.Task) Plan {
	have := make(map[string]care.Task, len(existing))
	for _, t := range existing {
		have[t.ID] = t
	}
	want := make(map[string]bool, len(desired))
	var plan Plan
	for _, t := range desired {
		want[t.ID] = true
		if old, ok := have[t.ID]; !ok || old.Status != care.TaskDone {
			// Pending ones are scheduled again too: scheduling is idempotent,
			// and this repairs a crash between storing a task and scheduling it.
			plan.Schedule = append(plan.Schedule, t)
		}
	}
	for _, t := range existing {
		if t.Status == care.TaskPending && !want[t.ID] {
			plan.Cancel = append(plan.Cancel, t)
		}
	}
	return plan
}

// Verdict is what a task should do when it fires.
type Verdict struct {
	// Remind is true when the assigned agent should get a reminder.
	Remind bool
	// Reason says why, in words for the task's outcome and the logs.
	Reason string
}

// Check decides what a due task does, given the ticket as it is now.
func (p Playbook) Check(task care.Task, t care.Ticket, now time.Time) Verdict {
	switch task.Kind {
	case care.RespondCheck:
		return p.checkRespond(task, t, now)
	default:
		return Verdict{Reason: "unknown task kind " + string(task.Kind)}
	}
}
