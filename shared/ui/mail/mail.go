// Package mail composes carecoach's emails. Emails are product UI: every
// email has an HTML and a text part, written by plain Go code (render.go
// says why not templates), and is covered by golden tests. Customer text is
// untrusted; the HTML part escapes it as html/template would.
package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// excerpt shortens customer text for an email, on a word boundary.
func excerpt(s string) string {
	const max = 600
	s = strings.TrimSpace(s)
	if len([]rune(s)) <= max {
		return s
	}
	r := []rune(s)[:max]
	if i := strings.LastIndexAny(string(r), " \n"); i > max/2 {
		return string(r[:i]) + " …"
	}
	return string(r) + "…"
}

// Reminder is what an agent needs to answer a waiting customer.
type Reminder struct {
	Agent        care.Member
	Ticket       care.Ticket
	TicketURL    string
	CustomerName string
	// Message is the customer's words that have waited longest.
	Message      string
	WaitingSince time.Time
	Window       time.Duration
	Now          time.Time
	// Ask is the address agents ask for feedback at ("ask@<reply
	// domain>"): when set, the email invites the agent to reply "ask" and
	// a question about the ticket, and replies go there. "" when the team
	// does not ask for feedback through carecoach.
	Ask string
}

// RespondReminder tells an agent that a customer has waited past the
// response window on one named ticket.
func RespondReminder(r Reminder) (care.Email, error) {
	if r.Agent.Email == "" {
		return care.Email{}, fmt.Errorf("respond reminder: agent has no email address")
	}
	h, t := reminderHTML(r), reminderText(r)
	subject := fmt.Sprintf("Ticket #%s is waiting for your answer: %s", r.Ticket.Ref.TicketID, oneLine(r.Ticket.Subject))
	return care.Email{
		To:      []string{r.Agent.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    map[string]string{"kind": "respond_reminder", "connection": r.Ticket.Ref.Connection},
		ReplyTo: askReplyTo(r.Ask),
	}, nil
}

// oneLine keeps header values on one line whatever the customer typed.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(no subject)"
	}
	return s
}

func reminderHTML(r Reminder) string {
	var w writer
	id := r.Ticket.Ref.TicketID
	w.raw(htmlHead, "Ticket #")
	w.text(id)
	w.raw(" is waiting", htmlBody, htmlCard, pOpen, "Hi ")
	w.text(r.Agent.Name)
	w.raw(",</p>\n", pOpen)
	w.text(firstNonEmpty(r.CustomerName, "A customer"))
	w.raw(" has been waiting since <strong>")
	w.text(when(r.WaitingSince))
	w.raw("</strong> for an answer on\n")
	w.ticketLink("ticket #", id, r.TicketURL)
	w.raw(":\n<strong>")
	w.text(r.Ticket.Subject)
	w.raw("</strong>. The team's promise is an answer within ")
	w.text(hours(r.Window))
	w.raw(".</p>\n")
	if r.Message != "" {
		w.raw(pLabel, "What they wrote:</p>\n", quoteHTML)
		w.text(excerpt(r.Message))
		w.raw("</blockquote>")
	}
	w.raw("\n", pOpen, "A short public reply now, even just to say what happens next, keeps the customer with us.</p>\n")
	if r.TicketURL != "" {
		w.button("Open ticket #", id, r.TicketURL)
	}
	if r.Ask != "" {
		w.raw(askHTML)
	}
	w.raw("\n", htmlFooter, "Sent by carecoach for your team's response-time promise.", htmlEnd)
	return w.String()
}

func reminderText(r Reminder) string {
	var w writer
	w.raw("Hi ", r.Agent.Name, ",\n\n", firstNonEmpty(r.CustomerName, "A customer"), " has been waiting since ", when(r.WaitingSince),
		" for an answer on ticket #", r.Ticket.Ref.TicketID, ": ", r.Ticket.Subject, ".\nThe team's promise is an answer within ", hours(r.Window), ".\n")
	if r.Message != "" {
		w.raw("\nWhat they wrote:\n\n", excerpt(r.Message), "\n")
	}
	w.raw("\nA short public reply now, even just to say what happens next, keeps the customer with us.\n")
	if r.TicketURL != "" {
		w.raw("\nOpen the ticket: ", r.TicketURL, "\n")
	}
	if r.Ask != "" {
		w.raw(askText)
	}
	w.raw("\n--\nSent by carecoach for your team's response-time promise.\n")
	return w.String()
}
