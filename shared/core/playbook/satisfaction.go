package playbook

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Delight the customer: a good rating with a comment is a praise moment
// quoting the customer. A bad rating is a service failure to treat as a
// crisis: a coaching moment and an immediate alert to the agent's manager,
// with the customer's words, the timeline and debrief questions.

func (p Playbook) satisfactionTasks(t care.Ticket) []care.Task {
	if !p.AlertBadRating || t.Rating != "bad" || t.RatingID == "" || !open(t) {
		return nil
	}
	return []care.Task{care.NewTask(t.Ref, care.SatisfactionAlert, t.RatingID, t.RatingAt)}
}

func (p Playbook) checkSatisfaction(task care.Task, t care.Ticket) Verdict {
	if t.Rating != "bad" || t.RatingID != task.Anchor {
		return Verdict{Reason: "the rating has changed since"}
	}
	return Verdict{Notice: SatisfactionAlert, Reason: "bad rating"}
}

func (p Playbook) satisfactionMoments(t care.Ticket, _ time.Time) []care.Moment {
	if t.RatingID == "" {
		return nil
	}
	agent := t.SolvedBy
	if agent == "" {
		agent = t.AssigneeID
	}
	switch {
	case t.Rating == "good" && t.RatingComment != "" && p.PraiseGoodRating:
		m := care.NewMoment(t.Ref, care.Delight, care.Praise, t.RatingID)
		m.AgentID, m.At, m.Quote = agent, t.RatingAt, t.RatingComment
		m.What = fmt.Sprintf("%s rated the service good and said why.", upper(customer(t)))
		return []care.Moment{m}
	case t.Rating == "bad":
		m := care.NewMoment(t.Ref, care.Delight, care.Coaching, t.RatingID)
		m.AgentID, m.At, m.Quote = agent, t.RatingAt, t.RatingComment
		m.What = fmt.Sprintf("%s rated the service bad.", upper(customer(t)))
		return []care.Moment{m}
	}
	return nil
}
