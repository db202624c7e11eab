package app_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/replytoken"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/wire"
)

const (
	jordan = "jordan.reyes@acme-support.example"
	ana    = "ana.silva@acme-support.example"
	domain = "reply.acme-support.example"
)

var (
	tokenKey = care.Secret("inbound-test-key-0123456789abcdef")
	sentAt   = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
)

type inboundRig struct {
	store   *dynamo.Store
	inbound *app.Inbound
	logs    *bytes.Buffer
	now     time.Time
	prompt  care.Prompt
	keys    *ring
}

// ring is the token keys as SSM gives them: none while it is down.
type ring struct{ down bool }

func (k *ring) TokenKeys() (current, previous care.Secret) {
	if k.down {
		return nil, nil
	}
	return tokenKey, nil
}

func newInboundRig(t *testing.T) *inboundRig {
	t.Helper()
	r := &inboundRig{logs: &bytes.Buffer{}, now: sentAt.Add(time.Hour), keys: &ring{}}
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, func() time.Time { return r.now })
	team, err := teamconfig.Load("../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	m := care.NewMoment(care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}, care.Respond, care.Praise, "zd-1")
	m.Team, m.AgentID, m.At, m.What, m.Subject = "support", "1001", sentAt.Add(-time.Hour), "Answered Maria Lopez within 12 minutes.", "Printer offline"
	r.prompt = care.Prompt{ID: "d-test0001", Team: "support", Kind: care.DigestPrompt, Recipient: jordan, SentAt: sentAt, ExpiresAt: sentAt.Add(30 * 24 * time.Hour),
		Items: []care.PromptItem{{N: 1, Moment: m, AgentEmail: ana, AgentName: "Ana Silva", TicketURL: "https://acme.zendesk.com/agent/tickets/5158"}}}
	if _, err := store.PutPrompt(ctx, r.prompt); err != nil {
		t.Fatal(err)
	}
	r.store = store
	r.inbound, err = wire.Inbound(wire.Base{Now: func() time.Time { return r.now }, Log: slog.New(slog.NewJSONHandler(r.logs, nil))}, store, wire.Mail{
		Mailer: sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach@acme-support.example", ""),
		From:   "carecoach@acme-support.example", Keys: r.keys, ReplyDomain: domain,
	}, mimemail.ReadInbound)
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *inboundRig) address(t *testing.T) string {
	token, err := replytoken.Sign(tokenKey, r.prompt.ID, r.prompt.Recipient, r.prompt.ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	return replytoken.Address(token, domain)
}

func rawReply(from, to, msgID, body string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: Re: Your team this week\r\nMessage-ID: <" + msgID + ">\r\n" +
		"Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

var passing = app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "PASS", Spam: "PASS", Virus: "PASS"}

func TestRepliesThatMustNotCount(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(r *inboundRig, addr *string, from *string, v *app.Verdicts)
		msgID    string
		replayed bool
		reason   string
	}{
		{"a reply from someone other than the prompt's recipient", func(_ *inboundRig, _ *string, from *string, _ *app.Verdicts) { *from = "mallory@evil.example" }, "m1", false, "sender is not the prompt's recipient"},
		{"a reply whose token was tampered with", func(_ *inboundRig, addr *string, _ *string, _ *app.Verdicts) {
			*addr = strings.Replace(*addr, ".", ".z", 1)
		}, "m2", false, "reply token signature does not match"},
		{"a reply after the token expired", func(r *inboundRig, _ *string, _ *string, _ *app.Verdicts) { r.now = sentAt.Add(31 * 24 * time.Hour) }, "m3", false, "reply token has expired"},
		{"a reply marked as spam", func(_ *inboundRig, _ *string, _ *string, v *app.Verdicts) { v.Spam = "FAIL" }, "m4", false, "spam verdict"},
		{"a reply carrying a virus", func(_ *inboundRig, _ *string, _ *string, v *app.Verdicts) { v.Virus = "FAIL" }, "m5", false, "virus verdict"},
		{"a reply whose sender nothing authenticates", func(_ *inboundRig, _ *string, _ *string, v *app.Verdicts) {
			*v = app.Verdicts{SPF: "FAIL", DKIM: "FAIL", DMARC: "GRAY", Spam: "PASS", Virus: "PASS"}
		}, "m6", false, "sender not authenticated"},
		{"a reply failing DMARC", func(_ *inboundRig, _ *string, _ *string, v *app.Verdicts) { v.DMARC = "FAIL" }, "m7", false, "dmarc failed"},
		{"a reply sent to some other address", func(_ *inboundRig, addr *string, _ *string, _ *app.Verdicts) { *addr = "hello@" + domain }, "m8", false, "not addressed to a reply address"},
		{"the same message delivered again", nil, "m9", true, "replayed Message-ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newInboundRig(t)
			addr, from, v := r.address(t), jordan, passing
			if tt.mutate != nil {
				tt.mutate(r, &addr, &from, &v)
			}
			raw := rawReply(from, addr, tt.msgID, "1: Great work!")
			if tt.replayed {
				if o, err := r.inbound.Receive(ctx, bytes.NewReader(raw), v); err != nil || !o.Accepted {
					t.Fatalf("first delivery: %+v %v, want accepted", o, err)
				}
				if err := stack.ClearEmails(ctx); err != nil {
					t.Fatal(err)
				}
			}
			before := dynamotest.MemberFeedback(t, r.store, "support", ana, r.now)
			o, err := r.inbound.Receive(ctx, bytes.NewReader(raw), v)
			if err != nil {
				t.Fatalf("a refusal is not an error to retry: %v", err)
			}
			if o.Accepted || !strings.Contains(o.Reason, tt.reason) {
				t.Errorf("outcome %+v, want refused because %q", o, tt.reason)
			}
			after := dynamotest.MemberFeedback(t, r.store, "support", ana, r.now)
			if len(after) != len(before) {
				t.Errorf("feedback went from %d to %d records, want nothing recorded", len(before), len(after))
			}
			if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
				t.Errorf("sent %d emails for a refused reply", len(sent))
			}
			if !strings.Contains(r.logs.String(), tt.reason) {
				t.Errorf("the reason %q is not in the log:\n%s", tt.reason, r.logs)
			}
		})
	}
}

func TestAnAuthenticReplyIsRecordedAndConfirmed(t *testing.T) {
	r := newInboundRig(t)
	o, err := r.inbound.Receive(ctx, bytes.NewReader(rawReply(jordan, r.address(t), "ok-1", "1: Great <i>work</i>, Ana!\n\nOn Mon, 30 Nov 2026 at 08:00, carecoach wrote:\n> 1. Answered Maria")), passing)
	if err != nil || !o.Accepted || o.Recorded != 1 {
		t.Fatalf("outcome %+v %v, want one record", o, err)
	}
	fb := dynamotest.MemberFeedback(t, r.store, "support", ana, r.now)
	if len(fb) != 1 || fb[0].Words != "Great <i>work</i>, Ana!" || fb[0].Kind != care.Praise || fb[0].From != jordan {
		t.Errorf("feedback %+v", fb)
	}
	sent, _ := stack.SentEmails(ctx)
	if len(sent) != 2 {
		t.Fatalf("sent %d emails, want the agent's and the confirmation", len(sent))
	}
}

// sentTo returns the emails the SES emulator holds for addr.
func sentTo(t *testing.T, addr string) []emulators.SentEmail {
	t.Helper()
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sentToAddr(sent, addr)
}

func TestMachineMailIsNeverActedOnNorAnswered(t *testing.T) {
	tests := []struct {
		name, header, reason string
	}{
		{"an Exchange out-of-office whose contact lines look like commands", "Auto-Submitted: auto-generated\r\nX-Auto-Response-Suppress: All\r\n", "machine mail: Auto-Submitted: auto-generated"},
		{"a vacation responder", "Auto-Submitted: auto-replied\r\n", "machine mail: Auto-Submitted: auto-replied"},
		{"a mailing list's copy", "List-Id: <leads.acme-support.example>\r\nPrecedence: list\r\n", "machine mail: Precedence: list"},
		{"an auto-reply known only by its subject", "", "machine mail: an auto-reply subject"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newInboundRig(t)
			subject := "Re: Your team this week"
			if tt.header == "" {
				subject = "Automatic reply: Your team this week"
			}
			raw := "From: " + jordan + "\r\nTo: " + r.address(t) + "\r\nSubject: " + subject + "\r\nMessage-ID: <oof-" + fmt.Sprint(i) + "@acme-support.example>\r\n" +
				tt.header + "Content-Type: text/plain; charset=utf-8\r\n\r\nI am out of the office until Monday.\r\n1: Escalations - call +44 20 7946 0000\r\n2: Billing - billing@acme-support.example\r\n"
			o, err := r.inbound.Receive(ctx, strings.NewReader(raw), passing)
			if err != nil || o.Accepted || o.Answered || !strings.HasPrefix(o.Reason, tt.reason) {
				t.Fatalf("outcome %+v, %v; want refused, unanswered, because %q", o, err, tt.reason)
			}
			if fb := dynamotest.MemberFeedback(t, r.store, "support", ana, r.now); len(fb) != 0 {
				t.Errorf("recorded %+v", fb)
			}
			if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
				t.Errorf("sent %d emails to machine mail: a mail loop", len(sent))
			}
			if !strings.Contains(r.logs.String(), tt.reason) {
				t.Errorf("the reason is not logged:\n%s", r.logs)
			}
		})
	}
}

func TestAForwardRecordsNothingAndItsSenderIsToldWhy(t *testing.T) {
	tests := []struct {
		name, subject, cc, body, says string
	}{
		{"a forward by its subject", "Fwd: Your team this week", "", "Could you look at 1 and 3?\r\n1: this one is great", "the subject says so"},
		{"a reply that copies a colleague", "Re: Your team this week", "Sam <sam.okoye@acme-support.example>", "1: great work", "also sent to sam.okoye@acme-support.example"},
		{"a forward with an edited subject", "Your team this week", "", "1: see below\r\n\r\n---------- Forwarded message ---------\r\nFrom: carecoach", "forwarded-message block"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newInboundRig(t)
			raw := "From: Jordan Reyes <" + jordan + ">\r\nTo: " + r.address(t) + "\r\n"
			if tt.cc != "" {
				raw += "Cc: " + tt.cc + "\r\n"
			}
			raw += "Subject: " + tt.subject + "\r\nMessage-ID: <fwd-" + fmt.Sprint(i) + "@acme-support.example>\r\nContent-Type: text/plain\r\n\r\n" + tt.body + "\r\n"
			o, err := r.inbound.Receive(ctx, strings.NewReader(raw), passing)
			if err != nil || o.Accepted || !o.Answered || !strings.HasPrefix(o.Reason, "forwarded: ") {
				t.Fatalf("outcome %+v, %v; want refused as a forward and answered", o, err)
			}
			if fb := dynamotest.MemberFeedback(t, r.store, "support", ana, r.now); len(fb) != 0 {
				t.Errorf("recorded %+v", fb)
			}
			sent, _ := stack.SentEmails(ctx)
			if len(sent) != 1 || !slices.Equal(sent[0].To, []string{jordan}) {
				t.Fatalf("sent %+v; want one email, to the manager alone", sent)
			}
			if !strings.Contains(sent[0].Text, "NOTHING RECORDED") || !strings.Contains(sent[0].Text, tt.says) || !strings.Contains(sent[0].Text, mimemail.ReplyMarker) {
				t.Errorf("the explanation does not say %q, or cannot be answered:\n%s", tt.says, sent[0].Text)
			}
			// The same message again is a replay: no second explanation.
			if o, _ := r.inbound.Receive(ctx, strings.NewReader(raw), passing); o.Answered {
				t.Errorf("a redelivery was answered again: %+v", o)
			}
		})
	}
}

func TestAReplyAllThatCopiesCarecoachItselfIsStillAReply(t *testing.T) {
	r := newInboundRig(t)
	r.inbound.Sender = "carecoach <carecoach@acme-support.example>"
	raw := "From: " + jordan + "\r\nTo: " + r.address(t) + ", carecoach@acme-support.example\r\nCc: " + jordan + ", kudos@" + domain +
		"\r\nSubject: Re: Your team this week\r\nMessage-ID: <all-1@acme-support.example>\r\n\r\n1: Great work!\r\n"
	o, err := r.inbound.Receive(ctx, strings.NewReader(raw), passing)
	if err != nil || !o.Accepted || o.Recorded != 1 {
		t.Fatalf("outcome %+v, %v; want one record", o, err)
	}
}

func TestATooLargeReplyIsAnsweredAndRecordsNothing(t *testing.T) {
	r := newInboundRig(t)
	photo := strings.Repeat(strings.Repeat("/9j/4AAQSkZJRgABAQ", 4)+"\r\n", mimemail.MaxSize/70+100)
	raw := "From: Jordan Reyes <" + jordan + ">\r\nTo: " + r.address(t) + "\r\nSubject: Re: Your team this week\r\nMessage-ID: <big-1@acme-support.example>\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n1: Great work, photo attached\r\n" +
		"--b\r\nContent-Type: image/jpeg; name=team.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n" + photo + "--b--\r\n"
	o, err := r.inbound.Receive(ctx, strings.NewReader(raw), passing)
	if err != nil || o.Accepted || !o.Answered || !strings.HasPrefix(o.Reason, "unreadable: ") {
		t.Fatalf("outcome %+v, %v; want refused as unreadable and answered", o, err)
	}
	if fb := dynamotest.MemberFeedback(t, r.store, "support", ana, r.now); len(fb) != 0 {
		t.Errorf("recorded %+v", fb)
	}
	sent := sentTo(t, jordan)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "larger than") || !strings.Contains(sent[0].Text, "without attachments") {
		t.Fatalf("sent %+v; want one email saying why and what to do", sent)
	}
}

func TestAnUnreadableReplyFromSomeoneElseIsNotAnswered(t *testing.T) {
	r := newInboundRig(t)
	raw := "From: mallory@evil.example\r\nTo: " + r.address(t) + "\r\nSubject: Re: x\r\nMessage-ID: <big-2@evil.example>\r\n\r\n" + strings.Repeat("x", mimemail.MaxSize)
	o, err := r.inbound.Receive(ctx, strings.NewReader(raw), passing)
	if err != nil || o.Answered || o.Reason != "sender is not the prompt's recipient" {
		t.Fatalf("outcome %+v, %v", o, err)
	}
	if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
		t.Errorf("answered a stranger: %d emails", len(sent))
	}
}

// A function reads its token keys while it waits for its first event; if
// SSM failed, there is no key to check a reply with. That is no reason to
// call the reply forged: it is retried, and counts once the keys are read.
func TestAReplyThatCannotBeCheckedForWantOfAKeyIsRetried(t *testing.T) {
	r := newInboundRig(t)
	raw := rawReply(jordan, r.address(t), "nokey-1", "1: Great work!")
	r.keys.down = true
	o, err := r.inbound.Receive(ctx, bytes.NewReader(raw), passing)
	if err == nil || o.Accepted || o.Reason != "" {
		t.Fatalf("outcome %+v, err %v: want an error to retry, not a refusal", o, err)
	}
	if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
		t.Errorf("sent %d emails without a key", len(sent))
	}
	r.keys.down = false
	if o, err := r.inbound.Receive(ctx, bytes.NewReader(raw), passing); err != nil || !o.Accepted || o.Recorded != 1 {
		t.Fatalf("the retry: %+v %v, want the reply recorded (its Message-ID was not claimed)", o, err)
	}
}

func TestAMessageThatCannotBeFetchedIsRetried(t *testing.T) {
	r := newInboundRig(t)
	_, err := r.inbound.Receive(ctx, iotest.ErrReader(errors.New("s3: connection reset")), passing)
	if err == nil {
		t.Fatal("a read failure was dropped as a refusal; it must be retried")
	}
}

func TestInlineAnswersAreReadItemByItem(t *testing.T) {
	r := newInboundRig(t)
	body := "On Mon, 30 Nov 2026 at 08:00, carecoach <" + r.address(t) + "> wrote:\r\n> " + mimemail.ReplyMarker + "\r\n>\r\n" +
		"> 1. Ana Silva (responsiveness)\r\n>    Answered Maria Lopez within 12 minutes.\r\n\r\nExactly the care we promise. share\r\n\r\n" +
		"> Example: 1 share Brilliant work & thanks! reward: lunch on me\r\n\r\n-- \r\nJordan\r\n"
	o, err := r.inbound.Receive(ctx, bytes.NewReader(rawReply(jordan, r.address(t), "inline-1", body)), passing)
	if err != nil || !o.Accepted || o.Recorded != 1 || o.Problems != 0 {
		t.Fatalf("outcome %+v %v, want one record and no problems", o, err)
	}
	fb := dynamotest.MemberFeedback(t, r.store, "support", ana, r.now)
	if len(fb) != 1 || fb[0].Words != "Exactly the care we promise." || !fb[0].Shared || fb[0].Reward != "" {
		t.Errorf("feedback %+v", fb)
	}
}

func TestAReplyWithAScreenshotIsRead(t *testing.T) {
	r := newInboundRig(t)
	shot := strings.Repeat(strings.Repeat("iVBORw0KGgoAAAANSUhEUg", 3)+"AAAAAAAAAA\r\n", 3<<20/78)
	raw := "From: Jordan Reyes <" + jordan + ">\r\nTo: " + r.address(t) + "\r\nSubject: Re: Your team this week\r\nMessage-ID: <shot-1@acme-support.example>\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n1: Look at the customer's note in the screenshot. Lovely work.\r\n" +
		"--b\r\nContent-Type: image/png; name=screenshot.png\r\nContent-Disposition: attachment; filename=screenshot.png\r\nContent-Transfer-Encoding: base64\r\n\r\n" + shot + "--b--\r\n"
	if len(raw) < 3<<20 {
		t.Fatalf("built only %d bytes", len(raw))
	}
	o, err := r.inbound.Receive(ctx, strings.NewReader(raw), passing)
	if err != nil || !o.Accepted || o.Recorded != 1 {
		t.Fatalf("outcome %+v, %v; want one record", o, err)
	}
}
