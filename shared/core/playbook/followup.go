package playbook

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Follow up: N days after a ticket is solved, the agent checks in with the
// customer using the team's checklist.
//
// Solving schedules a reminder at solved + N days, moved into the team's
// business hours, and a check at the end of the grace period after it. The
// follow-up is done by the followed-up tag, an internal note starting
// "follow-up:", or a public reply while the ticket is solved. Reopening,
// merging or deleting the ticket cancels it. Done is a praise moment;
// missed after the grace period is a coaching moment.

// HowToMarkDone tells agents how to tell carecoach they followed up.
const HowToMarkDone = `add the tag "` + care.FollowedUpTag + `", write an internal note starting "follow-up:", or reply to the customer publicly`

func (p Playbook) followUpDue(t care.Ticket) time.Time {
	return p.Hours.next(t.SolvedAt.Add(p.FollowUpAfter), p.Location)
}

func (p Playbook) followUpPending(t care.Ticket) bool {
	return p.FollowUpOn && t.Status.Resolved() && !t.SolvedAt.IsZero() && open(t) && !followedUp(t)
}

func followedUp(t care.Ticket) bool { return t.FollowedUp() }

func solveAnchor(t care.Ticket) string { return "solved@" + t.SolvedAt.UTC().Format(time.RFC3339Nano) }

func (p Playbook) followUpTasks(t care.Ticket) []care.Task {
	if !p.followUpPending(t) {
		return nil
	}
	due := p.followUpDue(t)
	return []care.Task{
		care.NewTask(t.Ref, care.FollowUp, solveAnchor(t), due),
		care.NewTask(t.Ref, care.FollowUpCheck, solveAnchor(t), due.Add(p.FollowUpGrace)),
	}
}

func (p Playbook) checkFollowUp(task care.Task, t care.Ticket) Verdict {
	switch {
	case !p.followUpPending(t) || task.Anchor != solveAnchor(t):
		return Verdict{Reason: "follow-up done or no longer needed"}
	case task.Kind == care.FollowUpCheck:
		return Verdict{Reason: "follow-up missed after the grace period"}
	case t.SolvedBy == "" && t.AssigneeID == "":
		return Verdict{Reason: "follow-up due but nobody owns the ticket"}
	default:
		return Verdict{Notice: FollowUpReminder, Reason: "follow-up due"}
	}
}

func (p Playbook) followUpMoments(t care.Ticket, now time.Time) []care.Moment {
	if !p.FollowUpOn || t.SolvedAt.IsZero() || !open(t) {
		return nil
	}
	agent := t.SolvedBy
	if agent == "" {
		agent = t.AssigneeID
	}
	switch {
	case followedUp(t):
		m := care.NewMoment(t.Ref, care.FollowUpDone, care.Praise, solveAnchor(t))
		m.AgentID, m.At = agent, t.FollowedUpAt
		after := human(t.FollowedUpAt.Sub(t.SolvedAt)) + " after solving the ticket"
		if t.FollowedUpAt.Equal(t.SolvedAt) {
			after = "once the ticket was solved" // the solve was inferred from the same update
		}
		m.What = fmt.Sprintf("Followed up with %s %s (%s).", customer(t), after, t.FollowUpVia)
		return []care.Moment{m}
	case t.Status.Resolved() && !now.Before(p.followUpDue(t).Add(p.FollowUpGrace)):
		m := care.NewMoment(t.Ref, care.FollowUpDone, care.Coaching, solveAnchor(t))
		m.AgentID, m.At = agent, p.followUpDue(t).Add(p.FollowUpGrace)
		m.What = fmt.Sprintf("No follow-up with %s within %s of solving the ticket.", customer(t), human(p.FollowUpAfter+p.FollowUpGrace))
		return []care.Moment{m}
	}
	return nil
}
