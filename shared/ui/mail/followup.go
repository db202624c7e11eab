package mail

import (
	"fmt"
	"strconv"
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
	// Ask is the address agents ask for feedback at ("ask@<reply
	// domain>"): when set, the email invites the agent to reply "ask" and
	// a question about the ticket, and replies go there. "" when the team
	// does not ask for feedback through carecoach.
	Ask string
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
	h, t := followUpHTML(v), followUpText(v)
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
		ReplyTo: askReplyTo(f.Ask),
	}, nil
}

func followUpHTML(v followUpView) string {
	var w writer
	id := v.Ticket.Ref.TicketID
	w.raw(htmlHead, "Follow up on ticket #")
	w.text(id)
	w.raw(htmlBody, htmlCard)
	w.hi(v.Agent.Name)
	w.raw(pOpen, "You solved\n")
	w.ticketLink("ticket #", id, v.TicketURL)
	w.raw(":\n<strong>")
	w.text(oneLine(v.Ticket.Subject))
	w.raw("</strong>")
	if v.Customer != "" {
		w.raw(" for ")
		w.text(v.Customer)
	}
	if !v.SolvedAt.IsZero() {
		w.raw(" on <strong>")
		w.text(when(v.SolvedAt))
		w.raw("</strong>")
	}
	w.raw(".\nNow is a good time to check in with ")
	w.text(firstNonEmpty(v.Customer, "the customer"))
	w.raw(" and make sure it stayed solved.</p>\n")
	if len(v.Checklist) > 0 {
		w.raw(pLabel, "Your team's checklist:</p>\n<ol style=\"margin:0 0 16px;padding-left:24px;\">")
		for _, q := range v.Checklist {
			w.raw("\n<li style=\"margin:0 0 4px;\">")
			w.text(q)
			w.raw("</li>")
		}
		w.raw("\n</ol>")
	} else {
		w.raw(pOpen, "Ask whether everything still works, and whether there is anything else you can do.</p>")
	}
	w.raw("\n")
	if v.DoneHow != "" {
		w.raw(pOpen, "To mark it done, ")
		w.text(v.DoneHow)
		w.raw(".</p>")
	}
	w.raw("\n")
	if v.TicketURL != "" {
		w.button("Open ticket #", id, v.TicketURL)
	}
	if v.Ask != "" {
		w.raw(askHTML)
	}
	w.raw("\n", htmlFooter, "Sent by carecoach because you solved ticket #")
	w.text(id)
	w.raw(" and your team follows up with every customer after solving.", htmlEnd)
	return w.String()
}

func followUpText(v followUpView) string {
	var w writer
	id := v.Ticket.Ref.TicketID
	w.hiText(v.Agent.Name)
	w.raw("You solved ticket #", id, ": ", oneLine(v.Ticket.Subject))
	if v.Customer != "" {
		w.raw(" for ", v.Customer)
	}
	if !v.SolvedAt.IsZero() {
		w.raw(" on ", when(v.SolvedAt))
	}
	w.raw(".\nNow is a good time to check in with ", firstNonEmpty(v.Customer, "the customer"), " and make sure it stayed solved.\n")
	if len(v.Checklist) > 0 {
		w.raw("\nYour team's checklist:\n")
		for i, q := range v.Checklist {
			w.raw("\n", strconv.Itoa(i+1), ". ", q)
		}
		w.raw("\n")
	} else {
		w.raw("\nAsk whether everything still works, and whether there is anything else you can do.\n")
	}
	if v.DoneHow != "" {
		w.raw("\nTo mark it done, ", v.DoneHow, ".\n")
	}
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	if v.Ask != "" {
		w.raw(askText)
	}
	w.raw("\n--\nSent by carecoach because you solved ticket #", id, " and your team follows up with every customer after solving.\n")
	return w.String()
}
