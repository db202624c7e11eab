package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

// TicketStore keeps ticket timelines, state and tasks.
type TicketStore interface {
	SaveInteractions(ctx context.Context, ins []care.Interaction) error
	LoadTicket(ctx context.Context, ref care.TicketRef) (care.TicketRecord, error)
	RecordStore
	PutTask(ctx context.Context, t care.Task) (created bool, err error)
	TransitionTask(ctx context.Context, ref care.TicketRef, id string, from, to care.TaskStatus, outcome string) (bool, error)
}

// DeadLetters keeps deliveries that cannot be processed, with the reason.
type DeadLetters interface {
	DeadLetter(ctx context.Context, d care.Delivery, reason string) error
}

// Scheduler is the alarm clock: it makes the fire service run a task at its
// due time. Both calls are idempotent.
type Scheduler interface {
	Schedule(ctx context.Context, t care.Task) error
	Cancel(ctx context.Context, t care.Task) error
}

// Playbooks gives the playbook of the team a connection feeds, and the
// time zone the connection's help desk renders times in.
type Playbooks interface {
	Playbook(ctx context.Context, connection string) (playbook.Playbook, error)
	Zone(ctx context.Context, connection string) (*time.Location, error)
}

// ZonedNormalizer is a help desk whose bodies can carry times without an
// offset (Freshdesk renders them in the account's zone): NormalizeIn reads
// them in the connection's time zone.
type ZonedNormalizer interface {
	NormalizeIn(d care.Delivery, zone *time.Location) ([]care.Interaction, error)
}

// Process turns stored deliveries into ticket state and scheduled tasks.
type Process struct {
	Helpdesks   map[care.Source]Helpdesk
	Tickets     TicketStore
	DeadLetters DeadLetters
	Scheduler   Scheduler
	Playbooks   Playbooks
	// SurveyComments, when set, fetches the comment of a rating that
	// arrived without one from the help desk's API (Freshdesk's webhooks
	// have no placeholder for it), for connections with api: set, so a
	// bad-rating alert quotes the customer. Connections finds them.
	SurveyComments SurveyComments
	Connections    Connections
	Now            func() time.Time
	Log            *slog.Logger
}

// SurveyComments reads the customer's comment of a ticket's rating given
// at about `at`, through the help desk's API (freshdeskapi.Comments).
type SurveyComments interface {
	SurveyComment(ctx context.Context, conn care.Connection, ticketID string, at time.Time) (string, error)
}

// Delivery processes one stored delivery. It is idempotent and tolerant of
// order: interactions are stored by id, and ticket state and tasks are
// derived from the whole timeline. A delivery that can never be processed
// (malformed) is dead-lettered and not returned as an error; any other error
// means "retry me".
func (s *Process) Delivery(ctx context.Context, d care.Delivery) error {
	hd, ok := s.Helpdesks[d.Source]
	if !ok {
		return s.deadLetter(ctx, d, fmt.Sprintf("no help desk adapter for %q", d.Source))
	}
	ins, err := s.normalize(ctx, hd, d)
	if care.ErrorCode(err) == care.EInvalid {
		return s.deadLetter(ctx, d, care.ErrorMessage(err))
	}
	if err != nil {
		return fmt.Errorf("normalize %s: %w", d.DedupeKey, err)
	}
	for _, in := range ins {
		if err := in.Validate(); err != nil {
			return s.deadLetter(ctx, d, err.Error())
		}
		if len(in.Unread) > 0 {
			// Partial, not dead: what could be read is used.
			s.Log.WarnContext(ctx, "delivery partly read", "connection", d.Connection, "dedupeKey", d.DedupeKey,
				"interaction", in.ID, "kind", in.Kind, "unread", in.Unread)
		}
	}
	s.surveyComments(ctx, d, ins)
	if err := s.Tickets.SaveInteractions(ctx, ins); err != nil {
		return err
	}
	var errs []error
	for _, ref := range tickets(ins) {
		if err := s.Ticket(ctx, ref); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// surveyComments fills in the comment of Freshdesk ratings that came
// without one. A failure is logged, not retried: the rating counts
// without its words, and the next reconcile reads the same rating, with
// them, from the API (care.Distinct gives the words to the webhook's copy).
func (s *Process) surveyComments(ctx context.Context, d care.Delivery, ins []care.Interaction) {
	if s.SurveyComments == nil || s.Connections == nil || d.Source != care.Freshdesk {
		return
	}
	for i, in := range ins {
		if in.Kind != care.Satisfaction || in.Body != "" {
			continue
		}
		conn, err := s.Connections.Connection(ctx, d.Connection)
		if err != nil || conn.API == nil {
			return
		}
		comment, err := s.SurveyComments.SurveyComment(ctx, conn, in.Ticket.TicketID, in.At)
		if err != nil {
			s.Log.WarnContext(ctx, "survey comment not read", "ticket", in.Ticket.String(), "error", err)
			continue
		}
		ins[i].Body = comment
	}
}

// normalize reads a delivery, in its connection's time zone when the help
// desk needs one.
func (s *Process) normalize(ctx context.Context, hd Helpdesk, d care.Delivery) ([]care.Interaction, error) {
	zn, ok := hd.(ZonedNormalizer)
	if !ok {
		return hd.Normalize(d)
	}
	zone, err := s.Playbooks.Zone(ctx, d.Connection)
	if err != nil {
		return nil, fmt.Errorf("time zone of %s: %w", d.Connection, err)
	}
	return zn.NormalizeIn(d, zone)
}

// Ticket re-derives one ticket's state from its timeline and brings its
// tasks in line with the playbook.
func (s *Process) Ticket(ctx context.Context, ref care.TicketRef) error {
	rec, err := s.Tickets.LoadTicket(ctx, ref)
	if err != nil {
		return err
	}
	state := care.Fold(ref, rec.Timeline)
	pb, err := s.Playbooks.Playbook(ctx, ref.Connection)
	if err != nil {
		return fmt.Errorf("playbook for %s: %w", ref.Connection, err)
	}
	plan := playbook.Reconcile(rec.Tasks, pb.Desired(state))
	for _, t := range plan.Schedule {
		// Schedule first, then store: a crash in between leaves a schedule
		// whose task fire cannot find (it does nothing), and the retried
		// delivery stores it. The other order could leave a stored pending
		// task that never fires.
		if err := s.Scheduler.Schedule(ctx, t); err != nil {
			return fmt.Errorf("schedule task %s: %w", t.ID, err)
		}
		created, err := s.Tickets.PutTask(ctx, t)
		if err != nil {
			return err
		}
		if !created { // revive it if it was cancelled; a no-op if pending
			if _, err := s.Tickets.TransitionTask(ctx, ref, t.ID, care.TaskCancelled, care.TaskPending, "needed again"); err != nil {
				return err
			}
		}
		emf.Count(ctx, emf.TasksScheduled, 1)
		s.Log.InfoContext(ctx, "task scheduled", "ticket", ref.String(), "task", t.ID, "kind", t.Kind, "dueAt", t.DueAt)
	}
	for _, t := range plan.Cancel {
		// Unschedule first, then mark it cancelled: a crash in between
		// leaves a pending task without a schedule, which the retried
		// delivery cancels again. The other order left a cancelled task
		// whose schedule nothing would ever delete.
		if err := s.Scheduler.Cancel(ctx, t); err != nil {
			return fmt.Errorf("cancel task %s: %w", t.ID, err)
		}
		if _, err := s.Tickets.TransitionTask(ctx, ref, t.ID, care.TaskPending, care.TaskCancelled, "no longer needed"); err != nil {
			return err
		}
		s.Log.InfoContext(ctx, "task cancelled", "ticket", ref.String(), "task", t.ID, "kind", t.Kind)
	}
	return record(ctx, s.Tickets, s.Log, pb, ref, rec, s.Now())
}

func (s *Process) deadLetter(ctx context.Context, d care.Delivery, reason string) error {
	emf.Count(ctx, emf.DeadLettered, 1)
	s.Log.ErrorContext(ctx, "delivery dead-lettered", "connection", d.Connection, "dedupeKey", d.DedupeKey, "reason", reason)
	if err := s.DeadLetters.DeadLetter(ctx, d, reason); err != nil {
		return fmt.Errorf("dead-letter %s: %w", d.DedupeKey, err)
	}
	return nil
}

// tickets lists the distinct tickets that interactions touch, in order.
func tickets(ins []care.Interaction) []care.TicketRef {
	seen := map[care.TicketRef]bool{}
	var out []care.TicketRef
	for _, in := range ins {
		if !seen[in.Ticket] {
			seen[in.Ticket] = true
			out = append(out, in.Ticket)
		}
	}
	return out
}

// Teams reads team configuration.
type Teams interface {
	Team(ctx context.Context, id string) (care.Team, error)
}

// TeamPlaybooks gives each connection the playbook of the team it feeds:
// the defaults, with the team's overrides.
type TeamPlaybooks struct {
	Connections Connections
	Teams       Teams
}

// Playbook returns the playbook for a connection's team.
func (p TeamPlaybooks) Playbook(ctx context.Context, connection string) (playbook.Playbook, error) {
	conn, err := p.Connections.Connection(ctx, connection)
	if err != nil {
		return playbook.Playbook{}, err
	}
	team, err := p.Teams.Team(ctx, conn.Team)
	if err != nil {
		return playbook.Playbook{}, err
	}
	return playbook.ForTeam(team), nil
}

// Zone returns the time zone of a connection's help desk: its own
// timezone, by default its team's.
func (p TeamPlaybooks) Zone(ctx context.Context, connection string) (*time.Location, error) {
	conn, err := p.Connections.Connection(ctx, connection)
	if err != nil {
		return nil, err
	}
	team, err := p.Teams.Team(ctx, conn.Team)
	if err != nil {
		return nil, err
	}
	return team.HelpdeskZone(connection), nil
}
