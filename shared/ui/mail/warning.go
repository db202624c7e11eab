package mail

import (
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Warning is what an agent needs to answer a waiting customer before the
// response window closes on a ticket.
type Warning struct {
	Agent        care.Member
	Ticket       care.Ticket
	TicketURL    string
	CustomerName string
	// Message is the customer's waiting words (may be empty).
	Message      string
	WaitingSince time.Time // in the team's zone
	ClosesAt     time.Time // in the team's zone
	Window       time.Duration
	// Now is when the warning is sent; it says how long the customer has
	// waited and how long is left. Zero means the current time.
	Now time.Time
	// Ask is the address agents ask for feedback at ("ask@<reply
	// domain>"): when set, the email invites the agent to reply "ask" and
	// a question about the ticket, and replies go there. "" when the team
	// does not ask for feedback through carecoach.
	Ask string
}

type warningView struct {
	Warning
	Customer string // the customer's name on one line, or ""
	Waited   time.Duration
	Left     time.Duration
	Open     bool // the window has not closed yet
}

// RespondWarning tells an agent that the response window on one named
// ticket is about to close, while there is still time to answer.
func RespondWarning(w Warning) (care.Email, error) {
	switch {
	case w.Agent.Email == "":
		return care.Email{}, fmt.Errorf("respond warning: agent has no email address")
	case w.WaitingSince.IsZero() || w.ClosesAt.IsZero():
		return care.Email{}, fmt.Errorf("respond warning for ticket #%s: no waiting time or window close", w.Ticket.Ref.TicketID)
	}
	v := warningViewOf(w)
	h, t := warningHTML(v), warningText(v)
	customer, closes := v.Customer, "window closes"
	if customer == "" {
		customer = "a customer"
	}
	if !v.Open {
		closes = "window closed"
	}
	subject := fmt.Sprintf("Ticket #%s: %s has waited %s — %s %s",
		w.Ticket.Ref.TicketID, customer, duration(v.Waited), closes, when(w.ClosesAt))
	return care.Email{
		To:      []string{w.Agent.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    map[string]string{"kind": "respond_warning", "connection": w.Ticket.Ref.Connection},
		ReplyTo: askReplyTo(w.Ask),
	}, nil
}

func warningViewOf(w Warning) warningView {
	now := w.Now
	if now.IsZero() {
		now = time.Now()
	}
	return warningView{
		Warning:  w,
		Customer: person(w.CustomerName),
		Waited:   max(now.Sub(w.WaitingSince), 0),
		Left:     w.ClosesAt.Sub(now),
		Open:     now.Before(w.ClosesAt),
	}
}

func warningHTML(v warningView) string {
	var w writer
	id := v.Ticket.Ref.TicketID
	w.raw(htmlHead, "Ticket #")
	w.text(id)
	w.raw(": the response window closes soon", htmlBody, htmlCard)
	w.hi(v.Agent.Name)
	w.raw(pOpen)
	w.text(firstNonEmpty(v.Customer, "A customer"))
	w.raw(" has waited <strong>")
	w.text(duration(v.Waited))
	w.raw("</strong> for an answer on\n")
	w.ticketLink("ticket #", id, v.TicketURL)
	w.raw(":\n<strong>")
	w.text(oneLine(v.Ticket.Subject))
	w.raw("</strong>.\n")
	switch {
	case v.Open && v.Window != 0:
		w.raw("The team's promise is an answer within ")
		w.text(duration(v.Window))
		w.raw(", so the window closes")
	case v.Open:
		w.raw("The response window closes")
	default:
		w.raw("The response window closed")
	}
	w.raw(" at <strong>")
	w.text(when(v.ClosesAt))
	w.raw("</strong>")
	if v.Open {
		w.raw(", ")
		w.text(duration(v.Left))
		w.raw(" from now")
	}
	w.raw(".</p>\n")
	if v.Message != "" {
		w.raw(pLabel, "What they wrote:</p>\n", quoteHTML)
		w.text(excerpt(v.Message))
		w.raw("</blockquote>")
	}
	w.raw("\n", pOpen)
	if v.Open {
		w.raw("There is still time. ")
	}
	w.raw("A short public reply, even just to say what happens next, keeps the promise.</p>\n")
	if v.TicketURL != "" {
		w.button("Answer ticket #", id, v.TicketURL)
	}
	if v.Ask != "" {
		w.raw(askHTML)
	}
	w.raw("\n", htmlFooter, "Sent by carecoach because ticket #")
	w.text(id)
	w.raw(" is assigned to you and its response window ", closesSoon(v.Open), ".", htmlEnd)
	return w.String()
}

func closesSoon(open bool) string {
	if open {
		return "closes soon"
	}
	return "has closed"
}

func warningText(v warningView) string {
	var w writer
	w.raw("Hi")
	if v.Agent.Name != "" {
		w.raw(" ", v.Agent.Name)
	}
	w.raw(",\n\n", firstNonEmpty(v.Customer, "A customer"), " has waited ", duration(v.Waited), " for an answer on ticket #", v.Ticket.Ref.TicketID, ": ", oneLine(v.Ticket.Subject), ".\n")
	switch {
	case v.Open && v.Window != 0:
		w.raw("The team's promise is an answer within ", duration(v.Window), ", so the window closes")
	case v.Open:
		w.raw("The response window closes")
	default:
		w.raw("The response window closed")
	}
	w.raw(" at ", when(v.ClosesAt))
	if v.Open {
		w.raw(", ", duration(v.Left), " from now")
	}
	w.raw(".\n")
	if v.Message != "" {
		w.raw("\nWhat they wrote:\n\n", excerpt(v.Message), "\n")
	}
	w.raw("\n")
	if v.Open {
		w.raw("There is still time. ")
	}
	w.raw("A short public reply, even just to say what happens next, keeps the promise.\n")
	if v.TicketURL != "" {
		w.raw("\nAnswer the ticket: ", v.TicketURL, "\n")
	}
	if v.Ask != "" {
		w.raw(askText)
	}
	w.raw("\n--\nSent by carecoach because ticket #", v.Ticket.Ref.TicketID, " is assigned to you and its response window ", closesSoon(v.Open), ".\n")
	return w.String()
}
