package care

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Behaviour names a playbook behaviour.
type Behaviour string

// The behaviours.
const (
	Respond      Behaviour = "respond"
	FollowUpDone Behaviour = "follow_up"
	Commitment   Behaviour = "commitment"
	Escalate     Behaviour = "escalation"
	Delight      Behaviour = "satisfaction"
)

// Label names the behaviour for people, the same in every email, the
// digest, the dashboard and the scorecards: the playbook's own names.
func (b Behaviour) Label() string {
	switch b {
	case Respond:
		return "response"
	case FollowUpDone:
		return "follow-up"
	case Commitment:
		return "commitment"
	case Escalate:
		return "escalation"
	case Delight:
		return "satisfaction"
	}
	return strings.ReplaceAll(string(b), "_", " ")
}

// MomentKind says whether a moment is worth praise or coaching.
type MomentKind string

// Moment kinds.
const (
	Praise   MomentKind = "praise"
	Coaching MomentKind = "coaching"
)

// Moment is one specific instance worth a manager's word: a named ticket,
// what the agent did (or did not do), when, and the customer's words.
type Moment struct {
	ID        string     `json:"id" dynamodbav:"id"`
	Ticket    TicketRef  `json:"ticket" dynamodbav:"ticket"`
	Team      string     `json:"team" dynamodbav:"team"`
	Behaviour Behaviour  `json:"behaviour" dynamodbav:"behaviour"`
	Kind      MomentKind `json:"kind" dynamodbav:"kind"`
	// AgentID is the agent's user id in the ticket's connection.
	AgentID string    `json:"agentId" dynamodbav:"agentId"`
	At      time.Time `json:"at" dynamodbav:"at"`
	Subject string    `json:"subject,omitempty" dynamodbav:"subject,omitempty"`
	// What happened, as a sentence a manager can read and repeat.
	What string `json:"what" dynamodbav:"what"`
	// Quote is the customer's own words, if any.
	Quote string `json:"quote,omitempty" dynamodbav:"quote,omitempty"`
	// Anchor is what the moment is about within its behaviour: the
	// customer message of a response window, the solve of a follow-up, the
	// due date of a commitment, the rating.
	Anchor string `json:"anchor,omitempty" dynamodbav:"anchor,omitempty"`

	// WithdrawnAt is when evidence that reached carecoach late showed the
	// moment did not happen as recorded, and WithdrawnWhy says what; zero
	// while the moment stands. A withdrawn moment is kept, off the team's
	// index, so that a digest that named it can say so.
	WithdrawnAt  time.Time `json:"withdrawnAt,omitzero" dynamodbav:"withdrawnAt,omitempty"`
	WithdrawnWhy string    `json:"withdrawnWhy,omitempty" dynamodbav:"withdrawnWhy,omitempty"`
}

// Withdrawn reports whether late evidence withdrew the moment.
func (m Moment) Withdrawn() bool { return !m.WithdrawnAt.IsZero() }

// NewMoment builds a moment whose ID is derived from the ticket, the
// behaviour and the anchor, so deriving it again gives the same moment.
func NewMoment(ref TicketRef, b Behaviour, kind MomentKind, anchor string) Moment {
	sum := sha256.Sum256([]byte(ref.Connection + "\x00" + ref.TicketID + "\x00" + string(b) + "\x00" + string(kind) + "\x00" + anchor))
	return Moment{ID: "m-" + hex.EncodeToString(sum[:16]), Ticket: ref, Behaviour: b, Kind: kind, Anchor: anchor}
}

// FactKind names a countable event for the team's trends.
type FactKind string

// Fact kinds.
const (
	FactSolved   FactKind = "solved"
	FactReopened FactKind = "reopened"
	FactRated    FactKind = "rated"
	// FactResponded is a customer message answered (or closed by a solve),
	// with how long the customer waited: the response times of scorecards.
	FactResponded FactKind = "responded"
	// FactFollowUpDue is a follow-up that came due (solve + followUp.after,
	// in business hours): the "due" of a scorecard's follow-ups.
	FactFollowUpDue FactKind = "follow_up_due"
)

// Fact is a countable event on a ticket (solved, reopened, rated), stored
// once and counted per team and period for the digest's trends.
type Fact struct {
	ID     string    `json:"id" dynamodbav:"id"`
	Ticket TicketRef `json:"ticket" dynamodbav:"ticket"`
	Team   string    `json:"team" dynamodbav:"team"`
	Kind   FactKind  `json:"kind" dynamodbav:"kind"`
	At     time.Time `json:"at" dynamodbav:"at"`
	Rating string    `json:"rating,omitempty" dynamodbav:"rating,omitempty"`
	Tags   []string  `json:"tags,omitempty" dynamodbav:"tags,omitempty"`
	// AgentID is the agent the fact counts for (user id in the ticket's
	// connection): who answered, who solved, whose rating or follow-up.
	AgentID string `json:"agentId,omitempty" dynamodbav:"agentId,omitempty"`
	// Waited is how long the customer waited, for a responded fact; First
	// marks the ticket's first response and BySolve a solve without reply.
	Waited  time.Duration `json:"waited,omitempty" dynamodbav:"waited,omitempty"`
	First   bool          `json:"first,omitempty" dynamodbav:"first,omitempty"`
	BySolve bool          `json:"bySolve,omitempty" dynamodbav:"bySolve,omitempty"`
	// Anchor is what the fact counts: for a responded fact, the customer
	// message (the anchor of its response window's moments).
	Anchor string `json:"anchor,omitempty" dynamodbav:"anchor,omitempty"`
}

// NewFact builds a fact whose id is derived from what it counts.
func NewFact(ref TicketRef, kind FactKind, anchor string, at time.Time) Fact {
	sum := sha256.Sum256([]byte(ref.Connection + "\x00" + ref.TicketID + "\x00" + string(kind) + "\x00" + anchor))
	return Fact{ID: "f-" + hex.EncodeToString(sum[:16]), Ticket: ref, Kind: kind, At: at, Anchor: anchor}
}
