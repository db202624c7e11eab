package digest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

// The weekly meeting brief: what a manager could bring to the team's
// meeting about the week before it. It is chosen from what the digest
// reads (the same reads, the same trends), for the members the manager
// looks after (Scope), and numbered in four sections: what the team
// raised, the trends, the tickets worth discussing and the praise worth
// giving in front of the team.

// BriefInput is what a manager's brief is chosen from.
type BriefInput struct {
	Team     care.Team
	From, To time.Time
	// Moments and Facts (those the trends count) of the team in [From, To).
	Moments []care.Moment
	Facts   []care.Fact
	// Trends of the team against the week before (TeamDigests.Trends).
	Trends *Trends
	// Climate answers and Requests for feedback of the team; only those in
	// [From, To) count.
	Climate  []care.ClimateAnswer
	Requests []care.FeedbackRequest
	// Feedback the team received, at least since From: kudos in [From,
	// To) are praise to give; a manager's praise of a moment marks it.
	Feedback []care.Feedback
}

// Trends of the team, worked out once for all its managers.
func (t *TeamDigests) Trends() *Trends { return t.trends }

// Brief lists the numbered items of one manager's brief, section by
// section; an empty list means there is nothing worth a brief.
func Brief(in BriefInput, manager string) []care.AgendaItem {
	members := Scope(in.Team, manager)
	// The meeting is the agents': a manager who looks after only other
	// managers (a manager's manager) has no agents to bring to it.
	managers := Managers(in.Team)
	if !slices.ContainsFunc(members, func(m care.Member) bool {
		return !slices.ContainsFunc(managers, func(a string) bool { return strings.EqualFold(a, m.Email) })
	}) {
		return nil
	}
	byAgent := map[string]care.Member{}
	byEmail := map[string]care.Member{}
	for _, m := range members {
		byEmail[strings.ToLower(m.Email)] = m
		for conn, id := range m.HelpdeskIDs {
			byAgent[agentKey(conn, id)] = m
		}
	}
	within := func(t time.Time) bool { return !t.Before(in.From) && t.Before(in.To) }
	url := in.Team.TicketURL
	var items []care.AgendaItem

	// What the team raised: climate answers (named only where the team's
	// climate is not anonymous) and the questions agents asked.
	anonymous := playbook.ClimateOf(in.Team).Anonymous
	for _, a := range in.Climate {
		m, ok := byEmail[strings.ToLower(a.Who)]
		if !ok || !within(a.At) || strings.TrimSpace(a.Answer) == "" {
			continue
		}
		it := care.AgendaItem{Section: care.AgendaIssues, Kind: care.AgendaClimate, Title: a.Question, Text: a.Answer, At: a.At}
		if !anonymous {
			it.By = m.Name
		}
		items = append(items, it)
	}
	for _, r := range in.Requests {
		if _, ok := byEmail[strings.ToLower(r.Asker)]; !ok || !within(r.AskedAt) {
			continue
		}
		items = append(items, care.AgendaItem{Section: care.AgendaIssues, Kind: care.AgendaAsk, Who: r.AskerName, Text: r.Question,
			TicketID: r.Ticket.TicketID, Subject: r.Subject, TicketURL: cmp.Or(r.TicketURL, url(r.Ticket)), At: r.AskedAt})
	}

	// The trends, the team's, against the week before.
	if t := in.Trends; t != nil {
		trend := func(title, now, before string) {
			items = append(items, care.AgendaItem{Section: care.AgendaTrends, Kind: care.AgendaTrend, Title: title, Text: now + " (the week before: " + before + ")"})
		}
		trend("Tickets solved", fmt.Sprint(t.Solved), fmt.Sprint(t.PrevSolved))
		trend("Reopen rate", Percent(t.Reopened, t.Solved), Percent(t.PrevReopened, t.PrevSolved))
		trend("Satisfaction (good ratings)", Percent(t.Good, t.Good+t.Bad), Percent(t.PrevGood, t.PrevGood+t.PrevBad))
		if len(t.TopTags) > 0 {
			var tags []string
			for _, tc := range t.TopTags {
				tags = append(tags, fmt.Sprintf("%s %d (%d)", tc.Tag, tc.Count, tc.Previous))
			}
			items = append(items, care.AgendaItem{Section: care.AgendaTrends, Kind: care.AgendaTrend, Title: "What customers raised most", Text: strings.Join(tags, ", ")})
		}
	}

	// Tickets worth discussing: bad ratings, reopened tickets, escalations.
	var mine []care.Moment
	subjects := map[care.TicketRef]string{}
	for _, m := range in.Moments {
		if m.Subject != "" {
			subjects[m.Ticket] = m.Subject
		}
		if _, ok := byAgent[agentKey(m.Ticket.Connection, m.AgentID)]; ok && within(m.At) && !m.Withdrawn() {
			mine = append(mine, m)
		}
	}
	slices.SortStableFunc(mine, func(a, b care.Moment) int { return a.At.Compare(b.At) })
	ticket := func(kind care.AgendaKind, m care.Moment) care.AgendaItem {
		return care.AgendaItem{Section: care.AgendaTickets, Kind: kind, Who: byAgent[agentKey(m.Ticket.Connection, m.AgentID)].Name, Text: m.What, Quote: m.Quote,
			TicketID: m.Ticket.TicketID, Subject: m.Subject, TicketURL: url(m.Ticket), At: m.At}
	}
	for _, m := range mine {
		if m.Behaviour == care.Delight && m.Kind == care.Coaching {
			items = append(items, ticket(care.AgendaBadRating, m))
		}
	}
	reopened := map[care.TicketRef]bool{}
	facts := slices.Clone(in.Facts)
	slices.SortStableFunc(facts, func(a, b care.Fact) int { return a.At.Compare(b.At) })
	for _, f := range facts {
		m, ok := byAgent[agentKey(f.Ticket.Connection, f.AgentID)]
		if f.Kind != care.FactReopened || !ok || !within(f.At) || reopened[f.Ticket] {
			continue
		}
		reopened[f.Ticket] = true
		items = append(items, care.AgendaItem{Section: care.AgendaTickets, Kind: care.AgendaReopened, Who: m.Name, Text: "The customer reopened it.",
			TicketID: f.Ticket.TicketID, Subject: subjects[f.Ticket], TicketURL: url(f.Ticket), At: f.At})
	}
	for _, m := range mine {
		if m.Behaviour == care.Escalate {
			items = append(items, ticket(care.AgendaEscalated, m))
		}
	}

	// Praise worth giving in front of the team: the moments the manager
	// already praised or shared first, then the newest, a few; and every
	// teammate's kudos.
	praised := map[string]bool{}
	for _, f := range in.Feedback {
		if f.MomentID != "" && !f.Peer && strings.EqualFold(f.From, manager) && (f.Kind == care.Praise || f.Shared) {
			praised[f.MomentID] = true
		}
	}
	var praise []care.AgendaItem
	for _, m := range mine {
		if m.Kind == care.Praise {
			it := ticket(care.AgendaPraised, m)
			it.Section, it.Praised = care.AgendaPraise, praised[m.ID]
			praise = append(praise, it)
		}
	}
	slices.SortStableFunc(praise, func(a, b care.AgendaItem) int {
		if a.Praised != b.Praised {
			if a.Praised {
				return -1
			}
			return 1
		}
		return b.At.Compare(a.At)
	})
	if len(praise) > playbook.MaxBriefPraise {
		praise = praise[:playbook.MaxBriefPraise]
	}
	slices.SortStableFunc(praise, func(a, b care.AgendaItem) int { return a.At.Compare(b.At) })
	items = append(items, praise...)
	var kudos []care.AgendaItem
	for _, f := range in.Feedback {
		m, ok := byEmail[strings.ToLower(f.AgentEmail)]
		if !f.Peer || !ok || !within(f.At) {
			continue
		}
		by := f.From
		if tm, ok := in.Team.Member(f.From); ok {
			by = tm.Name
		}
		kudos = append(kudos, care.AgendaItem{Section: care.AgendaPraise, Kind: care.AgendaKudos, Who: m.Name, By: by, Text: f.Words,
			TicketID: f.Ticket.TicketID, TicketURL: url(f.Ticket), At: f.At})
	}
	slices.SortStableFunc(kudos, func(a, b care.AgendaItem) int { return a.At.Compare(b.At) })
	items = append(items, kudos...)

	for i := range items {
		items[i].N = i + 1
	}
	return items
}

// Percent is n of total as a whole percentage ("10%"), or "–" without
// data: how the brief and the digest write a share.
func Percent(n, total int) string {
	if total <= 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", int(math.Round(100*float64(n)/float64(total))))
}
