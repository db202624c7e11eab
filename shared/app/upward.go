package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// JobUpward is the weekly upward feedback job: on the first
// upwardFeedback.day of the month it asks, on the second it shows each
// manager the results; other weeks it does nothing.
const JobUpward = "upward"

// UpwardAnswers reads a team's answers about its managers, months from
// `from` to `to` ("2006-01", both included).
type UpwardAnswers interface {
	UpwardAnswers(ctx context.Context, team, from, to string) ([]care.UpwardAnswer, error)
}

// UpwardStore is what the upward job reads and writes.
type UpwardStore interface {
	PromptStore
	UpwardAnswers
}

// UpwardInboundStore is what answers and thanks write.
type UpwardInboundStore interface {
	// SaveUpwardAnswer stores an answer once per question (false: the
	// question was answered before).
	SaveUpwardAnswer(ctx context.Context, a care.UpwardAnswer) (bool, error)
	ClaimUpwardThanks(ctx context.Context, r care.UpwardRef, at time.Time) (bool, error)
	ReleaseUpwardThanks(ctx context.Context, r care.UpwardRef) error
}

// Upward asks each member the month's question about their manager, and
// shows each manager the results.
type Upward struct {
	Store     UpwardStore
	Directory Directory
	Mailer    Mailer
	Replies   Replies
	Now       func() time.Time
	Log       interface {
		InfoContext(ctx context.Context, msg string, args ...any)
	}
}

// Run does what this week's run does: ask, show the results, or nothing.
// A retried run sends nothing twice: each question and each result has a
// prompt keyed by team, people and month.
func (s *Upward) Run(ctx context.Context, teamID string) error {
	team, err := s.Directory.Team(ctx, teamID)
	if err != nil {
		return fmt.Errorf("team %s: %w", teamID, err)
	}
	u := playbook.UpwardOf(team)
	if !u.On {
		return nil
	}
	switch step, month := u.Step(s.Now()); step {
	case playbook.UpwardAsk:
		return s.ask(ctx, team, u, month)
	case playbook.UpwardResults:
		return s.results(ctx, team, u, month)
	}
	return nil
}

// upwardQuestionID names the question of a month to a member about a
// manager; upwardResultsID the results of a month to a manager.
func upwardQuestionID(team, member, manager, month string) string {
	sum := sha256.Sum256([]byte(team + "\x00" + strings.ToLower(member) + "\x00" + manager + "\x00" + month))
	return "u-" + hex.EncodeToString(sum[:8])
}

func upwardResultsID(team, manager, month string) string {
	sum := sha256.Sum256([]byte(team + "\x00" + manager + "\x00" + month + "\x00results"))
	return "ur-" + hex.EncodeToString(sum[:8])
}

// answerKey is the one-way key of an answer: the hash of its question's
// prompt id, so that each question is answered once without the answer
// naming who gave it.
func answerKey(promptID string) string {
	sum := sha256.Sum256([]byte("upward-answer\x00" + promptID))
	return hex.EncodeToString(sum[:12])
}

func (s *Upward) ask(ctx context.Context, team care.Team, u playbook.Upward, month string) error {
	question := u.Question(month)
	for _, pair := range playbook.UpwardPairs(team) {
		ref := care.UpwardRef{Team: team.ID, Manager: pair.Manager, Month: month}
		p := care.Prompt{
			ID: upwardQuestionID(team.ID, pair.Member.Email, pair.Manager, month), Team: team.ID, Kind: care.UpwardPrompt,
			Recipient: strings.ToLower(pair.Member.Email), ExpiresAt: u.ResultsAt(month).Add(s.Replies.Valid), Question: question, Upward: &ref,
		}
		manager := memberOf(team, pair.Manager)
		sent, err := sendPrompt(ctx, s.Store, s.Mailer, s.Replies, p, s.Now, func() (care.Email, error) {
			return mail.UpwardQuestionEmail(mail.UpwardQuestion{
				Agent: pair.Member, Manager: manager, TeamID: team.ID, Question: question, ShowFrom: u.ShowFrom,
				HasBoss: manager.Manager != "" && !strings.EqualFold(manager.Manager, manager.Email), Help: grammar.UpwardHelp(),
			})
		})
		if err != nil {
			return fmt.Errorf("upward question to %s: %w", pair.Member.Email, err)
		}
		if sent {
			s.Log.InfoContext(ctx, "upward question sent", "team", team.ID, "month", month, "prompt", p.ID)
		}
	}
	return nil
}

// askedAbout lists the members whose question about manager in month was
// sent: the round's denominator, and who hears the manager's thanks.
func askedAbout(ctx context.Context, store PromptStore, team care.Team, manager, month string) ([]care.Member, error) {
	var out []care.Member
	for _, pair := range playbook.UpwardPairs(team) {
		if pair.Manager != manager {
			continue
		}
		p, err := store.Prompt(ctx, upwardQuestionID(team.ID, pair.Member.Email, manager, month))
		switch {
		case care.ErrorCode(err) == care.ENotFound:
			continue
		case err != nil:
			return nil, fmt.Errorf("upward question to %s: %w", pair.Member.Email, err)
		}
		if !p.SentAt.IsZero() {
			out = append(out, pair.Member)
		}
	}
	return out, nil
}

func (s *Upward) results(ctx context.Context, team care.Team, u playbook.Upward, month string) error {
	months := playbook.Months(month, playbook.UpwardTrendMonths)
	answers, err := s.Store.UpwardAnswers(ctx, team.ID, months[0], month)
	if err != nil {
		return err
	}
	now := s.Now()
	seen := map[string]bool{}
	for _, pair := range playbook.UpwardPairs(team) {
		manager := pair.Manager
		if seen[manager] {
			continue
		}
		seen[manager] = true
		members, err := askedAbout(ctx, s.Store, team, manager, month)
		if err != nil {
			return err
		}
		if len(members) == 0 {
			continue // nobody was asked about them this month
		}
		ref := care.UpwardRef{Team: team.ID, Manager: manager, Month: month}
		p := care.Prompt{
			ID: upwardResultsID(team.ID, manager, month), Team: team.ID, Kind: care.UpwardResultsPrompt, Recipient: manager,
			ExpiresAt: now.Add(s.Replies.Valid), Question: u.Question(month), Upward: &ref,
		}
		round := u.Round(manager, month, answers)
		round.Asked = len(members)
		sent, err := sendPrompt(ctx, s.Store, s.Mailer, s.Replies, p, s.Now, func() (care.Email, error) {
			v := mail.UpwardResults{Manager: memberOf(team, manager), TeamID: team.ID, Round: upwardRoundView(round, "January 2006"),
				ShowFrom: u.ShowFrom, Help: grammar.UpwardThanksHelp()}
			v.Round.Question = p.Question
			if round.Shown {
				for _, r := range u.Trend(manager, month, answers) {
					v.Trend = append(v.Trend, upwardRoundView(r, "Jan 2006"))
				}
			}
			return mail.UpwardResultsEmail(v)
		})
		if err != nil {
			return fmt.Errorf("upward results to %s: %w", manager, err)
		}
		if sent {
			s.Log.InfoContext(ctx, "upward results sent", "team", team.ID, "manager", manager, "month", month, "answered", round.Answered, "shown", round.Shown)
		}
	}
	return nil
}

// upwardRoundView is a round as the emails show it, its month written
// with layout ("January 2006").
func upwardRoundView(r playbook.UpwardRound, layout string) mail.UpwardRound {
	return mail.UpwardRound{Month: care.MonthName(r.Month, layout), Question: r.Question, Asked: r.Asked, Answered: r.Answered, Shown: r.Shown,
		Average: r.Average, Scores: r.Scores, Words: r.Words}
}

// upwardReply records an answer to the month's question: the score and
// the words under the round, without who gave them, once per question.
func (s *Inbound) upwardReply(ctx context.Context, p care.Prompt, msg care.InboundMail) (Outcome, error) {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return Outcome{}, fmt.Errorf("team %s: %w", p.Team, err)
	}
	conf := mail.Confirmation{Manager: memberOf(team, p.Recipient), Subject: msg.Subject, Help: grammarHelp(p)}
	if p.Upward == nil {
		return Outcome{}, fmt.Errorf("upward prompt %s has no round", p.ID)
	}
	u := playbook.UpwardOf(team)
	about := memberOf(team, p.Upward.Manager).Name
	month := care.MonthName(p.Upward.Month, "January 2006")
	if !s.Now().Before(u.ResultsAt(p.Upward.Month)) {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Why: fmt.Sprintf(
			"the answers about %s for %s were already shown, so yours was not recorded: a late answer could be told apart. Next month's question comes on the first %s of the month",
			about, month, u.Day)})
		return Outcome{Problems: 1}, s.confirm(ctx, p, conf)
	}
	r, problems := grammar.ParseUpward(msg.Reply)
	for _, pr := range problems {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Line: pr.Line, Text: pr.Text, Why: pr.Why})
	}
	if r.Score == 0 {
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	a := care.UpwardAnswer{UpwardRef: *p.Upward, Key: answerKey(p.ID), Question: p.Question, Score: r.Score, Words: r.Words}
	created, err := s.Store.SaveUpwardAnswer(ctx, a)
	if err != nil {
		return Outcome{}, err
	}
	if !created {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Why: fmt.Sprintf(
			"you already answered this question about %s for %s: your first answer stands, so nothing changed", about, month)})
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	line := fmt.Sprintf("Your answer about %s's support in %s: %d out of 5", about, month, r.Score)
	if r.Words != "" {
		line += ", with your words"
	}
	conf.Recorded = append(conf.Recorded, line+fmt.Sprintf(". It is kept without your name; %s sees it only if at least %d people answer", about, u.ShowFrom))
	s.Log.InfoContext(ctx, "upward answer recorded", "team", p.Team, "month", p.Upward.Month)
	return Outcome{Recorded: 1, Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
}

// upwardThanks sends the manager's words, in reply to the results, to
// everyone who was asked about them that month, once.
func (s *Inbound) upwardThanks(ctx context.Context, p care.Prompt, msg care.InboundMail) (Outcome, error) {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return Outcome{}, fmt.Errorf("team %s: %w", p.Team, err)
	}
	manager := memberOf(team, p.Recipient)
	conf := mail.Confirmation{Manager: manager, Subject: msg.Subject, Help: grammarHelp(p)}
	if p.Upward == nil {
		return Outcome{}, fmt.Errorf("upward results prompt %s has no round", p.ID)
	}
	month := care.MonthName(p.Upward.Month, "January 2006")
	words := strings.TrimSpace(msg.Reply)
	problem := func(why string) (Outcome, error) {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Line: 1, Why: why})
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	switch n := utf8.RuneCountInString(words); {
	case n == 0:
		return problem("the reply was empty, so nothing was sent: write a few words to thank your team above the marker line")
	case n > grammar.MaxWords:
		return problem(fmt.Sprintf("your words are %d characters long, more than the %d carecoach passes on, so nothing was sent: reply again with a shorter thank-you", n, grammar.MaxWords))
	}
	members, err := askedAbout(ctx, s.Store, team, p.Upward.Manager, p.Upward.Month)
	if err != nil {
		return Outcome{}, err
	}
	if len(members) == 0 {
		return problem("nobody was asked about you in " + month + ", so there is nobody to thank and nothing was sent")
	}
	ok, err := s.Store.ClaimUpwardThanks(ctx, *p.Upward, s.Now())
	if err != nil {
		return Outcome{}, err
	}
	if !ok {
		return problem("you thanked your team for " + month + " already, so nothing was sent again")
	}
	for _, m := range members {
		e, err := mail.UpwardThanksEmail(mail.UpwardThanks{Agent: m, Manager: manager, Month: month, Words: words})
		if err == nil {
			_, err = s.Mailer.Send(ctx, e)
		}
		if err != nil {
			if rerr := s.Store.ReleaseUpwardThanks(ctx, *p.Upward); rerr != nil {
				err = fmt.Errorf("%w (and %w)", err, rerr)
			}
			return Outcome{}, fmt.Errorf("send upward thanks to %s: %w", m.Email, err)
		}
	}
	conf.Recorded = append(conf.Recorded, fmt.Sprintf("Your thanks went to the %s asked about you in %s", people(len(members)), month))
	s.Log.InfoContext(ctx, "upward thanks sent", "team", p.Team, "manager", p.Upward.Manager, "month", p.Upward.Month, "to", len(members))
	return Outcome{Recorded: 1}, s.confirm(ctx, p, conf)
}

// people is "1 person" or "4 people".
func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprint(n) + " people"
}

// upwardAnswers reads the answers a digest at `to` shows: the trend's
// months up to the last round (playbook.UpwardSpan).
func (s *Digests) upwardAnswers(ctx context.Context, team string, to time.Time) ([]care.UpwardAnswer, error) {
	from, last := playbook.UpwardSpan(to)
	return s.Store.UpwardAnswers(ctx, team, from, last)
}

// upwardDigestView is the digest's upward feedback section.
func upwardDigestView(u *digest.Upward) *mail.DigestUpward {
	if u == nil {
		return nil
	}
	v := &mail.DigestUpward{ShowFrom: u.ShowFrom}
	if u.Own != nil {
		r := upwardRoundView(*u.Own, "January 2006")
		v.Own = &r
	}
	for _, rep := range u.Reports {
		line := mail.DigestUpwardReport{Name: managerName(rep.Manager)}
		for _, m := range rep.Trend {
			line.Trend = append(line.Trend, upwardRoundView(m, "Jan 2006"))
		}
		v.Reports = append(v.Reports, line)
	}
	return v
}

// managerName is a member's name, or their address without one.
func managerName(m care.Member) string {
	if m.Name != "" {
		return m.Name
	}
	return m.Email
}
