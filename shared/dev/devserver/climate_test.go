package devserver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

func plain(from, to, subject, msgID, body string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + msgID + ">\r\n" +
		"Date: Fri, 27 Nov 2026 16:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

func TestTheWeeklyClimateQuestionAndItsAnswersInTheDigest(t *testing.T) {
	// Friday 27 Nov 14:00 London; the question goes at 15:00.
	srv, outcomes := startLoop(t, time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC))
	advance(t, srv, 90*time.Minute)
	var climate emulators.SentEmail
	for _, e := range emailsTo(t, agentEmail) {
		if strings.Contains(e.Subject, "question for the week") {
			climate = e
		}
	}
	if climate.Subject == "" || len(climate.ReplyTo) != 1 {
		t.Fatalf("Ana got %q, want the weekly question with a Reply-To", subjects(emailsTo(t, agentEmail)))
	}
	if got := emailsTo(t, "priya@acme-support.example"); len(got) != 1 {
		t.Errorf("Priya got %d questions, want 1", len(got))
	}
	for _, e := range emailsTo(t, managerEmail) {
		if strings.Contains(e.Subject, "question for the week") {
			t.Errorf("the manager was asked the agents' question")
		}
	}
	answer := "Helping Tom get his refund <b>sorted</b> & hearing him relieved."
	o := mailTo(t, srv, outcomes, agentEmail, climate.ReplyTo[0], reply("gmail", agentEmail, climate.ReplyTo[0], climate.Subject, "CAclimate-1@mail.example.com", answer, climate))
	if !o.Accepted || o.Recorded != 1 {
		t.Fatalf("answer outcome %+v, want recorded", o)
	}
	advance(t, srv, 65*time.Hour) // Monday 30 Nov 08:30: the digest went at 08:00
	var digest emulators.SentEmail
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Your team this week") {
			digest = e
		}
	}
	if !strings.Contains(digest.Text, answer) || !strings.Contains(digest.Text, "Ana Silva") || !strings.Contains(digest.HTML, "&lt;b&gt;sorted&lt;/b&gt;") {
		t.Errorf("the digest lacks Ana's climate answer, escaped:\n%s", digest.Text)
	}
	if strings.Contains(digest.Text, "wrote:") {
		t.Errorf("the answer carried quoted text:\n%s", digest.Text)
	}
}

func TestKudosFromATeammate(t *testing.T) {
	srv, outcomes := startLoop(t, time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC))
	priya := "priya@acme-support.example"
	kudos := "kudos@" + replyDomain
	t.Run("kudos naming a teammate reach them and are recorded apart from manager feedback", func(t *testing.T) {
		o := mailTo(t, srv, outcomes, priya, kudos, plain("Priya Natarajan <"+priya+">", kudos, "kudos", "kudos-1@mail.example.com",
			"kudos @ana for staying late to help Tom with his <b>refund</b> & calming him down"))
		if !o.Accepted || o.Recorded != 1 {
			t.Fatalf("outcome %+v, want one kudos recorded", o)
		}
		got := emailsTo(t, agentEmail)
		if len(got) != 1 || !strings.Contains(got[0].Subject, "Priya Natarajan") || !strings.Contains(got[0].Text, "staying late to help Tom") || strings.Contains(got[0].HTML, "<b>refund</b>") {
			t.Errorf("Ana got %q, want Priya's kudos with her words, escaped", subjects(got))
		}
		if receipt := emailsTo(t, priya); len(receipt) != 1 || !strings.Contains(receipt[0].Text, "Ana Silva") {
			t.Errorf("Priya got %q, want a receipt naming Ana", subjects(receipt))
		}
		fb := dynamotest.MemberFeedback(t, srv.Store, "support", agentEmail, srv.Clock.Now())
		if len(fb) != 1 || !fb[0].Peer || fb[0].From != priya {
			t.Errorf("feedback %+v, want one peer record from Priya", fb)
		}
	})
	t.Run("kudos naming nobody are explained, not recorded", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		o := mailTo(t, srv, outcomes, priya, kudos, plain(priya, kudos, "kudos", "kudos-2@mail.example.com", "kudos for being great"))
		if !o.Accepted || o.Recorded != 0 {
			t.Fatalf("outcome %+v, want accepted with nothing recorded", o)
		}
		if receipt := emailsTo(t, priya); len(receipt) != 1 || !strings.Contains(receipt[0].Text, "@") {
			t.Errorf("Priya got %q, want an explanation of how to name a teammate", subjects(receipt))
		}
	})
	t.Run("kudos from a stranger are refused", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		o := mailTo(t, srv, outcomes, "someone@elsewhere.example", kudos, plain("someone@elsewhere.example", kudos, "kudos", "kudos-3@mail.example.com", "kudos @ana for nothing"))
		if o.Accepted || !strings.Contains(o.Reason, "not a team member") {
			t.Errorf("outcome %+v, want refused", o)
		}
		if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
			t.Errorf("sent %d emails for a stranger's kudos", len(sent))
		}
	})
}
