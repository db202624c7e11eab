package playbook

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Respond: answer every customer within the response window.
//
// A window opens with the oldest customer message that has had no public
// answer. A public agent reply closes it (pending / on-hold with a public
// note is a public reply); so does solving the ticket. Before the window
// closes the agent is warned; when it closes with the customer still
// waiting the agent is reminded and it is a coaching moment. A quick
// answer is a praise moment.

func (p Playbook) respondTasks(t care.Ticket) []care.Task {
	if !awaiting(t) {
		return nil
	}
	closes := t.AwaitingSince.Add(p.ResponseWindow)
	tasks := []care.Task{care.NewTask(t.Ref, care.RespondCheck, t.AwaitingMessage, closes)}
	if p.WarnAt > 0 {
		warn := t.AwaitingSince.Add(time.Duration(float64(p.ResponseWindow) * p.WarnAt))
		tasks = append(tasks, care.NewTask(t.Ref, care.RespondWarning, t.AwaitingMessage, warn))
	}
	return tasks
}

func (p Playbook) checkRespond(task care.Task, t care.Ticket, now time.Time) Verdict {
	switch {
	case !awaiting(t) || t.AwaitingMessage != task.Anchor:
		return Verdict{Reason: "customer was answered in time"}
	case t.AssigneeID == "":
		return Verdict{Reason: "customer is waiting but nobody is assigned"}
	case task.Kind == care.RespondWarning:
		if !now.Before(t.AwaitingSince.Add(p.ResponseWindow)) {
			return Verdict{Reason: "window already closed; the reminder covers it"}
		}
		return Verdict{Notice: RespondWarning, Reason: "window about to close with the customer still waiting"}
	default:
		return Verdict{Notice: RespondReminder, Reason: "window passed with the customer still waiting"}
	}
}

func (p Playbook) respondMoments(t care.Ticket, now time.Time) []care.Moment {
	var ms []care.Moment
	for _, r := range t.Responses {
		switch waited := r.Waited(); {
		case waited > p.ResponseWindow:
			m := care.NewMoment(t.Ref, care.Respond, care.Coaching, r.Message)
			m.AgentID, m.At = r.AgentID, r.AskedAt.Add(p.ResponseWindow)
			m.What = fmt.Sprintf("%s waited %s for an answer; the team promises %s.", upper(customer(t)), human(waited), human(p.ResponseWindow))
			ms = append(ms, m)
		case !r.BySolve && waited <= p.FastAnswer:
			m := care.NewMoment(t.Ref, care.Respond, care.Praise, r.Message)
			m.AgentID, m.At = r.AgentID, r.AnsweredAt
			m.What = fmt.Sprintf("Answered %s within %s.", customer(t), human(waited))
			ms = append(ms, m)
		}
	}
	if awaiting(t) && !now.Before(t.AwaitingSince.Add(p.ResponseWindow)) {
		// Same id as the coaching moment the eventual answer will give.
		m := care.NewMoment(t.Ref, care.Respond, care.Coaching, t.AwaitingMessage)
		m.AgentID, m.At = t.AssigneeID, t.AwaitingSince.Add(p.ResponseWindow)
		m.What = fmt.Sprintf("%s has waited more than %s for an answer.", upper(customer(t)), human(p.ResponseWindow))
		ms = append(ms, m)
	}
	return ms
}

func awaiting(t care.Ticket) bool {
	return !t.AwaitingSince.IsZero() && !t.Status.Resolved() && open(t)
}

// human writes a duration the way a person says it.
func human(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return "a minute"
	case d < time.Hour-30*time.Second:
		return fmt.Sprintf("%d minutes", int(d.Round(time.Minute).Minutes()))
	case d < 90*time.Minute:
		return "an hour"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Round(time.Hour).Hours()))
	default:
		return fmt.Sprintf("%d days", int((d+12*time.Hour).Hours()/24))
	}
}

func upper(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
