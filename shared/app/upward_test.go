package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/wire"
)

const priya = "priya@acme-support.example"

// failingThanks is a mailer that refuses the n-th thank-you from a
// manager and sends everything else.
type failingThanks struct {
	next app.Mailer
	n    int
}

func (f *failingThanks) Send(ctx context.Context, e care.Email) (string, error) {
	if strings.Contains(e.Subject, "thanks the team") {
		if f.n--; f.n == 0 {
			return "", errors.New("SES throttled")
		}
	}
	return f.next.Send(ctx, e)
}

// upwardRig is the demo team (Ana and Priya report to Jordan, Jordan to
// Sam) with the upward job and the inbound service, on a movable clock.
type upwardRig struct {
	inboundRig
	upward *app.Upward
	mail   wire.Mail
}

func newUpwardRig(t *testing.T) *upwardRig {
	t.Helper()
	r := &upwardRig{inboundRig: *newInboundRig(t)}
	r.mail = wire.Mail{Mailer: sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach@acme-support.example", ""),
		From: "carecoach@acme-support.example", Keys: tokenKey, ReplyDomain: domain}
	var err error
	base := wire.Base{Now: func() time.Time { return r.now }, Log: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))}
	if r.upward, err = wire.Upward(base, r.store, r.mail); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *upwardRig) run(t *testing.T, at time.Time) {
	t.Helper()
	r.now = at
	if err := r.upward.Run(ctx, "support"); err != nil {
		t.Fatal(err)
	}
}

func subjectsOf(t *testing.T) []string {
	t.Helper()
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range sent {
		out = append(out, strings.Join(e.To, ",")+": "+e.Subject)
	}
	return out
}

func TestTheUpwardJobAsksOnceAndShowsResultsOnceAndOtherwiseDoesNothing(t *testing.T) {
	r := newUpwardRig(t)
	first := time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC) // London is UTC in December
	r.run(t, first)
	r.run(t, first.Add(time.Minute)) // a retried job
	if got := subjectsOf(t); len(got) != 3 || strings.Count(strings.Join(got, "\n"), "One question about the support you get from") != 3 {
		t.Fatalf("sent %q, want Ana's, Priya's and Jordan's question once each", got)
	}
	_ = stack.ClearEmails(ctx)
	r.run(t, first.Add(14*24*time.Hour)) // the third Friday
	r.run(t, first.Add(-24*time.Hour))   // a Thursday
	if got := subjectsOf(t); len(got) != 0 {
		t.Fatalf("sent %q in a week without a step", got)
	}
	r.run(t, first.Add(7*24*time.Hour))
	r.run(t, first.Add(7*24*time.Hour+time.Minute))
	got := subjectsOf(t)
	if len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), jordan+": How your team sees your support: December 2026") ||
		!strings.Contains(strings.Join(got, "\n"), "sam.okafor@acme-support.example: How your team sees your support: December 2026") {
		t.Fatalf("sent %q, want Jordan's and Sam's results once each", got)
	}
	team, _ := r.store.Team(ctx, "support")
	team.Upward.Off = true
	if err := r.store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	_ = stack.ClearEmails(ctx)
	r.run(t, time.Date(2027, 1, 1, 14, 0, 0, 0, time.UTC))
	if got := subjectsOf(t); len(got) != 0 {
		t.Errorf("a team with upwardFeedback off was sent %q", got)
	}
}

// Jordan's thank-you reaches Ana, then SES refuses Priya's: the claim is
// released, so the retried reply sends the thanks again (Ana gets hers a
// second time: the emails are not one transaction) and Priya gets hers.
func TestThanksNotAllSentAreSentAgainWhenTheReplyIsRetried(t *testing.T) {
	r := newUpwardRig(t)
	r.run(t, time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC))
	r.run(t, time.Date(2026, 12, 11, 14, 0, 0, 0, time.UTC))
	results := sentTo(t, jordan)
	if len(results) == 0 || len(results[len(results)-1].ReplyTo) != 1 {
		t.Fatalf("Jordan got %d emails, want his results", len(results))
	}
	replyTo := results[len(results)-1].ReplyTo[0]
	_ = stack.ClearEmails(ctx)
	raw := rawReply(jordan, replyTo, "thanks-1@acme-support.example", "Thank you both!")
	flaky, err := wire.Inbound(wire.Base{Now: func() time.Time { return r.now }, Log: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))}, r.store,
		wire.Mail{Mailer: &failingThanks{next: r.mail.Mailer, n: 2}, From: r.mail.From, Keys: tokenKey, ReplyDomain: domain}, mimemail.ReadInbound)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := flaky.Receive(ctx, bytes.NewReader(raw), passing); err == nil {
		t.Fatal("the reply whose thanks failed was not an error: it would not be retried")
	}
	o, err := r.inbound.Receive(ctx, bytes.NewReader(raw), passing)
	if err != nil || !o.Accepted || o.Recorded != 1 {
		t.Fatalf("the retry: %+v, %v", o, err)
	}
	if a, p := len(sentTo(t, ana)), len(sentTo(t, priya)); a != 2 || p != 1 {
		t.Errorf("Ana got %d thanks and Priya %d, want 2 and 1", a, p)
	}
	again, err := r.inbound.Receive(ctx, bytes.NewReader(rawReply(jordan, replyTo, "thanks-2@acme-support.example", "Thanks again")), passing)
	if err != nil || again.Recorded != 0 || again.Problems != 1 || len(sentTo(t, priya)) != 1 {
		t.Errorf("a second thank-you: %+v, %v; want nothing sent", again, err)
	}
}

// An answer about one's manager is anonymous in the log too: the accepted
// reply is logged without who sent it or which question it answered.
func TestAnUpwardAnswerIsLoggedWithoutItsSender(t *testing.T) {
	r := newUpwardRig(t)
	r.run(t, time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC))
	questions := sentTo(t, ana)
	if len(questions) == 0 || len(questions[len(questions)-1].ReplyTo) != 1 {
		t.Fatalf("Ana got %d emails, want her question", len(questions))
	}
	replyTo := questions[len(questions)-1].ReplyTo[0]
	r.logs.Reset()
	o, err := r.inbound.Receive(ctx, bytes.NewReader(rawReply(ana, replyTo, "upward-log-1@acme-support.example", "4 Jordan always makes time.")), passing)
	if err != nil || !o.Accepted || o.Recorded != 1 {
		t.Fatalf("Ana's answer: %+v, %v", o, err)
	}
	token, _, _ := strings.Cut(strings.TrimPrefix(replyTo, "reply+"), ".")
	if logs := r.logs.String(); !strings.Contains(logs, "reply accepted") || strings.Contains(logs, ana) || strings.Contains(logs, token) {
		t.Errorf("the log names the answer's sender or question:\n%s", logs)
	}
}
