package devserver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

// checkBackEmail is the latest check-back Jordan got; it fails the test
// when there is none.
func checkBackEmail(t *testing.T) emulators.SentEmail {
	t.Helper()
	var found emulators.SentEmail
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Check back with") {
			found = e
		}
	}
	if found.Subject == "" || len(found.ReplyTo) != 1 {
		t.Fatalf("no answerable check-back for Jordan; he got %q", subjects(emailsTo(t, managerEmail)))
	}
	return found
}

func checkBacks(t *testing.T, srv *devserver.Server) []care.CheckBack {
	t.Helper()
	got, err := srv.Store.TeamCheckBacks(ctx, "support", time.Time{}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func confirmationSays(t *testing.T, want string) {
	t.Helper()
	for _, e := range emailsTo(t, managerEmail) {
		if strings.Contains(e.Text, want) {
			return
		}
	}
	t.Errorf("no confirmation to Jordan says %q; he got %q", want, subjects(emailsTo(t, managerEmail)))
}

// Jordan answers Monday's bad-rating alert with words for Ana. Three
// business days later (Thursday 09:00 London) carecoach asks him whether
// he checked back; he puts it off two business days ("later 2d"), is asked
// again on Monday, and replies "done" with a note that reaches Ana.
func TestCheckBackAfterCoaching(t *testing.T) {
	srv, outcomes := startLoop(t, time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)) // Monday 30 Nov
	post(t, srv, answeredAndSolved(t)...)
	post(t, srv, event(t, "zendesk-ticket-csat-received", map[string]any{"id": "bad", "event.satisfaction_score.score": "BAD", "time": at(0, 7, 30)}))
	advance(t, srv, 2*time.Hour)
	var alert emulators.SentEmail
	for _, e := range emailsTo(t, managerEmail) {
		if strings.Contains(e.Subject, "Bad rating") {
			alert = e
		}
	}
	if len(alert.ReplyTo) != 1 {
		t.Fatalf("no answerable alert: %q", subjects(emailsTo(t, managerEmail)))
	}
	coaching := "Let's call Maria <b>together</b> & see what went wrong."
	if o := mailTo(t, srv, outcomes, managerEmail, alert.ReplyTo[0], reply("gmail", managerEmail, alert.ReplyTo[0], alert.Subject, "CAcb-alert@mail.example.com", coaching, alert)); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("reply to the alert: %+v", o)
	}
	confirmationSays(t, "carecoach asks you on Thu 3 Dec whether it worked")
	if cbs := checkBacks(t, srv); len(cbs) != 1 || cbs[0].Status != care.CheckBackPending || cbs[0].Said != coaching || cbs[0].Source != care.AlertPrompt {
		t.Fatalf("check-backs %+v, want one pending with Jordan's words", cbs)
	}

	_ = stack.ClearEmails(ctx)
	advance(t, srv, 71*time.Hour+50*time.Minute) // Thursday 08:50: not yet
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Check back") {
			t.Fatalf("check-back before Thursday 09:00: %q", e.Subject)
		}
	}
	advance(t, srv, 15*time.Minute) // Thursday 09:05
	first := checkBackEmail(t)
	for _, want := range []string{"ticket #5158", coaching, "Did it feel like our solution worked?", `Reply "done"`, care.ReplyMarker} {
		if !strings.Contains(first.Text, want) {
			t.Errorf("the check-back lacks %q:\n%s", want, first.Text)
		}
	}
	if strings.Contains(first.HTML, "<b>together</b>") {
		t.Error("the check-back does not escape Jordan's words")
	}

	t.Run("something else is explained and changes nothing", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		o := mailTo(t, srv, outcomes, managerEmail, first.ReplyTo[0], reply("outlook", managerEmail, first.ReplyTo[0], first.Subject, "CAcb-maybe@mail.example.com", "maybe next week", first))
		if !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
			t.Fatalf("outcome %+v, want accepted, nothing recorded, one problem", o)
		}
		confirmationSays(t, `reply "done" once you have checked back`)
		if cbs := checkBacks(t, srv); cbs[0].Round != 0 || cbs[0].Status != care.CheckBackPending {
			t.Errorf("changed by a reply not understood: %+v", cbs[0])
		}
	})
	t.Run("later 2d asks again two business days later, once", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		o := mailTo(t, srv, outcomes, managerEmail, first.ReplyTo[0], reply("apple", managerEmail, first.ReplyTo[0], first.Subject, "CAcb-later@mail.example.com", "later 2d", first))
		if !o.Accepted || o.Recorded != 1 {
			t.Fatalf("outcome %+v, want later recorded", o)
		}
		confirmationSays(t, "carecoach asks you again on Mon 7 Dec 09:00")
		again := mailTo(t, srv, outcomes, managerEmail, first.ReplyTo[0], reply("gmail", managerEmail, first.ReplyTo[0], first.Subject, "CAcb-later-again@mail.example.com", "later 5d", first))
		if again.Recorded != 0 || again.Problems != 1 {
			t.Errorf("a second later to the same email: %+v, want nothing recorded and why", again)
		}
		if cbs := checkBacks(t, srv); cbs[0].Round != 1 || !cbs[0].DueAt.Equal(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("after later: %+v, want round 1 due Mon 7 Dec 09:00", cbs[0])
		}
	})

	_ = stack.ClearEmails(ctx)
	advance(t, srv, 24*time.Hour) // Friday 09:05: nothing
	if got := emailsTo(t, managerEmail); len(got) != 0 {
		t.Fatalf("Jordan got %q on Friday, want nothing", subjects(got))
	}
	advance(t, srv, 72*time.Hour) // Monday 7 Dec 09:05
	second := checkBackEmail(t)
	digestSays(t, "Waiting for you to check back:\n- Ana Silva, ticket #5158 (you asked to be reminded on Mon 7 Dec)", "Follow-through: 0 of 1 check-back done")
	bctx := browser(t)
	t.Run("the dashboard shows the check-back waiting", func(t *testing.T) {
		wantCheckBackRow(t, checkBacksOnTheDashboard(t, bctx, srv), "Jordan Reyes", "1", "0", "1", "0%")
	})
	if second.ReplyTo[0] == first.ReplyTo[0] || !strings.Contains(second.Text, "As you asked, a reminder") {
		t.Fatalf("the second check-back is not a new reminder:\n%s", second.Text)
	}

	note := "Thanks for calling Maria <b>back</b> & owning it!"
	done := reply("gmail", managerEmail, second.ReplyTo[0], second.Subject, "CAcb-done@mail.example.com", "done\n"+note, second)
	t.Run("done with a note reaches Ana as a thank-you and is recorded", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := mailTo(t, srv, outcomes, managerEmail, second.ReplyTo[0], done); !o.Accepted || o.Recorded != 1 {
			t.Fatalf("outcome %+v, want done recorded", o)
		}
		thanks := emailsTo(t, agentEmail)
		if len(thanks) != 1 || !strings.Contains(thanks[0].Subject, "Jordan Reyes checked back on ticket #5158") ||
			!strings.Contains(thanks[0].Text, note) || !strings.Contains(thanks[0].HTML, "Maria &lt;b&gt;back&lt;/b&gt; &amp; owning") {
			t.Fatalf("Ana got %q, want Jordan's note, escaped", subjects(thanks))
		}
		if strings.Contains(thanks[0].Text, "wrote:") || strings.Contains(thanks[0].Text, care.ReplyMarker) {
			t.Errorf("the thank-you carries quoted text:\n%s", thanks[0].Text)
		}
		confirmationSays(t, "done; your note went to Ana Silva")
		if cbs := checkBacks(t, srv); cbs[0].Status != care.CheckBackDone || cbs[0].Note != note {
			t.Errorf("after done: %+v", cbs[0])
		}
	})
	t.Run("the same reply again is refused as a replay", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := mailTo(t, srv, outcomes, managerEmail, second.ReplyTo[0], done); o.Accepted || !strings.Contains(o.Reason, "replayed") {
			t.Errorf("outcome %+v, want refused as replayed", o)
		}
		if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
			t.Errorf("a replay sent %d emails", len(sent))
		}
	})
	t.Run("another done, or a later to the first email, changes nothing and says why", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		for i, r := range [][]byte{
			reply("gmail", managerEmail, second.ReplyTo[0], second.Subject, "CAcb-done-2@mail.example.com", "done Thanks again!", second),
			reply("gmail", managerEmail, first.ReplyTo[0], first.Subject, "CAcb-later-3@mail.example.com", "later 1w", first),
		} {
			if o := mailTo(t, srv, outcomes, managerEmail, first.ReplyTo[0], r); !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
				t.Errorf("reply %d: %+v, want nothing recorded and why", i, o)
			}
		}
		if got := emailsTo(t, agentEmail); len(got) != 0 {
			t.Errorf("Ana got %q, want no second thank-you", subjects(got))
		}
		confirmationSays(t, "you marked this check-back done on Mon 7 Dec already, so nothing changed")
		if cbs := checkBacks(t, srv); cbs[0].Status != care.CheckBackDone || cbs[0].Round != 1 || cbs[0].Note != note {
			t.Errorf("changed by a duplicate: %+v", cbs[0])
		}
	})
	_ = stack.ClearEmails(ctx)
	advance(t, srv, 7*24*time.Hour) // Monday 14 Dec 09:05: the digest went at 08:00
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Check back") {
			t.Errorf("a check-back done was sent again: %q", e.Subject)
		}
	}
	digestSays(t, "Done this week:\n- Ana Silva, ticket #5158 (Mon 7 Dec): “"+note+"”", "Follow-through: 1 of 1 check-back done in the last 8 weeks (100%).")
	t.Run("the dashboard shows the check-back done", func(t *testing.T) {
		wantCheckBackRow(t, checkBacksOnTheDashboard(t, bctx, srv), "Jordan Reyes", "1", "1", "0", "100%")
	})
}

// digestSays checks Jordan's latest digest.
func digestSays(t *testing.T, want ...string) {
	t.Helper()
	var digest emulators.SentEmail
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Your team this week") {
			digest = e
		}
	}
	for _, w := range want {
		if !strings.Contains(digest.Text, w) {
			t.Errorf("the digest lacks %q:\n%s", w, digest.Text)
		}
	}
}
