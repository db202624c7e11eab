package playbook

import (
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Team climate: every week each agent gets one question, rotating through
// the team's list; the answers appear in the manager's digest, named or
// anonymous as the team chose.

// DefaultQuestions are the seeds' climate questions.
var DefaultQuestions = []string{
	"What was the most satisfying experience you had at work this week?",
	"What would you like to be able to do for customers that you're not able to do?",
	"What got in the way of helping a customer this week?",
	"Who on the team helped you most this week, and how?",
}

// Climate is a team's climate settings with defaults applied.
type Climate struct {
	On        bool
	Day       time.Weekday
	Time      string
	Anonymous bool
	Questions []string
}

// ClimateOf applies the defaults to a team's climate settings.
func ClimateOf(t care.Team) Climate {
	c := Climate{On: !t.Climate.Off, Day: time.Friday, Time: t.Climate.Time, Anonymous: t.Climate.Anonymous, Questions: t.Climate.Questions}
	if d, ok := care.Weekday(t.Climate.Day); ok {
		c.Day = d
	}
	if c.Time == "" {
		c.Time = "15:00"
	}
	if len(c.Questions) == 0 {
		c.Questions = DefaultQuestions
	}
	return c
}

// Question is the question of the week that contains `at`.
func (c Climate) Question(at time.Time) string {
	_, week := at.ISOWeek()
	return c.Questions[week%len(c.Questions)]
}

// NextClimateQuestion is the first climate question time strictly after `after`.
func (p Playbook) NextClimateQuestion(c Climate, after time.Time) time.Time {
	return nextWeekly(c.Day, c.Time, p.Location, after)
}

// ClimateCron is the EventBridge Scheduler expression of the climate question.
func (p Playbook) ClimateCron(c Climate) string { return weeklyCron(c.Day, c.Time) }
