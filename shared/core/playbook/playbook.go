// Package playbook holds the team's agreed behaviours as pure functions of
// (ticket state, now, settings). Each behaviour lives in its own file with
// its tests beside it: respond.go, followup.go, commitments.go,
// escalation.go, satisfaction.go. Nothing here stores, sends or schedules:
// callers get back which tasks should exist, which moments happened and
// what a due task should do, and act on it.
//
// Why state, not "the new event": each behaviour derives its tasks and
// moments from the ticket as folded from its whole timeline. Deliveries
// arrive duplicated and out of order; deriving from state makes the
// outcome independent of arrival order, and deterministic ids make storing
// a task or a moment twice harmless.
package playbook

import (
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Playbook is one team's settings, defaults applied.
type Playbook struct {
	Team     string
	Location *time.Location
	Hours    *Hours // nil: every hour is a business hour

	ResponseWindow time.Duration
	WarnAt         float64 // share of the window after which the agent is warned
	FastAnswer     time.Duration

	FollowUpOn    bool
	FollowUpAfter time.Duration
	FollowUpGrace time.Duration
	Checklist     []string

	CommitmentsOn bool
	RemindBefore  time.Duration

	QuickEscalation time.Duration

	PraiseGoodRating bool
	AlertBadRating   bool

	FeedbackCadence time.Duration
	PraiseRatio     float64
	DigestDay       time.Weekday
	DigestTime      string
}

// The seeds' defaults.
const (
	DefaultResponseWindow  = 24 * time.Hour
	DefaultWarnAt          = 0.8
	DefaultFastAnswer      = time.Hour
	DefaultFollowUpAfter   = 7 * 24 * time.Hour
	DefaultFollowUpGrace   = 2 * 24 * time.Hour
	DefaultRemindBefore    = 2 * time.Hour
	DefaultQuickEscalation = 4 * time.Hour
	DefaultFeedbackCadence = 14 * 24 * time.Hour
	DefaultPraiseRatio     = 3.0
	DefaultDigestTime      = "08:00"
)

// DefaultChecklist is the follow-up protocol when a team writes none.
var DefaultChecklist = []string{
	"Is everything working the way you expected since we solved this?",
	"Is there anything else we can help you with?",
	"How did we do? What could we have done better?",
}

// Default is the playbook the seeds recommend.
func Default() Playbook { return ForTeam(care.Team{}) }

// ForTeam is the default playbook with a team's settings applied.
func ForTeam(t care.Team) Playbook {
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil || t.TimeZone == "" {
		loc = time.UTC
	}
	p := Playbook{
		Team: t.ID, Location: loc, Hours: newHours(t.BusinessHours),
		ResponseWindow: or(time.Duration(t.Respond.Window), DefaultResponseWindow),
		WarnAt:         float64(t.Respond.WarnAt),
		FastAnswer:     or(time.Duration(t.Respond.FastAnswer), DefaultFastAnswer),
		FollowUpOn:     !t.FollowUp.Off,
		FollowUpAfter:  or(time.Duration(t.FollowUp.After), DefaultFollowUpAfter),
		FollowUpGrace:  or(time.Duration(t.FollowUp.Grace), DefaultFollowUpGrace),
		Checklist:      t.FollowUp.Checklist,
		CommitmentsOn:  !t.Commitments.Off,
		RemindBefore:   or(time.Duration(t.Commitments.RemindBefore), DefaultRemindBefore),

		QuickEscalation:  or(time.Duration(t.Escalation.QuickWithin), DefaultQuickEscalation),
		PraiseGoodRating: !t.Satisfaction.NoPraise,
		AlertBadRating:   !t.Satisfaction.NoAlert,
		FeedbackCadence:  or(time.Duration(t.Feedback.Cadence), DefaultFeedbackCadence),
		PraiseRatio:      t.Feedback.PraiseRatio,
		DigestDay:        time.Monday,
		DigestTime:       t.Digest.Time,
	}
	if p.WarnAt == 0 {
		p.WarnAt = DefaultWarnAt
	}
	if len(p.Checklist) == 0 {
		p.Checklist = DefaultChecklist
	}
	if p.PraiseRatio == 0 {
		p.PraiseRatio = DefaultPraiseRatio
	}
	if d, ok := care.Weekday(t.Digest.Day); ok {
		p.DigestDay = d
	}
	if p.DigestTime == "" {
		p.DigestTime = DefaultDigestTime
	}
	return p
}

func or(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

// Desired lists the tasks that should be pending for a ticket in its current
// state, from every behaviour.
func (p Playbook) Desired(t care.Ticket) []care.Task {
	var tasks []care.Task
	for _, b := range []func(care.Ticket) []care.Task{p.respondTasks, p.followUpTasks, p.commitmentTasks, p.satisfactionTasks} {
		tasks = append(tasks, b(t)...)
	}
	for i := range tasks {
		tasks[i].Zone = p.Location.String()
	}
	return tasks
}

// Moments lists every moment the ticket holds at `now`, from every
// behaviour. Some appear only once time has passed (a window closed with
// the customer still waiting); deriving again later returns the same ids.
func (p Playbook) Moments(t care.Ticket, now time.Time) []care.Moment {
	var ms []care.Moment
	for _, b := range []func(care.Ticket, time.Time) []care.Moment{p.respondMoments, p.followUpMoments, p.commitmentMoments, p.escalationMoments, p.satisfactionMoments} {
		ms = append(ms, b(t, now)...)
	}
	for i := range ms {
		ms[i].Team, ms[i].Subject = p.Team, t.Subject
	}
	return ms
}

// Plan says which tasks to create and which to cancel.
type Plan struct {
	Schedule []care.Task
	Cancel   []care.Task
}

// Reconcile compares the tasks a ticket has with the ones it should have.
// A desired task is scheduled unless it has already fired (done); a
// cancelled one is scheduled again, because deliveries arrive out of order
// and a late, older event can make a task look unneeded for a while. An
// existing pending task that is no longer desired is cancelled.
func Reconcile(existing, desired []care.Task) Plan {
	have := make(map[string]care.Task, len(existing))
	for _, t := range existing {
		have[t.ID] = t
	}
	want := make(map[string]bool, len(desired))
	var plan Plan
	for _, t := range desired {
		want[t.ID] = true
		old, ok := have[t.ID]
		switch {
		case !ok, old.Status == care.TaskCancelled:
			plan.Schedule = append(plan.Schedule, t)
		case old.Status == care.TaskPending && !old.DueAt.Equal(t.DueAt):
			plan.Schedule = append(plan.Schedule, t)
		}
		// A task pending for the same time is already stored and
		// scheduled (process schedules before it stores), so it costs no
		// write and no Scheduler call; one that fired is never redone.
	}
	for _, t := range existing {
		if t.Status == care.TaskPending && !want[t.ID] {
			plan.Cancel = append(plan.Cancel, t)
		}
	}
	return plan
}

// Notice is the email a due task sends, if any.
type Notice string

// Notices.
const (
	NoNotice           Notice = ""
	RespondWarning     Notice = "respond_warning"     // to the agent
	RespondReminder    Notice = "respond_reminder"    // to the agent
	FollowUpReminder   Notice = "follow_up"           // to the agent
	CommitmentReminder Notice = "commitment_reminder" // to the agent
	SatisfactionAlert  Notice = "satisfaction_alert"  // to the agent's manager
)

// Verdict is what a task should do when it fires.
type Verdict struct {
	Notice Notice
	// Reason says why, in words for the task's outcome and the logs.
	Reason string
}

// earlyFire tolerates a scheduler firing slightly before the due time.
const earlyFire = time.Minute

// Check decides what a due task does, given the ticket as it is now.
func (p Playbook) Check(task care.Task, t care.Ticket, now time.Time) Verdict {
	if now.Add(earlyFire).Before(task.DueAt) {
		return Verdict{Reason: "fired before its time"}
	}
	switch task.Kind {
	case care.RespondWarning, care.RespondCheck:
		return p.checkRespond(task, t, now)
	case care.FollowUp, care.FollowUpCheck:
		return p.checkFollowUp(task, t)
	case care.CommitmentReminder, care.CommitmentCheck:
		return p.checkCommitment(task, t)
	case care.SatisfactionAlert:
		return p.checkSatisfaction(task, t)
	default:
		return Verdict{Reason: "unknown task kind " + string(task.Kind)}
	}
}

// open reports whether the ticket still exists as itself.
func open(t care.Ticket) bool { return !t.Deleted && t.MergedInto == "" }

// customer names the requester in sentences.
func customer(t care.Ticket) string {
	if t.RequesterName != "" {
		return t.RequesterName
	}
	return "the customer"
}
