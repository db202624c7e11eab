// Package mail composes carecoach's emails. Emails are product UI: every
// template lives in templates/, has an HTML and a text part, and is covered
// by golden tests. Customer text is untrusted; html/template escapes it.
package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

//go:embed templates
var files embed.FS

var funcs = map[string]any{
	"when":    func(t time.Time) string { return t.Format("Mon 2 Jan 15:04 MST") },
	"hours":   func(d time.Duration) string { return fmt.Sprintf("%.0f hours", d.Hours()) },
	"excerpt": excerpt,
	// Added for the warning, follow-up, commitment and alert emails.
	"duration": duration,
	"subject":  oneLine,
	"inc":      func(i int) int { return i + 1 },
	// Added for the digest, feedback, recognition and confirmation emails.
	"replyMarker": func() string { return care.ReplyMarker },
	"day":         func(t time.Time) string { return t.Format("Mon 2 Jan") },
	"flat":        person,
	"behaviour":   care.Behaviour.Label,
	"plural":      plural,
	"verbatim":    verbatim,
}

// templates are parsed on first use, not at init: the ingest and process
// functions link this package but send no email, and a Lambda's init time is
// its cold start. The golden tests render every template, so a template
// that does not parse cannot ship.
var templates = sync.OnceValues(func() (*parsed, error) {
	h, err := htmltemplate.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse HTML email templates: %w", err)
	}
	t, err := texttemplate.New("").Funcs(funcs).ParseFS(files, "templates/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse text email templates: %w", err)
	}
	return &parsed{html: h, text: t}, nil
})

type parsed struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// render fills name.html and name.txt with the same data.
func render(name string, data any) (htmlBody, textBody string, err error) {
	tm, err := templates()
	if err != nil {
		return "", "", err
	}
	htmlT, textT := tm.html, tm.text
	var h, t bytes.Buffer
	if err := htmlT.ExecuteTemplate(&h, name+".html", data); err != nil {
		return "", "", fmt.Errorf("render %s.html: %w", name, err)
	}
	if err := textT.ExecuteTemplate(&t, name+".txt", data); err != nil {
		return "", "", fmt.Errorf("render %s.txt: %w", name, err)
	}
	return h.String(), t.String(), nil
}

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
}

// RespondReminder tells an agent that a customer has waited past the
// response window on one named ticket.
func RespondReminder(r Reminder) (care.Email, error) {
	if r.Agent.Email == "" {
		return care.Email{}, fmt.Errorf("respond reminder: agent has no email address")
	}
	h, t, err := render("respond_reminder", r)
	if err != nil {
		return care.Email{}, err
	}
	subject := fmt.Sprintf("Ticket #%s is waiting for your answer: %s", r.Ticket.Ref.TicketID, oneLine(r.Ticket.Subject))
	return care.Email{
		To:      []string{r.Agent.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    map[string]string{"kind": "respond_reminder", "connection": r.Ticket.Ref.Connection},
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
