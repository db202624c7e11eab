package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
)

func askMail(from, subject, msgID, body, headers string) string {
	return "From: " + from + "\r\nTo: ask@" + domain + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + msgID + ">\r\n" + headers +
		"Date: Tue, 1 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
}

// A request for feedback is acted on only when the sender's domain is
// proven and a person wrote it; a refusal the sender cannot be trusted
// with, or a machine's mail, is never answered.
func TestAskMailThatMustNotCount(t *testing.T) {
	tests := []struct {
		name, headers, reason string
		v                     app.Verdicts
	}{
		{"SPF alone does not prove the sender", "", "ask sender's domain not authenticated", app.Verdicts{SPF: "PASS", DKIM: "FAIL", DMARC: "GRAY", Spam: "PASS", Virus: "PASS"}},
		{"a failed DMARC", "", "dmarc failed", app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "FAIL", Spam: "PASS", Virus: "PASS"}},
		{"spam", "", "spam verdict", app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "PASS", Spam: "FAIL", Virus: "PASS"}},
		{"an auto-reply", "Auto-Submitted: auto-replied\r\n", "machine mail", passing},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newInboundRig(t)
			raw := askMail(ana, "#5158", "ask-refused-"+string(rune('a'+i))+"@acme-support.example", "How did I do?", tt.headers)
			o, err := r.inbound.Receive(ctx, strings.NewReader(raw), tt.v)
			if err != nil || o.Accepted || o.Answered || !strings.Contains(o.Reason, tt.reason) {
				t.Fatalf("outcome %+v, %v; want refused (%s) and not answered", o, err, tt.reason)
			}
			if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
				t.Errorf("sent %d emails", len(sent))
			}
		})
	}
}

func TestATeamThatDoesNotAskForFeedbackSaysSo(t *testing.T) {
	r := newInboundRig(t)
	team, err := r.store.Team(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	team.Ask.Off = true
	if err := r.store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	o, err := r.inbound.Receive(ctx, strings.NewReader(askMail(ana, "#5158", "ask-off@acme-support.example", "How did I do?", "")), passing)
	if err != nil || !o.Accepted || o.Recorded != 0 || !o.Answered {
		t.Fatalf("outcome %+v, %v; want answered with nothing recorded", o, err)
	}
	sent := sentTo(t, ana)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "askForFeedback is off") || len(sentTo(t, jordan)) != 0 {
		t.Errorf("sent %+v; want Ana told, Jordan not asked", sent)
	}
	if reqs, _ := r.store.TeamFeedbackRequests(ctx, "support", time.Time{}, r.now.Add(time.Hour)); len(reqs) != 0 {
		t.Errorf("stored %+v", reqs)
	}
}

func TestAnAnswerToARequestNoLongerKeptIsExplained(t *testing.T) {
	r := newInboundRig(t)
	r.prompt.ID, r.prompt.Kind = "a-gone", care.AskPrompt
	r.prompt.Ask = &care.AskRef{Team: "support", ID: "ask-gone", AskedAt: sentAt}
	if _, err := r.store.PutPrompt(ctx, r.prompt); err != nil {
		t.Fatal(err)
	}
	o, err := r.inbound.Receive(ctx, strings.NewReader(string(rawReply(jordan, r.address(t), "gone-1", "Well done."))), passing)
	if err != nil || !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
		t.Fatalf("outcome %+v, %v", o, err)
	}
	if sent := sentTo(t, jordan); len(sent) != 1 || !strings.Contains(sent[0].Text, "no longer keeps this request") {
		t.Errorf("sent %+v", sent)
	}
}
