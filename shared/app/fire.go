package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// TaskStore reads and updates tasks and the tickets they are about.
type TaskStore interface {
	Task(ctx context.Context, ref care.TicketRef, id string) (care.Task, error)
	LoadTicket(ctx context.Context, ref care.TicketRef) (care.TicketRecord, error)
	TransitionTask(ctx context.Context, ref care.TicketRef, id string, from, to care.TaskStatus, outcome string) (bool, error)
	SetTaskOutcome(ctx context.Context, ref care.TicketRef, id, outcome string) error
	RecordStore
	PutPrompt(ctx context.Context, p care.Prompt) (bool, error)
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
	Replies     Replies
	Now         func() time.Time
	Log         *slog.Logger
}

const outcomeSending = "sending"

// Task runs one task: it re-checks the task against the ticket as it is
// now, records the moments that time has brought (a window closed, a
// follow-up missed), and sends the task's email if one is due. The email
// goes at most once: the task is claimed (pending → done) with a
// conditional write before sending, and released if sending fails so that
// a retry can try again.
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
	c, err := s.load(ctx, key.Ticket)
	if err != nil {
		return err
	}
	now := s.Now()
	// The moments time has brought (a window closed, a follow-up missed),
	// and a follow-up that has come due, count from now on.
	if err := record(ctx, s.Tasks, s.Log, c.pb, key.Ticket, c.rec, now); err != nil {
		return err
	}
	verdict := c.pb.Check(task, c.ticket, now)
	emf.Count(ctx, emf.TasksFired, 1)
	if verdict.Notice == playbook.NoNotice {
		if _, err := s.Tasks.TransitionTask(ctx, key.Ticket, task.ID, care.TaskPending, care.TaskDone, verdict.Reason); err != nil {
			return err
		}
		s.Log.InfoContext(ctx, "task done, nothing to send", "task", task.ID, "kind", task.Kind, "reason", verdict.Reason)
		return nil
	}

	email, err := s.compose(ctx, c, verdict.Notice, now)
	if care.ErrorCode(err) == care.ENotFound {
		// Nobody to send it to (e.g. the assignee is not on the roster):
		// retrying cannot help.
		reason := "not sent: " + care.ErrorMessage(err)
		s.Log.WarnContext(ctx, "notice not sent", "task", task.ID, "kind", task.Kind, "reason", reason)
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
		return fmt.Errorf("send %s for task %s: %w", verdict.Notice, task.ID, err)
	}
	s.Log.InfoContext(ctx, "email sent", "notice", verdict.Notice, "task", task.ID, "ticket", key.Ticket.String(), "messageId", id)
	return s.Tasks.SetTaskOutcome(ctx, key.Ticket, task.ID, "sent "+string(verdict.Notice))
}

// firing is everything a due task needs to know about its ticket.
type firing struct {
	conn   care.Connection
	team   care.Team
	pb     playbook.Playbook
	rec    care.TicketRecord
	ticket care.Ticket
}

func (s *Fire) load(ctx context.Context, ref care.TicketRef) (firing, error) {
	rec, err := s.Tasks.LoadTicket(ctx, ref)
	if err != nil {
		return firing{}, err
	}
	conn, err := s.Connections.Connection(ctx, ref.Connection)
	if err != nil {
		return firing{}, fmt.Errorf("connection %s: %w", ref.Connection, err)
	}
	team, err := s.Directory.Team(ctx, conn.Team)
	if err != nil {
		return firing{}, fmt.Errorf("team %s: %w", conn.Team, err)
	}
	return firing{conn: conn, team: team, pb: playbook.ForTeam(team), rec: rec, ticket: care.Fold(ref, rec.Timeline)}, nil
}

// compose writes the email a notice calls for, to the right person.
func (s *Fire) compose(ctx context.Context, c firing, n playbook.Notice, now time.Time) (care.Email, error) {
	t, loc := c.ticket, c.pb.Location
	owner := t.AssigneeID
	if n == playbook.FollowUpReminder || n == playbook.SatisfactionAlert {
		if t.SolvedBy != "" {
			owner = t.SolvedBy
		}
	}
	agent, err := s.Directory.MemberByHelpdeskID(ctx, c.conn.ID, owner)
	if err != nil && !(n == playbook.SatisfactionAlert && care.ErrorCode(err) == care.ENotFound) {
		return care.Email{}, fmt.Errorf("owner %s of %s: %w", owner, t.Ref, err)
	}
	url := c.conn.TicketURL(t.Ref.TicketID)
	name := t.RequesterName
	ask := s.askAddress(c.team)
	switch n {
	case playbook.RespondWarning:
		return mail.RespondWarning(mail.Warning{
			Agent: agent, Ticket: t, TicketURL: url, CustomerName: name, Message: bodyOf(c.rec.Timeline, t.AwaitingMessage),
			WaitingSince: t.AwaitingSince.In(loc), ClosesAt: t.AwaitingSince.Add(c.pb.ResponseWindow).In(loc), Window: c.pb.ResponseWindow, Now: now.In(loc), Ask: ask,
		})
	case playbook.RespondReminder:
		return mail.RespondReminder(mail.Reminder{
			Agent: agent, Ticket: t, TicketURL: url, CustomerName: name, Message: bodyOf(c.rec.Timeline, t.AwaitingMessage),
			WaitingSince: t.AwaitingSince.In(loc), Window: c.pb.ResponseWindow, Now: now.In(loc), Ask: ask,
		})
	case playbook.FollowUpReminder:
		return mail.FollowUpReminder(mail.FollowUp{
			Agent: agent, Ticket: t, TicketURL: url, CustomerName: name, SolvedAt: t.SolvedAt.In(loc),
			Checklist: c.pb.Checklist, DoneHow: playbook.HowToMarkDone, Ask: ask,
		})
	case playbook.CommitmentReminder:
		return mail.CommitmentReminder(mail.Commitment{
			Agent: agent, Ticket: t, TicketURL: url, CustomerName: name, DueAt: t.DueAt.In(loc), PromisedAt: t.DueSetAt.In(loc), Ask: ask,
		})
	case playbook.SatisfactionAlert:
		manager, err := s.manager(ctx, c.team, agent)
		if err != nil {
			return care.Email{}, err
		}
		prompt, err := s.alertPrompt(ctx, c, agent, manager, url, now)
		if err != nil {
			return care.Email{}, err
		}
		e, err := mail.SatisfactionAlert(mail.Alert{
			Manager: manager, Agent: agent, Ticket: t, TicketURL: url, CustomerName: name, Comment: t.RatingComment,
			RatedAt: t.RatingAt.In(loc), Timeline: mail.TimelineOf(c.rec.Timeline, loc, s.namer(ctx, c.conn.ID)), Debrief: mail.DefaultDebrief,
			Help: grammarHelp(prompt),
		})
		if err != nil {
			return care.Email{}, err
		}
		e.ReplyTo, err = s.Replies.address(prompt)
		return e, err
	}
	return care.Email{}, fmt.Errorf("no email for notice %q", n)
}

// askAddress is where an agent's reply to an email about a ticket goes:
// the ask address, so that "ask" and a question there is a request for
// feedback on that ticket (its number is in the subject). Nothing is
// stored to make the email answerable. "" when the team does not ask
// through carecoach.
func (s *Fire) askAddress(team care.Team) string {
	if team.Ask.Off || s.Replies.Domain == "" {
		return ""
	}
	return AskMailbox + "@" + s.Replies.Domain
}

// alertPrompt makes the bad-rating alert answerable: one item, the
// coaching moment of the rating, so free text is feedback on it.
func (s *Fire) alertPrompt(ctx context.Context, c firing, agent, manager care.Member, url string, now time.Time) (care.Prompt, error) {
	t := c.ticket
	var moment care.Moment
	for _, m := range c.pb.Moments(t, now) {
		if m.Behaviour == care.Delight && m.Kind == care.Coaching {
			moment = m
		}
	}
	if moment.ID == "" {
		return care.Prompt{}, fmt.Errorf("no coaching moment for the bad rating on %s", t.Ref)
	}
	sum := sha256.Sum256([]byte(t.Ref.String() + "\x00" + t.RatingID))
	p := care.Prompt{
		ID: "a-" + hex.EncodeToString(sum[:8]), Team: c.team.ID, Kind: care.AlertPrompt, Recipient: strings.ToLower(manager.Email),
		SentAt: now, ExpiresAt: now.Add(s.Replies.Valid),
		Items: []care.PromptItem{{N: 1, Moment: moment, AgentEmail: strings.ToLower(agent.Email), AgentName: agent.Name, TicketURL: url}},
	}
	if _, err := s.Tasks.PutPrompt(ctx, p); err != nil {
		return care.Prompt{}, err
	}
	return p, nil
}

// manager is who hears about an agent's bad rating: their own manager, or
// the team's first manager.
func (s *Fire) manager(ctx context.Context, team care.Team, agent care.Member) (care.Member, error) {
	var addr string
	if ms := team.ManagersOf(agent); len(ms) > 0 {
		addr = ms[0]
	}
	if addr == "" {
		return care.Member{}, care.Errorf(care.ENotFound, "team %s has no manager to alert", team.ID)
	}
	for _, m := range team.Members {
		if m.Email == addr {
			return m, nil
		}
	}
	return care.Member{Email: addr}, nil
}

// namer names help desk users for timelines, from the team's roster.
func (s *Fire) namer(ctx context.Context, conn string) func(string) string {
	return func(id string) string {
		if id == "" {
			return ""
		}
		m, err := s.Directory.MemberByHelpdeskID(ctx, conn, id)
		if err != nil {
			return ""
		}
		return m.Name
	}
}

func bodyOf(timeline []care.Interaction, fact string) string {
	for _, in := range timeline {
		if care.FactOf(in) == fact {
			return in.Body
		}
	}
	return ""
}
