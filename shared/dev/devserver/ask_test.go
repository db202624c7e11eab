package devserver_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

const priyaEmail = "priya@acme-support.example"

// latest is the last email to addr whose subject has s; it fails the test
// when there is none.
func latest(t *testing.T, addr, s string) emulators.SentEmail {
	t.Helper()
	var found emulators.SentEmail
	for _, e := range emailsTo(t, addr) {
		if strings.Contains(e.Subject, s) {
			found = e
		}
	}
	if found.Subject == "" {
		t.Fatalf("no email to %s about %q; got %q", addr, s, subjects(emailsTo(t, addr)))
	}
	return found
}

// Monday 30 Nov: Maria writes on ticket #5158 and Ana answers. At 09:00
// Ana mails the ask address about it, naming Priya (and "@bob", whom the
// team does not have). Jordan, her manager, and Priya each get the
// request with the ticket's timeline; Ana a receipt. Jordan answers five
// hours later, Priya the next day: each answer reaches Ana and is
// recorded once, Jordan's as his feedback, Priya's as a teammate's.
func TestAnAgentAsksForFeedback(t *testing.T) {
	srv, outcomes := startLoop(t, time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	post(t, srv, answeredAndSolved(t)...)
	advance(t, srv, 2*time.Hour)
	_ = stack.ClearEmails(ctx)
	ask := "ask@" + replyDomain
	question := "How could I have explained the <b>firmware</b> rollback better? Maria & I went back and forth."
	o := mailTo(t, srv, outcomes, agentEmail, ask, plain("Ana Silva <"+agentEmail+">", ask, "Feedback on #5158?", "ask-1@mail.example.com",
		"ask @priya @bob "+question+"\r\n\r\n-- \r\nAna Silva\r\nSupport"))
	if !o.Accepted || o.Recorded != 1 || o.Problems != 1 {
		t.Fatalf("outcome %+v, want the request recorded and @bob not found", o)
	}
	toJordan := latest(t, managerEmail, "Ana Silva asks for your feedback on ticket #5158")
	toPriya := latest(t, priyaEmail, "Ana Silva asks for your feedback on ticket #5158")
	for _, e := range []emulators.SentEmail{toJordan, toPriya} {
		if len(e.ReplyTo) != 1 || !strings.HasPrefix(e.ReplyTo[0], "reply+") {
			t.Fatalf("the request to %v cannot be answered: reply-to %v", e.To, e.ReplyTo)
		}
		for _, want := range []string{care.ReplyMarker, question, "How the ticket went:", "(customer) wrote", "Open the ticket: https://acme.zendesk.com/agent/tickets/5158"} {
			if !strings.Contains(e.Text, want) {
				t.Errorf("the request to %v lacks %q:\n%s", e.To, want, e.Text)
			}
		}
		if strings.Contains(e.HTML, "<b>firmware</b>") || !strings.Contains(e.HTML, "&lt;b&gt;firmware&lt;/b&gt;") {
			t.Errorf("the request to %v does not escape Ana's words", e.To)
		}
		if strings.Contains(e.Text, "Ana Silva\nSupport") {
			t.Errorf("Ana's signature reached the request to %v", e.To)
		}
	}
	if !strings.Contains(toJordan.Text, "Also asked: Priya Natarajan.") || !strings.Contains(toPriya.Text, "as feedback from a teammate") {
		t.Errorf("the requests do not say who else was asked, or as what:\n%s\n%s", toJordan.Text, toPriya.Text)
	}
	receipt := latest(t, agentEmail, "Your question about ticket #5158")
	if !strings.Contains(receipt.Subject, "went to Jordan Reyes and Priya Natarajan") || !strings.Contains(receipt.Text, "nobody on your team called @bob") {
		t.Errorf("Ana's receipt: %q\n%s", receipt.Subject, receipt.Text)
	}

	advance(t, srv, 5*time.Hour) // 14:00
	_ = stack.ClearEmails(ctx)
	words := "Offer the reset first & call her if it fails. You did well to stay calm."
	answer := reply("gmail", managerEmail, toJordan.ReplyTo[0], toJordan.Subject, "ask-answer-1@mail.example.com", words, toJordan)
	if o := mailTo(t, srv, outcomes, managerEmail, toJordan.ReplyTo[0], answer); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("Jordan's answer: %+v", o)
	}
	toAna := latest(t, agentEmail, "Jordan Reyes answered your question about ticket #5158")
	if !strings.Contains(toAna.Text, words) || !strings.Contains(toAna.Text, "You asked:") || len(toAna.ReplyTo) != 1 || toAna.ReplyTo[0] != managerEmail {
		t.Errorf("Ana's answer from Jordan (reply-to %v):\n%s", toAna.ReplyTo, toAna.Text)
	}
	confirmationSays(t, "Your answer to Ana Silva on ticket #5158")
	confirmationSays(t, "recorded as coaching")
	fb := dynamotest.MemberFeedback(t, srv.Store, "support", agentEmail, srv.Clock.Now())
	if len(fb) != 1 || fb[0].Peer || fb[0].From != managerEmail || fb[0].Kind != care.Coaching || fb[0].Words != words || !fb[0].At.Equal(srv.Clock.Now()) {
		t.Fatalf("feedback %+v, want Jordan's coaching with his words, now", fb)
	}

	t.Run("a replay, and a second answer, change nothing", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := mailTo(t, srv, outcomes, managerEmail, toJordan.ReplyTo[0], answer); o.Accepted || o.Reason != "replayed Message-ID" || o.Answered {
			t.Errorf("replay: %+v", o)
		}
		if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
			t.Errorf("a replay sent %d emails", len(sent))
		}
		again := reply("outlook", managerEmail, toJordan.ReplyTo[0], toJordan.Subject, "ask-answer-2@mail.example.com", "One more thing: well done.", toJordan)
		if o := mailTo(t, srv, outcomes, managerEmail, toJordan.ReplyTo[0], again); !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
			t.Errorf("a second answer: %+v, want nothing recorded and why", o)
		}
		confirmationSays(t, "you answered this request on Mon 30 Nov already, so nothing changed")
		if n := len(emailsTo(t, agentEmail)); n != 0 {
			t.Errorf("Ana got %d more emails", n)
		}
		if fb := dynamotest.MemberFeedback(t, srv.Store, "support", agentEmail, srv.Clock.Now()); len(fb) != 1 {
			t.Errorf("feedback %+v, want still one", fb)
		}
	})

	advance(t, srv, 20*time.Hour) // Tuesday 10:00
	priyaWords := "I would have sent the <i>rollback</i> guide with the first answer."
	priyaAnswer := reply("apple", priyaEmail, toPriya.ReplyTo[0], toPriya.Subject, "ask-answer-3@mail.example.com", priyaWords, toPriya)
	if o := mailTo(t, srv, outcomes, priyaEmail, toPriya.ReplyTo[0], priyaAnswer); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("Priya's answer: %+v", o)
	}
	fromPriya := latest(t, agentEmail, "Priya Natarajan answered your question")
	if !strings.Contains(fromPriya.Text, priyaWords) || strings.Contains(fromPriya.HTML, "<i>rollback</i>") {
		t.Errorf("Ana's answer from Priya, escaped:\n%s", fromPriya.Text)
	}
	fb = dynamotest.MemberFeedback(t, srv.Store, "support", agentEmail, srv.Clock.Now())
	if len(fb) != 2 || !fb[1].Peer || fb[1].From != priyaEmail {
		t.Errorf("feedback %+v, want Jordan's and then Priya's as a teammate's", fb)
	}
	reqs, err := srv.Store.TeamFeedbackRequests(ctx, "support", time.Time{}, srv.Clock.Now().Add(time.Hour))
	if err != nil || len(reqs) != 1 || len(reqs[0].Asked) != 2 || reqs[0].FirstAnswer().Sub(reqs[0].AskedAt) != 5*time.Hour {
		t.Fatalf("requests %+v, %v; want one, answered by both, first after 5 hours", reqs, err)
	}

	t.Run("the dashboard counts Ana's request, answered after five hours", func(t *testing.T) {
		link, err := srv.DashboardURL("support", managerEmail)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("dashboard: %d %v", resp.StatusCode, err)
		}
		html := string(page)
		if a := strings.Index(html, `<table id="asking">`); a >= 0 {
			html = html[a:]
		}
		i := strings.Index(html, `<tr data-member="ana.silva@acme-support.example">`)
		if i < 0 || !strings.HasPrefix(html, `<table id="asking">`) {
			t.Fatalf("no asking row for Ana on the dashboard")
		}
		row := html[i : i+strings.Index(html[i:], "</tr>")]
		for _, want := range []string{`<td data-metric="asked">1</td>`, `<td data-metric="answered">1</td>`, `<td data-metric="to-answer">5 h</td>`} {
			if !strings.Contains(row, want) {
				t.Errorf("Ana's row lacks %s:\n%s", want, row)
			}
		}
	})
	t.Run("a mail without a ticket number, or naming an unknown ticket, is explained", func(t *testing.T) {
		for _, c := range []struct{ subject, body, says string }{
			{"quick question", "How did I do on the printer ticket?", "could not find a ticket number"},
			{"#999", "How did I do here?", "carecoach knows no ticket #999"},
		} {
			_ = stack.ClearEmails(ctx)
			o := mailTo(t, srv, outcomes, agentEmail, ask, plain(agentEmail, ask, c.subject, "ask-"+c.subject+"@mail.example.com", c.body))
			if !o.Accepted || o.Recorded != 0 {
				t.Errorf("%q: outcome %+v, want nothing recorded", c.subject, o)
			}
			if got := latest(t, agentEmail, "was not sent: how to ask"); !strings.Contains(got.Text, c.says) {
				t.Errorf("%q: the explanation does not say %q:\n%s", c.subject, c.says, got.Text)
			}
			if n := len(emailsTo(t, managerEmail)); n != 0 {
				t.Errorf("%q: Jordan was asked anyway", c.subject)
			}
		}
	})
	t.Run("a stranger's mail is refused and not answered", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		o := mailTo(t, srv, outcomes, "someone@elsewhere.example", ask, plain("someone@elsewhere.example", ask, "#5158", "ask-stranger@mail.example.com", "what do you think?"))
		if o.Accepted || o.Answered || !strings.Contains(o.Reason, "not a team member") {
			t.Errorf("outcome %+v, want refused", o)
		}
		if sent, _ := stack.SentEmails(ctx); len(sent) != 0 {
			t.Errorf("sent %d emails for a stranger's request", len(sent))
		}
	})

	// Priya asks on Tuesday and Jordan does not answer: two days on, her
	// request heads his Monday digest; Ana's, which he answered, does not.
	_ = stack.ClearEmails(ctx)
	if o := mailTo(t, srv, outcomes, priyaEmail, ask, plain(priyaEmail, ask, "ticket 5158", "ask-priya@mail.example.com", "Was my note on Ana's ticket useful?")); !o.Accepted || o.Recorded != 1 {
		t.Fatalf("Priya's request: %+v", o)
	}
	advance(t, srv, 5*24*time.Hour+22*time.Hour+5*time.Minute) // Monday 7 Dec 08:05
	d := latest(t, managerEmail, "Your team this week")
	if !strings.Contains(d.Text, "Waiting for your answer since Tue 1 Dec: Priya Natarajan asked for your feedback on ticket #5158: “Was my note on Ana's ticket useful?”") {
		t.Errorf("the digest does not open with Priya's request:\n%s", d.Text)
	}
	if strings.Count(d.Text, "Waiting for your answer since") != 1 {
		t.Errorf("the digest lists a request Jordan answered:\n%s", d.Text)
	}
}

// Monday 30 Nov 09:00: Maria writes on ticket #5158 and nobody answers.
// The next morning Ana's warning says she can reply "ask" and a
// question: her reply reaches Jordan and Priya with the ticket (from the
// warning's subject), never the warning she quoted. A second reply that
// does not start with "ask" sends nothing and tells her why. A mail to
// the ask address with Priya in Cc asks Priya as if she were named.
func TestAnAgentAsksByReplyingToAReminder(t *testing.T) {
	srv, outcomes := startLoop(t, time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-customer"))
	advance(t, srv, 22*time.Hour) // Tuesday 05:00: the warning went at 04:12
	warning := latest(t, agentEmail, "window closes")
	ask := "ask@" + replyDomain
	if len(warning.ReplyTo) != 1 || warning.ReplyTo[0] != ask || !strings.Contains(warning.Text, `Reply "ask" and your question`) {
		t.Fatalf("the warning does not invite asking: reply-to %v\n%s", warning.ReplyTo, warning.Text)
	}
	_ = stack.ClearEmails(ctx)
	question := "Her printer needs a part we do not stock: should I offer a refund now?"
	raw := reply("gmail", agentEmail, warning.ReplyTo[0], warning.Subject, "reminder-ask-1@mail.example.com", "ask @priya "+question, warning)
	if o := mailTo(t, srv, outcomes, agentEmail, ask, raw); !o.Accepted || o.Recorded != 1 || o.Problems != 0 {
		t.Fatalf("Ana's reply: %+v, want one request", o)
	}
	for _, to := range []string{managerEmail, priyaEmail} {
		e := latest(t, to, "Ana Silva asks for your feedback on ticket #5158")
		if !strings.Contains(e.Text, question) || strings.Contains(e.Text, "second opinion") || strings.Contains(e.Text, "window closes") {
			t.Errorf("the request to %s is not Ana's question alone:\n%s", to, e.Text)
		}
	}
	latest(t, agentEmail, "Your question about ticket #5158")

	t.Run("a reply that does not start with ask sends nothing and says why", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		raw := reply("apple", agentEmail, warning.ReplyTo[0], warning.Subject, "reminder-ask-2@mail.example.com", "Thanks, on it!", warning)
		if o := mailTo(t, srv, outcomes, agentEmail, ask, raw); o.Recorded != 0 || o.Problems != 1 {
			t.Fatalf("outcome %+v, want nothing asked and one problem", o)
		}
		if n := len(emailsTo(t, managerEmail)) + len(emailsTo(t, priyaEmail)); n != 0 {
			t.Errorf("%d emails went to Jordan or Priya", n)
		}
		receipt := latest(t, agentEmail, "")
		if !strings.Contains(receipt.Text, `did not start with "ask"`) {
			t.Errorf("Ana's receipt does not say why:\n%s", receipt.Text)
		}
	})

	t.Run("a teammate in Cc is asked as if named", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		raw := []byte("From: Ana Silva <" + agentEmail + ">\r\nTo: " + ask + "\r\nCc: Priya Natarajan <" + priyaEmail + ">\r\nSubject: #5158 refund?\r\n" +
			"Message-ID: <cc-ask-1@mail.example.com>\r\nDate: Tue, 1 Dec 2026 05:10:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Was a refund the right call here?\r\n")
		if o := mailTo(t, srv, outcomes, agentEmail, ask, raw); !o.Accepted || o.Recorded != 1 {
			t.Fatalf("outcome %+v, want one request", o)
		}
		latest(t, priyaEmail, "Ana Silva asks for your feedback on ticket #5158")
		receipt := latest(t, agentEmail, "Your question about ticket #5158")
		if !strings.Contains(receipt.Subject, "Priya Natarajan") {
			t.Errorf("the receipt %q does not name Priya", receipt.Subject)
		}
	})
}
