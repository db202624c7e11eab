package mail_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// A problem raised in a climate answer: Ana answered "What would you like
// to be able to do for customers that you can't?"; Jordan answers her from
// his digest, and three business days later is asked whether it is
// solved. On an anonymous team Jordan never learns it was Ana.

const (
	concernQuestion = "What would you like to be able to do for customers that you <can't>?"
	concernAnswer   = "Refund orders under £50 <b>myself</b> & skip the queue. <script>alert(9)</script>"
	concernWords    = "Good point: I will ask Finance for a <refund> limit & tell you Friday."
)

func concernReply(anonymous, note bool) mail.ConcernReply {
	return mail.ConcernReply{Agent: agent, Manager: lead, Question: concernQuestion, Answer: concernAnswer, Words: concernWords, Anonymous: anonymous, Note: note}
}

func concernCheckBack(name string) mail.ConcernCheckBack {
	return mail.ConcernCheckBack{Manager: lead, TeamID: "support", AgentName: name, Question: concernQuestion, Answer: concernAnswer,
		Said: concernWords, SaidAt: at(30, 9, 30), Questions: []string{"Is it solved, or better than it was?", "Is anything still in the way?"}, Help: grammar.CheckBackHelp()}
}

var concernEmails = []emailCase{
	{
		name: "on a named team the writer gets the manager's words, and a reply goes to him", golden: "concern_reply",
		compose: func() (care.Email, error) { return mail.ConcernReplyEmail(concernReply(false, false)) },
		subject: "Jordan Reyes answered what you raised: “What would you like to be able to do for customers that you <can't>?”",
		to:      []string{agent.Email}, replyTo: []string{lead.Email}, tags: map[string]string{"kind": "concern_reply", "team": "support"},
		says: []string{"Jordan Reyes read what you raised about the team, and answers:\n\n" + concernWords, "You answered:", "Reply to talk it through with Jordan Reyes."},
	},
	{
		name: "on an anonymous team the writer is told the manager does not know, and no reply reaches him", golden: "concern_reply_anonymous",
		compose: func() (care.Email, error) { return mail.ConcernReplyEmail(concernReply(true, true)) },
		subject: "Jordan Reyes checked back on what you raised: “What would you like to be able to do for customers that you <can't>?”",
		to:      []string{agent.Email}, tags: map[string]string{"kind": "concern_reply", "team": "support"},
		says:  []string{"checked back on what you raised about the team, and wanted to say:", "without telling Jordan Reyes who wrote it"},
		never: []string{"Reply to talk it through"},
	},
	{
		name: "the manager is asked whether the problem is solved, answerable", golden: "concern_checkback",
		compose: func() (care.Email, error) { return mail.ConcernCheckBackEmail(concernCheckBack("Ana Silva")) },
		subject: "Check back with Ana Silva on what they raised: “What would you like to be able to do for customers that you <can't>?”",
		to:      []string{lead.Email}, tags: map[string]string{"kind": "concern_checkback", "team": "support"}, answerable: true,
		says: []string{"A few days ago you answered what Ana Silva raised in the climate question. Is it solved?", "What you said on Mon 30 Nov:", `A note after "done" reaches Ana Silva.`},
	},
	{
		name: "an anonymous check-back names nobody", golden: "concern_checkback_anonymous",
		compose: func() (care.Email, error) {
			c := concernCheckBack("")
			c.Later = true
			return mail.ConcernCheckBackEmail(c)
		},
		subject: "Check back on what your team raised: “What would you like to be able to do for customers that you <can't>?”",
		to:      []string{lead.Email}, tags: map[string]string{"kind": "concern_checkback", "team": "support"}, answerable: true,
		says:  []string{"As you asked, a reminder about what someone on your team raised", "reaches whoever wrote it, without telling you who"},
		never: []string{"Ana"},
	},
}

func TestConcernEmailsMatchGolden(t *testing.T) {
	for _, c := range concernEmails {
		c.escaped = append(c.escaped, "&lt;b&gt;myself&lt;/b&gt; &amp; skip", "&lt;script&gt;alert(9)", "a &lt;refund&gt; limit &amp; tell")
		t.Run(c.name, func(t *testing.T) { c.check(t, "<script", "<b>", "<refund>", "<can't>") })
	}
}

func TestAConcernEmailNeedsItsAddressesAndItsWords(t *testing.T) {
	noOne, noWords := concernReply(false, false), concernReply(false, false)
	noOne.Agent.Email, noWords.Words = "", " \n"
	noManager, noHelp := concernCheckBack("Ana Silva"), concernCheckBack("Ana Silva")
	noManager.Manager.Email, noHelp.Help = "", ""
	for name, compose := range map[string]func() (care.Email, error){
		"answer to nobody":       func() (care.Email, error) { return mail.ConcernReplyEmail(noOne) },
		"answer without words":   func() (care.Email, error) { return mail.ConcernReplyEmail(noWords) },
		"check-back to nobody":   func() (care.Email, error) { return mail.ConcernCheckBackEmail(noManager) },
		"check-back, no grammar": func() (care.Email, error) { return mail.ConcernCheckBackEmail(noHelp) },
	} {
		if _, err := compose(); err == nil {
			t.Errorf("%s: composed anyway", name)
		}
	}
}
