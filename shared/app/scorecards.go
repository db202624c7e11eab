package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/dashtoken"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/core/scorecard"
	"golang.org/x/sync/errgroup"
)

// ScorecardStore reads what scorecards are made of, with key and index
// queries only.
type ScorecardStore interface {
	TeamMoments(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error)
	TeamFacts(ctx context.Context, team string, from, to time.Time) ([]care.Fact, error)
	TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]care.Feedback, error)
	// TeamCheckBacks lists the team's check-backs made (coaching given)
	// in [from, to).
	TeamCheckBacks(ctx context.Context, team string, from, to time.Time) ([]care.CheckBack, error)
	// TeamFeedbackRequests lists the team's requests for feedback asked
	// in [from, to).
	TeamFeedbackRequests(ctx context.Context, team string, from, to time.Time) ([]care.FeedbackRequest, error)
	UpwardAnswers // upward.go
}

// DashboardValidity is how long a dashboard link works: two weekly
// digests, so the newest digest always holds a working one.
const DashboardValidity = 14 * 24 * time.Hour

// DefaultWeeks is the period when a request names none.
const DefaultWeeks = 4

// Limits on what one request may ask for.
const (
	maxWeeks = 26
	maxDays  = 366
	// feedbackLookback is how far before the trends the days since a
	// member's last feedback are looked for.
	feedbackLookback = 90 * 24 * time.Hour
)

// DashboardLinks signs the links that open a team's dashboard with the
// current token key; package dashtoken derives its own key from it.
type DashboardLinks struct {
	Key TokenKeys
	// BaseURL is where dashboards are served, e.g.
	// https://<api>/dashboard; "" means no links.
	BaseURL string
	Valid   time.Duration
}

// URL is the link that opens team's dashboard for manager until now + Valid.
func (l DashboardLinks) URL(team, manager string, now time.Time) (string, error) {
	if l.BaseURL == "" {
		return "", nil
	}
	key, _ := keysOf(l.Key)
	token, err := dashtoken.Sign(key, team, manager, now.Add(l.Valid))
	if err != nil {
		return "", fmt.Errorf("sign dashboard link: %w", err)
	}
	return strings.TrimSuffix(l.BaseURL, "/") + "/" + url.PathEscape(team) + "?t=" + url.QueryEscape(token), nil
}

// ScorecardRequest is what a caller asks for, as sent: the team, the
// credential, and the period as from / to dates (YYYY-MM-DD in the team's
// zone, to inclusive) or a number of weeks up to now.
type ScorecardRequest struct {
	Team, Token     string
	From, To, Weeks string
}

// Dashboard is one manager's view of their team.
type Dashboard struct {
	scorecard.Scorecards
	Manager     string
	Location    *time.Location
	PraiseRatio float64 // the team's target praise per coaching
}

// Dashboards serves scorecards to the managers who hold a signed link.
type Dashboards struct {
	Store ScorecardStore
	Teams Teams
	Key   TokenKeys
	Now   func() time.Time
	Log   *slog.Logger
}

// Messages for refused requests: they say what to do, and nothing about
// the team.
const (
	msgNoLink  = "this page needs the signed link from your weekly digest: open \"Open your team's dashboard\" in your latest digest email"
	msgBadLink = "this dashboard link is not valid: open the dashboard from your latest digest email"
	msgExpired = "this dashboard link has expired: open the dashboard from your latest digest email"
	msgOther   = "this link opens another team's dashboard"
)

// Authorize checks the credential for the team and says whose it is.
func (s *Dashboards) Authorize(ctx context.Context, teamID, token string) (care.Team, string, error) {
	if token == "" {
		return care.Team{}, "", care.Errorf(care.EUnauthorized, msgNoLink)
	}
	p, err := dashtoken.Parse(token)
	if err != nil {
		return care.Team{}, "", s.refuse(ctx, teamID, err, care.Errorf(care.EUnauthorized, msgBadLink))
	}
	if p.Team != teamID {
		return care.Team{}, "", s.refuse(ctx, teamID, errors.New("token is for team "+p.Team), care.Errorf(care.EForbidden, msgOther))
	}
	team, err := s.Teams.Team(ctx, teamID)
	if care.ErrorCode(err) == care.ENotFound {
		return care.Team{}, "", s.refuse(ctx, teamID, err, care.Errorf(care.EUnauthorized, msgBadLink))
	}
	if err != nil {
		return care.Team{}, "", fmt.Errorf("team %s: %w", teamID, err)
	}
	manager, err := verifyDashboard(s.Key, p, digest.Managers(team), s.Now())
	switch {
	case errors.Is(err, errNoKey):
		return care.Team{}, "", fmt.Errorf("dashboard link for team %s: %w", teamID, err)
	case errors.Is(err, dashtoken.ErrExpired):
		return care.Team{}, "", s.refuse(ctx, teamID, err, care.Errorf(care.EUnauthorized, msgExpired))
	case err != nil:
		return care.Team{}, "", s.refuse(ctx, teamID, err, care.Errorf(care.EUnauthorized, msgBadLink))
	}
	return team, manager, nil
}

func (s *Dashboards) refuse(ctx context.Context, team string, why error, err *care.Error) error {
	s.Log.InfoContext(ctx, "dashboard link refused", "team", team, "reason", why.Error())
	return err
}

// Scorecards authorizes the request and computes the scorecards of the
// manager's members (the same members as their digest) for the period.
func (s *Dashboards) Scorecards(ctx context.Context, r ScorecardRequest) (Dashboard, error) {
	team, manager, err := s.Authorize(ctx, r.Team, r.Token)
	if err != nil {
		return Dashboard{}, err
	}
	pb := playbook.ForTeam(team)
	now := s.Now()
	from, to, err := period(r, now, pb.Location)
	if err != nil {
		return Dashboard{}, err
	}
	members := digest.Scope(team, manager)
	readFrom := scorecard.TrendFrom(to)
	if from.Before(readFrom) {
		readFrom = from
	}
	in := scorecard.Input{
		Team: team, Members: members, From: from, To: to, Now: now,
		Window: pb.ResponseWindow, Cadence: pb.FeedbackCadence,
		Feedback: make(map[string][]care.Feedback, len(members)), Manager: manager,
	}
	if err := s.read(ctx, team.ID, readFrom, from, to, &in); err != nil {
		return Dashboard{}, err
	}
	return Dashboard{Scorecards: scorecard.Compute(in), Manager: manager, Location: pb.Location, PraiseRatio: pb.PraiseRatio}, nil
}

// read runs the five reads side by side: the team's moments, facts and
// feedback from `from` (the start of the trends or of the period), and
// the check-backs of the coaching given and the requests for feedback
// asked in the period, from period to to.
func (s *Dashboards) read(ctx context.Context, team string, from, period, to time.Time, in *scorecard.Input) error {
	var feedback []care.Feedback
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { in.Moments, err = s.Store.TeamMoments(gctx, team, from, to); return err })
	g.Go(func() (err error) { in.Facts, err = s.Store.TeamFacts(gctx, team, from, to); return err })
	g.Go(func() (err error) {
		feedback, err = s.Store.TeamFeedback(gctx, team, from.Add(-feedbackLookback), to)
		return err
	})
	g.Go(func() (err error) { in.CheckBacks, err = s.Store.TeamCheckBacks(gctx, team, period, to); return err })
	g.Go(func() (err error) {
		in.Requests, err = s.Store.TeamFeedbackRequests(gctx, team, period, to)
		return err
	})
	g.Go(func() (err error) {
		from, last := playbook.UpwardSpan(to)
		in.Upward, err = s.Store.UpwardAnswers(gctx, team, from, last)
		return err
	})
	if err := g.Wait(); err != nil {
		return err
	}
	for _, f := range feedback {
		addr := strings.ToLower(f.AgentEmail)
		in.Feedback[addr] = append(in.Feedback[addr], f)
	}
	return nil
}

// period reads the request's period: from / to dates in the team's zone
// (to inclusive), or the last n weeks up to now (default DefaultWeeks).
func period(r ScorecardRequest, now time.Time, loc *time.Location) (from, to time.Time, err error) {
	if r.Weeks != "" && (r.From != "" || r.To != "") {
		return from, to, care.Errorf(care.EInvalid, "give either weeks or from/to, not both")
	}
	if r.From == "" && r.To == "" {
		weeks := DefaultWeeks
		if r.Weeks != "" {
			weeks, err = strconv.Atoi(r.Weeks)
			if err != nil || weeks < 1 || weeks > maxWeeks {
				return from, to, care.Errorf(care.EInvalid, "weeks must be a whole number from 1 to %d, got %q", maxWeeks, r.Weeks)
			}
		}
		// Up to and including now: what was recorded this instant counts.
		end := now.Add(time.Nanosecond)
		return end.Add(-time.Duration(weeks) * scorecard.Week), end, nil
	}
	if r.From == "" {
		return from, to, care.Errorf(care.EInvalid, "to needs a from date as well, e.g. from=2026-11-23&to=2026-11-29")
	}
	day := func(name, v string) (time.Time, error) {
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return d, care.Errorf(care.EInvalid, "%s must be a date like 2026-11-23, got %q", name, v)
		}
		return d, nil
	}
	if from, err = day("from", r.From); err != nil {
		return from, to, err
	}
	if r.To == "" {
		to = now.Add(time.Nanosecond)
	} else if to, err = day("to", r.To); err != nil {
		return from, to, err
	} else {
		to = to.AddDate(0, 0, 1) // to is inclusive: the period ends at the next midnight
	}
	switch {
	case !from.Before(to):
		return from, to, care.Errorf(care.EInvalid, "from %s is after to %s", r.From, r.To)
	case to.Sub(from) > maxDays*24*time.Hour:
		return from, to, care.Errorf(care.EInvalid, "the period is longer than %d days", maxDays)
	}
	return from, to, nil
}
