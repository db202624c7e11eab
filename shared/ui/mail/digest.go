package mail

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
)

// DigestItem is one numbered moment in a digest: a specific ticket, what the
// agent did (or did not do), and a sentence the manager could send.
type DigestItem struct {
	// N is the item's number, the one the manager replies with. Numbers are
	// unique across praise and coaching; coaching continues the numbering.
	N          int
	Kind       care.MomentKind // praise | coaching
	Behaviour  care.Behaviour
	AgentName  string
	What       string // what happened, a sentence
	Quote      string // the customer's words, may be ""
	Subject    string // ticket subject
	TicketID   string
	TicketURL  string    // may be ""
	At         time.Time // in the team's zone
	Suggestion string    // a sentence the manager could send, e.g. "Thanks for answering Maria so fast on #5158 — that is exactly the care we promise."
}

// ClimateAnswer is one agent's answer to the team's climate question.
type ClimateAnswer struct {
	// N is its item number: the manager answers it by replying "N: …";
	// 0 leaves the number out.
	N                int
	Question, Answer string
	Who              string // "" when anonymised
}

// Digest is a manager's regular look at one team: who to praise for what,
// who to coach on what, who has waited too long for feedback, how the team
// feels and what customers raised.
type Digest struct {
	Manager  care.Member
	TeamID   string
	TeamName string
	From, To time.Time // the period, in the team's zone; printed as given
	Praise   []DigestItem
	Coaching []DigestItem
	// Cadence is the digest's own: how recently, and how, each member
	// has had feedback (kudos shown beside praise : coaching, not in it).
	Cadence     []digest.Cadence
	CadenceDays int
	PraiseRatio float64 // the team's target praise per coaching
	Climate     []ClimateAnswer
	// CheckBackDays is how many business days after the manager answers a
	// climate answer carecoach checks back with them; 0: it does not.
	CheckBackDays int
	Trends        *digest.Trends // nil: no trends section
	Help          string         // the reply grammar, for the footer
	// DashboardURL is the manager's signed link to the team's dashboard;
	// "" leaves it out.
	DashboardURL string
	// Corrections are items of earlier digests that late evidence withdrew:
	// one line each, so the manager can put right what they said.
	Corrections []DigestCorrection
	// DeadLetters, for a manager who administers carecoach for the team,
	// counts the deliveries from the team's help desks that could not be
	// processed in the period, per day; nil leaves the line out.
	DeadLetters *DeadLetterCount
	// CheckBacks says how the manager followed through on coaching
	// (checkback.go); nil leaves the section out.
	CheckBacks *DigestCheckBacks
	// Asks are the requests for feedback the manager has left unanswered
	// too long (ask.go): they head the digest.
	Asks []DigestAsk
	// Upward is how the manager's team sees their support, and the trend
	// of the managers who report to them (upward_digest.go); nil leaves
	// the section out.
	Upward *DigestUpward
}

// DigestCorrection is an item of an earlier digest that late evidence
// withdrew.
type DigestCorrection struct {
	N         int       // its number in that digest
	Digest    time.Time // when that digest was sent, in the team's zone
	AgentName string
	TicketID  string
	Why       string // what the late evidence showed
}

// DeadLetterCount is how many deliveries could not be processed.
type DeadLetterCount struct {
	Total  int
	PerDay []DayCount // days with at least one, in order
	// How is the command that lists them.
	How string
}

// DayCount is a count on one day (in the team's zone).
type DayCount struct {
	Day   time.Time
	Count int
}

type digestView struct {
	Digest
	Period    string // "23–30 Nov", or "" without dates
	Summary   string // "2 moments to praise and 1 to coach", or ""
	Overdue   []cadenceRow
	Members   []cadenceRow
	Target    string // "3 : 1", or "" when the team has no target
	Questions []climateQuestion
	// ConcernHelp says how to answer a climate answer; "" when none is
	// numbered.
	ConcernHelp string
	Trend       *trendView
	Upward      *upwardView
}

type cadenceRow struct {
	digest.Cadence
	Since string // "16 days ago", "today", "never"
	Ratio string // "4 : 1"
	Below bool   // less praise per coaching than the target
}

type climateQuestion struct {
	Question string
	Answers  []ClimateAnswer
}

type trendView struct {
	digest.Trends
	Reopen, PrevReopen string // "10%", or "–" without data
	CSAT, PrevCSAT     string
}

// DigestEmail composes a manager's digest: praise first, then coaching,
// numbered for the reply; then the feedback cadence, the team's climate
// answers and the trends. Sections without content are left out. It is
// answerable: both parts open with care.ReplyMarker and end with Help.
func DigestEmail(d Digest) (care.Email, error) {
	if d.Manager.Email == "" {
		return care.Email{}, fmt.Errorf("digest for team %s: manager has no email address", d.TeamID)
	}
	seen := map[int]bool{}
	for _, it := range slices.Concat(d.Praise, d.Coaching) {
		if it.N <= 0 || seen[it.N] {
			return care.Email{}, fmt.Errorf("digest for team %s: item number %d is not a unique positive number, so a reply to it would be ambiguous", d.TeamID, it.N)
		}
		seen[it.N] = true
	}
	v := digestViewOf(d)
	h, t := digestHTML(v), digestText(v)
	var counts []string
	if n := len(v.Praise); n > 0 {
		counts = append(counts, fmt.Sprintf("%d to praise", n))
	}
	if n := len(v.Coaching); n > 0 {
		counts = append(counts, fmt.Sprintf("%d to coach", n))
	}
	subject := "Your team this week"
	if len(counts) > 0 {
		subject += ": " + strings.Join(counts, ", ")
	}
	if v.Period != "" {
		subject += " (" + v.Period + ")"
	}
	return care.Email{
		To:      []string{d.Manager.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    teamTags("digest", d.TeamID),
	}, nil
}

// digestViewOf is what the digest's parts print.
func digestViewOf(d Digest) digestView {
	// Whatever the caller set, an item is praise or coaching by its section.
	d.Praise = withKind(d.Praise, care.Praise)
	d.Coaching = withKind(d.Coaching, care.Coaching)
	v := digestView{
		Digest:    d,
		Period:    period(d.From, d.To),
		Summary:   summary(len(d.Praise), len(d.Coaching)),
		Questions: climate(d.Climate),
		Upward:    upwardViewOf(d.Upward),
	}
	if len(d.Climate) > 0 && d.Climate[0].N > 0 {
		v.ConcernHelp = concernHelp(d.Climate[0].N, d.CheckBackDays)
	}
	if d.PraiseRatio > 0 {
		v.Target = ratio(d.PraiseRatio) + " : 1"
	}
	now := d.To
	if now.IsZero() {
		now = time.Now()
	}
	for _, m := range d.Cadence {
		r := cadenceRow{
			Cadence: m,
			Since:   since(m.Last, now),
			Ratio:   fmt.Sprintf("%d : %d", m.Praise, m.Coaching),
			Below:   d.PraiseRatio > 0 && m.Coaching > 0 && float64(m.Praise) < d.PraiseRatio*float64(m.Coaching),
		}
		if m.Overdue {
			v.Overdue = append(v.Overdue, r)
		}
		v.Members = append(v.Members, r)
	}
	if t := d.Trends; t != nil {
		v.Trend = &trendView{
			Trends:     *t,
			Reopen:     digest.Percent(t.Reopened, t.Solved),
			PrevReopen: digest.Percent(t.PrevReopened, t.PrevSolved),
			CSAT:       digest.Percent(t.Good, t.Good+t.Bad),
			PrevCSAT:   digest.Percent(t.PrevGood, t.PrevGood+t.PrevBad),
		}
	}
	return v
}

// withKind is a copy of items, each of the given kind.
func withKind(items []DigestItem, kind care.MomentKind) []DigestItem {
	out := make([]DigestItem, len(items))
	for i, it := range items {
		it.Kind = kind
		out[i] = it
	}
	return out
}

// period is "23–30 Nov", "30 Nov–6 Dec" or "28 Dec 2026–3 Jan 2027".
func period(from, to time.Time) string {
	switch {
	case from.IsZero() || to.IsZero():
		return ""
	case from.Year() != to.Year():
		return from.Format("2 Jan 2006") + "–" + to.Format("2 Jan 2006")
	case from.Month() != to.Month():
		return from.Format("2 Jan") + "–" + to.Format("2 Jan")
	case from.Day() == to.Day():
		return to.Format("2 Jan")
	default:
		return from.Format("2") + "–" + to.Format("2 Jan")
	}
}

// summary counts the numbered items for the digest's opening sentence.
func summary(praise, coaching int) string {
	moments := func(n int) string {
		if n == 1 {
			return "1 moment"
		}
		return strconv.Itoa(n) + " moments"
	}
	switch {
	case praise > 0 && coaching > 0:
		return moments(praise) + " to praise and " + strconv.Itoa(coaching) + " to coach"
	case praise > 0:
		return moments(praise) + " to praise"
	case coaching > 0:
		return moments(coaching) + " to coach"
	default:
		return ""
	}
}

// since says how long ago, in calendar days, someone last had feedback.
func since(last, now time.Time) string {
	if last.IsZero() {
		return "never"
	}
	last = last.In(now.Location())
	a := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch days := int(b.Sub(a) / (24 * time.Hour)); {
	case days <= 0:
		return "today"
	case days == 1:
		return "yesterday"
	default:
		return strconv.Itoa(days) + " days ago"
	}
}

// ratio is a target like 3 or 2.5, to one decimal.
func ratio(r float64) string {
	return strconv.FormatFloat(math.Round(r*10)/10, 'f', -1, 64)
}

// climate groups answers by question, in the order the questions come.
func climate(answers []ClimateAnswer) []climateQuestion {
	var out []climateQuestion
	at := map[string]int{}
	for _, a := range answers {
		if strings.TrimSpace(a.Answer) == "" {
			continue
		}
		q := person(a.Question)
		i, ok := at[q]
		if !ok {
			i = len(out)
			at[q] = i
			out = append(out, climateQuestion{Question: q})
		}
		out[i].Answers = append(out[i].Answers, a)
	}
	return out
}

// concernHelp says how a manager answers a climate answer by its number.
func concernHelp(n, checkBackDays int) string {
	h := "Answer one by its number, e.g. “" + itoa(n) + ": Thank you for raising this, I am on it.”: your words reach whoever wrote it (when answers are anonymous, without telling you who)"
	if checkBackDays > 0 {
		h += ", and carecoach checks back with you " + plural(checkBackDays, "business day") + " later"
	}
	return h + "."
}
