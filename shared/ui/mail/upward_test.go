package mail_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// Upward feedback: on Friday 4 Dec Priya is asked how well Jordan Reyes
// supported her this month; on Friday 11 Dec Jordan gets the results of
// the four people asked, three answered, and thanks the team.

const (
	upwardQuestion = "When you needed help this month, did you get <help>?"
	priyaSaid      = "Thanks for <b>sitting with me</b> & the refunds <script>alert(8)</script>"
)

func upwardQuestionMail() mail.UpwardQuestion {
	return mail.UpwardQuestion{Agent: priya, Manager: lead, TeamID: "support", Question: upwardQuestion, ShowFrom: 3, HasBoss: true, Help: grammar.UpwardHelp()}
}

func upwardResults() mail.UpwardResults {
	return mail.UpwardResults{
		Manager: lead, TeamID: "support", ShowFrom: 3, Help: grammar.UpwardThanksHelp(),
		Round: mail.UpwardRound{Month: "December 2026", Question: upwardQuestion, Asked: 4, Answered: 3, Shown: true, Average: 4,
			Scores: [5]int{0, 0, 1, 1, 1}, Words: []string{"Always there <when> needed.", priyaSaid}},
		Trend: []mail.UpwardRound{{Month: "Nov 2026", Answered: 2}, {Month: "Dec 2026", Answered: 3, Shown: true, Average: 4}},
	}
}

// digestWithUpward is Sam's digest: his own round, withheld, and the trend
// of Jordan, who reports to him.
func digestWithUpward() mail.Digest {
	d := digest()
	d.Upward = &mail.DigestUpward{ShowFrom: 3, Own: &mail.UpwardRound{Month: "December 2026", Answered: 2},
		Reports: []mail.DigestUpwardReport{{Name: "Jordan <b>Reyes</b>", Trend: upwardResults().Trend}}}
	return d
}

var upwardEmails = []emailCase{
	{
		name: "the question names the manager, asks for a score and words, and says plainly who sees what", golden: "upward_question",
		compose: func() (care.Email, error) { return mail.UpwardQuestionEmail(upwardQuestionMail()) },
		subject: "One question about the support you get from Jordan Reyes",
		to:      []string{priya.Email}, tags: map[string]string{"kind": "upward", "team": "support"}, answerable: true,
		escaped: []string{"did you get &lt;help&gt;?"},
		says: []string{"a score from 1 (not at all) to 5 (fully), and any words you like",
			"Jordan Reyes sees the answers only when at least 3 people have answered, never with names",
			"Jordan Reyes's own manager sees only the month's average and how many answered"},
	},
	{
		name: "without a manager's manager the question does not mention one", golden: "upward_question_no_boss",
		compose: func() (care.Email, error) {
			q := upwardQuestionMail()
			q.HasBoss, q.ShowFrom = false, 5
			return mail.UpwardQuestionEmail(q)
		},
		subject: "One question about the support you get from Jordan Reyes",
		to:      []string{priya.Email}, tags: map[string]string{"kind": "upward", "team": "support"}, answerable: true,
		says:  []string{"only when at least 5 people have answered"},
		never: []string{"own manager"},
	},
	{
		name: "the results show the average, the scores, the words sorted and the trend, months under the threshold withheld", golden: "upward_results",
		compose: func() (care.Email, error) { return mail.UpwardResultsEmail(upwardResults()) },
		subject: "How your team sees your support: December 2026",
		to:      []string{lead.Email}, tags: map[string]string{"kind": "upward_results", "team": "support"}, answerable: true,
		escaped: []string{"Thanks for &lt;b&gt;sitting with me&lt;/b&gt; &amp; the refunds &lt;script&gt;", "Always there &lt;when&gt; needed."},
		says: []string{"3 of the 4 people asked answered. Average: 4.0 out of 5.", "5 (fully): 1", "1 (not at all): 0",
			"What they said (in alphabetical order, without names):", "Nov 2026: fewer than 3 answers", "Dec 2026: 4.0 (3 answers)", grammar.UpwardThanksHelp()},
	},
	{
		name: "under the threshold the results say only how many answered, and that answers stay private", golden: "upward_results_withheld",
		compose: func() (care.Email, error) {
			r := upwardResults()
			r.Round = mail.UpwardRound{Month: "December 2026", Question: upwardQuestion, Asked: 2, Answered: 2}
			return mail.UpwardResultsEmail(r)
		},
		subject: "How your team sees your support: December 2026",
		to:      []string{lead.Email}, tags: map[string]string{"kind": "upward_results", "team": "support"}, answerable: true,
		says:  []string{"2 of the 2 people asked answered this month. Answers stay private below 3, so there is no score and no words"},
		never: []string{"Average", "sitting with me", "Nov 2026", "(fully)"},
	},
	{
		name: "a digest shows the manager's round withheld below the threshold and the trend of those who report to him", golden: "digest_upward",
		compose: func() (care.Email, error) { return mail.DigestEmail(digestWithUpward()) },
		subject: digestSubject, to: []string{lead.Email}, tags: map[string]string{"kind": "digest", "team": "support"}, answerable: true,
		escaped: []string{"<strong>Jordan &lt;b&gt;Reyes&lt;/b&gt;</strong>: Nov 2026: fewer than 3 answers; Dec 2026: 4.0 (3 answers)"},
		says: []string{"UPWARD FEEDBACK\n\nHow your team sees your support, December 2026: 2 answers, kept private below 3.",
			"The managers who report to you, month by month (withheld below 3 answers):\n- Jordan <b>Reyes</b>: Nov 2026: fewer than 3 answers; Dec 2026: 4.0 (3 answers)"},
	},
	{
		name: "the manager's thanks reaches a member asked, and a reply reaches the manager", golden: "upward_thanks",
		compose: func() (care.Email, error) {
			return mail.UpwardThanksEmail(mail.UpwardThanks{Agent: priya, Manager: lead, Month: "December 2026", Words: "Thank you all <3 & see you <b>Monday</b>"})
		},
		subject: "Jordan Reyes thanks the team for the feedback of December 2026",
		to:      []string{priya.Email}, replyTo: []string{lead.Email}, tags: map[string]string{"kind": "upward_thanks", "team": "support"},
		escaped: []string{"Thank you all &lt;3 &amp; see you &lt;b&gt;Monday&lt;/b&gt;"},
		says:    []string{"whether or not they answered"},
	},
}

func TestUpwardEmailsMatchGolden(t *testing.T) {
	for _, c := range upwardEmails {
		t.Run(c.name, func(t *testing.T) { c.check(t, "<script", "<b>", "<help>", "<when>") })
	}
}

func TestUpwardEmailsNeedTheirAddressesAndNeverShowBelowTheThreshold(t *testing.T) {
	noAgent := upwardQuestionMail()
	noAgent.Agent.Email = ""
	lowThreshold := upwardQuestionMail()
	lowThreshold.ShowFrom = 2
	tooFew := upwardResults()
	tooFew.Round.Answered = 2
	noWords := mail.UpwardThanks{Agent: priya, Manager: lead, Month: "December 2026", Words: " \n"}
	for name, compose := range map[string]func() (care.Email, error){
		"a question without an address":         func() (care.Email, error) { return mail.UpwardQuestionEmail(noAgent) },
		"a question promising a threshold of 2": func() (care.Email, error) { return mail.UpwardQuestionEmail(lowThreshold) },
		"results shown from 2 answers":          func() (care.Email, error) { return mail.UpwardResultsEmail(tooFew) },
		"thanks without words":                  func() (care.Email, error) { return mail.UpwardThanksEmail(noWords) },
	} {
		if _, err := compose(); err == nil {
			t.Errorf("%s: composed anyway", name)
		}
	}
}
