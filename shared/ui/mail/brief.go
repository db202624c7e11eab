package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Brief prepares a manager for the team's weekly meeting: numbered items
// in sections (what the team raised, the trends, the tickets worth
// discussing, the praise worth giving in front of the team). It is
// answerable: "send" mails the agenda to the team.
type Brief struct {
	Manager  care.Member
	TeamID   string
	TeamName string
	Meeting  time.Time // in the team's zone
	From, To time.Time // the week it covers
	Items    []care.AgendaItem
	Help     string // the reply grammar, for the footer
}

// Agenda is the part of a brief a manager sent to the team: their note
// and the items they picked, renumbered. Climate answers are never named;
// praise reads as thanks to the person. A reply goes to the manager.
type Agenda struct {
	Manager  care.Member
	TeamID   string
	TeamName string
	Meeting  time.Time // in the team's zone
	To       []string  // the team's addresses
	Note     string    // verbatim, "" for none
	Items    []care.AgendaItem
}

// sections are the brief's sections in order, with their headings for the
// manager and for the team.
var sections = []struct {
	id          care.AgendaSection
	brief, team string
}{
	{care.AgendaIssues, "What the team raised this week", "What the team raised this week"},
	{care.AgendaTrends, "Trends against last week", "How the week went"},
	{care.AgendaTickets, "Tickets worth discussing", "Tickets to talk about"},
	{care.AgendaPraise, "Praise worth giving in front of the team", "Thank you"},
}

// BriefEmail composes a manager's brief.
func BriefEmail(b Brief) (care.Email, error) {
	switch {
	case b.Manager.Email == "":
		return care.Email{}, fmt.Errorf("brief for team %s: manager has no email address", b.TeamID)
	case len(b.Items) == 0:
		return care.Email{}, fmt.Errorf("brief for team %s: no items", b.TeamID)
	case strings.TrimSpace(b.Help) == "":
		return care.Email{}, fmt.Errorf("brief for team %s: no reply help: it must say how to send the agenda", b.TeamID)
	}
	for i, it := range b.Items {
		if it.N != i+1 {
			return care.Email{}, fmt.Errorf("brief for team %s: item %d is numbered %d, so a reply naming it would be ambiguous", b.TeamID, i+1, it.N)
		}
	}
	return care.Email{
		To:      []string{b.Manager.Email},
		Subject: fmt.Sprintf("Your brief for %s's meeting on %s: %d items", teamName(b.TeamName, b.TeamID), whenShort(b.Meeting), len(b.Items)),
		Text:    briefText(b),
		HTML:    briefHTML(b),
		Tags:    teamTags("brief", b.TeamID),
	}, nil
}

// AgendaEmail composes the agenda the team gets, Reply-To the manager.
func AgendaEmail(a Agenda) (care.Email, error) {
	switch {
	case len(a.To) == 0:
		return care.Email{}, fmt.Errorf("agenda for team %s: nobody to send it to", a.TeamID)
	case len(a.Items) == 0 && strings.TrimSpace(a.Note) == "":
		return care.Email{}, fmt.Errorf("agenda for team %s: nothing in it", a.TeamID)
	}
	e := care.Email{
		To:      a.To,
		Subject: fmt.Sprintf("Agenda for our meeting on %s, from %s", whenShort(a.Meeting), firstNonEmpty(person(a.Manager.Name), "your manager")),
		Text:    agendaText(a),
		HTML:    agendaHTML(a),
		Tags:    teamTags("agenda", a.TeamID),
	}
	if a.Manager.Email != "" {
		e.ReplyTo = []string{a.Manager.Email}
	}
	return e, nil
}

func teamName(name, id string) string { return firstNonEmpty(person(name), id) }
