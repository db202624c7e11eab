package care

import (
	"fmt"
	"strings"
	"time"
)

// UpwardSettings: once a month each agent is asked one question about
// their manager's support (CRAFT's "be the change"); the manager sees the
// answers, without names, only when enough people answered.
type UpwardSettings struct {
	Off  bool   `json:"off,omitempty" yaml:"off,omitempty"`
	Day  string `json:"day,omitempty" yaml:"day,omitempty"`   // default fri: the first of the month asks, the second shows the results
	Time string `json:"time,omitempty" yaml:"time,omitempty"` // default 14:00
	// Questions rotate by month (default: playbook.DefaultUpwardQuestions).
	Questions []string `json:"questions,omitempty" yaml:"questions,omitempty"`
	// ShowFrom is the anonymity threshold: a manager sees a month's answers
	// only when at least this many people answered (default and least
	// MinUpwardShowFrom).
	ShowFrom int `json:"showFrom,omitempty" yaml:"showFrom,omitempty"`
}

// MinUpwardShowFrom is the smallest anonymity threshold: with two answers,
// each answerer can work out the other's.
const MinUpwardShowFrom = 3

// validateUpward reports the problems of the upwardFeedback option.
func (t Team) validateUpward(bad func(field, format string, args ...any)) {
	u := t.Upward
	if d := u.Day; d != "" {
		if _, ok := Weekday(d); !ok {
			bad("upwardFeedback.day", "%q is not a day of the week", d)
		}
	}
	if tm := u.Time; tm != "" && !validClock(tm) {
		bad("upwardFeedback.time", "%q is not a time like 14:00", tm)
	}
	for i, q := range u.Questions {
		if strings.TrimSpace(q) == "" {
			bad(fmt.Sprintf("upwardFeedback.questions[%d]", i), "is empty")
		}
	}
	if u.ShowFrom != 0 && u.ShowFrom < MinUpwardShowFrom {
		bad("upwardFeedback.showFrom", "%d is too low: with fewer than %d answers a manager could tell who said what, so it must be at least %d (the default)",
			u.ShowFrom, MinUpwardShowFrom, MinUpwardShowFrom)
	}
}

// UpwardRef names a round of upward feedback: a manager of a team, in a
// month ("2006-01", in the team's time zone).
type UpwardRef struct {
	Team    string `json:"team" dynamodbav:"team"`
	Manager string `json:"manager" dynamodbav:"manager"` // lower-cased address
	Month   string `json:"month" dynamodbav:"month"`
}

// UpwardAnswer is one answer about a manager's support. It carries no
// name and no address of whoever answered: Key is a one-way hash of the
// question's prompt id, so that each question is answered once, and the
// time is only the month.
type UpwardAnswer struct {
	UpwardRef
	Key      string `json:"key" dynamodbav:"key"`
	Question string `json:"question" dynamodbav:"question"`
	Score    int    `json:"score" dynamodbav:"score"` // 1 to 5
	Words    string `json:"words,omitempty" dynamodbav:"words,omitempty"`
}

// MonthOf is the month of t in loc, as upward feedback names it.
func MonthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// MonthName writes a month named as MonthOf names it with layout
// ("January 2006", "Jan 2006"); a month that does not parse is returned
// as it is.
func MonthName(month, layout string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.Format(layout)
}
