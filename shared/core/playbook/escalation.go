package playbook

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Escalate quickly when stuck: moving an open ticket to another group or
// raising its priority is an escalation (recorded on the ticket state).
// One made soon after the customer started waiting is a praise moment.

func (p Playbook) escalationMoments(t care.Ticket, _ time.Time) []care.Moment {
	var ms []care.Moment
	for _, e := range t.Escalations {
		stuck := e.At.Sub(e.StuckSince)
		if stuck > p.QuickEscalation {
			continue
		}
		m := care.NewMoment(t.Ref, care.Escalate, care.Praise, e.ID)
		m.AgentID, m.At = e.ActorID, e.At
		if m.AgentID == "" {
			m.AgentID = e.AgentID
		}
		what := "moved it to group " + e.To
		if e.Kind == "priority" {
			what = fmt.Sprintf("raised its priority from %s to %s", e.From, e.To)
		}
		m.What = fmt.Sprintf("Escalated quickly: %s %s after %s started waiting.", what, human(stuck), customer(t))
		ms = append(ms, m)
	}
	return ms
}
