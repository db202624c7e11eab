package care

import (
	"slices"
	"time"
)

// Ticket is the state of one ticket, derived by folding its interactions in
// event-time order. Because it is always recomputed from the whole timeline,
// the same interactions delivered twice or out of order give the same state.
type Ticket struct {
	Ref         TicketRef `json:"ref" dynamodbav:"ref"`
	Subject     string    `json:"subject,omitempty" dynamodbav:"subject,omitempty"`
	Status      Status    `json:"status,omitempty" dynamodbav:"status,omitempty"`
	RequesterID string    `json:"requesterId,omitempty" dynamodbav:"requesterId,omitempty"`
	AssigneeID  string    `json:"assigneeId,omitempty" dynamodbav:"assigneeId,omitempty"`
	GroupID     string    `json:"groupId,omitempty" dynamodbav:"groupId,omitempty"`
	Priority    string    `json:"priority,omitempty" dynamodbav:"priority,omitempty"`
	Tags        []string  `json:"tags,omitempty" dynamodbav:"tags,omitempty"`

	CreatedAt time.Time `json:"createdAt,omitzero" dynamodbav:"createdAt,omitempty"`
	UpdatedAt time.Time `json:"updatedAt,omitzero" dynamodbav:"updatedAt,omitempty"`

	// AwaitingSince is the time of the oldest customer message that no public
	// agent response has answered yet; zero when nothing is waiting.
	AwaitingSince time.Time `json:"awaitingSince,omitzero" dynamodbav:"awaitingSince,omitempty"`
	// AwaitingMessage is the id of that customer message.
	AwaitingMessage string `json:"awaitingMessage,omitempty" dynamodbav:"awaitingMessage,omitempty"`

	LastCustomerMessageAt time.Time `json:"lastCustomerMessageAt,omitzero" dynamodbav:"lastCustomerMessageAt,omitempty"`
	LastAgentReplyAt      time.Time `json:"lastAgentReplyAt,omitzero" dynamodbav:"lastAgentReplyAt,omitempty"`
	FirstReplyAt          time.Time `json:"firstReplyAt,omitzero" dynamodbav:"firstReplyAt,omitempty"`
	SolvedAt              time.Time `json:"solvedAt,omitzero" dynamodbav:"solvedAt,omitempty"`
	ReopenedAt            time.Time `json:"reopenedAt,omitzero" dynamodbav:"reopenedAt,omitempty"`
	Reopens               int       `json:"reopens,omitempty" dynamodbav:"reopens,omitempty"`
	DueAt                 time.Time `json:"dueAt,omitzero" dynamodbav:"dueAt,omitempty"`
	Rating                string    `json:"rating,omitempty" dynamodbav:"rating,omitempty"`
	RatingComment         string    `json:"ratingComment,omitempty" dynamodbav:"ratingComment,omitempty"`
	MergedInto            string    `json:"mergedInto,omitempty" dynamodbav:"mergedInto,omitempty"`
	Deleted               bool      `json:"deleted,omitempty" dynamodbav:"deleted,omitempty"`

	// Interactions counts the interactions folded into this state.
	Interactions int `json:"interactions" dynamodbav:"interactions"`
}

// Fold derives a ticket's state from its interactions, whatever order they
// are given in: they are applied in event-time order (ties broken by id).
func Fold(ref TicketRef, timeline []Interaction) Ticket {
	ordered := slices.Clone(timeline)
	SortTimeline(ordered)
	t := Ticket{Ref: ref}
	for _, in := range ordered {
		t.apply(in)
	}
	return t
}

// SortTimeline orders interactions by event time, then id, in place.
func SortTimeline(timeline []Interaction) {
	slices.SortStableFunc(timeline, func(a, b Interaction) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
}

func (t *Ticket) apply(in Interaction) {
	t.Interactions++
	if in.Kind == Unrecognized {
		return
	}
	if t.CreatedAt.IsZero() || in.Kind == TicketCreated && in.At.Before(t.CreatedAt) {
		t.CreatedAt = in.At
	}
	if in.At.After(t.UpdatedAt) {
		t.UpdatedAt = in.At
	}
	t.applySnapshot(in.Snapshot, in.At)

	switch in.Kind {
	case CustomerMessage:
		t.LastCustomerMessageAt = in.At
		if t.AwaitingSince.IsZero() {
			t.AwaitingSince, t.AwaitingMessage = in.At, in.ID
		}
	case AgentReply:
		t.LastAgentReplyAt = in.At
		if t.FirstReplyAt.IsZero() {
			t.FirstReplyAt = in.At
		}
		t.answered()
	case InternalNote:
		// A note is not an answer to the customer.
	case StatusChanged:
		t.setStatus(in.Status, in.At)
	case AssigneeChanged:
		t.AssigneeID = in.AssigneeID
	case GroupChanged:
		t.GroupID = in.GroupID
	case PriorityChanged:
		t.Priority = in.Priority
	case TagsChanged:
		t.Tags = slices.Clone(in.Tags)
	case DueDateChanged:
		t.DueAt = in.DueAt
	case Satisfaction:
		// Feedback without a recognizable rating (Freshdesk has no rating
		// placeholder) keeps the rating already known.
		if in.Rating != "" {
			t.Rating = in.Rating
		}
		if in.Body != "" {
			t.RatingComment = in.Body
		}
	case TicketMerged:
		t.MergedInto = in.MergedInto
	case TicketDeleted:
		t.Deleted = true
	}
}

// applySnapshot takes what the help desk reported at that moment. Because
// interactions are applied in event-time order, the latest snapshot wins.
func (t *Ticket) applySnapshot(s Snapshot, at time.Time) {
	if s.Subject != "" {
		t.Subject = s.Subject
	}
	if s.RequesterID != "" {
		t.RequesterID = s.RequesterID
	}
	if s.AssigneeID != "" {
		t.AssigneeID = s.AssigneeID
	}
	if s.GroupID != "" {
		t.GroupID = s.GroupID
	}
	if s.Priority != "" {
		t.Priority = s.Priority
	}
	if s.Tags != nil {
		t.Tags = slices.Clone(s.Tags)
	}
	if s.Status != "" {
		t.setStatus(s.Status, at)
	}
}

func (t *Ticket) setStatus(s Status, at time.Time) {
	if s == "" || s == t.Status {
		return
	}
	wasResolved := t.Status.Resolved()
	t.Status = s
	switch {
	case s == StatusSolved:
		t.SolvedAt = at
	case wasResolved && !s.Resolved():
		t.ReopenedAt = at
		t.Reopens++
	}
	// A resolved ticket has nobody waiting on it: solving closes the
	// response window. A bare pending / on-hold change does not; it counts as
	// a response only with a public reply, which clears the wait by itself.
	if s.Resolved() {
		t.answered()
	}
}

// answered records that the customer has had a public response.
func (t *Ticket) answered() {
	t.AwaitingSince, t.AwaitingMessage = time.Time{}, ""
}
