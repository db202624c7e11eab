package mail

import (
	"fmt"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// ClimateQuestion is the weekly climate question to one agent. It is answerable: the
// agent replies with free text, and the answer reaches the manager's digest.
type ClimateQuestion struct {
	Agent     care.Member
	TeamID    string
	TeamName  string
	Question  string
	Anonymous bool // answers are shown to the manager without names
	// Help is the short reply help for the footer, e.g. "Just reply with
	// your answer, as long or short as you like."; blank is that sentence.
	Help string
}

// defaultClimateHelp is the footer of a climate question whose caller gave no help.
const defaultClimateHelp = "Just reply with your answer, as long or short as you like."

type climateView struct {
	ClimateQuestion
	Name  string // the agent's name on one line, or ""
	Team  string // the team's name on one line, or ""
	Asked string // the question on one line
}

// ClimateQuestionEmail asks one agent the team's climate question of the week and
// says who sees the answer: the manager, with the agent's name or without
// it. It is answerable: both parts open with care.ReplyMarker and end with
// Help, because everything the agent types above the marker is the answer.
func ClimateQuestionEmail(p ClimateQuestion) (care.Email, error) {
	switch {
	case p.Agent.Email == "":
		return care.Email{}, fmt.Errorf("climate question for team %s: agent %s has no email address", p.TeamID, firstNonEmpty(person(p.Agent.Name), "(unnamed)"))
	case strings.TrimSpace(p.Question) == "":
		return care.Email{}, fmt.Errorf("climate question for team %s to %s: no question to ask", p.TeamID, p.Agent.Email)
	}
	if strings.TrimSpace(p.Help) == "" {
		p.Help = defaultClimateHelp
	}
	v := climateView{ClimateQuestion: p, Name: person(p.Agent.Name), Team: person(p.TeamName), Asked: person(p.Question)}
	h, t, err := render("climate", v)
	if err != nil {
		return care.Email{}, err
	}
	return care.Email{
		To:      []string{p.Agent.Email},
		Subject: "A question for the week: " + clip(v.Asked, 150),
		Text:    t,
		HTML:    h,
		Tags:    teamTags("climate", firstNonEmpty(p.TeamID, p.Agent.Team)),
	}, nil
}
