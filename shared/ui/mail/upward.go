package mail

import (
	"fmt"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// UpwardQuestion asks an agent the month's question about their manager's
// support. It is answerable: a score from 1 to 5, then any words. It says
// plainly who sees what.
type UpwardQuestion struct {
	Agent    care.Member
	Manager  care.Member // whom the question is about
	TeamID   string
	Question string
	ShowFrom int  // the anonymity threshold
	HasBoss  bool // the manager has a manager, who sees only the averages
	Help     string
}

type upwardQuestionView struct {
	UpwardQuestion
	Name, About string // the agent's and the manager's names on one line
}

// UpwardQuestionEmail composes the month's question to one agent.
func UpwardQuestionEmail(q UpwardQuestion) (care.Email, error) {
	switch {
	case q.Agent.Email == "":
		return care.Email{}, fmt.Errorf("upward question about %s: agent has no email address", q.Manager.Email)
	case strings.TrimSpace(q.Question) == "":
		return care.Email{}, fmt.Errorf("upward question to %s: no question", q.Agent.Email)
	case strings.TrimSpace(q.Help) == "":
		return care.Email{}, fmt.Errorf("upward question to %s: no reply help: it must say how to answer", q.Agent.Email)
	case q.ShowFrom < care.MinUpwardShowFrom:
		return care.Email{}, fmt.Errorf("upward question to %s: threshold %d is under %d", q.Agent.Email, q.ShowFrom, care.MinUpwardShowFrom)
	}
	v := upwardQuestionView{UpwardQuestion: q, Name: person(q.Agent.Name), About: firstNonEmpty(person(q.Manager.Name), q.Manager.Email)}
	return care.Email{
		To:      []string{q.Agent.Email},
		Subject: "One question about the support you get from " + v.About,
		Text:    upwardQuestionText(v),
		HTML:    upwardQuestionHTML(v),
		Tags:    teamTags("upward", firstNonEmpty(q.TeamID, q.Agent.Team)),
	}, nil
}

// UpwardRound is a month's answers about a manager, as they may be shown:
// without Shown, only the counts.
type UpwardRound struct {
	Month    string // "December 2026"
	Question string
	Asked    int // 0 when not known
	Answered int
	Shown    bool
	Average  float64
	Scores   [5]int   // how many answered 1 to 5
	Words    []string // in an order that says nothing of who answered when
}

// UpwardResults shows a manager the month's answers about their support,
// when at least ShowFrom people answered; else only how many did. It is
// answerable: any words thank the team.
type UpwardResults struct {
	Manager  care.Member
	TeamID   string
	Round    UpwardRound
	Trend    []UpwardRound // the last months, oldest first, figures only
	ShowFrom int
	Help     string
}

// UpwardResultsEmail composes the results to the manager.
func UpwardResultsEmail(r UpwardResults) (care.Email, error) {
	switch {
	case r.Manager.Email == "":
		return care.Email{}, fmt.Errorf("upward results of %s: manager has no email address", r.Round.Month)
	case strings.TrimSpace(r.Help) == "":
		return care.Email{}, fmt.Errorf("upward results to %s: no reply help: it must say how to thank the team", r.Manager.Email)
	case r.Round.Shown && r.Round.Answered < r.ShowFrom, r.ShowFrom < care.MinUpwardShowFrom:
		return care.Email{}, fmt.Errorf("upward results to %s: %d answers cannot be shown under a threshold of %d", r.Manager.Email, r.Round.Answered, r.ShowFrom)
	}
	return care.Email{
		To:      []string{r.Manager.Email},
		Subject: "How your team sees your support: " + r.Round.Month,
		Text:    upwardResultsText(r),
		HTML:    upwardResultsHTML(r),
		Tags:    teamTags("upward_results", firstNonEmpty(r.TeamID, r.Manager.Team)),
	}, nil
}

// UpwardThanks brings a manager's thanks for the month's answers to one
// member who was asked (whether or not they answered: nobody can tell). A
// reply goes to the manager.
type UpwardThanks struct {
	Agent   care.Member
	Manager care.Member
	Month   string // "December 2026"
	Words   string // verbatim
}

// UpwardThanksEmail composes the thanks to one member.
func UpwardThanksEmail(t UpwardThanks) (care.Email, error) {
	switch {
	case t.Agent.Email == "":
		return care.Email{}, fmt.Errorf("upward thanks from %s: agent has no email address", t.Manager.Email)
	case strings.TrimSpace(t.Words) == "":
		return care.Email{}, fmt.Errorf("upward thanks from %s: no words to pass on", t.Manager.Email)
	}
	from := firstNonEmpty(person(t.Manager.Name), "Your manager")
	e := care.Email{
		To:      []string{t.Agent.Email},
		Subject: from + " thanks the team for the feedback of " + t.Month,
		Text:    upwardThanksText(t, from),
		HTML:    upwardThanksHTML(t, from),
		Tags:    teamTags("upward_thanks", firstNonEmpty(t.Agent.Team, t.Manager.Team)),
	}
	if t.Manager.Email != "" {
		e.ReplyTo = []string{t.Manager.Email}
	}
	return e, nil
}

// average is "4.3".
func average(a float64) string { return fmt.Sprintf("%.1f", a) }

// scoreLabels name the scores in the results.
var scoreLabels = [5]string{"1 (not at all)", "2", "3", "4", "5 (fully)"}

// answered is "3 of the 4 people asked answered", or "3 people answered".
func answered(r UpwardRound) string {
	switch {
	case r.Asked == 1:
		return fmt.Sprintf("%d of the 1 person asked answered", r.Answered)
	case r.Asked > 0:
		return fmt.Sprintf("%d of the %d people asked answered", r.Answered, r.Asked)
	case r.Answered == 1:
		return "1 person answered"
	}
	return fmt.Sprintf("%d people answered", r.Answered)
}

// trendLine is a month of a trend: "Dec 2026: 4.3 (3 answers)" or
// "Nov 2026: fewer than 3 answers".
func trendLine(r UpwardRound, showFrom int) string {
	if !r.Shown {
		return fmt.Sprintf("%s: fewer than %d answers", r.Month, showFrom)
	}
	return fmt.Sprintf("%s: %s (%s)", r.Month, average(r.Average), plural(r.Answered, "answer"))
}

// privacy is what the question says about who sees what.
func privacy(v upwardQuestionView) string {
	s := fmt.Sprintf("Your answer is anonymous: %s sees the answers only when at least %d people have answered, never with names, and with the words sorted, so their order says nothing of who answered when.", v.About, v.ShowFrom)
	if v.HasBoss {
		s += fmt.Sprintf(" %s's own manager sees only the month's average and how many answered, and only from %d answers: never words.", v.About, v.ShowFrom)
	}
	return s
}
