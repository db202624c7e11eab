package care

import "time"

// AgendaSection is where an item of a meeting brief belongs.
type AgendaSection string

// The sections of a meeting brief, in their order.
const (
	AgendaIssues  AgendaSection = "issues"  // what the team raised this week
	AgendaTrends  AgendaSection = "trends"  // against the week before
	AgendaTickets AgendaSection = "tickets" // tickets worth discussing
	AgendaPraise  AgendaSection = "praise"  // praise worth giving in front of the team
)

// AgendaKind says what an agenda item is.
type AgendaKind string

// Agenda item kinds.
const (
	AgendaClimate   AgendaKind = "climate"    // an answer to the weekly climate question
	AgendaAsk       AgendaKind = "ask"        // a question an agent asked in a request for feedback
	AgendaTrend     AgendaKind = "trend"      // a trend line
	AgendaBadRating AgendaKind = "bad_rating" // a customer's bad rating
	AgendaReopened  AgendaKind = "reopened"   // a ticket reopened
	AgendaEscalated AgendaKind = "escalated"  // a ticket escalated
	AgendaPraised   AgendaKind = "praise"     // a praise moment
	AgendaKudos     AgendaKind = "kudos"      // a teammate's kudos
)

// AgendaItem is one numbered item of a meeting brief: what the manager
// saw, kept in the brief's prompt so that "send" sends exactly that.
type AgendaItem struct {
	N       int           `json:"n" dynamodbav:"n"`
	Section AgendaSection `json:"section" dynamodbav:"section"`
	Kind    AgendaKind    `json:"kind" dynamodbav:"kind"`
	// Title is the climate question, or the trend's name.
	Title string `json:"title,omitempty" dynamodbav:"title,omitempty"`
	// Text is the answer, the question asked, the trend's figures, what
	// happened on the ticket, or the kudos' words: verbatim.
	Text string `json:"text,omitempty" dynamodbav:"text,omitempty"`
	// Quote is the customer's own words.
	Quote string `json:"quote,omitempty" dynamodbav:"quote,omitempty"`
	// Who is whom the item is about: the agent who asked, the one praised
	// or thanked. By is who said it: the climate answer's author (only on
	// teams whose climate is not anonymous; never in the agenda) or the
	// teammate who gave kudos.
	Who string `json:"who,omitempty" dynamodbav:"who,omitempty"`
	By  string `json:"by,omitempty" dynamodbav:"by,omitempty"`
	// Praised: the manager has already praised or shared this moment.
	Praised   bool      `json:"praised,omitempty" dynamodbav:"praised,omitempty"`
	TicketID  string    `json:"ticketId,omitempty" dynamodbav:"ticketId,omitempty"`
	Subject   string    `json:"subject,omitempty" dynamodbav:"subject,omitempty"`
	TicketURL string    `json:"ticketUrl,omitempty" dynamodbav:"ticketUrl,omitempty"`
	At        time.Time `json:"at,omitzero" dynamodbav:"at,omitempty"`
}

// AgendaSent is the agenda a manager sent from their brief: once per
// brief, whichever reply came first.
type AgendaSent struct {
	PromptID string `json:"promptId" dynamodbav:"promptId"`
	Team     string `json:"team" dynamodbav:"team"`
	Manager  string `json:"manager" dynamodbav:"manager"`
	// Items are the numbers of the brief's items that went, in order.
	Items []int `json:"items" dynamodbav:"items"`
	// Note is the manager's opening note, verbatim ("" for none).
	Note string `json:"note,omitempty" dynamodbav:"note,omitempty"`
	// To are the addresses the agenda went to.
	To        []string  `json:"to" dynamodbav:"to"`
	MessageID string    `json:"messageId" dynamodbav:"messageId"`
	SentAt    time.Time `json:"sentAt" dynamodbav:"sentAt"`
}
