package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// AskRequest brings an agent's request for feedback on a ticket to their
// manager or a teammate they named: the question, the ticket's recent
// timeline and who else was asked. It is answerable: the reply is the
// answer, and goes to the agent.
type AskRequest struct {
	To        care.Member // who is asked
	Asker     care.Member
	TeamID    string
	Peer      bool // asked as a teammate, not as the agent's manager
	TicketID  string
	Subject   string // the ticket's
	TicketURL string
	Question  string // the agent's words, verbatim
	AskedAt   time.Time
	Others    []string // the names of the others asked
	Timeline  []TimelineEntry
	Help      string // the answer's grammar, for the footer
}

type askRequestView struct {
	AskRequest
	Name   string   // the recipient's name on one line, or ""
	Agent  string   // the asker's name on one line, or "A teammate"
	Others []string // on one line each
}

// AskRequestEmail composes the request to one person asked.
func AskRequestEmail(a AskRequest) (care.Email, error) {
	switch {
	case a.To.Email == "":
		return care.Email{}, fmt.Errorf("request for feedback on ticket #%s: the person asked has no email address", a.TicketID)
	case strings.TrimSpace(a.Help) == "":
		return care.Email{}, fmt.Errorf("request for feedback on ticket #%s: no reply help: it must say how to answer", a.TicketID)
	case strings.TrimSpace(a.Question) == "":
		return care.Email{}, fmt.Errorf("request for feedback on ticket #%s: no question", a.TicketID)
	}
	v := askRequestView{AskRequest: a, Name: person(a.To.Name), Agent: firstNonEmpty(person(a.Asker.Name), "A teammate")}
	for _, o := range a.Others {
		v.Others = append(v.Others, firstNonEmpty(person(o), "a teammate"))
	}
	return care.Email{
		To:      []string{a.To.Email},
		Subject: v.Agent + " asks for your feedback on " + work(a.TicketID, a.Subject),
		Text:    askRequestText(v),
		HTML:    askRequestHTML(v),
		Tags:    teamTags("ask", firstNonEmpty(a.TeamID, a.Asker.Team)),
	}, nil
}

// AskReceipt tells the agent who was asked, whom carecoach could not
// find, or why nothing was sent and how to ask.
type AskReceipt struct {
	Asker    care.Member
	TicketID string
	Subject  string
	Sent     []string // the names of those asked
	Unknown  []string // the @names nobody on the team answers to
	Problem  string   // why nothing was sent; "" when it was
	Address  string   // the ask address, e.g. ask@reply.acme.example
}

type askReceiptView struct {
	AskReceipt
	Name    string // the asker's name on one line, or ""
	Whom    string // the names it went to, as a phrase
	Unknown string // the names not found, as a phrase: "@bob and @sam"
}

// AskReceiptEmail confirms a request to the agent. It is not answerable:
// a request is asked afresh.
func AskReceiptEmail(r AskReceipt) (care.Email, error) {
	if r.Asker.Email == "" {
		return care.Email{}, fmt.Errorf("receipt of a request for feedback: the agent has no email address")
	}
	v := askReceiptView{AskReceipt: r, Name: person(r.Asker.Name)}
	r.Problem = person(r.Problem)
	v.Problem = r.Problem
	var to, unknown []string
	for _, n := range r.Sent {
		to = append(to, firstNonEmpty(person(n), "a teammate"))
	}
	for _, n := range r.Unknown {
		unknown = append(unknown, "@"+oneLine(n))
	}
	v.Whom, v.Unknown = and(to), and(unknown)
	if len(to) == 0 && v.Problem == "" {
		v.Problem = "there was nobody to ask: you have no manager in carecoach, and you named no teammate it knows."
	}
	subject := "Your request for feedback was not sent: how to ask"
	if v.Problem == "" {
		subject = "Your question about " + work(r.TicketID, r.Subject) + " went to " + v.Whom
		if len(to) > 3 {
			subject = fmt.Sprintf("Your question about %s went to %d people", work(r.TicketID, r.Subject), len(to))
		}
	}
	return care.Email{
		To:      []string{r.Asker.Email},
		Subject: subject,
		Text:    askReceiptText(v),
		HTML:    askReceiptHTML(v),
		Tags:    teamTags("ask_receipt", r.Asker.Team),
	}, nil
}

// AskAnswer brings an answer to the agent who asked. It is not
// answerable; a reply goes to whoever answered.
type AskAnswer struct {
	Asker     care.Member
	From      care.Member
	Peer      bool
	Praise    bool
	Words     string // verbatim
	Question  string
	TicketID  string
	Subject   string
	TicketURL string
}

type askAnswerView struct {
	AskAnswer
	Name string // the asker's name on one line, or ""
	By   string // who answered, on one line, or "Your manager" / "A teammate"
}

// AskAnswerEmail composes the answer to the agent.
func AskAnswerEmail(a AskAnswer) (care.Email, error) {
	switch {
	case a.Asker.Email == "":
		return care.Email{}, fmt.Errorf("answer on ticket #%s: the agent who asked has no email address", a.TicketID)
	case strings.TrimSpace(a.Words) == "":
		return care.Email{}, fmt.Errorf("answer on ticket #%s: no words to pass on", a.TicketID)
	}
	v := askAnswerView{AskAnswer: a, Name: person(a.Asker.Name), By: firstNonEmpty(person(a.From.Name), either(a.Peer, "A teammate", "Your manager"))}
	e := care.Email{
		To:      []string{a.Asker.Email},
		Subject: v.By + " answered your question about " + work(a.TicketID, a.Subject),
		Text:    askAnswerText(v),
		HTML:    askAnswerHTML(v),
		Tags:    teamTags("ask_answer", firstNonEmpty(a.Asker.Team, a.From.Team)),
	}
	if a.From.Email != "" {
		e.ReplyTo = []string{a.From.Email}
	}
	return e, nil
}

// DigestAsk is a request for feedback that waits for the manager's
// answer, at the head of their digest.
type DigestAsk struct {
	AgentName string
	TicketID  string
	AskedAt   time.Time // in the team's zone
	Question  string    // the agent's words, shortened by the caller
}
