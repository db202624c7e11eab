package emf

// Metric names the project counts. Every one is a count (unit Count), summed
// per invocation and flushed once at its end.
const (
	// Deliveries counts help desk webhook deliveries that ingest accepted and
	// stored as new raw deliveries.
	Deliveries = "Deliveries"
	// Duplicates counts deliveries whose dedupe key was already stored, so
	// ingest answered 202 and wrote nothing.
	Duplicates = "Duplicates"
	// Rejected counts deliveries ingest refused before storing anything: a bad
	// signature or secret, an unknown connection, a malformed body, a wrong
	// content type or an oversized body.
	Rejected = "Rejected"
	// DeadLettered counts deliveries that process can never handle and kept as
	// dead letters, with their reason.
	DeadLettered = "DeadLettered"
	// Moments counts praise and coaching moments recorded on tickets.
	Moments = "Moments"
	// TasksScheduled counts one-time schedules created for tasks when process
	// reconciles the tasks a ticket should have with those it has.
	TasksScheduled = "TasksScheduled"
	// TasksFired counts task firings handled by fire, whether or not they led
	// to an email.
	TasksFired = "TasksFired"
	// EmailsSent counts emails handed to SES: warnings, reminders, checklists
	// and alerts.
	EmailsSent = "EmailsSent"
	// RepliesAccepted counts manager email replies that were verified and
	// acted on.
	RepliesAccepted = "RepliesAccepted"
	// RepliesRejected counts inbound email replies refused: a forged or
	// expired reply token, an unknown sender, or a reply that could not be
	// understood.
	RepliesRejected = "RepliesRejected"
	// DigestsSent counts manager digest emails sent.
	DigestsSent = "DigestsSent"
)
