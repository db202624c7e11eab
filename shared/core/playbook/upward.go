package playbook

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Upward feedback (CRAFT's "be the change"): once a month each agent is
// asked one question about their manager's support, a score from 1 to 5
// and any words. On the first upwardFeedback.day of the month the
// questions go out; on the second, each manager gets the round's results,
// shown only when at least showFrom people answered, never with names.

// DefaultUpwardQuestions rotate by month.
var DefaultUpwardQuestions = []string{
	"When you needed help this month, did you get it?",
	"Did the feedback you got this month help you serve customers better?",
	"When you raised an obstacle this month, was it removed?",
	"Were you kept informed this month about what affects your work?",
}

// Defaults of the upwardFeedback option.
const (
	DefaultUpwardTime = "14:00"
	// UpwardTrendMonths is how many months a trend shows.
	UpwardTrendMonths = 6
)

// Upward is a team's upward feedback settings with defaults applied.
type Upward struct {
	On        bool
	Day       time.Weekday
	Time      string
	Questions []string
	ShowFrom  int
	Location  *time.Location
}

// UpwardOf applies the defaults to a team's upward feedback settings.
func UpwardOf(t care.Team) Upward {
	u := t.Upward
	c := Upward{On: !u.Off, Day: time.Friday, Time: u.Time, Questions: u.Questions, ShowFrom: u.ShowFrom, Location: ForTeam(t).Location}
	if d, ok := care.Weekday(u.Day); ok {
		c.Day = d
	}
	if c.Time == "" {
		c.Time = DefaultUpwardTime
	}
	if len(c.Questions) == 0 {
		c.Questions = DefaultUpwardQuestions
	}
	if c.ShowFrom < care.MinUpwardShowFrom {
		c.ShowFrom = care.MinUpwardShowFrom
	}
	return c
}

// UpwardStep is what the weekly upward job does on a given run.
type UpwardStep int

// Steps of a month's round.
const (
	UpwardNothing UpwardStep = iota // a third, fourth or fifth week
	UpwardAsk                       // the first day of the month: the questions go
	UpwardResults                   // the second: each manager gets the results
)

// Step says what the run at `at` does, and for which month: the first
// such weekday of the month asks, the second shows the results.
func (u Upward) Step(at time.Time) (UpwardStep, string) {
	local := at.In(u.Location)
	month := care.MonthOf(at, u.Location)
	if local.Weekday() != u.Day {
		return UpwardNothing, month
	}
	switch (local.Day()-1)/7 + 1 {
	case 1:
		return UpwardAsk, month
	case 2:
		return UpwardResults, month
	}
	return UpwardNothing, month
}

// Question is the question of a month ("2006-01").
func (u Upward) Question(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return u.Questions[0]
	}
	return u.Questions[(t.Year()*12+int(t.Month())-1)%len(u.Questions)]
}

// NextRun is the first run of the weekly job strictly after `after`.
func (u Upward) NextRun(after time.Time) time.Time {
	return nextWeekly(u.Day, u.Time, u.Location, after)
}

// Cron is the EventBridge Scheduler expression of the weekly job, read
// in the team's time zone.
func (u Upward) Cron() string { return weeklyCron(u.Day, u.Time) }

// UpwardPair is one question of a round: a member asked about a manager.
type UpwardPair struct {
	Member  care.Member
	Manager string // lower-cased address
}

// UpwardPairs lists who is asked about whom: each member about their
// manager, or, naming nobody, about each of the team's managers; never
// about themselves. A manager with a manager of their own is asked about
// that person (the manager's manager).
func UpwardPairs(t care.Team) []UpwardPair {
	var out []UpwardPair
	for _, m := range t.Members {
		for _, mgr := range t.ManagersOf(m) {
			if strings.EqualFold(mgr, m.Email) {
				continue
			}
			out = append(out, UpwardPair{Member: m, Manager: strings.ToLower(mgr)})
		}
	}
	return out
}

// AskedAbout says whether anyone on the team is asked about manager.
func AskedAbout(t care.Team, manager string) bool {
	return slices.ContainsFunc(UpwardPairs(t), func(p UpwardPair) bool { return strings.EqualFold(p.Manager, manager) })
}

// UpwardSpan are the months of answers a digest or a dashboard at `at`
// reads, first and last ("2006-01", both included): the trend's months up
// to the last round shown, in UTC months, one either side of the team's.
func UpwardSpan(at time.Time) (from, to string) {
	return at.UTC().AddDate(0, -UpwardTrendMonths-1, 0).Format("2006-01"), at.UTC().AddDate(0, 1, 0).Format("2006-01")
}

// Reports lists the managers who name `manager` as their own manager:
// the managers whose trend the manager's manager sees.
func Reports(t care.Team, manager string) []care.Member {
	var out []care.Member
	pairs := UpwardPairs(t)
	for _, m := range t.Members {
		if !strings.EqualFold(m.Manager, manager) || strings.EqualFold(m.Email, manager) {
			continue
		}
		if slices.ContainsFunc(pairs, func(p UpwardPair) bool { return strings.EqualFold(p.Manager, m.Email) }) {
			out = append(out, m)
		}
	}
	return out
}

// UpwardRound is a month's answers about one manager, as they may be
// shown: Shown is false below the threshold, and then only Answered (and
// Asked) are set.
type UpwardRound struct {
	Month    string
	Asked    int // 0 when not known
	Answered int
	Shown    bool
	Average  float64
	Scores   [5]int   // how many answered 1, 2, 3, 4, 5
	Words    []string // sorted, so their order says nothing of who answered when
	Question string
}

// Round summarises a manager's answers of one month. Answers about other
// managers or months are ignored.
func (u Upward) Round(manager, month string, answers []care.UpwardAnswer) UpwardRound {
	r := UpwardRound{Month: month}
	var mine []care.UpwardAnswer
	for _, a := range answers {
		if a.Month == month && strings.EqualFold(a.Manager, manager) && a.Score >= 1 && a.Score <= 5 {
			mine = append(mine, a)
		}
	}
	r.Answered = len(mine)
	if r.Answered < u.ShowFrom {
		return r
	}
	r.Shown = true
	sum := 0
	for _, a := range mine {
		sum += a.Score
		r.Scores[a.Score-1]++
		if w := strings.TrimSpace(a.Words); w != "" {
			r.Words = append(r.Words, w)
		}
		r.Question = cmp.Or(r.Question, a.Question)
	}
	r.Average = float64(sum) / float64(r.Answered)
	slices.Sort(r.Words)
	return r
}

// Months are the n months up to and including month, oldest first.
func Months(month string, n int) []string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return nil
	}
	out := make([]string, n)
	for i := range n {
		out[i] = t.AddDate(0, i-n+1, 0).Format("2006-01")
	}
	return out
}

// Trend is a manager's rounds of the UpwardTrendMonths months up to
// month, oldest first; a month below the threshold is withheld. Words
// are left out: a trend shows figures only.
func (u Upward) Trend(manager, month string, answers []care.UpwardAnswer) []UpwardRound {
	var out []UpwardRound
	for _, m := range Months(month, UpwardTrendMonths) {
		r := u.Round(manager, m, answers)
		r.Words = nil
		out = append(out, r)
	}
	return out
}

// ResultsAt is when a month's results go to the managers: the second
// such weekday of the month at the time. Answers stop counting then, so
// that a late one cannot be worked out by comparing figures.
func (u Upward) ResultsAt(month string) time.Time {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return time.Time{}
	}
	h, m := clock(u.Time)
	first := time.Date(t.Year(), t.Month(), 1, h, m, 0, 0, u.Location)
	for first.Weekday() != u.Day {
		first = first.AddDate(0, 0, 1)
	}
	return first.AddDate(0, 0, 7)
}

// LastShown is the month of the last round whose results have gone out
// by now: this month once its results day has passed, else the month
// before. Figures are shown of such rounds only: the count of a round
// still open, watched day by day, would tell who just answered.
func (u Upward) LastShown(now time.Time) string {
	month := care.MonthOf(now, u.Location)
	if now.Before(u.ResultsAt(month)) {
		local := now.In(u.Location)
		return local.AddDate(0, 0, -local.Day()).Format("2006-01")
	}
	return month
}
