package mail_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// Ask for feedback: on Tuesday 1 Dec Ana Silva mails the ask address about
// ticket #5158 and names Priya; carecoach asks Jordan (her manager) and
// Priya, tells Ana who was asked (and that nobody is called @bob), and
// brings Jordan's answer back to her.

const anaAsked = "How could I have explained the <firmware> rollback better? <script>alert(7)</script>\nMaria & I went back and forth."

func askRequest() mail.AskRequest {
	return mail.AskRequest{
		To: lead, Asker: agent, TeamID: "support", TicketID: "5158", Subject: ticket.Subject, TicketURL: ticketURL,
		Question: anaAsked, AskedAt: at(1, 10, 5).AddDate(0, 0, 30), Others: []string{"Priya <Natarajan>"},
		Timeline: []mail.TimelineEntry{
			{At: at(30, 9, 0), Who: "Maria Lopez (customer)", What: `wrote: "` + mariaWrote + `"`},
			{At: at(30, 9, 12), Who: "Ana Silva (agent)", What: `replied publicly: "Sorry <Maria>, try a reset & tell me."`},
		},
		Help: grammar.AskHelp(false),
	}
}

var askEmails = []emailCase{
	{
		name: "the manager is asked, with the question, who else was asked and the ticket's timeline", golden: "ask_request",
		compose: func() (care.Email, error) { return mail.AskRequestEmail(askRequest()) },
		subject: "Ana Silva asks for your feedback on ticket #5158: Printer offline after <firmware> update",
		to:      []string{lead.Email}, tags: map[string]string{"kind": "ask", "team": "support"}, answerable: true,
		escaped: []string{"&lt;firmware&gt; rollback", "&lt;script&gt;alert(7)", "Maria &amp; I", "Priya &lt;Natarajan&gt;", "&lt;b&gt;offline&lt;/b&gt;", "Sorry &lt;Maria&gt;"},
		says:    []string{"Their question:", "Also asked: Priya <Natarajan>.", "How the ticket went:", "counts as your feedback to them", `start with "praise"`},
	},
	{
		name: "a teammate is asked as a teammate", golden: "ask_request_peer",
		compose: func() (care.Email, error) {
			a := askRequest()
			a.To, a.Peer, a.Others, a.Timeline, a.Help = priya, true, []string{"Jordan Reyes"}, nil, grammar.AskHelp(true)
			return mail.AskRequestEmail(a)
		},
		subject: "Ana Silva asks for your feedback on ticket #5158: Printer offline after <firmware> update",
		to:      []string{priya.Email}, tags: map[string]string{"kind": "ask", "team": "support"}, answerable: true,
		says: []string{"as feedback from a teammate", "Also asked: Jordan Reyes."},
	},
	{
		name: "the agent is told who was asked, and whom carecoach did not find", golden: "ask_receipt",
		compose: func() (care.Email, error) {
			return mail.AskReceiptEmail(mail.AskReceipt{Asker: agent, TicketID: "5158", Subject: ticket.Subject, Sent: []string{"Jordan Reyes", "Priya Natarajan"},
				Unknown: []string{"bob<script>"}, Address: "ask@reply.acme-support.example"})
		},
		subject: "Your question about ticket #5158: Printer offline after <firmware> update went to Jordan Reyes and Priya Natarajan",
		to:      []string{agent.Email}, tags: map[string]string{"kind": "ask_receipt", "team": "support"},
		escaped: []string{"@bob&lt;script&gt;", "Printer offline after &lt;firmware&gt; update"},
		says:    []string{"went to Jordan Reyes and Priya Natarajan", "nobody on your team called @bob<script>", "#5158 @priya How could I"},
	},
	{
		name: "a request carecoach could not send says why and how to ask", golden: "ask_receipt_problem",
		compose: func() (care.Email, error) {
			return mail.AskReceiptEmail(mail.AskReceipt{Asker: agent, Problem: `I could not find a ticket number: put it in the subject or the text with a "#", e.g. "#5158"`,
				Address: "ask@reply.acme-support.example"})
		},
		subject: "Your request for feedback was not sent: how to ask",
		to:      []string{agent.Email}, tags: map[string]string{"kind": "ask_receipt", "team": "support"},
		escaped: []string{"&#34;#5158&#34;"},
		says:    []string{"NOTHING WAS SENT: I could not find a ticket number", "mail ask@reply.acme-support.example"},
	},
	{
		name: "the answer reaches the agent with her question, and a reply reaches the manager", golden: "ask_answer",
		compose: func() (care.Email, error) {
			return mail.AskAnswerEmail(mail.AskAnswer{Asker: agent, From: lead, Words: "Offer the <b>reset</b> first & call her if it fails.", Question: anaAsked,
				TicketID: "5158", Subject: ticket.Subject, TicketURL: ticketURL})
		},
		subject: "Jordan Reyes answered your question about ticket #5158: Printer offline after <firmware> update",
		to:      []string{agent.Email}, replyTo: []string{lead.Email}, tags: map[string]string{"kind": "ask_answer", "team": "support"},
		escaped: []string{"Offer the &lt;b&gt;reset&lt;/b&gt; first &amp; call her", "&lt;script&gt;alert(7)"},
		says:    []string{"Offer the <b>reset</b> first & call her if it fails.\n\n— Jordan Reyes", "You asked:", "Reply to this email to answer Jordan Reyes directly."},
	},
	{
		name: "requests the manager left unanswered head his digest", golden: "digest_asks",
		compose: func() (care.Email, error) {
			d := digest()
			d.Asks = []mail.DigestAsk{{AgentName: "Ana Silva", TicketID: "5158", AskedAt: at(26, 9, 5), Question: anaAsked}}
			return mail.DigestEmail(d)
		},
		subject: digestSubject, to: []string{lead.Email}, tags: map[string]string{"kind": "digest", "team": "support"}, answerable: true,
		escaped: []string{"Waiting for your answer since Thu 26 Nov: Ana Silva asked for your feedback on ticket #5158: “How could I have explained the &lt;firmware&gt; rollback better?"},
		says:    []string{"\nWaiting for your answer since Thu 26 Nov: Ana Silva asked for your feedback on ticket #5158: “How could I have explained the <firmware> rollback better? <script>alert(7)</script> Maria & I went back and forth.”. Reply to that email to answer.\n"},
	},
}

func TestAskEmailsMatchGolden(t *testing.T) {
	for _, c := range askEmails {
		t.Run(c.name, func(t *testing.T) { c.check(t, "<script", "<b>", "<firmware>", "<Maria>", "<Natarajan>") })
	}
}

func TestAnAskEmailNeedsItsAddressesAndItsWords(t *testing.T) {
	noOne, noHelp, noQuestion := askRequest(), askRequest(), askRequest()
	noOne.To.Email, noHelp.Help, noQuestion.Question = "", "\n", " "
	for name, compose := range map[string]func() (care.Email, error){
		"request to nobody":    func() (care.Email, error) { return mail.AskRequestEmail(noOne) },
		"request without help": func() (care.Email, error) { return mail.AskRequestEmail(noHelp) },
		"request, no question": func() (care.Email, error) { return mail.AskRequestEmail(noQuestion) },
		"receipt to nobody":    func() (care.Email, error) { return mail.AskReceiptEmail(mail.AskReceipt{}) },
		"answer to nobody":     func() (care.Email, error) { return mail.AskAnswerEmail(mail.AskAnswer{Words: "x"}) },
		"answer without words": func() (care.Email, error) { return mail.AskAnswerEmail(mail.AskAnswer{Asker: agent, Words: "\n"}) },
	} {
		if _, err := compose(); err == nil {
			t.Errorf("%s: composed anyway", name)
		}
	}
}
