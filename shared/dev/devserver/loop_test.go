package devserver_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/events/synth"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

const replyDomain = "reply.acme-support.example"

// startLoop starts a dev server with a local inbox, its clock at start.
func startLoop(t *testing.T, start time.Time) (*devserver.Server, chan app.Outcome) {
	t.Helper()
	return startLoopLogging(t, start, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

var tokenKey = care.Secret("test-reply-token-key-0123456789")

func startLoopLogging(t *testing.T, start time.Time, log *slog.Logger) (*devserver.Server, chan app.Outcome) {
	t.Helper()
	return startLoopWith(t, start, log, nil)
}

// startLoopWith starts the loop with the demo team as change makes it.
func startLoopWith(t *testing.T, start time.Time, log *slog.Logger, change func(*care.Team)) (*devserver.Server, chan app.Outcome) {
	t.Helper()
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&team)
	}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	outcomes := make(chan app.Outcome, 16)
	srv, err := devserver.Start(ctx, devserver.Config{
		Addr: "127.0.0.1:0", DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS: dynamotest.LocalConfig(), Table: table, Teams: []care.Team{team}, Secret: secret,
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: localsched.FixedClock(start),
		Log:      log,
		SMTPAddr: "127.0.0.1:0", ReplyDomain: replyDomain, TokenKey: tokenKey,
		Received: func(o app.Outcome) { outcomes <- o },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	return srv, outcomes
}

// mailTo sends a raw message to the local inbox and waits for its outcome.
func mailTo(t *testing.T, srv *devserver.Server, outcomes chan app.Outcome, from, to string, raw []byte) app.Outcome {
	t.Helper()
	c, err := smtp.Dial(srv.SMTPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail(from); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(to); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case o := <-outcomes:
		return o
	case <-time.After(30 * time.Second):
		t.Fatal("the inbox did not answer")
	}
	return app.Outcome{}
}

func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
	_ = w.Close()
	return b.String()
}

func quote(text string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		out = append(out, strings.TrimRight("> "+l, " "))
	}
	return strings.Join(out, "\n")
}

// reply builds a reply the way a mail client would, quoting the original.
func reply(client, from, to, subject, msgID, words string, original emulators.SentEmail) []byte {
	var text, html string
	switch client {
	case "gmail":
		text = words + "\n\nOn Mon, 30 Nov 2026 at 08:00, carecoach <carecoach@acme-support.example> wrote:\n\n" + quote(original.Text) + "\n"
		html = "<div dir=\"ltr\">" + strings.ReplaceAll(words, "\n", "<br>") + "</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Mon, 30 Nov 2026 at 08:00, carecoach &lt;carecoach@acme-support.example&gt; wrote:<br></div><blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">" + original.HTML + "</blockquote></div>"
	case "outlook":
		text = words + "\n\nKind regards,\nJordan Reyes\nTeam Lead\n\n________________________________\nFrom: carecoach <carecoach@acme-support.example>\nSent: Monday, November 30, 2026 8:00 AM\nTo: Jordan Reyes <jordan.reyes@acme-support.example>\nSubject: " + original.Subject + "\n\n" + original.Text
		html = "<html><body><div>" + strings.ReplaceAll(words, "\n", "<br>") + "</div><div>Kind regards,<br>Jordan Reyes<br>Team Lead</div><hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\"><b>From:</b> carecoach<br><b>Sent:</b> Monday, November 30, 2026 8:00 AM</div>" + original.HTML + "</body></html>"
	case "apple":
		text = words + "\n\nSent from my iPhone\n\n> On 30 Nov 2026, at 08:00, carecoach <carecoach@acme-support.example> wrote:\n> \n" + quote(original.Text) + "\n"
		html = "<html><body dir=\"auto\">" + strings.ReplaceAll(words, "\n", "<br>") + "<br><br><div>Sent from my iPhone</div><blockquote type=\"cite\">On 30 Nov 2026, at 08:00, carecoach wrote:<br>" + original.HTML + "</blockquote></body></html>"
	}
	boundary := "000000000000" + strings.ReplaceAll(msgID, "@", "")[:12]
	return []byte(strings.Join([]string{
		"From: Jordan Reyes <" + from + ">",
		"To: carecoach <" + to + ">",
		"Subject: Re: " + subject,
		"Date: Mon, 30 Nov 2026 08:30:00 +0000",
		"Message-ID: <" + msgID + ">",
		"In-Reply-To: <ses-original@email.amazonses.com>",
		"MIME-Version: 1.0",
		"Content-Type: multipart/alternative; boundary=\"" + boundary + "\"",
		"",
		"--" + boundary,
		"Content-Type: text/plain; charset=\"UTF-8\"",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		qp(text),
		"--" + boundary,
		"Content-Type: text/html; charset=\"UTF-8\"",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		qp(html),
		"--" + boundary + "--",
		"",
	}, "\r\n"))
}

func TestTheManagerLoop(t *testing.T) {
	// A synthetic week for Ana (1001) and Jordan (1002), Mon 23 to Sun 29 Nov.
	week, err := synth.Week(synth.Options{Seed: 3, Agents: 2, Events: 160, Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), FirstAgentID: 1001})
	if err != nil {
		t.Fatal(err)
	}
	srv, outcomes := startLoop(t, time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC))
	for _, d := range week {
		post(t, srv, d.Body)
	}
	advance(t, srv, 9*time.Hour) // Monday 30 Nov 08:00 London: the digest
	var digest emulators.SentEmail
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Your team this week") {
			digest = e
		}
	}
	if digest.Subject == "" {
		t.Fatalf("no digest for Jordan; he got %q", subjects(emailsTo(t, managerEmail)))
	}
	for _, want := range []string{"1. ", "2. ", care.ReplyMarker, "Ana Silva", "#4000"} {
		if !strings.Contains(digest.Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, digest.Text)
		}
	}
	if len(digest.ReplyTo) != 1 || !strings.HasPrefix(digest.ReplyTo[0], "reply+") || !strings.HasSuffix(digest.ReplyTo[0], "@"+replyDomain) {
		t.Fatalf("digest Reply-To %v, want a reply+token address", digest.ReplyTo)
	}
	replyTo := digest.ReplyTo[0]
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}

	words := "1: Brilliant <b>work</b> on this one & thank you! share\n2: reward: lunch on me <script>alert(1)</script>"
	for i, client := range []string{"gmail", "outlook", "apple"} {
		t.Run(client, func(t *testing.T) {
			if err := stack.ClearEmails(ctx); err != nil {
				t.Fatal(err)
			}
			msgID := fmt.Sprintf("CA%d+reply-%s@mail.example.com", i, client)
			o := mailTo(t, srv, outcomes, managerEmail, replyTo, reply(client, managerEmail, replyTo, digest.Subject, msgID, words, digest))
			if !o.Accepted || o.Recorded != 2 {
				t.Fatalf("outcome %+v, want accepted with 2 feedback records", o)
			}
			feedback := emailsTo(t, agentEmail)
			team := emailsTo(t, "priya@acme-support.example")
			conf := emailsTo(t, managerEmail)
			if len(feedback) < 1 || len(team) != 1 || len(conf) < 1 {
				t.Fatalf("Ana got %q, the team %q, Jordan %q", subjects(feedback), subjects(team), subjects(conf))
			}
			// Lines only the digest had: if any shows up, quoted text leaked.
			var digestLines []string
			for _, l := range strings.Split(digest.Text, "\n") {
				if l = strings.TrimSpace(l); len(l) > 30 && l != care.ReplyMarker && !strings.Contains(l, "Reply with one line") && !strings.HasPrefix(l, "Sent by") {
					digestLines = append(digestLines, l)
				}
			}
			if len(digestLines) < 3 {
				t.Fatalf("the digest has too few lines to check against:\n%s", digest.Text)
			}
			for _, e := range append(append(feedback, team...), conf...) {
				for _, quoted := range append([]string{"wrote:", "Original Message", "From: carecoach", "Sent from my iPhone", "Kind regards", "Team Lead", care.ReplyMarker + "\n>"}, digestLines[:3]...) {
					if strings.Contains(e.Text, quoted) {
						t.Errorf("%q carries quoted text %q:\n%s", e.Subject, quoted, e.Text)
					}
				}
				if strings.Contains(e.HTML, "<script>") || strings.Contains(e.HTML, "<b>work</b>") {
					t.Errorf("%q does not escape the manager's words:\n%s", e.Subject, e.HTML)
				}
			}
			if !strings.Contains(team[0].Text, "Brilliant <b>work</b> on this one & thank you!") || !strings.Contains(team[0].HTML, "Brilliant &lt;b&gt;work&lt;/b&gt;") {
				t.Errorf("the recognition email lacks the manager's words:\n%s", team[0].Text)
			}
		})
	}
	fb := dynamotest.MemberFeedback(t, srv.Store, "support", agentEmail, srv.Clock.Now())
	if len(fb) < 3 {
		t.Errorf("Ana has %d feedback records, want one per reply at least", len(fb))
	}
}

func TestLogsNeverHoldASecret(t *testing.T) {
	var logs bytes.Buffer
	srv, outcomes := startLoopLogging(t, time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	post(t, srv, answeredAndSolved(t)...)
	send(t, srv, "zendesk-ticket-comment-added-customer", []byte("a-wrong-secret")) // refused: logged
	post(t, srv, event(t, "zendesk-ticket-csat-received", map[string]any{"id": "bad", "event.satisfaction_score.score": "BAD", "time": at(0, 7, 30)}))
	advance(t, srv, 2*time.Hour) // the alert goes out; the digest at 08:00 too
	var alert emulators.SentEmail
	for _, e := range emailsTo(t, managerEmail) {
		if strings.Contains(e.Subject, "Bad rating") {
			alert = e
		}
	}
	if len(alert.ReplyTo) != 1 {
		t.Fatalf("no answerable alert: %q", subjects(emailsTo(t, managerEmail)))
	}
	o := mailTo(t, srv, outcomes, managerEmail, alert.ReplyTo[0], reply("gmail", managerEmail, alert.ReplyTo[0], alert.Subject, "CAsecret-check@mail.example.com", "Let's talk today.", alert))
	if !o.Accepted {
		t.Fatalf("reply to the alert refused: %+v", o)
	}
	if logs.Len() == 0 {
		t.Fatal("nothing was logged")
	}
	for name, secret := range map[string]string{"webhook secret": string(secret), "reply-token key": string(tokenKey)} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the logs contain the %s", name)
		}
	}
}
