// Package scorecard answers "how is my team doing on the behaviours we
// agreed?": per member and for the team, over a period, how many customers
// were answered within the response window and how fast the first answer
// came, follow-ups and commitments kept or missed, satisfaction, the
// feedback each member received (from their manager and from teammates),
// how long since the last, the praise : coaching ratio and rewards; the
// same behaviours week by week, for the trends; and each manager's
// follow-through on checking back after coaching (checkback.go).
//
// It is a pure function of what the caller read from storage: the team,
// its moments and facts, each member's feedback, the period's
// check-backs, and the time.
package scorecard

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Week is a trend bucket.
const Week = 7 * 24 * time.Hour

// TrendWeeks is how many weeks the trends cover, ending with the period.
const TrendWeeks = 8

// Input is everything scorecards are computed from.
type Input struct {
	Team care.Team
	// Members are the people scored (the manager's members), in order.
	Members []care.Member
	// From, To is the period, [From, To).
	From, To time.Time
	Now      time.Time
	// Window is the team's response window; Cadence how often each member
	// should hear from their manager.
	Window, Cadence time.Duration
	// Moments and Facts of the team in [min(From, TrendFrom), To).
	Moments []care.Moment
	Facts   []care.Fact
	// Feedback each member received, by lower-cased address, oldest first,
	// since at least the start of the trends.
	Feedback map[string][]care.Feedback
	// Manager is whose dashboard this is; CheckBacks the team's made
	// (coaching given) in [From, To), for the follow-through.
	Manager    string
	CheckBacks []care.CheckBack
	// Requests are the team's requests for feedback asked in [From, To).
	Requests []care.FeedbackRequest
	// Upward are the team's answers about its managers, the months of
	// playbook.UpwardSpan(To) (see upward.go).
	Upward []care.UpwardAnswer
}

// TrendFrom is where the trends of a period ending at to start.
func TrendFrom(to time.Time) time.Time { return to.Add(-TrendWeeks * Week) }

// Scorecards are a team's figures for a period.
type Scorecards struct {
	TeamID, TeamName string
	From, To, Now    time.Time
	Window, Cadence  time.Duration
	// Team sums the members' figures.
	Team    Card
	Members []MemberCard
	// Weeks are the trends, oldest first, the last ending at To.
	Weeks []WeekTrend
	// CheckBacks is each manager's follow-through on the coaching given
	// in the period (the dashboard's manager first), and CheckBackTotal
	// theirs added up.
	CheckBacks     []FollowThrough
	CheckBackTotal FollowThrough
	// Asking is how each member asked for feedback in the period.
	Asking []Asking
	// Upward is the manager's and their reports' upward feedback, months
	// under UpwardShowFrom answers withheld.
	Upward         []UpwardRow
	UpwardShowFrom int
}

// Card is one member's (or the team's) figures for the period.
type Card struct {
	// Answered within the response window, and not: a customer answered
	// late, or still waiting when the window closed.
	WindowKept, WindowMissed int
	// MedianFirstResponse is the median wait for the first public answer
	// of a ticket; zero when there was none (see FirstResponses).
	MedianFirstResponse time.Duration
	FirstResponses      int
	// Follow-ups that came due, were done, and were missed.
	FollowUpsDue, FollowUpsDone, FollowUpsMissed int
	CommitmentsKept, CommitmentsMissed           int
	// Satisfaction ratings.
	CSATGood, CSATBad int
	// Feedback received in the period: from a manager, split by kind, and
	// kudos from teammates.
	ManagerFeedback, PeerFeedback int
	Praise, Coaching              int
	// Rewards attached to feedback in the period.
	Rewards []string
	// Moments in the period, praise and coaching.
	PraiseMoments, CoachingMoments int
}

// WindowKeptPct is the share of customers answered within the window, and
// false when there were none.
func (c Card) WindowKeptPct() (float64, bool) { return pct(c.WindowKept, c.WindowKept+c.WindowMissed) }

// CSATPct is the share of good ratings, and false without ratings.
func (c Card) CSATPct() (float64, bool) { return pct(c.CSATGood, c.CSATGood+c.CSATBad) }

// Ratio is praise per coaching in the manager's feedback; ok is false
// when there was no coaching (the ratio is then "all praise", or nothing).
func (c Card) Ratio() (float64, bool) {
	if c.Coaching == 0 {
		return 0, false
	}
	return float64(c.Praise) / float64(c.Coaching), true
}

func pct(n, total int) (float64, bool) {
	if total == 0 {
		return 0, false
	}
	return 100 * float64(n) / float64(total), true
}

// MemberCard is one member's card, with what lies behind it.
type MemberCard struct {
	Member care.Member
	Card
	// LastFeedback is when a manager last gave them feedback (zero: not in
	// what was read), and DaysSince the whole days since then.
	LastFeedback time.Time
	DaysSince    int
	// Overdue: no manager feedback within the team's cadence.
	Overdue bool
	// Moments of the period, newest first, each with its ticket's link.
	Moments []Moment
	// Feedback received from the start of the trends to the period's end,
	// oldest first: the cadence timeline.
	Feedback []care.Feedback
}

// Moment is a moment with the link to its ticket.
type Moment struct {
	care.Moment
	TicketURL string // "" when the connection has no base URL
}

// WeekTrend is the team's figures for one week.
type WeekTrend struct {
	From, To time.Time
	Card
}

// Compute builds the scorecards.
func Compute(in Input) Scorecards {
	sc := Scorecards{
		TeamID: in.Team.ID, TeamName: cmp.Or(in.Team.Name, in.Team.ID),
		From: in.From, To: in.To, Now: in.Now, Window: in.Window, Cadence: in.Cadence,
	}
	who := index(in.Members)
	var firsts []time.Duration
	cards := make([]MemberCard, len(in.Members))
	memberFirsts := make([][]time.Duration, len(in.Members))
	for i, m := range in.Members {
		cards[i].Member = m
	}
	inPeriod := func(at time.Time) bool { return !at.Before(in.From) && at.Before(in.To) }
	contradicted := contradictions(in)
	for _, m := range in.Moments {
		i, ok := who[agentKey(m.Ticket.Connection, m.AgentID)]
		if !ok || !inPeriod(m.At) || contradicted(m) {
			continue
		}
		addMoment(&cards[i].Card, m)
		cards[i].Moments = append(cards[i].Moments, Moment{Moment: m, TicketURL: in.Team.TicketURL(m.Ticket)})
	}
	for _, f := range in.Facts {
		i, ok := who[agentKey(f.Ticket.Connection, f.AgentID)]
		if !ok || !inPeriod(f.At) {
			continue
		}
		if d, ok := addFact(&cards[i].Card, f, in.Window); ok {
			memberFirsts[i] = append(memberFirsts[i], d)
			firsts = append(firsts, d)
		}
	}
	trendFrom := TrendFrom(in.To)
	for i, m := range in.Members {
		c := &cards[i]
		c.FirstResponses = len(memberFirsts[i])
		c.MedianFirstResponse = median(memberFirsts[i])
		for _, f := range in.Feedback[strings.ToLower(m.Email)] {
			if !f.At.Before(in.To) {
				continue
			}
			if !f.At.Before(trendFrom) || inPeriod(f.At) {
				c.Feedback = append(c.Feedback, f)
			}
			if !f.Peer && f.At.After(c.LastFeedback) {
				c.LastFeedback = f.At
			}
			if inPeriod(f.At) {
				addFeedback(&c.Card, f)
			}
		}
		slices.SortStableFunc(c.Feedback, func(a, b care.Feedback) int { return a.At.Compare(b.At) })
		slices.SortStableFunc(c.Moments, func(a, b Moment) int { return b.At.Compare(a.At) })
		end := in.To
		if !in.Now.IsZero() && in.Now.Before(end) {
			end = in.Now
		}
		if !c.LastFeedback.IsZero() {
			c.DaysSince = int(end.Sub(c.LastFeedback) / (24 * time.Hour))
		}
		c.Overdue = c.LastFeedback.IsZero() || in.Cadence > 0 && end.Sub(c.LastFeedback) > in.Cadence
		sc.Team = sum(sc.Team, c.Card)
	}
	sc.Team.FirstResponses = len(firsts)
	sc.Team.MedianFirstResponse = median(firsts)
	sc.Members = cards
	sc.Weeks = weeks(in, who, trendFrom)
	sc.CheckBacks, sc.CheckBackTotal = followThrough(in)
	sc.Asking = Asks(in.Members, in.Requests, in.From, in.To)
	sc.Upward, sc.UpwardShowFrom = Upward(in)
	return sc
}

// weeks are the team's trends, one card per week from trendFrom to To.
func weeks(in Input, who map[string]int, trendFrom time.Time) []WeekTrend {
	out := make([]WeekTrend, TrendWeeks)
	firsts := make([][]time.Duration, TrendWeeks)
	for i := range out {
		out[i].From = trendFrom.Add(time.Duration(i) * Week)
		out[i].To = out[i].From.Add(Week)
	}
	bucket := func(at time.Time) (int, bool) {
		if at.Before(trendFrom) || !at.Before(in.To) {
			return 0, false
		}
		return int(at.Sub(trendFrom) / Week), true
	}
	contradicted := contradictions(in)
	for _, m := range in.Moments {
		w, ok := bucket(m.At)
		if _, member := who[agentKey(m.Ticket.Connection, m.AgentID)]; ok && member && !contradicted(m) {
			addMoment(&out[w].Card, m)
		}
	}
	for _, f := range in.Facts {
		w, ok := bucket(f.At)
		if _, member := who[agentKey(f.Ticket.Connection, f.AgentID)]; ok && member {
			if d, ok := addFact(&out[w].Card, f, in.Window); ok {
				firsts[w] = append(firsts[w], d)
			}
		}
	}
	for _, m := range in.Members {
		for _, f := range in.Feedback[strings.ToLower(m.Email)] {
			if w, ok := bucket(f.At); ok {
				addFeedback(&out[w].Card, f)
			}
		}
	}
	for i := range out {
		out[i].FirstResponses = len(firsts[i])
		out[i].MedianFirstResponse = median(firsts[i])
	}
	return out
}

// contradictions returns a test for moments the facts contradict: a
// response window counted as missed whose customer message has a response
// within the window. Late evidence withdraws such a moment (see
// playbook.Review), but a scorecard never counts one window both ways, even
// in the instant before the withdrawal is stored.
func contradictions(in Input) func(care.Moment) bool {
	kept := map[string]bool{}
	for _, f := range in.Facts {
		if f.Kind == care.FactResponded && f.Anchor != "" && f.Waited <= in.Window {
			kept[f.Ticket.String()+"\x00"+f.Anchor] = true
		}
	}
	return func(m care.Moment) bool {
		return m.Behaviour == care.Respond && m.Kind == care.Coaching && m.Anchor != "" && kept[m.Ticket.String()+"\x00"+m.Anchor]
	}
}

func addMoment(c *Card, m care.Moment) {
	praise := m.Kind == care.Praise
	if praise {
		c.PraiseMoments++
	} else {
		c.CoachingMoments++
	}
	switch m.Behaviour {
	case care.Respond:
		if !praise {
			c.WindowMissed++
		}
	case care.FollowUpDone:
		if praise {
			c.FollowUpsDone++
		} else {
			c.FollowUpsMissed++
		}
	case care.Commitment:
		if praise {
			c.CommitmentsKept++
		} else {
			c.CommitmentsMissed++
		}
	}
}

// addFact counts a fact; for a ticket's first public answer it also
// returns the wait, for the median.
func addFact(c *Card, f care.Fact, window time.Duration) (time.Duration, bool) {
	switch f.Kind {
	case care.FactResponded:
		// A late answer is counted by its coaching moment, which also
		// covers a customer still waiting.
		if f.Waited <= window {
			c.WindowKept++
		}
		if f.First && !f.BySolve {
			return f.Waited, true
		}
	case care.FactFollowUpDue:
		c.FollowUpsDue++
	case care.FactRated:
		switch f.Rating {
		case "good":
			c.CSATGood++
		case "bad":
			c.CSATBad++
		}
	}
	return 0, false
}

func addFeedback(c *Card, f care.Feedback) {
	if f.Peer {
		c.PeerFeedback++
	} else {
		c.ManagerFeedback++
		if f.Kind == care.Praise {
			c.Praise++
		} else {
			c.Coaching++
		}
	}
	if f.Reward != "" {
		c.Rewards = append(c.Rewards, f.Reward)
	}
}

func sum(a, b Card) Card {
	a.WindowKept += b.WindowKept
	a.WindowMissed += b.WindowMissed
	a.FollowUpsDue += b.FollowUpsDue
	a.FollowUpsDone += b.FollowUpsDone
	a.FollowUpsMissed += b.FollowUpsMissed
	a.CommitmentsKept += b.CommitmentsKept
	a.CommitmentsMissed += b.CommitmentsMissed
	a.CSATGood += b.CSATGood
	a.CSATBad += b.CSATBad
	a.ManagerFeedback += b.ManagerFeedback
	a.PeerFeedback += b.PeerFeedback
	a.Praise += b.Praise
	a.Coaching += b.Coaching
	a.Rewards = append(a.Rewards, b.Rewards...)
	a.PraiseMoments += b.PraiseMoments
	a.CoachingMoments += b.CoachingMoments
	return a
}

// median of durations; zero for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func agentKey(connection, id string) string { return connection + "\x00" + strings.ToLower(id) }

// index maps each member's help desk identities to their position.
func index(members []care.Member) map[string]int {
	out := map[string]int{}
	for i, m := range members {
		for conn, id := range m.HelpdeskIDs {
			out[agentKey(conn, id)] = i
		}
	}
	return out
}
