package playbook

import (
	"time"

	"github.com/carecoach/carecoach/shared/care"
)

// Respond: answer every customer within the response window.
//
// A window opens with the oldest customer message that has had no public
// answer. A public agent reply closes it; so does solving the ticket. When
// the window closes with the customer still waiting, the assigned agent is
// reminded about that specific ticket.

// earlyFire tolerates a scheduler firing slightly before the due time.
const earlyFire = time.Minute

func (p Playbook) respondTask(t care.Ticket) (care.Task, bool) {
	if !awaiting(t) {
		return care.Task{}, false
	}
	return care.NewTask(t.Ref, care.RespondCheck, t.AwaitingMessage, t.AwaitingSince.Add(p.ResponseWindow)), true
}

func (p Playbook) checkRespond(task care.Task, t care.Ticket, now time.Time) Verdict {
	switch {
	case !awaiting(t) || t.AwaitingMessage != task.Anchor:
		return Verdict{Reason: "customer was answered in time"}
	case now.Add(earlyFire).Before(task.DueAt):
		return Verdict{Reason: "fired before the window closed"}
	case t.AssigneeID == "":
		return Verdict{Reason: "window passed but nobody is assigned"}
	default:
		return Verdict{Remind: true, Reason: "window passed with the customer still waiting"}
	}
}

func awaiting(t care.Ticket) bool {
	return !t.AwaitingSince.IsZero() && !t.Status.Resolved() && !t.Deleted && t.MergedInto == ""
}
