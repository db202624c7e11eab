package mail

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// FollowUp is what an agent needs to check in with a customer some days
// after solving their ticket, using the team's checklist.
type FollowUp struct {
	Agent        care.Member
	Ticket       care.Ticket
	TicketURL    string
	CustomerName string
	SolvedAt     time.Time // in the team's zone
	Checklist    []string  // questions to ask
	// DoneHow says how to mark the follow-up done, e.g. `add the tag
	// "followed-up", write an internal note starting "follow-up:", or reply
	// publicly`.
	DoneHow string
}

type followUpView struct {
	FollowUp
	Customer string // the customer's name on one line, or ""
}

// FollowUpReminder reminds an agent to check in with the customer of one
// named, solved ticket, with the questions the team asks.
func FollowUpReminder(f FollowUp) (care.Email, error) {
	if f.Agent.Email == "" {
		return care.Email{}, fmt.Errorf("follow-up reminder: agent has no email address")
	}
	v := followUpView{FollowUp: f, Customer: person(f.CustomerName)}
	h, t, err := render("follow_up", v)
	if err != nil {
		return care.Email{}, err
	}
	customer := v.Customer
	if customer == "" {
		customer = "your customer"
	}
	subject := fmt.Sprintf("Follow up with %s on ticket #%s: %s", customer, f.Ticket.Ref.TicketID, oneLine(f.Ticket.Subject))
	return care.Email{
		To:      []string{f.Agent.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    map[string]string{"kind": "follow_up", "connection": f.Ticket.Ref.Connection},
	}, nil
}
