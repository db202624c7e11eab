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
	// Ask is the address agents ask for feedback at ("ask@<reply
	// domain>"): when set, the email invites the agent to reply "ask" and
	// a question about the ticket, and replies go there. "" when the team
	// does not ask for feedback through carecoach.
	Ask string
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
	h, t := commitmentHTML(v), commitmentText(v)
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
		ReplyTo: askReplyTo(c.Ask),
	}, nil
}

func commitmentHTML(v commitmentView) string {
	var w writer
	id, customer := v.Ticket.Ref.TicketID, firstNonEmpty(v.Customer, "the customer")
	w.raw(htmlHead, "Ticket #")
	w.text(id)
	w.raw(" is due ")
	w.text(when(v.DueAt))
	w.raw(htmlBody, htmlCard)
	w.hi(v.Agent.Name)
	w.raw(pOpen)
	w.ticketLink("Ticket #", id, v.TicketURL)
	w.raw(":\n<strong>")
	w.text(oneLine(v.Ticket.Subject))
	w.raw("</strong> is due by <strong>")
	w.text(when(v.DueAt))
	w.raw("</strong>, the date promised to ")
	w.text(customer)
	if !v.PromisedAt.IsZero() {
		w.raw(" on ")
		w.text(when(v.PromisedAt))
	}
	w.raw(".</p>\n", pOpen, "Solve the ticket by then to keep the promise. If it is going to slip, tell ")
	w.text(customer)
	w.raw(" now and set a new date: hearing early keeps their trust.</p>\n")
	if v.TicketURL != "" {
		w.button("Open ticket #", id, v.TicketURL)
	}
	if v.Ask != "" {
		w.raw(askHTML)
	}
	w.raw("\n", htmlFooter, "Sent by carecoach because ticket #")
	w.text(id)
	w.raw(" is assigned to you and has a due date promised to the customer.", htmlEnd)
	return w.String()
}

func commitmentText(v commitmentView) string {
	var w writer
	id, customer := v.Ticket.Ref.TicketID, firstNonEmpty(v.Customer, "the customer")
	w.hiText(v.Agent.Name)
	w.raw("Ticket #", id, ": ", oneLine(v.Ticket.Subject), " is due by ", when(v.DueAt), ", the date promised to ", customer)
	if !v.PromisedAt.IsZero() {
		w.raw(" on ", when(v.PromisedAt))
	}
	w.raw(".\n\nSolve the ticket by then to keep the promise. If it is going to slip, tell ", customer, " now and set a new date: hearing early keeps their trust.\n")
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	if v.Ask != "" {
		w.raw(askText)
	}
	w.raw("\n--\nSent by carecoach because ticket #", id, " is assigned to you and has a due date promised to the customer.\n")
	return w.String()
}
