package care

import "time"

// CheckBackStatus is where a check-back is in its life.
type CheckBackStatus string

// Check-back statuses: pending until the manager replies "done".
const (
	CheckBackPending CheckBackStatus = "pending"
	CheckBackDone    CheckBackStatus = "done"
)

// CheckBack asks a manager, some business days after they gave an agent
// coaching (or answered a bad-rating alert, or a problem an agent raised in
// a climate answer), whether it worked: CRAFT's "follow up". It is about
// one moment (or one concern) and what the manager said about it.
type CheckBack struct {
	ID      string `json:"id" dynamodbav:"id"`
	Team    string `json:"team" dynamodbav:"team"`
	Manager string `json:"manager" dynamodbav:"manager"` // lower-cased address: who is asked
	// AgentEmail and AgentName are whom the manager checks back with.
	AgentEmail string `json:"agentEmail" dynamodbav:"agentEmail"`
	AgentName  string `json:"agentName" dynamodbav:"agentName"`
	// Source is the kind of prompt the manager answered (digest or alert),
	// or ClimatePrompt when the manager answered an agent's climate answer
	// (Concern; no moment, no ticket).
	Source     PromptKind `json:"source" dynamodbav:"source"`
	Concern    *Concern   `json:"concern,omitempty" dynamodbav:"concern,omitempty"`
	FeedbackID string     `json:"feedbackId" dynamodbav:"feedbackId"`
	Moment     Moment     `json:"moment" dynamodbav:"moment"`
	TicketURL  string     `json:"ticketUrl,omitempty" dynamodbav:"ticketUrl,omitempty"`
	// Said is what the manager said then, and SaidAt when.
	Said   string    `json:"said" dynamodbav:"said"`
	SaidAt time.Time `json:"saidAt" dynamodbav:"saidAt"`
	// DueAt is when the check-back email goes; Round counts the times the
	// manager said "later" (each round has its own email).
	DueAt  time.Time       `json:"dueAt" dynamodbav:"dueAt"`
	Round  int             `json:"round" dynamodbav:"round"`
	Status CheckBackStatus `json:"status" dynamodbav:"status"`
	// SentAt is when this round's email went (zero: not yet).
	SentAt time.Time `json:"sentAt,omitempty" dynamodbav:"sentAt,omitempty"`
	DoneAt time.Time `json:"doneAt,omitempty" dynamodbav:"doneAt,omitempty"`
	// Note is what the manager wrote with "done": it reaches the agent.
	Note string `json:"note,omitempty" dynamodbav:"note,omitempty"`
	// MessageID is the reply that last changed the check-back, so that a
	// retry of that reply finishes what it started instead of refusing.
	MessageID string `json:"messageId,omitempty" dynamodbav:"messageId,omitempty"`
}

// Ref names the stored check-back.
func (c CheckBack) Ref() CheckBackRef { return CheckBackRef{Team: c.Team, ID: c.ID, SaidAt: c.SaidAt} }

// CheckBackRef names a check-back: its team, id and the time it was made.
type CheckBackRef struct {
	Team   string    `json:"team" dynamodbav:"team"`
	ID     string    `json:"id" dynamodbav:"id"`
	SaidAt time.Time `json:"saidAt" dynamodbav:"saidAt"`
}

// DoneBy says whether the manager marked the check-back done before t.
func (c CheckBack) DoneBy(t time.Time) bool {
	return c.Status == CheckBackDone && c.DoneAt.Before(t)
}

// AskedBy says whether the manager had been asked by t: its email went
// before t, or it was done, or put off, since. One whose email is still
// to go is not owed yet.
func (c CheckBack) AskedBy(t time.Time) bool {
	return c.DoneBy(t) || c.Round > 0 || !c.SentAt.IsZero() && c.SentAt.Before(t)
}
