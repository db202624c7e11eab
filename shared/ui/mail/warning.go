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
	now := w.Now
	if now.IsZero() {
		now = time.Now()
	}
	v := warningView{
		Warning:  w,
		Customer: person(w.CustomerName),
		Waited:   max(now.Sub(w.WaitingSince), 0),
		Left:     w.ClosesAt.Sub(now),
		Open:     now.Before(w.ClosesAt),
	}
	h, t, err := render("respond_warning", v)
	if err != nil {
		return care.Email{}, err
	}
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
	}, nil
}
