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

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/core/replytoken"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// DigestStore reads what a digest is made of and keeps the prompts sent.
type DigestStore interface {
	TeamMoments(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error)
	TeamFacts(ctx context.Context, team string, from, to time.Time) ([]care.Fact, error)
	TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]care.Feedback, error)
	TeamLastFeedback(ctx context.Context, team string) (map[string]time.Time, error)
	ClimateAnswers(ctx context.Context, team string, from, to time.Time) ([]care.ClimateAnswer, error)
	// TeamWithdrawals lists the team's moments withdrawn in [from, to).
	TeamWithdrawals(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error)
	// DeadLettersReceived lists a connection's deliveries received in
	// [from, to) that could not be processed.
	DeadLettersReceived(ctx context.Context, connection string, from, to time.Time) ([]care.DeadLetter, error)
	// TeamCheckBacks lists the team's check-backs made in [from, to).
	TeamCheckBacks(ctx context.Context, team string, from, to time.Time) ([]care.CheckBack, error)
	TeamFeedbackRequests(ctx context.Context, team string, from, to time.Time) ([]care.FeedbackRequest, error) // ask.go
	PromptStore
}

// Replies is how answerable emails are addressed: the token keys and the
// inbound domain of reply+<token>@<domain>.
type Replies struct {
	Key    TokenKeys
	Domain string
	// Valid is how long a prompt can be answered.
	Valid time.Duration
}

// DeadLettersHow tells an admin where to see and replay dead letters.
const DeadLettersHow = "infra/admin dead-letters lists them with their reasons; infra/admin replay processes one again after a fix."

// Jobs a team can be scheduled for.
const JobDigest = "digest"

// ReplyValidity is how long a prompt can be answered by reply.
const ReplyValidity = 30 * 24 * time.Hour

// Period of a digest: the week before it.
const digestPeriod = 7 * 24 * time.Hour

// Digests sends each manager of a team their digest for the week before now.
type Digests struct {
	Store     DigestStore
	Directory Directory
	Mailer    Mailer
	Replies   Replies
	// Dashboard signs each manager's link to the team's dashboard; without
	// a BaseURL the digest has no link.
	Dashboard DashboardLinks
	Now       func() time.Time
	Log       interface {
		InfoContext(ctx context.Context, msg string, args ...any)
	}
}

// Send builds and sends the digests of one team. A retried job sends no
// digest twice: each has a prompt keyed by team, manager and period.
func (s *Digests) Send(ctx context.Context, teamID string) error {
	team, err := s.Directory.Team(ctx, teamID)
	if err != nil {
		return fmt.Errorf("team %s: %w", teamID, err)
	}
	pb := playbook.ForTeam(team)
	to := s.Now()
	from := to.Add(-digestPeriod)

	// Six independent key or index queries (the weeks of moments and facts
	// are a few more): side by side. Feedback and cadence come from the
	// team's indexes, not a query per member.
	var (
		moments     []care.Moment
		facts, prev []care.Fact
		answers     []care.ClimateAnswer
		feedback    []care.Feedback
		last        map[string]time.Time
		withdrawn   []care.Moment
		checkBacks  []care.CheckBack
		requests    []care.FeedbackRequest
		dead        = make([][]care.DeadLetter, len(team.Connections))
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { moments, err = s.Store.TeamMoments(gctx, team.ID, from, to); return err })
	g.Go(func() (err error) { facts, err = s.Store.TeamFacts(gctx, team.ID, from, to); return err })
	g.Go(func() (err error) {
		prev, err = s.Store.TeamFacts(gctx, team.ID, from.Add(-digestPeriod), from)
		return err
	})
	g.Go(func() (err error) { answers, err = s.Store.ClimateAnswers(gctx, team.ID, from, to); return err })
	g.Go(func() (err error) {
		feedback, err = s.Store.TeamFeedback(gctx, team.ID, to.Add(-digest.RatioWindow), to)
		return err
	})
	g.Go(func() (err error) { last, err = s.Store.TeamLastFeedback(gctx, team.ID); return err })
	g.Go(func() (err error) { withdrawn, err = s.Store.TeamWithdrawals(gctx, team.ID, from, to); return err })
	g.Go(func() (err error) {
		checkBacks, err = s.Store.TeamCheckBacks(gctx, team.ID, to.Add(-digest.FollowThroughWindow), to)
		return err
	})
	g.Go(func() (err error) {
		requests, err = s.Store.TeamFeedbackRequests(gctx, team.ID, to.Add(-ReplyValidity), to)
		return err
	})
	if slices.ContainsFunc(digest.Managers(team), team.IsAdmin) {
		for i, c := range team.Connections {
			g.Go(func() (err error) { dead[i], err = s.Store.DeadLettersReceived(gctx, c.ID, from, to); return err })
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	deadLetters := slices.Concat(dead...)
	slices.SortFunc(deadLetters, func(a, b care.DeadLetter) int { return a.Delivery.ReceivedAt.Compare(b.Delivery.ReceivedAt) })
	byMember := map[string][]care.Feedback{}
	for _, f := range feedback {
		addr := strings.ToLower(f.AgentEmail)
		byMember[addr] = append(byMember[addr], f)
	}
	managers := digest.Managers(team)

	sends, sctx := errgroup.WithContext(ctx)
	sends.SetLimit(parallelSends)
	for _, manager := range managers {
		in := digest.Input{
			Team: team, Playbook: pb, Manager: manager, From: from, To: to, Now: to,
			Moments: moments, Facts: facts, PrevFacts: prev, Climate: answers,
			Feedback: map[string][]care.Feedback{}, LastFeedback: map[string]time.Time{},
		}
		for _, m := range digest.Scope(team, manager) {
			addr := strings.ToLower(m.Email)
			in.Feedback[addr], in.LastFeedback[addr] = byMember[addr], last[addr]
		}
		corrections, err := s.corrections(ctx, team, pb, manager, withdrawn)
		if err != nil {
			return err
		}
		in.Corrections, in.DeadLetters, in.CheckBacks, in.Requests = corrections, deadLetters, checkBacks, requests
		d := digest.Build(in)
		if d.Empty() {
			s.Log.InfoContext(ctx, "digest empty, not sent", "team", team.ID, "manager", manager)
			continue
		}
		sends.Go(func() error { return s.send(sctx, team, pb, manager, from, to, d) })
	}
	return sends.Wait()
}

// corrections finds, among the coaching moments withdrawn since the last
// digest, those an earlier digest to this manager named, with the item
// number it gave them. The digest that named a moment is the first one
// after the moment's time (its period holds it), so its prompt is read by
// id; a moment withdrawn before any digest named it needs no correction.
func (s *Digests) corrections(ctx context.Context, team care.Team, pb playbook.Playbook, manager string, withdrawn []care.Moment) ([]digest.Correction, error) {
	prompts := map[string]care.Prompt{}
	var out []digest.Correction
	for _, m := range withdrawn {
		if m.Kind != care.Coaching {
			continue
		}
		id := digestPromptID(team.ID, manager, pb.NextDigest(m.At))
		p, seen := prompts[id]
		if !seen {
			var err error
			p, err = s.Store.Prompt(ctx, id)
			if err != nil && care.ErrorCode(err) != care.ENotFound {
				return nil, fmt.Errorf("digest that named moment %s: %w", m.ID, err)
			}
			prompts[id] = p
		}
		if p.SentAt.IsZero() {
			continue
		}
		for _, it := range p.Items {
			if it.Moment.ID == m.ID {
				out = append(out, digest.Correction{N: it.N, SentAt: p.SentAt, Moment: m, Agent: care.Member{Name: it.AgentName, Email: it.AgentEmail}})
			}
		}
	}
	return out, nil
}

// digestPromptID names the digest of a team to a manager sent at `to`.
func digestPromptID(team, manager string, to time.Time) string {
	sum := sha256.Sum256([]byte(team + "\x00" + manager + "\x00" + to.UTC().Format("2006-01-02")))
	return "d-" + hex.EncodeToString(sum[:8])
}

// How many digests of a team are sent at once.
const parallelSends = 4

func (s *Digests) send(ctx context.Context, team care.Team, pb playbook.Playbook, manager string, from, to time.Time, d digest.Digest) error {
	p := care.Prompt{
		ID: digestPromptID(team.ID, manager, to), Team: team.ID, Kind: care.DigestPrompt, Recipient: manager,
		ExpiresAt: to.Add(s.Replies.Valid),
	}
	for _, it := range d.Items() {
		p.Items = append(p.Items, care.PromptItem{
			N: it.N, Moment: it.Moment, AgentEmail: strings.ToLower(it.Agent.Email), AgentName: it.Agent.Name,
			TicketURL: ticketURL(team, it.Moment.Ticket),
		})
	}
	link, err := s.Dashboard.URL(team.ID, manager, to)
	if err != nil {
		return err
	}
	sent, err := sendPrompt(ctx, s.Store, s.Mailer, s.Replies, p, s.Now, func() (care.Email, error) {
		v := digestView(team, pb, memberOf(team, manager), from, to, d, p)
		v.DashboardURL = link
		return mail.DigestEmail(v)
	})
	if sent {
		emf.Count(ctx, emf.DigestsSent, 1)
		s.Log.InfoContext(ctx, "digest sent", "team", team.ID, "manager", manager, "items", len(p.Items))
	}
	return err
}

// PromptStore keeps answerable emails.
type PromptStore interface {
	PutPrompt(ctx context.Context, p care.Prompt) (bool, error)
	Prompt(ctx context.Context, id string) (care.Prompt, error)
	MarkPromptSent(ctx context.Context, id string, at time.Time) error
}

// sendPrompt stores a prompt and sends its email with a signed Reply-To,
// once: a retried job finds the prompt marked sent and sends nothing.
func sendPrompt(ctx context.Context, store PromptStore, mailer Mailer, replies Replies, p care.Prompt, now func() time.Time, compose func() (care.Email, error)) (sent bool, err error) {
	created, err := store.PutPrompt(ctx, p)
	if err != nil {
		return false, err
	}
	if !created {
		if old, err := store.Prompt(ctx, p.ID); err != nil || !old.SentAt.IsZero() {
			return false, err // already sent (or unreadable: retry)
		}
	}
	email, err := compose()
	if err != nil {
		return false, err
	}
	if email.ReplyTo, err = replies.address(p); err != nil {
		return false, err
	}
	if _, err := mailer.Send(ctx, email); err != nil {
		return false, fmt.Errorf("send %s prompt to %s: %w", p.Kind, p.Recipient, err)
	}
	return true, store.MarkPromptSent(ctx, p.ID, now())
}

// address is the Reply-To of a prompt.
func (r Replies) address(p care.Prompt) ([]string, error) {
	key, _ := keysOf(r.Key)
	token, err := replytoken.Sign(key, p.ID, p.Recipient, p.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("sign reply token: %w", err)
	}
	return []string{replytoken.Address(token, r.Domain)}, nil
}

func digestView(team care.Team, pb playbook.Playbook, manager care.Member, from, to time.Time, d digest.Digest, p care.Prompt) mail.Digest {
	loc := pb.Location
	v := mail.Digest{
		Manager: manager, TeamID: team.ID, TeamName: team.Name, From: from.In(loc), To: to.In(loc),
		CadenceDays: int(pb.FeedbackCadence.Hours() / 24), PraiseRatio: pb.PraiseRatio, Help: grammarHelp(p),
	}
	if v.TeamName == "" {
		v.TeamName = team.ID
	}
	item := func(it digest.Item) mail.DigestItem {
		return mail.DigestItem{
			N: it.N, Kind: it.Moment.Kind, Behaviour: it.Moment.Behaviour, AgentName: it.Agent.Name,
			What: it.Moment.What, Quote: it.Moment.Quote, Subject: it.Moment.Subject, TicketID: it.Moment.Ticket.TicketID,
			TicketURL: p.Items[it.N-1].TicketURL, At: it.Moment.At.In(loc), Suggestion: it.Suggestion,
		}
	}
	for _, it := range d.Praise {
		v.Praise = append(v.Praise, item(it))
	}
	for _, it := range d.Coaching {
		v.Coaching = append(v.Coaching, item(it))
	}
	v.Cadence = d.Cadence
	anonymous := playbook.ClimateOf(team).Anonymous
	for _, a := range d.Climate {
		who := ""
		if !anonymous {
			who = memberOf(team, a.Who).Name
		}
		v.Climate = append(v.Climate, mail.ClimateAnswer{Question: a.Question, Answer: a.Answer, Who: who})
	}
	for _, c := range d.Corrections {
		v.Corrections = append(v.Corrections, mail.DigestCorrection{
			N: c.N, Digest: c.SentAt.In(loc), AgentName: c.Agent.Name, TicketID: c.Moment.Ticket.TicketID, Why: c.Moment.WithdrawnWhy,
		})
	}
	v.CheckBacks = checkBacksView(d.CheckBacks, loc)
	v.Asks = asksView(d.Asks, loc)
	if len(d.DeadLetters) > 0 {
		count := &mail.DeadLetterCount{Total: len(d.DeadLetters), How: DeadLettersHow}
		for _, dl := range d.DeadLetters {
			day := dl.Delivery.ReceivedAt.In(loc)
			day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
			if n := len(count.PerDay); n > 0 && count.PerDay[n-1].Day.Equal(day) {
				count.PerDay[n-1].Count++
			} else {
				count.PerDay = append(count.PerDay, mail.DayCount{Day: day, Count: 1})
			}
		}
		v.DeadLetters = count
	}
	v.Trends = d.Trends
	return v
}

// memberOf finds a team member by address (a manager may not be one).
func memberOf(team care.Team, addr string) care.Member {
	for _, m := range team.Members {
		if strings.EqualFold(m.Email, addr) {
			return m
		}
	}
	return care.Member{Email: addr, Name: addr}
}

func ticketURL(team care.Team, ref care.TicketRef) string {
	for _, c := range team.Connections {
		if c.ID == ref.Connection {
			return c.TicketURL(ref.TicketID)
		}
	}
	return ""
}
