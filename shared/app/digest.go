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
	WeekStore
	TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]care.Feedback, error)
	TeamLastFeedback(ctx context.Context, team string) (map[string]time.Time, error)
	// TeamWithdrawals lists the team's moments withdrawn in [from, to).
	TeamWithdrawals(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error)
	// DeadLettersReceived lists a connection's deliveries received in
	// [from, to) that could not be processed.
	DeadLettersReceived(ctx context.Context, connection string, from, to time.Time) ([]care.DeadLetter, error)
	// TeamCheckBacks lists the team's check-backs made in [from, to).
	TeamCheckBacks(ctx context.Context, team string, from, to time.Time) ([]care.CheckBack, error)
	TeamFeedbackRequests(ctx context.Context, team string, from, to time.Time) ([]care.FeedbackRequest, error) // ask.go
	UpwardAnswers                                                                                              // upward.go
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

// WeekStore is what a digest and a meeting brief both read of a team's
// week.
type WeekStore interface {
	TeamMoments(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error)
	// TeamTrendFacts lists the team's facts in [from, to) that the trends
	// count, with what they read of them (kind, rating, tags).
	TeamTrendFacts(ctx context.Context, team string, from, to time.Time) ([]care.Fact, error)
	ClimateAnswers(ctx context.Context, team string, from, to time.Time) ([]care.ClimateAnswer, error)
}

// week is a team's week [from, to) as digests and briefs read it: the
// team, its moments and climate answers, and the facts the trends count
// with those of the week before.
type week struct {
	team        care.Team
	moments     []care.Moment
	facts, prev []care.Fact
	answers     []care.ClimateAnswer
}

// readWeek starts the week's reads in g, side by side with whatever else
// the caller reads there; onTeam runs in g as soon as the team is read
// (nil: nothing). The week is whole once g.Wait returns nil.
func readWeek(g *errgroup.Group, ctx context.Context, store WeekStore, dir Directory, teamID string, from, to time.Time, w *week, onTeam func(care.Team)) {
	g.Go(func() (err error) {
		if w.team, err = dir.Team(ctx, teamID); err != nil {
			return fmt.Errorf("team %s: %w", teamID, err)
		}
		if onTeam != nil {
			onTeam(w.team)
		}
		return nil
	})
	g.Go(func() (err error) { w.moments, err = store.TeamMoments(ctx, teamID, from, to); return err })
	g.Go(func() (err error) { w.facts, err = store.TeamTrendFacts(ctx, teamID, from, to); return err })
	g.Go(func() (err error) {
		w.prev, err = store.TeamTrendFacts(ctx, teamID, from.Add(-digestPeriod), from)
		return err
	})
	g.Go(func() (err error) { w.answers, err = store.ClimateAnswers(ctx, teamID, from, to); return err })
}

// Digests sends each manager of a team their digest for the week before now.
type Digests struct {
	Store     DigestStore
	Directory Directory
	Mailer    Mailer
	Replies   Replies
	// Dashboard signs each manager's link to the team's dashboard; without
	// a BaseURL the digest has no link.
	Dashboard DashboardLinks
	// SendRate is how many emails a second SES allows the account (its
	// maximum send rate): the digests of a team, sent side by side, start
	// their emails no faster. 0: not paced.
	SendRate float64
	Now      func() time.Time
	Log      interface {
		InfoContext(ctx context.Context, msg string, args ...any)
	}
}

// Send builds and sends the digests of one team. A retried job sends no
// digest twice: each has a prompt keyed by team, manager and period.
func (s *Digests) Send(ctx context.Context, teamID string) error {
	to := s.Now()
	from := to.Add(-digestPeriod)

	// The team and eight independent key or index queries (the weeks of
	// moments and facts are a few more), side by side; the dead letters,
	// which need the team's connections, as soon as the team is read.
	// Feedback and cadence come from the team's indexes, not a query per
	// member; the facts are only those the trends count.
	var (
		wk         week
		feedback   []care.Feedback
		last       map[string]time.Time
		withdrawn  []care.Moment
		checkBacks []care.CheckBack
		requests   []care.FeedbackRequest
		upward     []care.UpwardAnswer
		dead       [][]care.DeadLetter
	)
	g, gctx := errgroup.WithContext(ctx)
	readWeek(g, gctx, s.Store, s.Directory, teamID, from, to, &wk, func(team care.Team) {
		dead = make([][]care.DeadLetter, len(team.Connections))
		if slices.ContainsFunc(digest.Managers(team), team.IsAdmin) {
			for i, c := range team.Connections {
				g.Go(func() (err error) { dead[i], err = s.Store.DeadLettersReceived(gctx, c.ID, from, to); return err })
			}
		}
	})
	g.Go(func() (err error) {
		feedback, err = s.Store.TeamFeedback(gctx, teamID, to.Add(-digest.RatioWindow), to)
		return err
	})
	g.Go(func() (err error) { last, err = s.Store.TeamLastFeedback(gctx, teamID); return err })
	g.Go(func() (err error) { withdrawn, err = s.Store.TeamWithdrawals(gctx, teamID, from, to); return err })
	g.Go(func() (err error) {
		checkBacks, err = s.Store.TeamCheckBacks(gctx, teamID, to.Add(-digest.FollowThroughWindow), to)
		return err
	})
	g.Go(func() (err error) {
		requests, err = s.Store.TeamFeedbackRequests(gctx, teamID, to.Add(-ReplyValidity), to)
		return err
	})
	g.Go(func() (err error) { upward, err = s.upwardAnswers(gctx, teamID, to); return err })
	if err := g.Wait(); err != nil {
		return err
	}
	team := wk.team
	pb := playbook.ForTeam(team)
	deadLetters := slices.Concat(dead...)
	slices.SortFunc(deadLetters, func(a, b care.DeadLetter) int { return a.Delivery.ReceivedAt.Compare(b.Delivery.ReceivedAt) })
	byMember := map[string][]care.Feedback{}
	for _, f := range feedback {
		addr := strings.ToLower(f.AgentEmail)
		byMember[addr] = append(byMember[addr], f)
	}
	// What the managers' digests share is worked out once (digest.ForTeam);
	// each manager's own part, corrections included, is built and sent
	// side by side with the others', within SES's rate.
	all := digest.ForTeam(digest.Input{
		Team: team, Playbook: pb, From: from, To: to, Now: to,
		Moments: wk.moments, Facts: wk.facts, PrevFacts: wk.prev, Climate: wk.answers,
		Feedback: byMember, LastFeedback: last, DeadLetters: deadLetters, CheckBacks: checkBacks, Requests: requests, Upward: upward,
	})
	mailer := paced(s.Mailer, s.SendRate)
	sends, sctx := errgroup.WithContext(ctx)
	sends.SetLimit(parallelSends)
	for _, manager := range digest.Managers(team) {
		sends.Go(func() error {
			corrections, err := s.corrections(sctx, team, pb, manager, withdrawn)
			if err != nil {
				return err
			}
			d := all.Build(manager, corrections)
			if d.Empty() {
				s.Log.InfoContext(sctx, "digest empty, not sent", "team", team.ID, "manager", manager)
				return nil
			}
			return s.send(sctx, mailer, team, pb, manager, from, to, d)
		})
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

// How many digests of a team are built and sent at once: what bounds the
// emails is SendRate; this bounds the requests in flight.
const parallelSends = 10

func (s *Digests) send(ctx context.Context, mailer Mailer, team care.Team, pb playbook.Playbook, manager string, from, to time.Time, d digest.Digest) error {
	p := care.Prompt{
		ID: digestPromptID(team.ID, manager, to), Team: team.ID, Kind: care.DigestPrompt, Recipient: manager,
		ExpiresAt: to.Add(s.Replies.Valid),
	}
	for _, it := range d.Items() {
		p.Items = append(p.Items, care.PromptItem{
			N: it.N, Moment: it.Moment, AgentEmail: strings.ToLower(it.Agent.Email), AgentName: it.Agent.Name,
			TicketURL: team.TicketURL(it.Moment.Ticket),
		})
	}
	anonymous := playbook.ClimateOf(team).Anonymous
	for i, a := range d.Climate {
		it := care.PromptItem{N: d.ConcernN(i), AgentEmail: strings.ToLower(a.Who),
			Concern: &care.Concern{Question: a.Question, Answer: a.Answer, AnsweredAt: a.At, Anonymous: anonymous}}
		if !anonymous {
			it.AgentName = memberOf(team, a.Who).Name
		}
		p.Items = append(p.Items, it)
	}
	link, err := s.Dashboard.URL(team.ID, manager, to)
	if err != nil {
		return err
	}
	sent, err := sendPrompt(ctx, s.Store, mailer, s.Replies, p, s.Now, func() (care.Email, error) {
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
	for i, a := range d.Climate {
		who := ""
		if !anonymous {
			who = memberOf(team, a.Who).Name
		}
		v.Climate = append(v.Climate, mail.ClimateAnswer{N: d.ConcernN(i), Question: a.Question, Answer: a.Answer, Who: who})
	}
	if len(v.Climate) > 0 && playbook.CheckBackOf(team).On {
		v.CheckBackDays = playbook.CheckBackOf(team).After
	}
	for _, c := range d.Corrections {
		v.Corrections = append(v.Corrections, mail.DigestCorrection{
			N: c.N, Digest: c.SentAt.In(loc), AgentName: c.Agent.Name, TicketID: c.Moment.Ticket.TicketID, Why: c.Moment.WithdrawnWhy,
		})
	}
	v.CheckBacks = checkBacksView(d.CheckBacks, loc)
	v.Asks = asksView(d.Asks, loc)
	v.Upward = upwardDigestView(d.Upward)
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
	if m, ok := team.Member(addr); ok {
		return m
	}
	return care.Member{Email: addr, Name: addr}
}
