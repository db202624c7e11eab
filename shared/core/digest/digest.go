// Package digest chooses what a manager's digest says: praise first, then
// coaching, each a specific moment with its ticket; who has gone too long
// without feedback and each member's praise : coaching ratio; the team's
// trends against the previous period. It is a pure function of what the
// caller read from storage.
package digest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

// Caps keep a digest readable: a manager acts on a handful of items.
const (
	MaxPraise   = 10
	MaxCoaching = 5
	// RatioWindow is how far back the praise : coaching ratio looks.
	RatioWindow = 30 * 24 * time.Hour
	topTags     = 5
)

// Input is everything the digest of one manager is chosen from.
type Input struct {
	Team     care.Team
	Playbook playbook.Playbook
	Manager  string // address
	From, To time.Time
	Now      time.Time
	// Moments of the team in [From, To).
	Moments []care.Moment
	// Facts of the team in [From, To) and in the period before it.
	Facts, PrevFacts []care.Fact
	// Feedback each member received in the ratio window, by address.
	Feedback map[string][]care.Feedback
	// LastFeedback each member received from a manager, by address.
	LastFeedback map[string]time.Time
	// Climate answers of the team in [From, To).
	Climate []care.ClimateAnswer
	// Corrections are the items of this manager's earlier digests that
	// late evidence withdrew in [From, To).
	Corrections []Correction
	// DeadLetters are the deliveries of the team's help desks received in
	// [From, To) that could not be processed; only an admin hears of them.
	DeadLetters []care.DeadLetter
	// CheckBacks of the team made in FollowThroughWindow before To (see
	// checkback.go).
	CheckBacks []care.CheckBack
	// Requests for feedback of the team asked before Now (see ask.go).
	Requests []care.FeedbackRequest
	// Upward are the team's answers about its managers of the last
	// playbook.UpwardTrendMonths months (see upward.go).
	Upward []care.UpwardAnswer
}

// Correction is an item of an earlier digest that late evidence withdrew.
type Correction struct {
	N      int       // its number in that digest
	SentAt time.Time // when that digest was sent
	Moment care.Moment
	Agent  care.Member
}

// Item is one numbered moment.
type Item struct {
	N          int
	Moment     care.Moment
	Agent      care.Member
	Suggestion string
}

// Cadence is how one member is doing on feedback.
type Cadence struct {
	Member           care.Member
	Last             time.Time // zero: never
	Praise, Coaching int
	Kudos            int // from teammates, counted apart
	Overdue          bool
}

// TagCount is how often a tag was on solved tickets.
type TagCount struct {
	Tag             string
	Count, Previous int
}

// Trends compare the period with the one before.
type Trends struct {
	TopTags                      []TagCount
	Solved, PrevSolved           int
	Reopened, PrevReopened       int
	Good, Bad, PrevGood, PrevBad int
}

// Digest is what one manager hears.
type Digest struct {
	Praise   []Item
	Coaching []Item
	Cadence  []Cadence
	Climate  []care.ClimateAnswer // of the manager's members
	Trends   *Trends
	// Corrections: earlier items withdrawn, one line each.
	Corrections []Correction
	// DeadLetters: for an admin, the deliveries that could not be processed.
	DeadLetters []care.DeadLetter
	// CheckBacks: how the manager followed through on coaching; nil if
	// nothing to say.
	CheckBacks *CheckBacks
	// Asks: the requests for feedback the manager has left unanswered
	// past the team's askForFeedback.overdue, oldest first.
	Asks []care.FeedbackRequest
	// Upward: how the manager's team sees their support, and the trend of
	// the managers who report to them; nil if nothing to say.
	Upward *Upward
}

// Empty reports whether there is nothing worth an email.
func (d Digest) Empty() bool {
	overdue := slices.ContainsFunc(d.Cadence, func(c Cadence) bool { return c.Overdue })
	return len(d.Praise) == 0 && len(d.Coaching) == 0 && !overdue && len(d.Climate) == 0 && d.Trends == nil &&
		len(d.Corrections) == 0 && len(d.DeadLetters) == 0 && d.CheckBacks == nil && len(d.Asks) == 0 && !d.Upward.Worth()
}

// Items lists the numbered moments, praise first.
func (d Digest) Items() []Item { return append(slices.Clone(d.Praise), d.Coaching...) }

// ConcernN is the item number of d.Climate[i]: climate answers are
// numbered after the moments, so that the manager can answer one by
// reply (and be asked later whether the problem it raised is solved).
func (d Digest) ConcernN(i int) int { return len(d.Praise) + len(d.Coaching) + i + 1 }

// Build chooses one manager's digest.
func Build(in Input) Digest { return ForTeam(in).Build(in.Manager, in.Corrections) }

// TeamDigests builds the digests of one team's managers from the same
// input, with what they share worked out once for the team: the trends
// (one pass over the facts, not one per manager) and the period's moments
// grouped by agent (each manager's digest then reads only their members'
// moments, not the whole team's). It is safe for concurrent use.
type TeamDigests struct {
	in     Input
	trends *Trends
	// moments are the indexes in in.Moments of each agent's moments in
	// [From, To), by agentKey, in the order of in.Moments.
	moments map[string][]int
}

// ForTeam prepares the digests of in's team; in.Manager and
// in.Corrections are not read (see Build).
func ForTeam(in Input) *TeamDigests {
	t := &TeamDigests{in: in, trends: trends(in.Facts, in.PrevFacts), moments: map[string][]int{}}
	for i, m := range in.Moments {
		if m.At.Before(in.From) || !m.At.Before(in.To) {
			continue
		}
		k := agentKey(m.Ticket.Connection, m.AgentID)
		t.moments[k] = append(t.moments[k], i)
	}
	return t
}

// agentKey names an agent across connections: connection and help desk id.
func agentKey(connection, id string) string { return connection + "\x00" + strings.ToLower(id) }

// Build chooses one manager's digest, with the corrections of that
// manager's earlier digests.
func (t *TeamDigests) Build(manager string, corrections []Correction) Digest {
	in := t.in
	members := Scope(in.Team, manager)
	byAgent := map[string]care.Member{} // agentKey
	for _, m := range members {
		for conn, id := range m.HelpdeskIDs {
			byAgent[agentKey(conn, id)] = m
		}
	}
	d := Digest{CheckBacks: CheckBacksOf(manager, in.CheckBacks, in.From, in.To), Asks: OverdueAsks(manager, in.Requests, in.Now, in.Team.Ask.OverdueAfter()),
		Upward: UpwardOf(in.Team, manager, in.Upward, in.Now)}
	// The members' moments, in the order of in.Moments (which breaks ties
	// of time below).
	var mine []int
	for k := range byAgent {
		mine = append(mine, t.moments[k]...)
	}
	slices.Sort(mine)
	var praise, coaching []Item
	for _, i := range mine {
		m := in.Moments[i]
		it := Item{Moment: m, Agent: byAgent[agentKey(m.Ticket.Connection, m.AgentID)]}
		if m.Kind == care.Praise {
			praise = append(praise, it)
		} else {
			coaching = append(coaching, it)
		}
	}
	d.Praise = newest(praise, MaxPraise)
	d.Coaching = newest(coaching, MaxCoaching)
	for i := range d.Praise {
		d.Praise[i].N = i + 1
		d.Praise[i].Suggestion = Suggest(d.Praise[i].Moment, in.Playbook)
	}
	for i := range d.Coaching {
		d.Coaching[i].N = len(d.Praise) + i + 1
		d.Coaching[i].Suggestion = Suggest(d.Coaching[i].Moment, in.Playbook)
	}
	for _, m := range members {
		c := Cadence{Member: m, Last: in.LastFeedback[strings.ToLower(m.Email)]}
		for _, f := range in.Feedback[strings.ToLower(m.Email)] {
			if f.At.Before(in.Now.Add(-RatioWindow)) {
				continue
			}
			if f.Peer {
				c.Kudos++
				continue
			}
			if f.Kind == care.Praise {
				c.Praise++
			} else {
				c.Coaching++
			}
		}
		c.Overdue = c.Last.IsZero() || in.Now.Sub(c.Last) > in.Playbook.FeedbackCadence
		d.Cadence = append(d.Cadence, c)
	}
	for _, a := range in.Climate {
		if slices.ContainsFunc(members, func(m care.Member) bool { return strings.EqualFold(m.Email, a.Who) }) {
			d.Climate = append(d.Climate, a)
		}
	}
	d.Trends = t.trends
	for _, c := range corrections {
		if _, ok := byAgent[agentKey(c.Moment.Ticket.Connection, c.Moment.AgentID)]; ok {
			d.Corrections = append(d.Corrections, c)
		}
	}
	if in.Team.IsAdmin(manager) {
		d.DeadLetters = in.DeadLetters
	}
	return d
}

// Scope lists the members a manager looks after: those who name them as
// manager, and, for the team's managers, those who name nobody. Managers
// are not in their own scope.
func Scope(t care.Team, manager string) []care.Member {
	manager = strings.ToLower(manager)
	teamManager := slices.ContainsFunc(t.Managers, func(m string) bool { return strings.EqualFold(m, manager) })
	var out []care.Member
	for _, m := range t.Members {
		if strings.EqualFold(m.Email, manager) {
			continue
		}
		if strings.EqualFold(m.Manager, manager) || m.Manager == "" && teamManager {
			m.Team = t.ID
			out = append(out, m)
		}
	}
	return out
}

// Managers lists every address that gets a digest.
func Managers(t care.Team) []string {
	var out []string
	add := func(a string) {
		if a != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, a) }) {
			out = append(out, strings.ToLower(a))
		}
	}
	for _, m := range t.Managers {
		add(m)
	}
	for _, m := range t.Members {
		add(m.Manager)
	}
	return out
}

func newest(items []Item, max int) []Item {
	slices.SortStableFunc(items, func(a, b Item) int { return b.Moment.At.Compare(a.Moment.At) })
	if len(items) > max {
		items = items[:max]
	}
	slices.SortStableFunc(items, func(a, b Item) int { return a.Moment.At.Compare(b.Moment.At) })
	return items
}

func trends(now, prev []care.Fact) *Trends {
	if len(now) == 0 && len(prev) == 0 {
		return nil
	}
	t := &Trends{}
	tags := map[string]*TagCount{}
	count := func(fs []care.Fact, solved, reopened, good, bad *int, current bool) {
		for _, f := range fs {
			switch f.Kind {
			case care.FactSolved:
				*solved++
				for _, tag := range f.Tags {
					tc := tags[tag]
					if tc == nil {
						tc = &TagCount{Tag: tag}
						tags[tag] = tc
					}
					if current {
						tc.Count++
					} else {
						tc.Previous++
					}
				}
			case care.FactReopened:
				*reopened++
			case care.FactRated:
				switch f.Rating {
				case "good":
					*good++
				case "bad":
					*bad++
				}
			}
		}
	}
	count(now, &t.Solved, &t.Reopened, &t.Good, &t.Bad, true)
	count(prev, &t.PrevSolved, &t.PrevReopened, &t.PrevGood, &t.PrevBad, false)
	for _, tc := range tags {
		if tc.Count > 0 {
			t.TopTags = append(t.TopTags, *tc)
		}
	}
	slices.SortFunc(t.TopTags, func(a, b TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Tag, b.Tag))
	})
	if len(t.TopTags) > topTags {
		t.TopTags = t.TopTags[:topTags]
	}
	return t
}

// Suggest offers a sentence the manager could send about a moment.
func Suggest(m care.Moment, p playbook.Playbook) string {
	ticket := "#" + m.Ticket.TicketID
	switch {
	case m.Kind == care.Praise && m.Behaviour == care.Respond:
		return fmt.Sprintf("Thanks for getting back to the customer so fast on %s: that is the care we promise.", ticket)
	case m.Kind == care.Praise && m.Behaviour == care.FollowUpDone:
		return fmt.Sprintf("Checking back after solving %s is what turns a fix into loyalty. Thank you.", ticket)
	case m.Kind == care.Praise && m.Behaviour == care.Commitment:
		return fmt.Sprintf("You did what you promised on %s, on time. That is how trust is built.", ticket)
	case m.Kind == care.Praise && m.Behaviour == care.Escalate:
		return fmt.Sprintf("Escalating %s quickly got the customer help sooner. Good call.", ticket)
	case m.Kind == care.Praise && m.Behaviour == care.Delight:
		return fmt.Sprintf("The customer took the time to thank you on %s. Well deserved!", ticket)
	case m.Behaviour == care.Respond:
		return fmt.Sprintf("The customer waited too long on %s. What got in the way, and how can I help you answer within %s?", ticket, hours(p.ResponseWindow))
	case m.Behaviour == care.FollowUpDone:
		return fmt.Sprintf("%s did not get its follow-up. What would make follow-ups easier to fit in?", upper(ticket))
	case m.Behaviour == care.Commitment:
		return fmt.Sprintf("We missed the date we promised on %s. Let's look at how we set and keep dates.", ticket)
	case m.Behaviour == care.Delight:
		return fmt.Sprintf("The customer was unhappy with %s. Let's debrief together: what would you do differently?", ticket)
	}
	return fmt.Sprintf("Let's talk about %s.", ticket)
}

func hours(d time.Duration) string { return fmt.Sprintf("%.0f hours", d.Hours()) }

func upper(s string) string { return "Ticket " + s }
