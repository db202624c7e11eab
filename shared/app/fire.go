package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/mail"
	"github.com/carecoach/carecoach/shared/playbook"
)

// TaskStore reads and updates tasks and the tickets they are about.
type TaskStore interface {
	Task(ctx context.Context, ref care.TicketRef, id string) (care.Task, error)
	LoadTicket(ctx context.Context, ref care.TicketRef) (care.TicketRecord, error)
	TransitionTask(ctx context.Context, ref care.TicketRef, id string, from, to care.TaskStatus, outcome string) (bool, error)
	SetTaskOutcome(ctx context.Context, ref care.TicketRef, id, outcome string) error
}

// Directory finds team members and teams.
type Directory interface {
	MemberByHelpdeskID(ctx context.Context, connection, id string) (care.Member, error)
	Team(ctx context.Context, id string) (care.Team, error)
}

// Mailer sends an email and returns its message id.
type Mailer interface {
	Send(ctx context.Context, e care.Email) (string, error)
}

// Fire runs a task when it comes due.
type Fire struct {
	Tasks       TaskStore
	Connections Connections
	Directory   Directory
	Mailer      Mailer
	Now         func() time.Time
	Log         *slog.Logger
}

// Outcomes recorded on tasks.
const (
	outcomeSending  = "sending"
	outcomeReminded = "reminded"
)

// Task runs one task. Its effect happens at most once: the task is claimed
// (pending → done) with a conditional write before anything is sent, and
// released again if sending fails so that a retry can try once more.
func (s *Fire) Task(ctx context.Context, key care.TaskRef) error {
	task, err := s.Tasks.Task(ctx, key.Ticket, key.ID)
	if care.ErrorCode(err) == care.ENotFound {
		s.Log.WarnContext(ctx, "task not found", "ticket", key.Ticket.String(), "task", key.ID)
		return nil // nothing to do, and retrying will not change that
	}
	if err != nil {
		return err
	}
	if task.Status != care.TaskPending {
		s.Log.InfoContext(ctx, "task already finished", "task", task.ID, "status", task.Status)
		return nil
	}
	rec, err := s.Tasks.LoadTicket(ctx, key.Ticket)
	if err != nil {
		return err
	}
	conn, err := s.Connections.Connection(ctx, key.Ticket.Connection)
	if err != nil {
		return fmt.Errorf("connection of task %s: %w", task.ID, err)
	}
	team, err := s.Directory.Team(ctx, conn.Team)
	if err != nil {
		return fmt.Errorf("team of task %s: %w", task.ID, err)
	}
	pb := playbook.ForTeam(team)
	now := s.Now()
	ticket := care.Fold(key.Ticket, rec.Timeline)
	verdict := pb.Check(task, ticket, now)
	if !verdict.Remind {
		if _, err := s.Tasks.TransitionTask(ctx, key.Ticket, task.ID, care.TaskPending, care.TaskDone, verdict.Reason); err != nil {
			return err
		}
		s.Log.InfoContext(ctx, "task done, nothing to send", "task", task.ID, "reason", verdict.Reason)
		return nil
	}

	email, err := s.reminder(ctx, conn, team, pb, ticket, rec.Timeline)
	if care.ErrorCode(err) == care.ENotFound {
		// The assignee is not on the team's roster: retrying cannot help.
		reason := "assignee is not a team member: " + ticket.AssigneeID
		s.Log.WarnContext(ctx, "reminder not sent", "task", task.ID, "reason", reason)
		_, terr := s.Tasks.TransitionTask(ctx, key.Ticket, task.ID, care.TaskPending, care.TaskDone, reason)
		return terr
	}
	if err != nil {
		return err
	}
	claimed, err := s.Tasks.TransitionTask(ctx, key.Ticket, task.ID, care.TaskPending, care.TaskDone, outcomeSending)
	if err != nil || !claimed {
		return err // !claimed: another invocation has it
	}
	id, err := s.Mailer.Send(ctx, email)
	if err != nil {
		if _, rerr := s.Tasks.TransitionTask(ctx, key.Ticket, task.ID, care.TaskDone, care.TaskPending, "send failed, will retry"); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return fmt.Errorf("send reminder for task %s: %w", task.ID, err)
	}
	s.Log.InfoContext(ctx, "reminder sent", "task", task.ID, "ticket", key.Ticket.String(), "messageId", id)
	return s.Tasks.SetTaskOutcome(ctx, key.Ticket, task.ID, outcomeReminded)
}

func (s *Fire) reminder(ctx context.Context, conn care.Connection, team care.Team, pb playbook.Playbook, t care.Ticket, timeline []care.Interaction) (care.Email, error) {
	agent, err := s.Directory.MemberByHelpdeskID(ctx, conn.ID, t.AssigneeID)
	if err != nil {
		return care.Email{}, fmt.Errorf("assignee %s of %s: %w", t.AssigneeID, t.Ref, err)
	}
	loc, err := time.LoadLocation(team.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	r := mail.Reminder{
		Agent: agent, Ticket: t, TicketURL: conn.TicketURL(t.Ref.TicketID),
		WaitingSince: t.AwaitingSince.In(loc), Window: pb.ResponseWindow, Now: s.Now().In(loc),
	}
	for _, in := range timeline {
		if in.ID == t.AwaitingMessage {
			r.Message, r.CustomerName = in.Body, in.ActorName
		}
	}
	return mail.RespondReminder(r)
}
