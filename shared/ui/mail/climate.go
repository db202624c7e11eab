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
	v := climateViewOf(p)
	h, t := climateHTML(v), climateText(v)
	return care.Email{
		To:      []string{p.Agent.Email},
		Subject: "A question for the week: " + clip(v.Asked, 150),
		Text:    t,
		HTML:    h,
		Tags:    teamTags("climate", firstNonEmpty(p.TeamID, p.Agent.Team)),
	}, nil
}

func climateViewOf(p ClimateQuestion) climateView {
	if strings.TrimSpace(p.Help) == "" {
		p.Help = defaultClimateHelp
	}
	return climateView{ClimateQuestion: p, Name: person(p.Agent.Name), Team: person(p.TeamName), Asked: person(p.Question)}
}

func climateHTML(v climateView) string {
	var w writer
	w.raw(htmlHead, "A question for the week", htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(v.Name)
	w.raw(pLabel, "This week’s question")
	if v.Team != "" {
		w.raw(" for <strong>")
		w.text(v.Team)
		w.raw("</strong>")
	}
	w.raw(":</p>\n", `<p style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #0b57d0;background:#f6f7f9;font-size:18px;line-height:26px;">`)
	w.text(v.Asked)
	w.raw("</p>\n", pOpen)
	if v.Anonymous {
		w.raw("Your answer goes to your manager <strong>without your name</strong>: the team’s digest shows it as anonymous.")
	} else {
		w.raw("Your answer goes to your manager, <strong>with your name</strong>, in the team’s digest.")
	}
	w.raw("</p>\n")
	w.howToReplyHTML(v.Help)
	w.raw("\n", htmlFooter, "Sent by carecoach because ")
	w.text(firstNonEmpty(v.Team, "your team"))
	w.raw(" asks everyone one question a week, so that your manager hears how the team feels.", htmlEnd)
	return w.String()
}

func climateText(v climateView) string {
	var w writer
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(v.Name)
	w.raw("This week’s question")
	if v.Team != "" {
		w.raw(" for ", v.Team)
	}
	w.raw(":\n\n  ", v.Asked, "\n\n")
	if v.Anonymous {
		w.raw("Your answer goes to your manager without your name: the team’s digest shows it as anonymous.")
	} else {
		w.raw("Your answer goes to your manager, with your name, in the team’s digest.")
	}
	w.raw("\n\n--\n")
	w.howToReplyText(v.Help)
	w.raw("Sent by carecoach because ", firstNonEmpty(v.Team, "your team"), " asks everyone one question a week, so that your manager hears how the team feels.\n")
	return w.String()
}
