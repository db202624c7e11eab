package care

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// TaskKind says what a scheduled task checks when it fires.
type TaskKind string

// Task kinds.
const (
	// RespondWarning fires before a response window closes: the agent is
	// warned while there is still time.
	RespondWarning TaskKind = "respond_warning"
	// RespondCheck fires when a customer's response window closes; if the
	// customer is still waiting, the assigned agent gets a reminder.
	RespondCheck TaskKind = "respond_check"
	// FollowUp fires N days after a solve: the agent gets the checklist.
	FollowUp TaskKind = "follow_up"
	// FollowUpCheck fires when the grace period after the follow-up ends.
	FollowUpCheck TaskKind = "follow_up_check"
	// CommitmentReminder fires a while before a promised due date.
	CommitmentReminder TaskKind = "commitment_reminder"
	// CommitmentCheck fires at the due date: kept or missed.
	CommitmentCheck TaskKind = "commitment_check"
	// SatisfactionAlert fires at once on a bad rating: the manager is told.
	SatisfactionAlert TaskKind = "satisfaction_alert"
)

// TaskStatus is where a task is in its life.
type TaskStatus string

// Task statuses.
const (
	TaskPending   TaskStatus = "pending"
	TaskDone      TaskStatus = "done"
	TaskCancelled TaskStatus = "cancelled"
)

// Task is a piece of follow-up work due at a time. Its ID is derived from
// what it is about, so deriving the same task twice gives the same ID and
// scheduling it is idempotent.
type Task struct {
	ID     string     `json:"id" dynamodbav:"id"`
	Ticket TicketRef  `json:"ticket" dynamodbav:"ticket"`
	Kind   TaskKind   `json:"kind" dynamodbav:"kind"`
	DueAt  time.Time  `json:"dueAt" dynamodbav:"dueAt"`
	Status TaskStatus `json:"status" dynamodbav:"status"`
	// Anchor is the interaction the task is about (e.g. the customer message
	// whose response window it watches).
	Anchor string `json:"anchor" dynamodbav:"anchor"`
	// Outcome says what firing did, for people reading the table.
	Outcome string `json:"outcome,omitempty" dynamodbav:"outcome,omitempty"`
	// Zone is the team's time zone: schedules are written in it.
	Zone string `json:"zone,omitempty" dynamodbav:"zone,omitempty"`
}

// NewTask builds a pending task with an ID derived from its ticket, kind and
// anchor. IDs fit EventBridge Scheduler's schedule-name rules
// ([0-9a-zA-Z-_.], at most 64 characters).
func NewTask(ref TicketRef, kind TaskKind, anchor string, due time.Time) Task {
	sum := sha256.Sum256([]byte(ref.Connection + "\x00" + ref.TicketID + "\x00" + string(kind) + "\x00" + anchor))
	return Task{
		ID:     "t-" + hex.EncodeToString(sum[:20]),
		Ticket: ref,
		Kind:   kind,
		DueAt:  due.UTC().Truncate(time.Second),
		Status: TaskPending,
		Anchor: anchor,
	}
}

// TicketRecord is everything stored under one ticket. Its state is the fold
// of its timeline: Fold(ref, rec.Timeline).
type TicketRecord struct {
	Timeline []Interaction // in event-time order
	Tasks    []Task
	Moments  []Moment
	Facts    []Fact
}

// TaskRef names one task: what the scheduler hands the fire function.
type TaskRef struct {
	Ticket TicketRef `json:"ticket"`
	ID     string    `json:"taskId"`
}
