package devserver_test

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

const concernWords = "I would like to refund orders under £50 <b>myself</b> & skip the queue."

// raiseConcern plays Friday 27 Nov to Monday 30 Nov: Ana answers the
// climate question with a problem, and Monday's digest numbers her answer
// so that Jordan can answer it. It returns the digest and that number.
func raiseConcern(t *testing.T, change func(*care.Team)) (*devserver.Server, chan app.Outcome, emulators.SentEmail, string) {
	t.Helper()
	srv, outcomes := startLoopWith(t, time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC), slog.New(slog.NewTextHandler(io.Discard, nil)), change)
	advance(t, srv, 90*time.Minute) // the question went at 15:00
	question := latest(t, agentEmail, "question for the week")
	if o := mailTo(t, srv, outcomes, agentEmail, question.ReplyTo[0], reply("gmail", agentEmail, question.ReplyTo[0], question.Subject, "concern-1@mail.example.com", concernWords, question)); !o.Accepted {
		t.Fatalf("Ana's answer: %+v", o)
	}
	advance(t, srv, 65*time.Hour) // Monday 30 Nov 08:30: the digest went at 08:00
	digest := latest(t, managerEmail, "Your team this week")
	m := regexp.MustCompile(`(?m)^- (\d+)\. “I would like to refund`).FindStringSubmatch(digest.Text)
	if m == nil || !strings.Contains(digest.Text, "Answer one by its number") {
		t.Fatalf("the digest does not number Ana's answer or say how to answer it:\n%s", digest.Text)
	}
	return srv, outcomes, digest, m[1]
}

// Ana says in the climate question what she cannot do for customers.
// Jordan answers her from Monday's digest: his words reach her, and on
// Thursday carecoach asks him whether it is solved. His "done" note
// reaches her too, and the next digest counts the check-back.
func TestAProblemRaisedInTheClimateQuestionIsAnsweredAndCheckedBack(t *testing.T) {
	srv, outcomes, digest, n := raiseConcern(t, nil)
	_ = stack.ClearEmails(ctx)
	words := "Good point: I will ask Finance for a refund limit & tell you Friday."
	o := mailTo(t, srv, outcomes, managerEmail, digest.ReplyTo[0], reply("outlook", managerEmail, digest.ReplyTo[0], digest.Subject, "concern-answer-1@mail.example.com", n+": "+words, digest))
	if !o.Accepted || o.Recorded != 1 || o.Problems != 0 {
		t.Fatalf("Jordan's answer: %+v", o)
	}
	toAna := latest(t, agentEmail, "Jordan Reyes answered what you raised")
	if !strings.Contains(toAna.Text, words) || !strings.Contains(toAna.HTML, "&lt;b&gt;myself&lt;/b&gt;") || len(toAna.ReplyTo) != 1 || toAna.ReplyTo[0] != managerEmail {
		t.Errorf("Ana's email (reply-to %v):\n%s", toAna.ReplyTo, toAna.Text)
	}
	confirmationSays(t, "Your answer to “I would like to refund orders under £50 <b>myself</b> & skip the queue.”: sent to Ana Silva; carecoach asks you on Thu 3 Dec whether it is solved")

	advance(t, srv, 73*time.Hour) // Thursday 3 Dec 09:30: the check-back went at 09:00
	cb := latest(t, managerEmail, "Check back with Ana Silva on what they raised")
	if !strings.Contains(cb.Text, "Is it solved?") || !strings.Contains(cb.Text, words) || !strings.Contains(cb.Text, "Is anything still in the way?") {
		t.Errorf("the check-back:\n%s", cb.Text)
	}
	_ = stack.ClearEmails(ctx)
	note := "Finance agreed: refunds under £50 are yours from Monday."
	done := reply("gmail", managerEmail, cb.ReplyTo[0], cb.Subject, "concern-done-1@mail.example.com", "done "+note, cb)
	if o := mailTo(t, srv, outcomes, managerEmail, cb.ReplyTo[0], done); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("done: %+v", o)
	}
	thanks := latest(t, agentEmail, "Jordan Reyes checked back on what you raised")
	if !strings.Contains(thanks.Text, note) {
		t.Errorf("Ana's note:\n%s", thanks.Text)
	}
	confirmationSays(t, "Check-back on what Ana Silva raised: done; your note went to Ana Silva")
	var found *care.CheckBack
	for _, c := range checkBacks(t, srv) {
		if c.Concern != nil {
			found = &c
		}
	}
	if found == nil || found.Status != care.CheckBackDone || found.Note != note || found.Source != care.ClimatePrompt {
		t.Fatalf("stored check-back %+v, want the concern done with the note", found)
	}

	t.Run("a second done changes nothing and says so", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		again := reply("apple", managerEmail, cb.ReplyTo[0], cb.Subject, "concern-done-2@mail.example.com", "done again", cb)
		if o := mailTo(t, srv, outcomes, managerEmail, cb.ReplyTo[0], again); o.Recorded != 0 || o.Problems != 1 {
			t.Errorf("outcome %+v", o)
		}
		if n := len(emailsTo(t, agentEmail)); n != 0 {
			t.Errorf("Ana got %d more emails", n)
		}
	})

	advance(t, srv, 4*24*time.Hour) // Monday 7 Dec 09:30
	digestSays(t, "CHECKING BACK", "Ana Silva, what they raised (Thu 3 Dec): “"+note+"”")
}

// On a team whose climate answers are anonymous, Jordan answers an answer
// without learning who wrote it: carecoach passes his words on, and
// neither his confirmation nor the check-back names Ana.
func TestAnAnonymousProblemIsAnsweredWithoutNamingWhoRaisedIt(t *testing.T) {
	srv, outcomes, digest, n := raiseConcern(t, func(team *care.Team) { team.Climate.Anonymous = true })
	if !strings.Contains(digest.Text, "skip the queue.” — anonymous") {
		t.Fatalf("the anonymous digest names who answered:\n%s", digest.Text)
	}
	_ = stack.ClearEmails(ctx)
	raw := reply("gmail", managerEmail, digest.ReplyTo[0], digest.Subject, "anon-answer-1@mail.example.com", n+": Thank you for raising this, I am on it.", digest)
	if o := mailTo(t, srv, outcomes, managerEmail, digest.ReplyTo[0], raw); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("Jordan's answer: %+v", o)
	}
	toAna := latest(t, agentEmail, "Jordan Reyes answered what you raised")
	if len(toAna.ReplyTo) != 0 || !strings.Contains(toAna.Text, "without telling Jordan Reyes who wrote it") {
		t.Errorf("Ana's email (reply-to %v) does not keep her anonymous:\n%s", toAna.ReplyTo, toAna.Text)
	}
	confirmationSays(t, "sent to whoever wrote it (carecoach does not tell you who)")
	advance(t, srv, 73*time.Hour)
	cb := latest(t, managerEmail, "Check back on what your team raised")
	for _, e := range emailsTo(t, managerEmail) {
		if strings.Contains(e.Text+e.HTML+e.Subject, "Ana") {
			t.Errorf("an email to Jordan names Ana: %q", e.Subject)
		}
	}
	if !strings.Contains(cb.Text, "reaches whoever wrote it, without telling you who") {
		t.Errorf("the check-back:\n%s", cb.Text)
	}
}
