package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// JobCheckBack sends a team's check-backs that have come due (a recurring
// schedule, every business day at checkBack.time).
const JobCheckBack = "checkback"

// CheckBackStore keeps check-backs (see care.CheckBack).
type CheckBackStore interface {
	PutCheckBack(ctx context.Context, c care.CheckBack) (bool, error)
	CheckBack(ctx context.Context, r care.CheckBackRef) (care.CheckBack, error)
	// UpdateCheckBack replaces c if it is still in round and status; false
	// when something else changed it first.
	UpdateCheckBack(ctx context.Context, c care.CheckBack, round int, status care.CheckBackStatus) (bool, error)
}

// DueCheckBackStore is what the daily check-back job reads and writes.
type DueCheckBackStore interface {
	CheckBackStore
	DueCheckBacks(ctx context.Context, team string, now time.Time) ([]care.CheckBack, error)
	PromptStore
}

// CheckBacks sends each check-back that has come due to its manager, as
// one short answerable email.
type CheckBacks struct {
	Store     DueCheckBackStore
	Directory Directory
	Mailer    Mailer
	Replies   Replies
	Now       func() time.Time
	Log       interface {
		InfoContext(ctx context.Context, msg string, args ...any)
	}
}

// Send emails a team's due check-backs. A retried job sends none twice:
// each round of a check-back has its own prompt, sent once, and a sent
// check-back leaves the due index.
func (s *CheckBacks) Send(ctx context.Context, teamID string) error {
	team, err := s.Directory.Team(ctx, teamID)
	if err != nil {
		return fmt.Errorf("team %s: %w", teamID, err)
	}
	now := s.Now()
	due, err := s.Store.DueCheckBacks(ctx, team.ID, now)
	if err != nil {
		return err
	}
	loc := playbook.CheckBackOf(team).Location
	for _, c := range due {
		ref := c.Ref()
		sum := sha256.Sum256([]byte(c.Team + "\x00" + c.ID + "\x00" + fmt.Sprint(c.Round)))
		p := care.Prompt{
			ID: "c-" + hex.EncodeToString(sum[:8]), Team: team.ID, Kind: care.CheckBackPrompt, Recipient: c.Manager,
			ExpiresAt: now.Add(s.Replies.Valid), CheckBack: &ref, Round: c.Round,
			Items: []care.PromptItem{{N: 1, Moment: c.Moment, AgentEmail: c.AgentEmail, AgentName: c.AgentName, TicketURL: c.TicketURL}},
		}
		sent, err := sendPrompt(ctx, s.Store, s.Mailer, s.Replies, p, s.Now, func() (care.Email, error) {
			if k := c.Concern; k != nil {
				return mail.ConcernCheckBackEmail(mail.ConcernCheckBack{
					Manager: memberOf(team, c.Manager), TeamID: team.ID, AgentName: c.AgentName, Question: k.Question, Answer: k.Answer,
					Said: c.Said, SaidAt: c.SaidAt.In(loc), Later: c.Round > 0, Questions: playbook.ConcernQuestions, Help: grammarHelp(p),
				})
			}
			return mail.CheckBackEmail(mail.CheckBack{
				Manager: memberOf(team, c.Manager), TeamID: team.ID, AgentName: c.AgentName, TicketID: c.Moment.Ticket.TicketID,
				Subject: c.Moment.Subject, TicketURL: c.TicketURL, What: c.Moment.What, Said: c.Said, SaidAt: c.SaidAt.In(loc),
				Alert: c.Source == care.AlertPrompt, Later: c.Round > 0, Questions: playbook.CheckBackQuestions, Help: grammarHelp(p),
			})
		})
		if err != nil {
			return fmt.Errorf("check-back %s: %w", c.ID, err)
		}
		// Also when the prompt was sent by an earlier attempt: it leaves the
		// due index now. A reply that changed it meanwhile wins.
		was := c.Round
		c.SentAt = now
		if _, err := s.Store.UpdateCheckBack(ctx, c, was, care.CheckBackPending); err != nil {
			return err
		}
		if sent {
			s.Log.InfoContext(ctx, "check-back sent", "team", team.ID, "to", c.Manager, "checkBack", c.ID, "round", c.Round)
		}
	}
	return nil
}

// scheduleCheckBack makes the check-back of a manager's coaching: the
// team's checkBack.after business days from now, it asks the manager
// whether it worked. It returns when, or zero when the team does not
// check back or the feedback is not coaching.
func (s *Inbound) scheduleCheckBack(ctx context.Context, team care.Team, p care.Prompt, item care.PromptItem, f care.Feedback) (time.Time, error) {
	cfg := playbook.CheckBackOf(team)
	if !cfg.On || f.Kind != care.Coaching || f.Peer {
		return time.Time{}, nil
	}
	sum := sha256.Sum256([]byte(f.ID))
	c := care.CheckBack{
		ID: "cb-" + hex.EncodeToString(sum[:12]), Team: f.Team, Manager: strings.ToLower(f.From), AgentEmail: f.AgentEmail, AgentName: f.AgentName,
		Source: p.Kind, FeedbackID: f.ID, Moment: item.Moment, TicketURL: item.TicketURL, Said: f.Words, SaidAt: f.At,
		DueAt: cfg.Due(f.At, 0), Status: care.CheckBackPending,
	}
	if _, err := s.Store.PutCheckBack(ctx, c); err != nil {
		return time.Time{}, err
	}
	return c.DueAt.In(cfg.Location), nil
}

// checkBackReply handles "done [note]" and "later 2d" in reply to a
// check-back. A duplicate of a reply already applied changes nothing and
// says so; a retry of the same message finishes what it started.
func (s *Inbound) checkBackReply(ctx context.Context, p care.Prompt, msg care.InboundMail) (Outcome, error) {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return Outcome{}, fmt.Errorf("team %s: %w", p.Team, err)
	}
	manager := memberOf(team, p.Recipient)
	conf := mail.Confirmation{Manager: manager, Subject: msg.Subject, Help: grammarHelp(p)}
	r, problems := grammar.ParseCheckBack(msg.Reply)
	for _, pr := range problems {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Line: pr.Line, Text: pr.Text, Why: pr.Why})
	}
	if (!r.Done && !r.Later) || p.CheckBack == nil {
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	cfg := playbook.CheckBackOf(team)
	var c care.CheckBack
	for attempt := 0; ; attempt++ {
		c, err = s.Store.CheckBack(ctx, *p.CheckBack)
		if care.ErrorCode(err) == care.ENotFound {
			conf.Problems = append(conf.Problems, mail.ProblemLine{Why: "carecoach no longer keeps this check-back, so nothing was recorded"})
			return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
		}
		if err != nil {
			return Outcome{}, err
		}
		next, why := applyCheckBack(c, p, r, msg.MessageID, s.Now(), cfg)
		if why != "" {
			conf.Problems = append(conf.Problems, mail.ProblemLine{Why: why})
			return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
		}
		if next.MessageID == c.MessageID && next.Status == c.Status && next.Round == c.Round {
			break // this very message was applied before: finish it
		}
		ok, err := s.Store.UpdateCheckBack(ctx, next, c.Round, c.Status)
		if err != nil {
			return Outcome{}, err
		}
		if ok {
			c = next
			break
		}
		if attempt == 2 {
			return Outcome{}, fmt.Errorf("check-back %s keeps changing under reply %s", c.ID, msg.MessageID)
		}
	}
	about, who := "Check-back with "+c.AgentName+" on "+work(c.Moment.Ticket.TicketID, c.Moment.Subject), c.AgentName
	if c.Concern != nil {
		about, who = "Check-back on what "+cmp.Or(c.AgentName, "someone on your team")+" raised", cmp.Or(c.AgentName, anonymousWriter)
	}
	if c.Status == care.CheckBackDone {
		line := about + ": done"
		if c.Note != "" {
			if err := s.thank(ctx, team, manager, c); err != nil {
				return Outcome{}, err
			}
			line += "; your note went to " + who
		}
		conf.Recorded = append(conf.Recorded, line)
	} else {
		conf.Recorded = append(conf.Recorded, about+": carecoach asks you again on "+c.DueAt.In(cfg.Location).Format("Mon 2 Jan 15:04"))
	}
	s.Log.InfoContext(ctx, "check-back answered", "checkBack", c.ID, "status", c.Status, "round", c.Round)
	return Outcome{Recorded: 1, Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
}

// applyCheckBack is what a reply does to a check-back: the check-back as
// it should be stored, or why nothing changes.
func applyCheckBack(c care.CheckBack, p care.Prompt, r grammar.CheckBackReply, messageID string, now time.Time, cfg playbook.CheckBack) (care.CheckBack, string) {
	if c.MessageID == messageID {
		return c, "" // applied by an earlier attempt of this message
	}
	when := func(t time.Time) string { return t.In(cfg.Location).Format("Mon 2 Jan") }
	switch {
	case c.Status == care.CheckBackDone:
		return c, "you marked this check-back done on " + when(c.DoneAt) + " already, so nothing changed"
	case r.Done:
		c.Status, c.DoneAt, c.Note, c.MessageID = care.CheckBackDone, now, r.Note, messageID
		return c, ""
	case p.Round != c.Round:
		return c, "you already put this check-back off: carecoach asks you again on " + when(c.DueAt) + ", so nothing changed. To put it off again, reply to that email"
	}
	c.Round, c.DueAt, c.SentAt, c.MessageID = c.Round+1, cfg.Due(now, r.Days), time.Time{}, messageID
	return c, ""
}

// thank sends the agent the note the manager wrote with "done".
func (s *Inbound) thank(ctx context.Context, team care.Team, manager care.Member, c care.CheckBack) error {
	e, err := mail.CheckBackThanksEmail(mail.CheckBackThanks{
		Agent: memberOf(team, c.AgentEmail), Manager: manager, Note: c.Note,
		TicketID: c.Moment.Ticket.TicketID, Subject: c.Moment.Subject, TicketURL: c.TicketURL,
	})
	if k := c.Concern; k != nil {
		e, err = mail.ConcernReplyEmail(mail.ConcernReply{Agent: memberOf(team, c.AgentEmail), Manager: manager, Question: k.Question, Answer: k.Answer,
			Words: c.Note, Anonymous: k.Anonymous, Note: true})
	}
	if err != nil {
		return err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return fmt.Errorf("send check-back thanks to %s: %w", c.AgentEmail, err)
	}
	return nil
}

// checkBacksView is the digest's "Checking back" section.
func checkBacksView(c *digest.CheckBacks, loc *time.Location) *mail.DigestCheckBacks {
	if c == nil {
		return nil
	}
	v := &mail.DigestCheckBacks{Asked: c.Asked, Followed: c.Followed, Weeks: int(digest.FollowThroughWindow / (7 * 24 * time.Hour))}
	for _, cb := range c.Done {
		v.Done = append(v.Done, mail.CheckBackLine{AgentName: cb.AgentName, TicketID: cb.Moment.Ticket.TicketID, TicketURL: cb.TicketURL, At: cb.DoneAt.In(loc), Note: cb.Note, Concern: cb.Concern != nil})
	}
	for _, cb := range c.Open {
		v.Open = append(v.Open, mail.CheckBackLine{AgentName: cb.AgentName, TicketID: cb.Moment.Ticket.TicketID, TicketURL: cb.TicketURL, At: inZone(cb.SentAt, loc), Again: inZone(cb.DueAt, loc), Concern: cb.Concern != nil})
	}
	return v
}

// inZone is t in loc; a zero time stays zero.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// work names a ticket for a confirmation line: "ticket #5158: Printer
// offline".
func work(ticketID, subject string) string {
	if subject = strings.Join(strings.Fields(subject), " "); subject != "" {
		return "ticket #" + ticketID + ": " + subject
	}
	return "ticket #" + ticketID
}
