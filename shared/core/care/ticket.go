package care

import (
	"cmp"
	"slices"
	"strings"
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
	// AwaitingMessage is the fact key of that customer message (FactOf).
	AwaitingMessage string `json:"awaitingMessage,omitempty" dynamodbav:"awaitingMessage,omitempty"`

	LastCustomerMessageAt time.Time `json:"lastCustomerMessageAt,omitzero" dynamodbav:"lastCustomerMessageAt,omitempty"`
	LastAgentReplyAt      time.Time `json:"lastAgentReplyAt,omitzero" dynamodbav:"lastAgentReplyAt,omitempty"`
	FirstReplyAt          time.Time `json:"firstReplyAt,omitzero" dynamodbav:"firstReplyAt,omitempty"`
	SolvedAt              time.Time `json:"solvedAt,omitzero" dynamodbav:"solvedAt,omitempty"`
	ReopenedAt            time.Time `json:"reopenedAt,omitzero" dynamodbav:"reopenedAt,omitempty"`
	Reopens               int       `json:"reopens,omitempty" dynamodbav:"reopens,omitempty"`
	// Solves and Reopenings are every solve and reopen, in time order:
	// each is counted (playbook.Facts) whatever order the timeline
	// arrived in, e.g. a solve and its reopen both read late from the
	// help desk's API.
	Solves        []Solve     `json:"solves,omitempty" dynamodbav:"solves,omitempty"`
	Reopenings    []time.Time `json:"reopenings,omitempty" dynamodbav:"reopenings,omitempty"`
	DueAt         time.Time   `json:"dueAt,omitzero" dynamodbav:"dueAt,omitempty"`
	Rating        string      `json:"rating,omitempty" dynamodbav:"rating,omitempty"`
	RatingComment string      `json:"ratingComment,omitempty" dynamodbav:"ratingComment,omitempty"`
	MergedInto    string      `json:"mergedInto,omitempty" dynamodbav:"mergedInto,omitempty"`
	Deleted       bool        `json:"deleted,omitempty" dynamodbav:"deleted,omitempty"`

	// RequesterName is how the customer signs their messages.
	RequesterName string `json:"requesterName,omitempty" dynamodbav:"requesterName,omitempty"`
	// Responses are the customer messages that were answered (or closed by
	// solving the ticket), with how long each waited: the response times.
	Responses []Response `json:"responses,omitempty" dynamodbav:"responses,omitempty"`
	// SolvedBy is the agent who owned the ticket when it was last solved.
	SolvedBy string `json:"solvedBy,omitempty" dynamodbav:"solvedBy,omitempty"`
	// FollowedUpAt is when the agent last followed up after a solve: the
	// followed-up tag, a "follow-up:" note or a public reply while solved.
	FollowedUpAt time.Time `json:"followedUpAt,omitzero" dynamodbav:"followedUpAt,omitempty"`
	FollowUpVia  string    `json:"followUpVia,omitempty" dynamodbav:"followUpVia,omitempty"`
	// FollowUpFor is the solve (its SolvedAt) that follow-up answers; a
	// follow-up of an earlier solve does not count for a later one.
	FollowUpFor time.Time `json:"followUpFor,omitzero" dynamodbav:"followUpFor,omitempty"`
	// DueSetAt is when the current due date (the commitment) was promised;
	// CommitmentKeptAt when it was kept (a public reply or a solve in time).
	DueSetAt         time.Time `json:"dueSetAt,omitzero" dynamodbav:"dueSetAt,omitempty"`
	CommitmentKeptAt time.Time `json:"commitmentKeptAt,omitzero" dynamodbav:"commitmentKeptAt,omitempty"`
	// Escalations are group reassignments and priority raises while open.
	Escalations []Escalation `json:"escalations,omitempty" dynamodbav:"escalations,omitempty"`
	// RatingAt and RatingID (its fact key, FactOf) locate the latest
	// satisfaction rating.
	RatingAt time.Time `json:"ratingAt,omitzero" dynamodbav:"ratingAt,omitempty"`
	RatingID string    `json:"ratingId,omitempty" dynamodbav:"ratingId,omitempty"`

	// Interactions counts the interactions folded into this state.
	Interactions int `json:"interactions" dynamodbav:"interactions"`
}

// Fold derives a ticket's state from its interactions, whatever order they
// are given in: they are applied in event-time order (see SortTimeline).
//
// Each interaction carries the help desk's snapshot of the ticket after the
// update it belongs to. When that snapshot's status differs from the state
// so far and no status change to it was delivered for the same instant, the
// transition happened but its own event never arrived (a dropped webhook):
// it is inferred at the interaction's time, and the interaction's own change
// counts after it. So a ticket tagged followed-up whose snapshot says solved,
// after a reopen whose re-solve was never delivered, is a solved ticket that
// was followed up. One exception: a public reply is applied before a solve
// inferred from its own snapshot, because replying and solving in one update
// ("Submit as Solved") is how most tickets are closed, and such a reply
// answers the customer; it is no follow-up of a solve that came with it.
// When the status change for the same instant was delivered, the update's
// other changes are applied first, in the state before it, and the
// delivered change last.
//
// Copies of one fact (a webhook and the same fact read from the help
// desk's API) count once: see Distinct.
func Fold(ref TicketRef, timeline []Interaction) Ticket {
	ordered := slices.Clone(Distinct(timeline))
	SortTimeline(ordered)
	delivered := map[transition]bool{}
	for _, in := range ordered {
		if in.Kind == StatusChanged && in.Status != "" {
			delivered[transition{in.At.UnixNano(), in.Status}] = true
		}
	}
	t := Ticket{Ref: ref}
	for _, in := range ordered {
		t.apply(in, delivered)
	}
	return t
}

// transition is a status change delivered at an instant.
type transition struct {
	at int64
	to Status
}

// SortTimeline orders interactions by event time, in place. At the same
// instant (one update in the help desk) status changes come after the other
// changes, then the order is by id, so the result never depends on the
// order of delivery.
func SortTimeline(timeline []Interaction) {
	slices.SortStableFunc(timeline, func(a, b Interaction) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if as, bs := a.Kind == StatusChanged, b.Kind == StatusChanged; as != bs {
			if as {
				return 1
			}
			return -1
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

func (t *Ticket) apply(in Interaction, delivered map[transition]bool) {
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
	prevGroup, prevPriority, prevTags := t.GroupID, t.Priority, t.Tags
	t.applySnapshot(in.Snapshot)

	// The transition the snapshot implies, if it was never delivered.
	next := in.Snapshot.Status
	if in.Kind == StatusChanged && in.Status != "" {
		next = "" // the event says what the status became
	}
	inferred := next != "" && next != t.Status && !delivered[transition{in.At.UnixNano(), next}]
	replyFirst := inferred && in.Kind == AgentReply && next.Resolved() && !t.Status.Resolved()
	// solvedHere: a solve inferred from this very event, which its own
	// changes (a tag, a note) count after.
	solvedHere := false
	if inferred && !replyFirst {
		solvedHere = t.setStatus(next, in.At) && next == StatusSolved
	}

	switch in.Kind {
	case CustomerMessage:
		t.LastCustomerMessageAt = in.At
		if in.ActorName != "" && (in.FromRequester || in.ActorID != "" && in.ActorID == t.RequesterID) {
			t.RequesterName = in.ActorName
		}
		if t.AwaitingSince.IsZero() {
			t.AwaitingSince, t.AwaitingMessage = in.At, FactOf(in)
		}
	case AgentReply:
		t.LastAgentReplyAt = in.At
		if t.FirstReplyAt.IsZero() {
			t.FirstReplyAt = in.At
		}
		if t.Status.Resolved() {
			t.followedUp(in.At, "a public reply after the ticket was solved", false)
		}
		t.keepCommitment(in.At)
		t.answered(in.At, in.ActorID, false)
		if replyFirst {
			t.setStatus(next, in.At)
		}
	case InternalNote:
		if t.Status.Resolved() && strings.HasPrefix(strings.ToLower(strings.TrimSpace(in.Body)), "follow-up:") {
			t.followedUp(in.At, "a follow-up: note", solvedHere)
		}
	case StatusChanged:
		t.setStatus(cmp.Or(in.Status, in.Snapshot.Status), in.At)
	case AssigneeChanged:
		t.AssigneeID = in.AssigneeID
	case GroupChanged:
		t.GroupID = in.GroupID
		if prevGroup != "" && in.GroupID != "" && in.GroupID != prevGroup {
			t.escalated(in, "group", prevGroup, in.GroupID)
		}
	case PriorityChanged:
		t.Priority = in.Priority
		if PriorityRank(in.Priority) > PriorityRank(prevPriority) && PriorityRank(prevPriority) > 0 {
			t.escalated(in, "priority", prevPriority, in.Priority)
		}
	case TagsChanged:
		t.Tags = slices.Clone(in.Tags)
	case DueDateChanged:
		t.DueAt, t.DueSetAt, t.CommitmentKeptAt = in.DueAt, in.At, time.Time{}
	case Satisfaction:
		// Feedback without a recognizable rating (Freshdesk has no rating
		// placeholder) keeps the rating already known.
		if in.Rating != "" {
			t.Rating, t.RatingAt, t.RatingID = in.Rating, in.At, FactOf(in)
		}
		if in.Body != "" {
			t.RatingComment = in.Body
		}
	case TicketMerged:
		t.MergedInto = in.MergedInto
	case TicketDeleted:
		t.Deleted = true
	}
	// ChangeUnread: the snapshot (above) is all that could be read.
	if t.Status.Resolved() && slices.Contains(t.Tags, FollowedUpTag) && !slices.Contains(prevTags, FollowedUpTag) {
		t.followedUp(in.At, "the "+FollowedUpTag+" tag", solvedHere)
	}
}

// FollowedUpTag marks a solved ticket as followed up.
const FollowedUpTag = "followed-up"

// FollowedUp reports whether the agent followed up after the latest solve.
func (t Ticket) FollowedUp() bool {
	return !t.SolvedAt.IsZero() && !t.FollowedUpAt.IsZero() && t.FollowUpFor.Equal(t.SolvedAt)
}

// followedUp records a follow-up at `at`, if it comes after the latest
// solve (or with it, when the solve was inferred from the same event) and
// the solve has none yet.
func (t *Ticket) followedUp(at time.Time, via string, withInferredSolve bool) {
	after := at.After(t.SolvedAt) || withInferredSolve && at.Equal(t.SolvedAt)
	if !t.SolvedAt.IsZero() && after && !t.FollowedUp() {
		t.FollowedUpAt, t.FollowUpVia, t.FollowUpFor = at, via, t.SolvedAt
	}
}

// keepCommitment records that the agent acted on the ticket while a
// promised due date was still ahead.
func (t *Ticket) keepCommitment(at time.Time) {
	if !t.DueAt.IsZero() && t.CommitmentKeptAt.IsZero() && at.After(t.DueSetAt) && !at.After(t.DueAt) {
		t.CommitmentKeptAt = at
	}
}

func (t *Ticket) escalated(in Interaction, kind, from, to string) {
	if t.Status.Resolved() {
		return
	}
	stuckSince := t.AwaitingSince
	if stuckSince.IsZero() {
		stuckSince = t.CreatedAt
	}
	t.Escalations = append(t.Escalations, Escalation{
		ID: FactOf(in), At: in.At, Kind: kind, From: from, To: to, ActorID: in.ActorID, AgentID: t.AssigneeID, StuckSince: stuckSince,
	})
}

// applySnapshot takes what the help desk reported at that moment, except the
// status (see apply). Because interactions are applied in event-time order,
// the latest snapshot wins.
func (t *Ticket) applySnapshot(s Snapshot) {
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
}

// setStatus moves the ticket to status s at `at`; it reports whether the
// status changed.
func (t *Ticket) setStatus(s Status, at time.Time) bool {
	if s == "" || s == t.Status {
		return false
	}
	wasResolved := t.Status.Resolved()
	t.Status = s
	switch {
	case s == StatusSolved:
		t.SolvedAt, t.SolvedBy = at, t.AssigneeID
		t.Solves = append(t.Solves, Solve{At: at, By: t.AssigneeID, Tags: slices.Clone(t.Tags)})
		t.keepCommitment(at)
	case wasResolved && !s.Resolved():
		t.ReopenedAt = at
		t.Reopens++
		t.Reopenings = append(t.Reopenings, at)
	}
	// A resolved ticket has nobody waiting on it: solving closes the
	// response window. A bare pending / on-hold change does not; it counts as
	// a response only with a public reply, which clears the wait by itself.
	if s.Resolved() {
		t.answered(at, t.AssigneeID, true)
	}
	return true
}

// answered records that the waiting customer has had a public response
// (or that the ticket was solved), and how long they waited.
func (t *Ticket) answered(at time.Time, agentID string, bySolve bool) {
	if t.AwaitingSince.IsZero() {
		return
	}
	t.Responses = append(t.Responses, Response{
		Message: t.AwaitingMessage, AskedAt: t.AwaitingSince, AnsweredAt: at, AgentID: agentID, BySolve: bySolve,
	})
	t.AwaitingSince, t.AwaitingMessage = time.Time{}, ""
}

// Solve is one time the ticket was solved: by whom (its assignee then) and
// with which tags (its topics).
type Solve struct {
	At   time.Time `json:"at" dynamodbav:"at"`
	By   string    `json:"by,omitempty" dynamodbav:"by,omitempty"`
	Tags []string  `json:"tags,omitempty" dynamodbav:"tags,omitempty"`
}

// Response is one customer message and the answer it got.
type Response struct {
	Message    string    `json:"message" dynamodbav:"message"`
	AskedAt    time.Time `json:"askedAt" dynamodbav:"askedAt"`
	AnsweredAt time.Time `json:"answeredAt" dynamodbav:"answeredAt"`
	AgentID    string    `json:"agentId,omitempty" dynamodbav:"agentId,omitempty"`
	// BySolve is true when the ticket was solved without a public reply.
	BySolve bool `json:"bySolve,omitempty" dynamodbav:"bySolve,omitempty"`
}

// Waited is how long the customer waited.
func (r Response) Waited() time.Duration { return r.AnsweredAt.Sub(r.AskedAt) }

// Escalation is a reassignment to another group or a priority raise on an
// open ticket.
type Escalation struct {
	ID         string    `json:"id" dynamodbav:"id"` // the interaction's fact key (FactOf)
	At         time.Time `json:"at" dynamodbav:"at"`
	Kind       string    `json:"kind" dynamodbav:"kind"` // group | priority
	From       string    `json:"from" dynamodbav:"from"`
	To         string    `json:"to" dynamodbav:"to"`
	ActorID    string    `json:"actorId,omitempty" dynamodbav:"actorId,omitempty"`
	AgentID    string    `json:"agentId,omitempty" dynamodbav:"agentId,omitempty"` // assignee at the time
	StuckSince time.Time `json:"stuckSince" dynamodbav:"stuckSince"`
}

// PriorityRank orders priorities of both help desks; 0 is unknown.
func PriorityRank(p string) int {
	switch strings.ToLower(p) {
	case "low":
		return 1
	case "normal", "medium":
		return 2
	case "high":
		return 3
	case "urgent":
		return 4
	}
	return 0
}
