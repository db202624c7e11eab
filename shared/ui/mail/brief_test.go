package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// The weekly meeting brief: before the team's Monday 10:00 meeting,
// Jordan Reyes gets what his members raised, the trends, the tickets worth
// discussing and the praise worth giving; he replies "send 1, 3, 5, 7,
// 8" with a note, and the team gets those items as the agenda.

func briefItems() []care.AgendaItem {
	items := []care.AgendaItem{
		{Section: care.AgendaIssues, Kind: care.AgendaClimate, Title: "What would you like to be able to do for customers that you can't?", Text: "Refund <b>without</b> asking finance & waiting", By: "Ana Silva"},
		{Section: care.AgendaIssues, Kind: care.AgendaAsk, Who: "Priya Natarajan", Text: "Was my tone right with Tom? <script>alert(1)</script>", TicketID: "42", Subject: refundSubject, TicketURL: refundURL},
		{Section: care.AgendaTrends, Kind: care.AgendaTrend, Title: "Tickets solved", Text: "12 (the week before: 9)"},
		{Section: care.AgendaTrends, Kind: care.AgendaTrend, Title: "What customers raised most", Text: "billing 4 (1), <refunds> 3 (0)"},
		{Section: care.AgendaTickets, Kind: care.AgendaBadRating, Who: "Ana Silva", Text: "Maria Lopez rated the ticket bad.", Quote: "Nobody <i>listened</i> & I waited", TicketID: "5158", Subject: "Printer offline", TicketURL: ticketURL},
		{Section: care.AgendaTickets, Kind: care.AgendaReopened, Who: "Priya Natarajan", Text: "The customer reopened it.", TicketID: "42", Subject: refundSubject, TicketURL: refundURL},
		{Section: care.AgendaPraise, Kind: care.AgendaPraised, Who: "Priya Natarajan", Text: "Answered Tom Becker in 12 minutes.", TicketID: "42", Subject: refundSubject, TicketURL: refundURL, Praised: true},
		{Section: care.AgendaPraise, Kind: care.AgendaKudos, Who: "Priya Natarajan", By: "Ana Silva", Text: "Thanks for covering my queue <3"},
	}
	for i := range items {
		items[i].N = i + 1
	}
	return items
}

func brief() mail.Brief {
	return mail.Brief{
		Manager: lead, TeamID: "support", TeamName: "Customer Support", Meeting: time.Date(2026, 12, 7, 10, 0, 0, 0, london),
		From: at(30, 8, 0), To: time.Date(2026, 12, 7, 8, 0, 0, 0, london), Items: briefItems(), Help: grammar.BriefHelp(8),
	}
}

func agenda() mail.Agenda {
	items := briefItems()
	return mail.Agenda{
		Manager: lead, TeamID: "support", TeamName: "Customer Support", Meeting: time.Date(2026, 12, 7, 10, 0, 0, 0, london),
		To: []string{ana.Email, priya.Email}, Note: "Great week, all <b>of</b> you & thanks!",
		Items: []care.AgendaItem{items[0], items[2], items[4], items[6], items[7]},
	}
}

func TestBriefEmailsMatchGolden(t *testing.T) {
	for _, c := range []emailCase{
		{
			name: "the brief lists the week's items by section, numbered, with the grammar", golden: "brief",
			compose: func() (care.Email, error) { return mail.BriefEmail(brief()) },
			subject: "Your brief for Customer Support's meeting on Mon 7 Dec 10:00: 8 items",
			to:      []string{lead.Email}, tags: map[string]string{"kind": "brief", "team": "support"}, answerable: true,
			says: []string{"WHAT THE TEAM RAISED THIS WEEK", "TRENDS AGAINST LAST WEEK", "TICKETS WORTH DISCUSSING", "PRAISE WORTH GIVING IN FRONT OF THE TEAM",
				"Ana Silva said:", "2. Priya Natarajan asked about ticket #42", "[you praised this]", "8. Thank you, Priya Natarajan, from Ana Silva:"},
		},
		{
			name: "the agenda has the note and the picked items, renumbered, climate unnamed, praise as thanks", golden: "agenda",
			compose: func() (care.Email, error) { return mail.AgendaEmail(agenda()) },
			subject: "Agenda for our meeting on Mon 7 Dec 10:00, from Jordan Reyes",
			to:      []string{ana.Email, priya.Email}, replyTo: []string{lead.Email}, tags: map[string]string{"kind": "agenda", "team": "support"},
			says:  []string{"Great week, all <b>of</b> you & thanks!", "1. Asked “What would you like", "3. Bad rating on ticket #5158", "4. Thank you, Priya Natarajan, for ticket #42", "5. Thank you, Priya Natarajan, from Ana Silva"},
			never: []string{"(Ana Silva)\n   “Refund", "Printer offline (Ana Silva)", "you praised this", "Priya Natarajan asked"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.check(t, "<script", "<b>", "<i>")
			if c.answerable && !strings.Contains(e.Text, "How to reply:\n\n"+grammar.BriefHelp(8)+"\n") {
				t.Errorf("the brief does not end with its grammar:\n%s", e.Text)
			}
		})
	}
}

func TestTheAgendaNeverNamesWhoGaveAClimateAnswer(t *testing.T) {
	a := agenda()
	e, err := mail.AgendaEmail(a)
	if err != nil {
		t.Fatal(err)
	}
	climate := e.Text[strings.Index(e.Text, "WHAT THE TEAM RAISED"):strings.Index(e.Text, "HOW THE WEEK WENT")]
	if strings.Contains(climate, "Ana") || !strings.Contains(e.HTML, "someone said:") || strings.Contains(e.HTML, "Ana Silva said") {
		t.Errorf("the agenda names who answered:\n%s", climate)
	}
}

func TestBriefAndAgendaEscapeHostileWords(t *testing.T) {
	b := brief()
	for i := range b.Items {
		b.Items[i].Text, b.Items[i].Quote, b.Items[i].Subject, b.Items[i].Who, b.Items[i].By, b.Items[i].Title = hostile, hostile, hostile, hostile, hostile, hostile
		b.Items[i].TicketURL = `javascript:alert(1)"><script>x</script>`
	}
	b.TeamName, b.Manager.Name = hostile, hostile
	a := agenda()
	a.Items, a.Note, a.TeamName, a.Manager.Name = b.Items, hostile, hostile, hostile
	for name, compose := range map[string]func() (care.Email, error){
		"brief":  func() (care.Email, error) { return mail.BriefEmail(b) },
		"agenda": func() (care.Email, error) { return mail.AgendaEmail(a) },
	} {
		e, err := compose()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, raw := range []string{"<script", "<b>", "</title><script", `href="javascript:`} {
			if strings.Contains(e.HTML, raw) {
				t.Errorf("%s: HTML part contains unescaped %q", name, raw)
			}
		}
		if !strings.Contains(e.HTML, "&lt;script&gt;") {
			t.Errorf("%s: the hostile words are not in the HTML part, escaped", name)
		}
	}
}

func TestABriefNeedsItsManagerItemsAndGrammarAndAnAgendaItsTeam(t *testing.T) {
	noManager, noItems, noHelp, misnumbered := brief(), brief(), brief(), brief()
	noManager.Manager.Email, noItems.Items, noHelp.Help = "", nil, " "
	misnumbered.Items[3].N = 9
	nobody, empty := agenda(), agenda()
	nobody.To = nil
	empty.Items, empty.Note = nil, " "
	for name, compose := range map[string]func() (care.Email, error){
		"no manager":     func() (care.Email, error) { return mail.BriefEmail(noManager) },
		"no items":       func() (care.Email, error) { return mail.BriefEmail(noItems) },
		"no reply help":  func() (care.Email, error) { return mail.BriefEmail(noHelp) },
		"misnumbered":    func() (care.Email, error) { return mail.BriefEmail(misnumbered) },
		"nobody to mail": func() (care.Email, error) { return mail.AgendaEmail(nobody) },
		"empty agenda":   func() (care.Email, error) { return mail.AgendaEmail(empty) },
	} {
		if _, err := compose(); err == nil {
			t.Errorf("%s: composed anyway", name)
		}
	}
}
