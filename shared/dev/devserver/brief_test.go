package devserver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

// A week of the demo team, then its Monday meeting. On Monday 30 Nov Ana
// answers Maria on ticket #5158 quickly (praise) and solves it; Maria
// rates it bad; Ana asks for feedback on it. On Friday Ana answers the
// climate question and Priya thanks her with kudos. On Monday 7 Dec at
// 08:00 London, two hours before the 10:00 meeting, Jordan gets his brief;
// he replies "2, 4" and Ana and Priya get an agenda with exactly those two
// items. A second "send", a replay and replies not understood send
// nothing more.
func TestTheWeeklyMeetingBrief(t *testing.T) {
	srv, outcomes := startLoop(t, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)) // Monday 30 Nov
	post(t, srv, answeredAndSolved(t)...)
	post(t, srv, event(t, "zendesk-ticket-csat-received", map[string]any{"id": "bad", "event.satisfaction_score.score": "BAD", "time": at(0, 11, 0)}))
	advance(t, srv, 3*time.Hour) // 12:00
	ask := "ask@" + replyDomain
	question := "Should I have offered the <b>refund</b> first?"
	if o := mailTo(t, srv, outcomes, agentEmail, ask, plain("Ana Silva <"+agentEmail+">", ask, "Feedback on #5158?", "brief-ask@mail.example.com", question)); !o.Accepted {
		t.Fatalf("Ana's ask: %+v", o)
	}
	advance(t, srv, 99*time.Hour+30*time.Minute) // Friday 4 Dec 15:30: the climate question went at 15:00
	climate := latest(t, agentEmail, "question for the week")
	answer := "Refunds take too long & customers <i>notice</i>."
	if o := mailTo(t, srv, outcomes, agentEmail, climate.ReplyTo[0], reply("gmail", agentEmail, climate.ReplyTo[0], climate.Subject, "brief-climate@mail.example.com", answer, climate)); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("Ana's climate answer: %+v", o)
	}
	kudos := "kudos@" + replyDomain
	if o := mailTo(t, srv, outcomes, priyaEmail, kudos, plain("Priya Natarajan <"+priyaEmail+">", kudos, "kudos", "brief-kudos@mail.example.com", "kudos @ana for covering my queue on Friday")); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("Priya's kudos: %+v", o)
	}

	_ = stack.ClearEmails(ctx)
	advance(t, srv, 64*time.Hour+20*time.Minute) // Monday 7 Dec 07:50: not yet
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Your brief") {
			t.Fatalf("a brief before 08:00: %q", e.Subject)
		}
	}
	advance(t, srv, 15*time.Minute) // 08:05
	brief := latest(t, managerEmail, "Your brief for Customer Support's meeting on Mon 7 Dec 10:00")
	if len(brief.ReplyTo) != 1 || !strings.HasPrefix(brief.ReplyTo[0], "reply+") {
		t.Fatalf("the brief cannot be answered: reply-to %v", brief.ReplyTo)
	}
	for _, want := range []string{
		care.ReplyMarker,
		"WHAT THE TEAM RAISED THIS WEEK", "1. Asked “", "Ana Silva said:", answer, "2. Ana Silva asked about ticket #5158", question,
		"TRENDS AGAINST LAST WEEK", "3. Tickets solved: 1 (the week before: 0)", "4. Reopen rate: 0% (the week before: –)",
		"TICKETS WORTH DISCUSSING", "Bad rating on ticket #5158",
		"PRAISE WORTH GIVING IN FRONT OF THE TEAM", "Thank you, Ana Silva, from Priya Natarajan:", "covering my queue on Friday",
		`Reply "send"`,
	} {
		if !strings.Contains(brief.Text, want) {
			t.Errorf("the brief lacks %q:\n%s", want, brief.Text)
		}
	}
	if strings.Contains(brief.HTML, "<b>refund</b>") || strings.Contains(brief.HTML, "<i>notice</i>") {
		t.Error("the brief does not escape the team's words")
	}
	for _, addr := range []string{agentEmail, priyaEmail} {
		if got := emailsTo(t, addr); len(got) != 0 {
			t.Errorf("%s got %q before Jordan sent anything", addr, subjects(got))
		}
	}
	team := func() []emulators.SentEmail {
		return append(emailsTo(t, agentEmail), emailsTo(t, priyaEmail)...)
	}

	t.Run("a reply not understood is explained and sends nothing", func(t *testing.T) {
		for i, words := range []string{"send 99", "looks good to me"} {
			_ = stack.ClearEmails(ctx)
			o := mailTo(t, srv, outcomes, managerEmail, brief.ReplyTo[0], reply("gmail", managerEmail, brief.ReplyTo[0], brief.Subject, "brief-bad-"+string(rune('a'+i))+"@mail.example.com", words, brief))
			if !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
				t.Errorf("%q: %+v, want nothing recorded and why", words, o)
			}
			if got := team(); len(got) != 0 {
				t.Errorf("%q sent %q to the team", words, subjects(got))
			}
		}
		confirmationSays(t, `reply "send" to mail the agenda to the team`)
	})

	send := reply("outlook", managerEmail, brief.ReplyTo[0], brief.Subject, "brief-send@mail.example.com", "2, 4", brief)
	t.Run("2, 4 sends every member an agenda with exactly those items", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := mailTo(t, srv, outcomes, managerEmail, brief.ReplyTo[0], send); !o.Accepted || o.Recorded != 1 || o.Problems != 0 {
			t.Fatalf("outcome %+v, want the agenda sent", o)
		}
		for _, addr := range []string{agentEmail, priyaEmail} {
			got := emailsTo(t, addr)
			if len(got) != 1 || got[0].Subject != "Agenda for our meeting on Mon 7 Dec 10:00, from Jordan Reyes" || len(got[0].ReplyTo) != 1 || got[0].ReplyTo[0] != managerEmail {
				t.Fatalf("%s got %q, want one agenda, Reply-To Jordan", addr, subjects(got))
			}
			a := got[0]
			for _, want := range []string{"1. A question about ticket #5158", question, "2. Reopen rate: 0%"} {
				if !strings.Contains(a.Text, want) {
					t.Errorf("the agenda to %s lacks %q:\n%s", addr, want, a.Text)
				}
			}
			for _, not := range []string{"3. ", answer, "Bad rating", "Tickets solved", "Ana Silva asked", "covering my queue"} {
				if strings.Contains(a.Text, not) {
					t.Errorf("the agenda to %s has %q, which Jordan did not pick:\n%s", addr, not, a.Text)
				}
			}
			if strings.Contains(a.HTML, "<b>refund</b>") {
				t.Errorf("the agenda to %s does not escape Ana's question", addr)
			}
		}
		if got := emailsTo(t, managerEmail); len(got) != 1 || !strings.Contains(got[0].Text, "The agenda (items 2, 4) went to Ana Silva, Priya Natarajan") {
			t.Errorf("Jordan got %q, want a confirmation saying what went to whom", subjects(got))
		}
	})
	t.Run("the same reply again is refused as a replay", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := mailTo(t, srv, outcomes, managerEmail, brief.ReplyTo[0], send); o.Accepted || !strings.Contains(o.Reason, "replayed") {
			t.Errorf("outcome %+v, want refused as replayed", o)
		}
		if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
			t.Errorf("a replay sent %d emails", len(sent))
		}
	})
	t.Run("a second send changes nothing and says it was sent", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		again := reply("gmail", managerEmail, brief.ReplyTo[0], brief.Subject, "brief-send-2@mail.example.com", "send\nSee you all at ten!", brief)
		if o := mailTo(t, srv, outcomes, managerEmail, brief.ReplyTo[0], again); !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
			t.Errorf("outcome %+v, want nothing recorded and why", o)
		}
		if got := team(); len(got) != 0 {
			t.Errorf("a second send mailed %q to the team", subjects(got))
		}
		confirmationSays(t, "you sent this agenda on Mon 7 Dec 08:05 already (items 2, 4 to Ana Silva, Priya Natarajan), so nothing more was sent")
	})
	t.Run("next week's brief waits for next Monday 08:00", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		advance(t, srv, 7*24*time.Hour-10*time.Minute) // Monday 14 Dec 07:55: next week's brief not yet
		for _, e := range emailsTo(t, managerEmail) {
			if strings.HasPrefix(e.Subject, "Your brief") {
				t.Errorf("another brief: %q", e.Subject)
			}
		}
	})
}
