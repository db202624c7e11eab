package care

import (
	"strings"
	"time"
)

// FeedbackRequest is an agent's request for feedback on one ticket: they
// mailed the ask address with the ticket's number and a question, and
// carecoach asked their manager, and the teammates they named, by an
// answerable email each. Every answer reaches the agent and is recorded as
// feedback (from a teammate: peer feedback, counted apart).
type FeedbackRequest struct {
	ID        string    `json:"id" dynamodbav:"id"`
	Team      string    `json:"team" dynamodbav:"team"`
	Asker     string    `json:"asker" dynamodbav:"asker"` // lower-cased address
	AskerName string    `json:"askerName" dynamodbav:"askerName"`
	Ticket    TicketRef `json:"ticket" dynamodbav:"ticket"`
	Subject   string    `json:"subject,omitempty" dynamodbav:"subject,omitempty"` // the ticket's
	TicketURL string    `json:"ticketUrl,omitempty" dynamodbav:"ticketUrl,omitempty"`
	Question  string    `json:"question" dynamodbav:"question"` // the agent's words, verbatim
	AskedAt   time.Time `json:"askedAt" dynamodbav:"askedAt"`
	// MessageID is the agent's mail: one request per mail.
	MessageID string  `json:"messageId" dynamodbav:"messageId"`
	Asked     []Asked `json:"asked" dynamodbav:"asked"`
	// Version counts the changes: each update is conditional on the
	// version it read, so two answers at once cannot lose one.
	Version int `json:"version" dynamodbav:"version"`
}

// Asked is one person a request went to, and their answer.
type Asked struct {
	Email string `json:"email" dynamodbav:"email"` // lower-cased
	Name  string `json:"name" dynamodbav:"name"`
	// Peer: a teammate the agent named, not one of the agent's managers.
	Peer     bool   `json:"peer,omitempty" dynamodbav:"peer,omitempty"`
	PromptID string `json:"promptId" dynamodbav:"promptId"`
	// AnsweredAt is zero until they answer; MessageID is their answer and
	// FeedbackID the feedback it was recorded as.
	AnsweredAt time.Time `json:"answeredAt,omitzero" dynamodbav:"answeredAt,omitempty"`
	MessageID  string    `json:"messageId,omitempty" dynamodbav:"messageId,omitempty"`
	FeedbackID string    `json:"feedbackId,omitempty" dynamodbav:"feedbackId,omitempty"`
}

// AskRef names a stored feedback request from the prompt that asked one
// person: the team, the request's id and time, and whether that person
// was asked as a teammate.
type AskRef struct {
	Team    string    `json:"team" dynamodbav:"team"`
	ID      string    `json:"id" dynamodbav:"id"`
	AskedAt time.Time `json:"askedAt" dynamodbav:"askedAt"`
	Peer    bool      `json:"peer,omitempty" dynamodbav:"peer,omitempty"`
}

// Ref names the stored request.
func (r FeedbackRequest) Ref() AskRef { return AskRef{Team: r.Team, ID: r.ID, AskedAt: r.AskedAt} }

// Answer is the request once who has answered with message messageID,
// recorded as feedback feedbackID at at; or, with why set, why nothing
// changes. A retry of the answer already recorded returns the request as
// it is and no why: the caller finishes what it started.
func (r FeedbackRequest) Answer(who, messageID, feedbackID string, at time.Time) (FeedbackRequest, string) {
	for i, a := range r.Asked {
		if !strings.EqualFold(a.Email, who) {
			continue
		}
		switch {
		case a.MessageID == messageID:
			return r, ""
		case !a.AnsweredAt.IsZero():
			return r, "you answered this request on " + a.AnsweredAt.Format("Mon 2 Jan") + " already, so nothing changed: to say more, reply to " +
				firstWord(r.AskerName, r.Asker) + "'s copy of your answer, which goes to them directly"
		}
		asked := append([]Asked(nil), r.Asked...)
		asked[i].AnsweredAt, asked[i].MessageID, asked[i].FeedbackID = at, messageID, feedbackID
		r.Asked, r.Version = asked, r.Version+1
		return r, ""
	}
	return r, "this request was not sent to you, so nothing was recorded"
}

// FirstAnswer is when the request was first answered; zero if not yet.
func (r FeedbackRequest) FirstAnswer() time.Time {
	var first time.Time
	for _, a := range r.Asked {
		if !a.AnsweredAt.IsZero() && (first.IsZero() || a.AnsweredAt.Before(first)) {
			first = a.AnsweredAt
		}
	}
	return first
}

// Unanswered says whether nobody had answered the request by t.
func (r FeedbackRequest) Unanswered(t time.Time) bool {
	first := r.FirstAnswer()
	return first.IsZero() || !first.Before(t)
}

func firstWord(name, orElse string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return orElse
}

// DefaultAskOverdue is how long a request waits for an answer before it
// heads the manager's next digest.
const DefaultAskOverdue = 2 * 24 * time.Hour

// AskSettings: agents ask for feedback on a ticket by mailing the ask
// address (on by default).
type AskSettings struct {
	Off bool `json:"off,omitempty" yaml:"off,omitempty"`
	// Overdue is how long a request may wait for an answer before it
	// heads the manager's next digest (default 2d, at most 30d: a reply
	// token lives 30 days).
	Overdue Duration `json:"overdue,omitempty" yaml:"overdue,omitempty"`
}

// OverdueAfter is Overdue, or its default.
func (a AskSettings) OverdueAfter() time.Duration {
	if a.Overdue <= 0 {
		return DefaultAskOverdue
	}
	return time.Duration(a.Overdue)
}
