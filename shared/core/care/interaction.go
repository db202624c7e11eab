// Package care is carecoach's domain core: help desk connections, the
// canonical interactions that every help desk normalizes into, ticket state as
// a fold over those interactions, and follow-up tasks. It imports no AWS or
// transport package; every function here is a function of its arguments.
package care

import (
	"fmt"
	"time"
)

// Source is the kind of help desk a delivery comes from.
type Source string

// The help desks carecoach understands.
const (
	Zendesk   Source = "zendesk"
	Freshdesk Source = "freshdesk"
)

// Valid reports whether s is a help desk carecoach understands.
func (s Source) Valid() bool { return s == Zendesk || s == Freshdesk }

// TicketRef names one ticket in one help desk connection.
type TicketRef struct {
	Connection string `json:"connection" dynamodbav:"connection"`
	TicketID   string `json:"ticketId" dynamodbav:"ticketId"`
}

func (r TicketRef) String() string { return r.Connection + "/" + r.TicketID }

// IsZero reports whether the reference names no ticket.
func (r TicketRef) IsZero() bool { return r.Connection == "" && r.TicketID == "" }

// Kind says what happened in one interaction.
type Kind string

// The canonical interaction kinds. Both help desks normalize into these.
const (
	TicketCreated   Kind = "ticket_created"
	CustomerMessage Kind = "customer_message" // public comment by the requester or a CC
	AgentReply      Kind = "agent_reply"      // public comment by staff
	InternalNote    Kind = "internal_note"    // private comment by staff
	StatusChanged   Kind = "status_changed"
	AssigneeChanged Kind = "assignee_changed"
	GroupChanged    Kind = "group_changed"
	PriorityChanged Kind = "priority_changed"
	TagsChanged     Kind = "tags_changed"
	DueDateChanged  Kind = "due_date_changed"
	Satisfaction    Kind = "satisfaction_rated"
	TicketMerged    Kind = "ticket_merged"
	TicketDeleted   Kind = "ticket_deleted"
	Unrecognized    Kind = "unrecognized" // stored and acknowledged, changes no state
	// ChangeUnread is a change of a kind carecoach models whose value could
	// not be read (Unread says why): its snapshot is folded like any other,
	// the change itself is not, rather than guessed. SourceID names the
	// help desk's event.
	ChangeUnread Kind = "change_unread"
)

// Status is a ticket's lifecycle state, the same words for every help desk.
type Status string

// Ticket statuses.
const (
	StatusNew     Status = "new"
	StatusOpen    Status = "open"
	StatusPending Status = "pending"
	StatusOnHold  Status = "on_hold"
	StatusSolved  Status = "solved"
	StatusClosed  Status = "closed"
)

// Resolved reports whether the ticket is solved or closed.
func (s Status) Resolved() bool { return s == StatusSolved || s == StatusClosed }

// Snapshot is what the help desk said the ticket looked like when the event
// happened. Zendesk sends one with every event; Freshdesk bodies carry the
// fields the admin pasted. Empty fields are unknown, not cleared.
type Snapshot struct {
	Subject     string   `json:"subject,omitempty" dynamodbav:"subject,omitempty"`
	Status      Status   `json:"status,omitempty" dynamodbav:"status,omitempty"`
	RequesterID string   `json:"requesterId,omitempty" dynamodbav:"requesterId,omitempty"`
	AssigneeID  string   `json:"assigneeId,omitempty" dynamodbav:"assigneeId,omitempty"`
	GroupID     string   `json:"groupId,omitempty" dynamodbav:"groupId,omitempty"`
	Priority    string   `json:"priority,omitempty" dynamodbav:"priority,omitempty"`
	Tags        []string `json:"tags,omitempty" dynamodbav:"tags,omitempty"`
}

// Interaction is one thing that happened on a ticket, in the same shape for
// every help desk. Its ID is stable across duplicate deliveries, so storing it
// twice is harmless.
type Interaction struct {
	ID string `json:"id" dynamodbav:"id"`
	// Key is the fact's natural key, the same whichever transport (a
	// webhook, the help desk's API) delivered it; see fact.go. Empty for
	// facts only one transport knows: the id stands in.
	Key      string    `json:"key,omitempty" dynamodbav:"key,omitempty"`
	Ticket   TicketRef `json:"ticket" dynamodbav:"ticket"`
	Kind     Kind      `json:"kind" dynamodbav:"kind"`
	At       time.Time `json:"at" dynamodbav:"at"`
	SourceID string    `json:"sourceId,omitempty" dynamodbav:"sourceId,omitempty"` // the help desk's event type, kept for unrecognized events

	ActorID   string `json:"actorId,omitempty" dynamodbav:"actorId,omitempty"`
	ActorName string `json:"actorName,omitempty" dynamodbav:"actorName,omitempty"`
	// FromRequester is true when a customer message was written by the
	// ticket's requester rather than a CC or follower.
	FromRequester bool   `json:"fromRequester,omitempty" dynamodbav:"fromRequester,omitempty"`
	Body          string `json:"body,omitempty" dynamodbav:"body,omitempty"`

	// Change data: which fields are set depends on Kind.
	Status     Status    `json:"status,omitempty" dynamodbav:"status,omitempty"`
	AssigneeID string    `json:"assigneeId,omitempty" dynamodbav:"assigneeId,omitempty"`
	GroupID    string    `json:"groupId,omitempty" dynamodbav:"groupId,omitempty"`
	Priority   string    `json:"priority,omitempty" dynamodbav:"priority,omitempty"`
	Tags       []string  `json:"tags,omitempty" dynamodbav:"tags,omitempty"`
	DueAt      time.Time `json:"dueAt,omitzero" dynamodbav:"dueAt,omitempty"`
	Rating     string    `json:"rating,omitempty" dynamodbav:"rating,omitempty"` // "good" | "bad"
	MergedInto string    `json:"mergedInto,omitempty" dynamodbav:"mergedInto,omitempty"`

	Snapshot Snapshot `json:"snapshot,omitzero" dynamodbav:"snapshot"`

	// Unread lists the fields of the delivery that could not be read, each
	// as "field: why". The interaction holds what could be read: a field
	// that cannot be read makes an event partial, not dead.
	Unread []string `json:"unread,omitempty" dynamodbav:"unread,omitempty"`
}

// Validate reports the first thing that makes the interaction unusable.
func (in Interaction) Validate() error {
	switch {
	case in.ID == "":
		return fmt.Errorf("interaction has no id")
	case in.Ticket.Connection == "" || in.Ticket.TicketID == "":
		return fmt.Errorf("interaction %s names no ticket", in.ID)
	case in.Kind == "":
		return fmt.Errorf("interaction %s has no kind", in.ID)
	case in.At.IsZero():
		return fmt.Errorf("interaction %s has no time", in.ID)
	}
	return nil
}
