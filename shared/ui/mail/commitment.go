package mail

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Commitment is what an agent needs to keep a due date promised to a
// customer on one ticket.
type Commitment struct {
	Agent        care.Member
	Ticket       care.Ticket
	TicketURL    string
	CustomerName string
	DueAt        time.Time // in the team's zone
	PromisedAt   time.Time // in the team's zone; when the due date was set
}

type commitmentView struct {
	Commitment
	Customer string // the customer's name on one line, or ""
}

// CommitmentReminder reminds an agent, before it is due, of a date promised
// to the customer on one named ticket.
func CommitmentReminder(c Commitment) (care.Email, error) {
	switch {
	case c.Agent.Email == "":
		return care.Email{}, fmt.Errorf("commitment reminder: agent has no email address")
	case c.DueAt.IsZero():
		return care.Email{}, fmt.Errorf("commitment reminder for ticket #%s: no due date", c.Ticket.Ref.TicketID)
	}
	v := commitmentView{Commitment: c, Customer: person(c.CustomerName)}
	h, t, err := render("commitment_reminder", v)
	if err != nil {
		return care.Email{}, err
	}
	customer := v.Customer
	if customer == "" {
		customer = "the customer"
	}
	subject := fmt.Sprintf("Due %s: your promise to %s on ticket #%s", whenShort(c.DueAt), customer, c.Ticket.Ref.TicketID)
	return care.Email{
		To:      []string{c.Agent.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    map[string]string{"kind": "commitment_reminder", "connection": c.Ticket.Ref.Connection},
	}, nil
}
