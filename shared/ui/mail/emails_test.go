package mail_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// The story behind every test: Maria Lopez's printer went offline after a
// firmware update; Ana Silva owns ticket acme-zendesk/5158; Jordan Reyes
// manages the team, which works in Europe/London.

var (
	london = mustZone("Europe/London")
	ana    = care.Member{Name: "Ana Silva", Email: "ana.silva@acme-support.example"}
	jordan = care.Member{Name: "Jordan Reyes", Email: "jordan.reyes@acme-support.example"}
	ticket = care.Ticket{
		Ref:         care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"},
		Subject:     "Printer offline after <firmware> update",
		RequesterID: "900",
		AssigneeID:  "100",
	}
	ticketURL = "https://acme.zendesk.com/agent/tickets/5158"
)

const (
	mariaWrote = "Since the update the printer shows <b>offline</b> & nothing prints.\n<script>alert(1)</script>"
	mariaRated = "Three days without a printer <b>at all</b> & nobody called me back.\n<script>alert(2)</script>"
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a time in London; in winter London is on GMT.
func at(day, hour, min int) time.Time {
	return time.Date(2026, 11, day, hour, min, 0, 0, london)
}

func warning() mail.Warning {
	return mail.Warning{
		Agent:        ana,
		Ticket:       ticket,
		TicketURL:    ticketURL,
		Ask:          "ask@reply.acme.example",
		CustomerName: "Maria Lopez",
		Message:      mariaWrote,
		WaitingSince: at(30, 9, 0),
		ClosesAt:     at(31, 9, 0), // Tue 1 Dec
		Window:       24 * time.Hour,
		Now:          at(31, 4, 12), // 80% of the window
	}
}

func followUp() mail.FollowUp {
	return mail.FollowUp{
		Agent:        ana,
		Ticket:       ticket,
		TicketURL:    ticketURL,
		Ask:          "ask@reply.acme.example",
		CustomerName: "Maria Lopez",
		SolvedAt:     at(31, 15, 30),
		Checklist: []string{
			"Is the printer still online since the firmware rollback?",
			"Does every printer in the office print again?",
			"Is there anything else we can help with?",
		},
		DoneHow: `add the tag "followed-up", write an internal note starting "follow-up:", or reply publicly`,
	}
}

func commitment() mail.Commitment {
	return mail.Commitment{
		Agent:        ana,
		Ticket:       ticket,
		TicketURL:    ticketURL,
		CustomerName: "Maria Lopez",
		DueAt:        at(31, 17, 0),
		PromisedAt:   at(30, 11, 21),
	}
}

// story is the ticket's interactions as the help desk reported them, in UTC
// and with one event carecoach does not understand.
func story() []care.Interaction {
	utc := func(day, hour, min int) time.Time { return at(day, hour, min).UTC() }
	snap := care.Snapshot{RequesterID: "900"}
	return []care.Interaction{
		{ID: "1", Kind: care.TicketCreated, At: utc(30, 9, 0), ActorID: "900", ActorName: "Maria Lopez", FromRequester: true, Body: mariaWrote, Snapshot: snap},
		{ID: "2", Kind: care.AgentReply, At: utc(30, 11, 20), ActorID: "100", Body: "Thanks Maria, I am on it and will have an answer for you by tomorrow 5pm.", Snapshot: snap},
		{ID: "3", Kind: care.DueDateChanged, At: utc(30, 11, 21), ActorID: "100", DueAt: utc(31, 17, 0), Snapshot: snap},
		{ID: "4", Kind: care.StatusChanged, At: utc(30, 11, 21), ActorID: "100", Status: care.StatusPending, Snapshot: snap},
		{ID: "5", Kind: care.Unrecognized, At: utc(30, 12, 0), SourceID: "zen:event-type:something_new", Snapshot: snap},
		{ID: "6", Kind: care.CustomerMessage, At: utc(31, 8, 40), ActorID: "900", ActorName: "Maria Lopez", FromRequester: true, Body: "Still offline. We have a board meeting at noon & need to print.", Snapshot: snap},
		{ID: "7", Kind: care.StatusChanged, At: utc(31, 8, 40), ActorID: "900", ActorName: "Maria Lopez", Status: care.StatusOpen, Snapshot: snap},
		{ID: "8", Kind: care.InternalNote, At: utc(31, 15, 20), ActorID: "100", Body: "Rolling back to 4.2 fixed our test unit.", Snapshot: snap},
		{ID: "9", Kind: care.AgentReply, At: utc(31, 15, 30), ActorID: "100", Body: "Please roll the printer back to firmware 4.2 from the settings page; that brings it online again.", Snapshot: snap},
		{ID: "10", Kind: care.StatusChanged, At: utc(31, 15, 30), ActorID: "100", Status: care.StatusSolved, Snapshot: snap},
		{ID: "11", Kind: care.Satisfaction, At: utc(32, 10, 5), ActorID: "900", ActorName: "Maria Lopez", Rating: "bad", Body: mariaRated, Snapshot: snap},
	}
}

func helpdeskNames(id string) string {
	return map[string]string{"100": "Ana Silva"}[id]
}

func alert() mail.Alert {
	return mail.Alert{
		Manager:      jordan,
		Agent:        ana,
		Ticket:       ticket,
		TicketURL:    ticketURL,
		CustomerName: "Maria Lopez",
		Comment:      mariaRated,
		RatedAt:      at(32, 10, 5), // Wed 2 Dec
		Timeline:     mail.TimelineOf(story(), london, helpdeskNames),
	}
}

// composers builds each new email from its story.
var composers = []struct {
	name    string
	golden  string
	compose func() (care.Email, error)
	subject string
	to      string
}{
	{
		name:    "a warning says how long the customer has waited and when the window closes",
		golden:  "respond_warning",
		compose: func() (care.Email, error) { return mail.RespondWarning(warning()) },
		subject: "Ticket #5158: Maria Lopez has waited 19 hours — window closes Tue 1 Dec 09:00 GMT",
		to:      "ana.silva@acme-support.example",
	},
	{
		name:    "a follow-up reminder gives the agent the team's checklist and how to mark it done",
		golden:  "follow_up",
		compose: func() (care.Email, error) { return mail.FollowUpReminder(followUp()) },
		subject: "Follow up with Maria Lopez on ticket #5158: Printer offline after <firmware> update",
		to:      "ana.silva@acme-support.example",
	},
	{
		name:    "a commitment reminder names the date promised to the customer",
		golden:  "commitment_reminder",
		compose: func() (care.Email, error) { return mail.CommitmentReminder(commitment()) },
		subject: "Due Tue 1 Dec 17:00: your promise to Maria Lopez on ticket #5158",
		to:      "ana.silva@acme-support.example",
	},
	{
		name:    "a bad-rating alert gives the manager the customer's words, the timeline and the debrief",
		golden:  "satisfaction_alert",
		compose: func() (care.Email, error) { return mail.SatisfactionAlert(alert()) },
		subject: "Bad rating on ticket #5158 (Ana Silva): Printer offline after <firmware> update",
		to:      "jordan.reyes@acme-support.example",
	},
}

func TestEmailsMatchGolden(t *testing.T) {
	for _, c := range composers {
		t.Run(c.name, func(t *testing.T) {
			e, err := c.compose()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.golden+".html", e.HTML)
			golden(t, c.golden+".txt", e.Text)
			if e.Subject != c.subject {
				t.Errorf("subject = %q, want %q", e.Subject, c.subject)
			}
			if !slices.Equal(e.To, []string{c.to}) {
				t.Errorf("to = %v, want [%s]", e.To, c.to)
			}
			if e.Tags["kind"] != c.golden || e.Tags["connection"] != "acme-zendesk" || len(e.Tags) != 2 {
				t.Errorf("tags = %v, want kind=%s connection=acme-zendesk", e.Tags, c.golden)
			}
		})
	}
}

func TestEveryEmailSaysWhyItWasSent(t *testing.T) {
	for _, c := range composers {
		t.Run(c.name, func(t *testing.T) {
			e, err := c.compose()
			if err != nil {
				t.Fatal(err)
			}
			for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
				if !strings.Contains(body, "Sent by carecoach because") {
					t.Errorf("%s part has no footer saying why it was sent", part)
				}
			}
		})
	}
}

func TestNewEmailsEscapeCustomerTextInHTML(t *testing.T) {
	raw := []string{"<script>", "<b>", "<firmware>"}
	tests := []struct {
		name    string
		compose func() (care.Email, error)
		escaped []string
	}{
		{
			name:    "a warning escapes the customer's waiting message and the subject",
			compose: func() (care.Email, error) { return mail.RespondWarning(warning()) },
			escaped: []string{"&lt;script&gt;", "&lt;b&gt;offline&lt;/b&gt; &amp; nothing", "&lt;firmware&gt;"},
		},
		{
			name:    "a follow-up reminder escapes the subject",
			compose: func() (care.Email, error) { return mail.FollowUpReminder(followUp()) },
			escaped: []string{"&lt;firmware&gt;"},
		},
		{
			name:    "a commitment reminder escapes the subject",
			compose: func() (care.Email, error) { return mail.CommitmentReminder(commitment()) },
			escaped: []string{"&lt;firmware&gt;"},
		},
		{
			name:    "a bad-rating alert escapes the comment and every quote in the timeline",
			compose: func() (care.Email, error) { return mail.SatisfactionAlert(alert()) },
			escaped: []string{"&lt;script&gt;alert(2)", "&lt;b&gt;at all&lt;/b&gt; &amp; nobody", "&lt;firmware&gt;", "noon &amp; need", "&lt;b&gt;offline&lt;/b&gt; &amp; nothing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range raw {
				if strings.Contains(e.HTML, r) {
					t.Errorf("HTML part contains unescaped %q", r)
				}
			}
			for _, s := range tt.escaped {
				if !strings.Contains(e.HTML, s) {
					t.Errorf("HTML part lacks escaped %q", s)
				}
			}
		})
	}
}

func TestACustomerNameCannotInjectMarkupOrHeaders(t *testing.T) {
	const name = "Maria <img src=x onerror=alert(3)>\r\nBcc: victim@example.com"
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"in a warning", func() (care.Email, error) { w := warning(); w.CustomerName = name; return mail.RespondWarning(w) }},
		{"in a follow-up reminder", func() (care.Email, error) { f := followUp(); f.CustomerName = name; return mail.FollowUpReminder(f) }},
		{"in a commitment reminder", func() (care.Email, error) {
			c := commitment()
			c.CustomerName = name
			return mail.CommitmentReminder(c)
		}},
		{"in a bad-rating alert", func() (care.Email, error) { a := alert(); a.CustomerName = name; return mail.SatisfactionAlert(a) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(e.HTML, "<img") {
				t.Error("HTML part contains the customer's markup")
			}
			if !strings.Contains(e.HTML, "&lt;img") {
				t.Error("HTML part lacks the escaped name")
			}
			if strings.ContainsAny(e.Subject, "\r\n") {
				t.Errorf("subject %q spans lines", e.Subject)
			}
		})
	}
}

func TestNewSubjectsStayOnOneLine(t *testing.T) {
	const subject = "Help\r\nBcc: victim@example.com"
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"a warning", func() (care.Email, error) { w := warning(); w.Ticket.Subject = subject; return mail.RespondWarning(w) }},
		{"a follow-up reminder", func() (care.Email, error) {
			f := followUp()
			f.Ticket.Subject = subject
			return mail.FollowUpReminder(f)
		}},
		{"a commitment reminder", func() (care.Email, error) {
			c := commitment()
			c.Ticket.Subject = subject
			return mail.CommitmentReminder(c)
		}},
		{"a bad-rating alert", func() (care.Email, error) { a := alert(); a.Ticket.Subject = subject; return mail.SatisfactionAlert(a) }},
	}
	for _, tt := range tests {
		t.Run(tt.name+" keeps a multi-line ticket subject on one line", func(t *testing.T) {
			e, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(e.Subject, "\r\n") {
				t.Errorf("subject %q spans lines", e.Subject)
			}
		})
	}
}

func TestEveryEmailNeedsAnAddress(t *testing.T) {
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"a warning to an agent without an address", func() (care.Email, error) { w := warning(); w.Agent.Email = ""; return mail.RespondWarning(w) }},
		{"a follow-up reminder to an agent without an address", func() (care.Email, error) { f := followUp(); f.Agent.Email = ""; return mail.FollowUpReminder(f) }},
		{"a commitment reminder to an agent without an address", func() (care.Email, error) { c := commitment(); c.Agent.Email = ""; return mail.CommitmentReminder(c) }},
		{"a bad-rating alert to a manager without an address", func() (care.Email, error) { a := alert(); a.Manager.Email = ""; return mail.SatisfactionAlert(a) }},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is an error", func(t *testing.T) {
			if _, err := tt.compose(); err == nil {
				t.Error("composed an email nobody can receive")
			}
		})
	}
}

func TestAnEmailWithoutItsDeadlineIsAnError(t *testing.T) {
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"a warning without the time the window closes", func() (care.Email, error) { w := warning(); w.ClosesAt = time.Time{}; return mail.RespondWarning(w) }},
		{"a warning without the time the customer started waiting", func() (care.Email, error) {
			w := warning()
			w.WaitingSince = time.Time{}
			return mail.RespondWarning(w)
		}},
		{"a commitment reminder without a due date", func() (care.Email, error) {
			c := commitment()
			c.DueAt = time.Time{}
			return mail.CommitmentReminder(c)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.compose(); err == nil {
				t.Error("composed an email that cannot say when")
			}
		})
	}
}

func TestAWarningAfterTheWindowClosedSaysSo(t *testing.T) {
	w := warning()
	w.Now = at(31, 9, 30)
	e, err := mail.RespondWarning(w)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Ticket #5158: Maria Lopez has waited 24 hours — window closed Tue 1 Dec 09:00 GMT"; e.Subject != want {
		t.Errorf("subject = %q, want %q", e.Subject, want)
	}
	if !strings.Contains(e.Text, "The response window closed at Tue 1 Dec 09:00 GMT.") || strings.Contains(e.Text, "from now") {
		t.Errorf("text part does not say the window closed:\n%s", e.Text)
	}
}

func TestAnEmailWithoutACustomerNameStillReads(t *testing.T) {
	tests := []struct {
		name    string
		compose func() (care.Email, error)
		subject string
		text    string
	}{
		{
			name:    "a warning speaks of a customer",
			compose: func() (care.Email, error) { w := warning(); w.CustomerName = " "; return mail.RespondWarning(w) },
			subject: "Ticket #5158: a customer has waited 19 hours — window closes Tue 1 Dec 09:00 GMT",
			text:    "A customer has waited 19 hours",
		},
		{
			name:    "a follow-up reminder speaks of your customer",
			compose: func() (care.Email, error) { f := followUp(); f.CustomerName = ""; return mail.FollowUpReminder(f) },
			subject: "Follow up with your customer on ticket #5158: Printer offline after <firmware> update",
			text:    "check in with the customer",
		},
		{
			name:    "a commitment reminder speaks of the customer",
			compose: func() (care.Email, error) { c := commitment(); c.CustomerName = ""; return mail.CommitmentReminder(c) },
			subject: "Due Tue 1 Dec 17:00: your promise to the customer on ticket #5158",
			text:    "the date promised to the customer on",
		},
		{
			name:    "a bad-rating alert speaks of a customer",
			compose: func() (care.Email, error) { a := alert(); a.CustomerName = ""; return mail.SatisfactionAlert(a) },
			subject: "Bad rating on ticket #5158 (Ana Silva): Printer offline after <firmware> update",
			text:    "a customer rated the service bad",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", e.Subject, tt.subject)
			}
			if !strings.Contains(e.Text, tt.text) {
				t.Errorf("text part lacks %q:\n%s", tt.text, e.Text)
			}
		})
	}
}

func TestABadRatingOnAnUnassignedTicketSaysSo(t *testing.T) {
	a := alert()
	a.Agent = care.Member{}
	e, err := mail.SatisfactionAlert(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Bad rating on ticket #5158 (unassigned): Printer offline after <firmware> update"; e.Subject != want {
		t.Errorf("subject = %q, want %q", e.Subject, want)
	}
	for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
		if !strings.Contains(body, "The ticket was unassigned.") {
			t.Errorf("%s part does not say the ticket was unassigned", part)
		}
	}
}

func TestABadRatingAlertAsksTheTeamsOwnDebriefQuestions(t *testing.T) {
	a := alert()
	a.Debrief = []string{"What did we promise, and when?"}
	e, err := mail.SatisfactionAlert(a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "1. What did we promise, and when?") {
		t.Errorf("text part lacks the team's question:\n%s", e.Text)
	}
	if strings.Contains(e.Text, mail.DefaultDebrief[0]) {
		t.Error("text part still asks the default questions")
	}
}

func TestTimelineOf(t *testing.T) {
	t.Run("the story reads in order, in the team's zone, without events carecoach does not understand", func(t *testing.T) {
		got := mail.TimelineOf(story(), london, helpdeskNames)
		want := []string{
			"Mon 30 Nov 09:00 GMT | Maria Lopez (customer) | opened the ticket: “Since the update the printer shows <b>offline</b> & nothing prints. <script>alert(1)</script>”",
			"Mon 30 Nov 11:20 GMT | Ana Silva (agent) | replied publicly: “Thanks Maria, I am on it and will have an answer for you by tomorrow 5pm.”",
			"Mon 30 Nov 11:21 GMT | Ana Silva (agent) | set the due date to Tue 1 Dec 17:00 GMT",
			"Mon 30 Nov 11:21 GMT | Ana Silva (agent) | set status to pending",
			"Tue 1 Dec 08:40 GMT | Maria Lopez (customer) | wrote: “Still offline. We have a board meeting at noon & need to print.”",
			"Tue 1 Dec 08:40 GMT | Maria Lopez (customer) | set status to open",
			"Tue 1 Dec 15:20 GMT | Ana Silva (agent) | added an internal note",
			"Tue 1 Dec 15:30 GMT | Ana Silva (agent) | replied publicly: “Please roll the printer back to firmware 4.2 from the settings page; that brings it online again.”",
			"Tue 1 Dec 15:30 GMT | Ana Silva (agent) | set status to solved",
			"Wed 2 Dec 10:05 GMT | Maria Lopez (customer) | rated the service bad: “Three days without a printer <b>at all</b> & nobody called me back. <script>alert(2)</script>”",
		}
		if lines := entryLines(got); !slices.Equal(lines, want) {
			t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("only the last twelve entries are kept, most recent last", func(t *testing.T) {
		var in []care.Interaction
		start := at(30, 9, 0).UTC()
		for i := 20; i >= 1; i-- { // out of order on purpose
			in = append(in, care.Interaction{ID: fmt.Sprint(i), Kind: care.CustomerMessage, At: start.Add(time.Duration(i) * time.Minute), Body: fmt.Sprintf("message %d", i)})
		}
		got := mail.TimelineOf(in, london, nil)
		if len(got) != 12 {
			t.Fatalf("got %d entries, want 12", len(got))
		}
		if got[0].What != "wrote: “message 9”" || got[11].What != "wrote: “message 20”" {
			t.Errorf("first %q, last %q: want messages 9 to 20", got[0].What, got[11].What)
		}
	})

	t.Run("people are named by the directory, then by the help desk, then by their role", func(t *testing.T) {
		now := at(30, 9, 0)
		in := []care.Interaction{
			{Kind: care.AgentReply, At: now, ActorID: "100", ActorName: "A. Silva (Zendesk)"},
			{Kind: care.AgentReply, At: now, ActorID: "200", ActorName: "Sam  Okoye"},
			{Kind: care.AgentReply, At: now, ActorID: "300"},
			{Kind: care.CustomerMessage, At: now, ActorID: "900"},
			{Kind: care.StatusChanged, At: now, Status: care.StatusOnHold},
			{Kind: care.AssigneeChanged, At: now, ActorID: "200", ActorName: "Sam Okoye", AssigneeID: "100"},
		}
		want := []string{
			"Ana Silva (agent) | replied publicly",
			"Sam Okoye (agent) | replied publicly",
			"agent | replied publicly",
			"customer | wrote",
			"help desk | set status to on hold",
			"Sam Okoye (agent) | assigned the ticket to Ana Silva",
		}
		var got []string
		for _, e := range mail.TimelineOf(in, london, helpdeskNames) {
			got = append(got, e.Who+" | "+e.What)
		}
		if !slices.Equal(got, want) {
			t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("long words are quoted shortened on one line", func(t *testing.T) {
		body := strings.Repeat("The printer is still offline.\n", 40)
		got := mail.TimelineOf([]care.Interaction{{Kind: care.CustomerMessage, At: at(30, 9, 0), Body: body}}, london, nil)
		w := got[0].What
		if strings.Contains(w, "\n") {
			t.Errorf("quote spans lines: %q", w)
		}
		if n := len([]rune(w)); n > len("wrote: “”")+210 {
			t.Errorf("quote is %d characters long: %q", n, w)
		}
		cut, ok := strings.CutSuffix(strings.TrimPrefix(w, "wrote: “"), " …”")
		if flat := strings.Join(strings.Fields(body), " "); !ok || !strings.HasPrefix(flat, cut+" ") {
			t.Errorf("quote is not cut on a word boundary: %q", w)
		}
	})

	t.Run("no location means UTC", func(t *testing.T) {
		got := mail.TimelineOf([]care.Interaction{{Kind: care.TicketDeleted, At: at(30, 9, 0)}}, nil, nil)
		if got[0].At.Location() != time.UTC {
			t.Errorf("at %v, want UTC", got[0].At)
		}
	})
}

func entryLines(entries []mail.TimelineEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.At.Format("Mon 2 Jan 15:04 MST")+" | "+e.Who+" | "+e.What)
	}
	return out
}

// An agent's email about a ticket can be answered with "ask" and a
// question: its replies go to the ask address, and it says how. Without
// the address (the team does not ask through carecoach) the email has
// neither.
func TestAgentEmailsAboutATicketInviteAskingOnlyWhenTheTeamAsks(t *testing.T) {
	const ask = "ask@reply.acme.example"
	with := func(f func(string) (care.Email, error)) map[bool]care.Email {
		out := map[bool]care.Email{}
		for _, on := range []bool{true, false} {
			addr := ""
			if on {
				addr = ask
			}
			e, err := f(addr)
			if err != nil {
				t.Fatal(err)
			}
			out[on] = e
		}
		return out
	}
	for name, f := range map[string]func(string) (care.Email, error){
		"the respond reminder": func(a string) (care.Email, error) { r := reminder(); r.Ask = a; return mail.RespondReminder(r) },
		"the respond warning":  func(a string) (care.Email, error) { w := warning(); w.Ask = a; return mail.RespondWarning(w) },
		"the follow-up":        func(a string) (care.Email, error) { f := followUp(); f.Ask = a; return mail.FollowUpReminder(f) },
		"the commitment":       func(a string) (care.Email, error) { c := commitment(); c.Ask = a; return mail.CommitmentReminder(c) },
	} {
		t.Run(name, func(t *testing.T) {
			e := with(f)
			if !slices.Equal(e[true].ReplyTo, []string{ask}) || !strings.Contains(e[true].Text, `Reply "ask" and your question`) || !strings.Contains(e[true].HTML, "Reply <strong>ask</strong>") {
				t.Errorf("with the ask address: reply-to %v, text:\n%s", e[true].ReplyTo, e[true].Text)
			}
			if len(e[false].ReplyTo) != 0 || strings.Contains(e[false].Text, "second opinion") || strings.Contains(e[false].HTML, "second opinion") {
				t.Errorf("without it: reply-to %v, text:\n%s", e[false].ReplyTo, e[false].Text)
			}
			if !strings.Contains(e[true].Subject, "#5158") {
				t.Errorf("subject %q does not name the ticket, which is how a reply finds it", e[true].Subject)
			}
		})
	}
}
