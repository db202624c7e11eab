package mail_test

import (
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// Check back: on Monday 30 Nov Jordan Reyes coached Priya Natarajan on
// her missed follow-up with Tom Becker (acme-freshdesk/42). Three business
// days later carecoach asks him whether he checked back; he replies "done"
// with a note, and the note reaches Priya as a thank-you.

const jordanSaid = "Let's call Tom <b>together</b> & set a reminder for the next one. <script>alert(6)</script>"

func checkBack() mail.CheckBack {
	return mail.CheckBack{
		Manager: lead, TeamID: "support", AgentName: "Priya Natarajan", TicketID: "42", Subject: "Refund <not> received for order #8812",
		TicketURL: refundURL, What: "Did not follow up with Tom Becker 7 days after solving; he wrote again asking where his <i>refund</i> is.",
		Said: jordanSaid, SaidAt: at(30, 8, 40), Questions: []string{"Did it feel like our solution worked?", "Any other thoughts?"},
		Help: grammar.CheckBackHelp(),
	}
}

func checkBackThanks() mail.CheckBackThanks {
	return mail.CheckBackThanks{Agent: priya, Manager: lead, Note: "Thanks for calling Tom <b>back</b> & sorting it!\nHe wrote to say thank you.",
		TicketID: "42", Subject: refundSubject, TicketURL: refundURL}
}

var checkBackEmails = []emailCase{
	{
		name: "a check-back asks the manager about the ticket, what he said, with open questions and the grammar", golden: "checkback",
		compose: func() (care.Email, error) { return mail.CheckBackEmail(checkBack()) },
		subject: "Check back with Priya Natarajan on ticket #42: Refund <not> received for order #8812",
		to:      []string{lead.Email}, tags: map[string]string{"kind": "checkback", "team": "support"}, answerable: true,
		escaped: []string{"Let&#39;s call Tom &lt;b&gt;together&lt;/b&gt; &amp; set", "&lt;script&gt;alert(6)", "&lt;i&gt;refund&lt;/i&gt;", "Refund &lt;not&gt; received"},
	},
	{
		name: "a check-back the manager put off says it is the reminder he asked for", golden: "checkback_later",
		compose: func() (care.Email, error) {
			c := checkBack()
			c.Later, c.Alert = true, true
			return mail.CheckBackEmail(c)
		},
		subject: "Check back with Priya Natarajan on ticket #42: Refund <not> received for order #8812",
		to:      []string{lead.Email}, tags: map[string]string{"kind": "checkback", "team": "support"}, answerable: true,
	},
	{
		name: "a digest says which check-backs are done, which wait, and the follow-through", golden: "digest_checkbacks",
		compose: func() (care.Email, error) {
			d := digest()
			d.CheckBacks = &mail.DigestCheckBacks{
				Done:  []mail.CheckBackLine{{AgentName: "Priya Natarajan", TicketID: "42", TicketURL: refundURL, At: at(26, 9, 30), Note: "Thanks for calling Tom <b>back</b> & sorting it!"}},
				Open:  []mail.CheckBackLine{{AgentName: "Ana Silva", TicketID: "5158", TicketURL: ticketURL, At: at(27, 9, 0)}},
				Asked: 3, Followed: 2, Weeks: 8,
			}
			return mail.DigestEmail(d)
		},
		subject: digestSubject, to: []string{lead.Email}, tags: map[string]string{"kind": "digest", "team": "support"}, answerable: true,
		escaped: []string{"Thanks for calling Tom &lt;b&gt;back&lt;/b&gt; &amp; sorting it!", "2 of 3 check-backs</strong> done in the last 8 weeks (67%)"},
		says: []string{"CHECKING BACK", "Done this week:\n- Priya Natarajan, ticket #42 (Thu 26 Nov): “Thanks for calling Tom <b>back</b> & sorting it!”",
			"Waiting for you to check back:\n- Ana Silva, ticket #5158 (asked Fri 27 Nov)", "Follow-through: 2 of 3 check-backs done in the last 8 weeks (67%)."},
	},
	{
		name: "the note of a check-back done reaches the agent as a thank-you, and a reply reaches the manager", golden: "checkback_thanks",
		compose: func() (care.Email, error) { return mail.CheckBackThanksEmail(checkBackThanks()) },
		subject: "Jordan Reyes checked back on ticket #42: " + refundSubject,
		to:      []string{priya.Email}, replyTo: []string{lead.Email}, tags: map[string]string{"kind": "checkback_thanks", "team": "support"},
		escaped: []string{"Thanks for calling Tom &lt;b&gt;back&lt;/b&gt; &amp; sorting it!"},
	},
}

func TestCheckBackEmailsMatchGolden(t *testing.T) {
	for _, c := range checkBackEmails {
		t.Run(c.name, func(t *testing.T) {
			e := c.check(t, "<script", "<b>", "<i>", "<not>")
			if !c.answerable || !strings.HasPrefix(c.golden, "checkback") {
				return // the digest's own grammar is checked with the digest
			}
			if i := strings.LastIndex(e.Text, "\n--\n"); i < 0 || !strings.Contains(e.Text[i:], "How to reply:\n\n"+grammar.CheckBackHelp()+"\n") {
				t.Errorf("text part does not end with the check-back grammar:\n%s", e.Text)
			}
		})
	}
}

func TestACheckBackNeedsItsAddressesAndItsWords(t *testing.T) {
	noManager := checkBack()
	noManager.Manager.Email = ""
	noHelp := checkBack()
	noHelp.Help = " "
	noAgent := checkBackThanks()
	noAgent.Agent.Email = ""
	noNote := checkBackThanks()
	noNote.Note = "\n"
	for name, compose := range map[string]func() (care.Email, error){
		"no manager":      func() (care.Email, error) { return mail.CheckBackEmail(noManager) },
		"no reply help":   func() (care.Email, error) { return mail.CheckBackEmail(noHelp) },
		"no agent":        func() (care.Email, error) { return mail.CheckBackThanksEmail(noAgent) },
		"no note to pass": func() (care.Email, error) { return mail.CheckBackThanksEmail(noNote) },
	} {
		if _, err := compose(); err == nil {
			t.Errorf("%s: composed anyway", name)
		}
	}
}
