package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// JobBrief sends a team's meeting briefs (a weekly schedule, meeting.day
// at meeting.time minus meeting.briefBefore).
const JobBrief = "brief"

// BriefStore is what a brief reads, a part of what a digest reads, and
// where its prompt is kept.
type BriefStore interface {
	WeekStore
	TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]care.Feedback, error)
	TeamFeedbackRequests(ctx context.Context, team string, from, to time.Time) ([]care.FeedbackRequest, error)
	PromptStore
}

// AgendaStore keeps the agenda sent from a brief, once (see care.AgendaSent).
type AgendaStore interface {
	PutAgenda(ctx context.Context, a care.AgendaSent) (bool, error)
	Agenda(ctx context.Context, promptID string) (care.AgendaSent, error)
}

// Briefs sends each manager of a team with a weekly meeting their brief
// for it.
type Briefs struct {
	Store     BriefStore
	Directory Directory
	Mailer    Mailer
	Replies   Replies
	Now       func() time.Time
	Log       interface {
		InfoContext(ctx context.Context, msg string, args ...any)
	}
}

// Send builds and sends the briefs of one team for its next meeting,
// about the week up to now against the week before. A retried job sends
// no brief twice: each has a prompt keyed by team, manager and meeting.
func (s *Briefs) Send(ctx context.Context, teamID string) error {
	to := s.Now()
	from := to.Add(-digestPeriod)
	var (
		wk       week
		feedback []care.Feedback
		requests []care.FeedbackRequest
	)
	// The digest's reads over the brief's week, side by side; feedback
	// from the ratio window, as the digest reads it, so that the manager's
	// praise of a moment last week still marks it.
	g, gctx := errgroup.WithContext(ctx)
	readWeek(g, gctx, s.Store, s.Directory, teamID, from, to, &wk, nil)
	g.Go(func() (err error) {
		feedback, err = s.Store.TeamFeedback(gctx, teamID, from.Add(-digestPeriod), to)
		return err
	})
	g.Go(func() (err error) { requests, err = s.Store.TeamFeedbackRequests(gctx, teamID, from, to); return err })
	if err := g.Wait(); err != nil {
		return err
	}
	team := wk.team
	meeting := playbook.MeetingOf(team)
	if !meeting.On {
		s.Log.InfoContext(ctx, "team has no weekly meeting, no brief", "team", team.ID)
		return nil
	}
	// The trends are the digest's, worked out the digest's way.
	trends := digest.ForTeam(digest.Input{Team: team, Playbook: playbook.ForTeam(team), From: from, To: to, Now: to, Facts: wk.facts, PrevFacts: wk.prev}).Trends()
	in := digest.BriefInput{Team: team, From: from, To: to, Moments: wk.moments, Facts: wk.facts, Trends: trends, Climate: wk.answers, Requests: requests, Feedback: feedback}
	when := meeting.Next(to)
	for _, manager := range digest.Managers(team) {
		items := digest.Brief(in, manager)
		if len(items) == 0 {
			s.Log.InfoContext(ctx, "brief empty, not sent", "team", team.ID, "manager", manager)
			continue
		}
		p := care.Prompt{
			ID: briefPromptID(team.ID, manager, when.In(meeting.Location)), Team: team.ID, Kind: care.BriefPrompt, Recipient: manager,
			ExpiresAt: to.Add(s.Replies.Valid), Agenda: items, Meeting: when,
		}
		sent, err := sendPrompt(ctx, s.Store, s.Mailer, s.Replies, p, s.Now, func() (care.Email, error) {
			return mail.BriefEmail(mail.Brief{
				Manager: memberOf(team, manager), TeamID: team.ID, TeamName: team.Name, Meeting: when.In(meeting.Location),
				From: from.In(meeting.Location), To: to.In(meeting.Location), Items: items, Help: grammarHelp(p),
			})
		})
		if err != nil {
			return fmt.Errorf("brief to %s: %w", manager, err)
		}
		if sent {
			s.Log.InfoContext(ctx, "brief sent", "team", team.ID, "manager", manager, "items", len(items))
		}
	}
	return nil
}

// briefPromptID names the brief of a team's manager for the meeting on a
// day: a retried job finds it.
func briefPromptID(team, manager string, meeting time.Time) string {
	sum := sha256.Sum256([]byte(team + "\x00" + manager + "\x00" + meeting.Format("2006-01-02")))
	return "b-" + hex.EncodeToString(sum[:8])
}

// briefReply handles "send [numbers] [note]" in reply to a brief: the
// first reply understood mails the agenda to the team, once; anything
// else is explained and sends nothing.
func (s *Inbound) briefReply(ctx context.Context, p care.Prompt, msg care.InboundMail) (Outcome, error) {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return Outcome{}, fmt.Errorf("team %s: %w", p.Team, err)
	}
	manager := memberOf(team, p.Recipient)
	conf := mail.Confirmation{Manager: manager, Subject: msg.Subject, Help: grammarHelp(p)}
	r, problems := grammar.ParseBrief(msg.Reply, len(p.Agenda))
	for _, pr := range problems {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Line: pr.Line, Text: pr.Text, Why: pr.Why})
	}
	if !r.Send {
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	loc := playbook.MeetingOf(team).Location
	a := care.AgendaSent{PromptID: p.ID, Team: p.Team, Manager: p.Recipient, Items: r.Items, Note: r.Note, MessageID: msg.MessageID, SentAt: s.Now()}
	if a.Items == nil {
		for _, it := range p.Agenda {
			a.Items = append(a.Items, it.N)
		}
	}
	for _, m := range team.Members {
		if !strings.EqualFold(m.Email, p.Recipient) {
			a.To = append(a.To, strings.ToLower(m.Email))
		}
	}
	if len(a.To) == 0 {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Why: "the team has nobody else to send the agenda to, so nothing was sent"})
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	created, err := s.Store.PutAgenda(ctx, a)
	if err != nil {
		return Outcome{}, err
	}
	if !created {
		old, err := s.Store.Agenda(ctx, p.ID)
		if err != nil {
			return Outcome{}, err
		}
		if old.MessageID != msg.MessageID {
			conf.Problems = append(conf.Problems, mail.ProblemLine{Why: fmt.Sprintf("you sent this agenda on %s already (%s to %s), so nothing more was sent",
				old.SentAt.In(loc).Format("Mon 2 Jan 15:04"), itemsWord(old.Items), names(team, old.To))})
			return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
		}
		a = old // this very reply recorded it before failing: finish sending
	}
	var picked []care.AgendaItem
	for _, it := range p.Agenda {
		if slices.Contains(a.Items, it.N) {
			if it.Kind == care.AgendaClimate {
				it.By = "" // the team never learns who said it
			}
			if it.Section == care.AgendaTickets {
				it.Who = "" // nor whose ticket went badly: coaching is private
			}
			picked = append(picked, it)
		}
	}
	e, err := mail.AgendaEmail(mail.Agenda{Manager: manager, TeamID: team.ID, TeamName: team.Name, Meeting: p.Meeting.In(loc), To: a.To, Note: a.Note, Items: picked})
	if err != nil {
		return Outcome{}, err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return Outcome{}, fmt.Errorf("send agenda of brief %s: %w", p.ID, err)
	}
	line := "The agenda (" + itemsWord(a.Items) + ") went to " + names(team, a.To)
	if a.Note != "" {
		line += ", opening with your note"
	}
	conf.Recorded = append(conf.Recorded, line)
	s.Log.InfoContext(ctx, "agenda sent", "team", team.ID, "brief", p.ID, "items", len(a.Items), "to", len(a.To))
	return Outcome{Recorded: 1, Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
}

// itemsWord is "item 2" or "items 2, 4".
func itemsWord(ns []int) string {
	var s []string
	for _, n := range ns {
		s = append(s, fmt.Sprint(n))
	}
	if len(s) == 1 {
		return "item " + s[0]
	}
	return "items " + strings.Join(s, ", ")
}

// names lists the team members at addrs by name.
func names(team care.Team, addrs []string) string {
	var out []string
	for _, a := range addrs {
		out = append(out, memberOf(team, a).Name)
	}
	return strings.Join(out, ", ")
}
