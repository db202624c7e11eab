// Package payload is the event every carecoach schedule hands the fire
// function. The scheduler adapter (package eventbridge) writes it and the
// fire function's handler reads it; it lives apart from the adapter so
// that reading it links no Scheduler client.
package payload

import "github.com/carecoach/carecoach/shared/core/care"

// Fire is a task of a ticket (one-time schedules) or a team job such as
// the weekly digest (recurring schedules).
type Fire struct {
	Ticket *care.TicketRef `json:"ticket,omitempty"` // a task's
	TaskID string          `json:"taskId,omitempty"`
	Job    string          `json:"job,omitempty"` // a team job's
	Team   string          `json:"team,omitempty"`
}

// ForTask is a one-time schedule's payload.
func ForTask(ref care.TaskRef) Fire {
	return Fire{Ticket: &ref.Ticket, TaskID: ref.ID}
}

// Task is the task the payload names, if it names one.
func (p Fire) Task() (care.TaskRef, bool) {
	if p.Ticket == nil || p.Ticket.TicketID == "" || p.TaskID == "" {
		return care.TaskRef{}, false
	}
	return care.TaskRef{Ticket: *p.Ticket, ID: p.TaskID}, true
}
