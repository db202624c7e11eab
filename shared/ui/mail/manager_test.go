package mail_test

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	core "github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// The manager's loop: Jordan Reyes leads Customer Support (team id support,
// Europe/London). His digest for 23–30 Nov 2026 names Ana Silva's quick
// answer to Maria Lopez on acme-zendesk/5158 and Priya Natarajan's missed
// follow-up with Tom Becker on acme-freshdesk/42. He answers by reply; his
// words reach the agent and, when he says so, the whole team.

var (
	lead  = care.Member{Team: "support", Name: "Jordan Reyes", Email: "jordan.reyes@acme-support.example"}
	agent = care.Member{Team: "support", Name: "Ana Silva", Email: "ana.silva@acme-support.example"}
	priya = care.Member{Team: "support", Name: "Priya Natarajan", Email: "priya.natarajan@acme-support.example"}
)

const (
	printerSubject = "Printer offline after firmware update"
	refundSubject  = "Refund not received for order #8812"
	refundURL      = "https://acme.freshdesk.com/a/tickets/42"
	digestSubject  = "Your team this week: 2 to praise, 1 to coach (23–30 Nov)"

	// jordanWrote is the manager's words, verbatim: they must reach the
	// agent as he typed them and never as markup.
	jordanWrote = "Brilliant <b>work</b> & thanks! <script>alert(1)</script>"

	// help is the reply grammar the caller passes in.
	help = `Reply above the marker line at the top, one item per line:
  <n> <your words>              praise or coach item n in your own words
  <n> share <your words>        praise item n and share it with the team
  <n> reward: <what>            add a reward to item n
  <n> skip                      nothing to say on item n
Example: 1 share Brilliant work & thanks! reward: lunch on me`

	// alertHelp is the grammar for a reply to one moment.
	alertHelp = `Reply above the marker line at the top:
  <your words>                  feedback to the agent on this ticket
  share <your words>            the same, shared with the team
  reward: <what>                add a reward
Example: Thanks for owning this <b>today</b> & calling Maria back.`
)

func digest() mail.Digest {
	return mail.Digest{
		Manager:  lead,
		TeamID:   "support",
		TeamName: "Customer Support",
		From:     at(23, 0, 0),
		To:       at(30, 0, 0),
		// A signed link, as app.DashboardLinks makes it.
		DashboardURL: "https://api.acme-support.example/dashboard/support?t=support.tn8xq0.AbCdEfGhIjKlMnOpQrStUv",
		Praise: []mail.DigestItem{
			{
				N:          1,
				Kind:       care.Praise,
				Behaviour:  care.Respond,
				AgentName:  "Ana Silva",
				What:       "Answered Maria Lopez 20 minutes after she wrote, before her office opened.",
				Quote:      "Wow, that was fast <b>thank you</b> & have a great day!\n<script>alert(2)</script>",
				Subject:    "Printer offline after <firmware> update",
				TicketID:   "5158",
				TicketURL:  ticketURL,
				At:         at(24, 8, 20),
				Suggestion: "Thanks for answering Maria so fast on #5158 — that is exactly the care we promise.",
			},
			{
				N:          2,
				Kind:       care.Praise,
				Behaviour:  care.Commitment,
				AgentName:  "Ana Silva",
				What:       "Promised Maria Lopez a fix by Thursday 17:00 and delivered it at 15:30.",
				Subject:    "Printer offline after <firmware> update",
				TicketID:   "5158",
				TicketURL:  ticketURL,
				At:         at(26, 15, 30),
				Suggestion: "You promised Maria Thursday and delivered early — that is how customers learn to trust us.",
			},
		},
		Coaching: []mail.DigestItem{
			{
				N:          3,
				Kind:       care.Coaching,
				Behaviour:  care.FollowUpDone,
				AgentName:  "Priya Natarajan",
				What:       "Did not follow up with Tom Becker 7 days after solving; he wrote again asking where his refund is.",
				Quote:      "It's been 10 days & still no refund. Is anyone <i>there</i>?",
				Subject:    refundSubject,
				TicketID:   "42",
				TicketURL:  refundURL,
				At:         at(27, 11, 5),
				Suggestion: "Let's look at #42 together: a quick check-in with Tom would have saved him a worried week.",
			},
		},
		Cadence: []core.Cadence{
			{Member: care.Member{Name: "Ana Silva"}, Last: at(26, 16, 0), Praise: 4, Coaching: 1},
			{Member: care.Member{Name: "Priya Natarajan"}, Overdue: true},
			{Member: care.Member{Name: "Sam Okoye"}, Last: at(14, 10, 0), Praise: 1, Coaching: 1, Overdue: true},
		},
		CadenceDays: 14,
		PraiseRatio: 3,
		Climate: []mail.ClimateAnswer{
			{N: 4, Question: "What would you like to be able to do for customers that you can't?", Answer: "Refund orders under £50 <b>myself</b> & skip the queue.", Who: "Ana Silva"},
			{N: 5, Question: "What would you like to be able to do for customers that you can't?", Answer: "Call customers back <script>alert(3)</script>"},
		},
		CheckBackDays: 3,
		Trends: &core.Trends{
			TopTags:  []core.TagCount{{Tag: "printer", Count: 12, Previous: 8}, {Tag: "refund", Count: 7, Previous: 9}, {Tag: "login", Count: 3}},
			Solved:   40,
			Reopened: 4, PrevSolved: 36, PrevReopened: 2,
			Good: 10, Bad: 2, PrevGood: 9, PrevBad: 1,
		},
		Help: help,
	}
}

func praiseFeedback() mail.Feedback {
	return mail.Feedback{
		Agent:     agent,
		Manager:   lead,
		Kind:      care.Praise,
		Words:     jordanWrote,
		Reward:    "lunch on me",
		What:      "Answered Maria Lopez 20 minutes after she wrote, before her office opened.",
		Subject:   printerSubject,
		TicketID:  "5158",
		TicketURL: ticketURL,
		At:        at(24, 8, 20),
		Shared:    true,
	}
}

func coachingFeedback() mail.Feedback {
	return mail.Feedback{
		Agent:     priya,
		Manager:   lead,
		Kind:      care.Coaching,
		Words:     "Tom wrote again because nobody checked in. Can we look at #42 together on Thursday?\nA two-line note after solving <i>is</i> enough & saves a week of worry.",
		What:      "Did not follow up with Tom Becker 7 days after solving; he wrote again asking where his refund is.",
		Subject:   refundSubject,
		TicketID:  "42",
		TicketURL: refundURL,
		At:        at(27, 11, 5),
	}
}

func recognition() mail.Recognition {
	return mail.Recognition{
		To:           []string{"ana.silva@acme-support.example", "priya.natarajan@acme-support.example", "sam.okoye@acme-support.example"},
		TeamName:     "Customer Support",
		Agent:        agent,
		Manager:      lead,
		What:         "Answered Maria Lopez 20 minutes after she wrote, before her office opened.",
		WhyItMatters: mail.WhyItMatters(care.Respond),
		Words:        jordanWrote,
		Reward:       "lunch on me",
		Subject:      "Printer offline after <firmware> update",
		TicketID:     "5158",
		TicketURL:    ticketURL,
	}
}

func confirmation() mail.Confirmation {
	return mail.Confirmation{
		Manager: lead,
		Subject: digestSubject,
		Recorded: []string{
			"Praise for Ana Silva on #5158 — shared with the team, reward: lunch on me",
			"Praise for Ana Silva on #5158: “" + jordanWrote + "”",
		},
		Skipped: []string{"3. Priya Natarajan — missed follow-up on #42"},
		Problems: []mail.ProblemLine{
			{Line: 4, Text: "2 prase Great <b>job</b> & thanks <script>alert(4)</script>", Why: "“prase” is not something carecoach knows; did you mean “praise”?"},
			{Line: 6, Text: "7 thanks!", Why: "There is no item 7 in this digest; its items are 1 to 3."},
		},
		Help: help,
	}
}

// refusedConfirmation answers a forward: nothing read, and why.
func refusedConfirmation() mail.Confirmation {
	return mail.Confirmation{
		Manager: lead,
		Subject: "Fwd: " + digestSubject,
		Refused: "It looks like a forward (the subject starts with “Fwd:”) and it was also sent to sam.okoye@acme-support.example <script>alert(5)</script>. " +
			"carecoach acts only on replies sent to it alone, so that words meant for someone else never reach an agent. " +
			"To give feedback, reply to the digest, or to this email, with only carecoach in To.",
		Help: help,
	}
}

func answerableAlert() mail.Alert {
	a := alert()
	a.Help = alertHelp
	return a
}

// managerEmails are the emails of the manager's loop, each from its story.
var managerEmails = []struct {
	name    string
	golden  string
	compose func() (care.Email, error)
	subject string
	to      []string
	tags    map[string]string
	help    string // the grammar an answerable email ends with
}{
	{
		name:    "a digest puts praise first, numbers every moment and ends with how to reply",
		golden:  "digest",
		compose: func() (care.Email, error) { return mail.DigestEmail(digest()) },
		subject: digestSubject,
		to:      []string{"jordan.reyes@acme-support.example"},
		tags:    map[string]string{"kind": "digest", "team": "support"},
		help:    help,
	},
	{
		name:   "a digest says in one line which item of an earlier digest was withdrawn, and an admin's counts what could not be processed",
		golden: "digest_corrections",
		compose: func() (care.Email, error) {
			d := digest()
			d.Corrections = []mail.DigestCorrection{{N: 4, Digest: at(23, 8, 0), AgentName: "Ana <b>Silva</b>", TicketID: "5158",
				Why: "an answer within the window reached carecoach late, so the customer was not left waiting"}}
			d.DeadLetters = &mail.DeadLetterCount{Total: 3, PerDay: []mail.DayCount{{Day: at(24, 9, 0), Count: 2}, {Day: at(26, 9, 0), Count: 1}},
				How: "List them with: go run ./infra/admin dead-letters"}
			return mail.DigestEmail(d)
		},
		subject: digestSubject,
		to:      []string{"jordan.reyes@acme-support.example"},
		tags:    map[string]string{"kind": "digest", "team": "support"},
		help:    help,
	},
	{
		name:    "praise reaches the agent as recognition in the manager's own words",
		golden:  "feedback",
		compose: func() (care.Email, error) { return mail.FeedbackEmail(praiseFeedback()) },
		subject: "Jordan Reyes on ticket #5158: Printer offline after firmware update",
		to:      []string{"ana.silva@acme-support.example"},
		tags:    map[string]string{"kind": "feedback", "team": "support"},
	},
	{
		name:    "coaching reaches the agent as support about one ticket",
		golden:  "feedback_coaching",
		compose: func() (care.Email, error) { return mail.FeedbackEmail(coachingFeedback()) },
		subject: "Jordan Reyes on ticket #42: Refund not received for order #8812",
		to:      []string{"priya.natarajan@acme-support.example"},
		tags:    map[string]string{"kind": "feedback", "team": "support"},
	},
	{
		name:    "a recognition tells the whole team what the agent did and why it matters",
		golden:  "recognition",
		compose: func() (care.Email, error) { return mail.RecognitionEmail(recognition()) },
		subject: "Jordan Reyes recognises Ana Silva: Answered Maria Lopez 20 minutes after she wrote, before her office opened",
		to:      []string{"ana.silva@acme-support.example", "priya.natarajan@acme-support.example", "sam.okoye@acme-support.example"},
		tags:    map[string]string{"kind": "recognition", "team": "support"},
	},
	{
		name:    "a confirmation says what was recorded, what was skipped and kindly what was not understood",
		golden:  "confirmation",
		compose: func() (care.Email, error) { return mail.ConfirmationEmail(confirmation()) },
		subject: "Re: " + digestSubject,
		to:      []string{"jordan.reyes@acme-support.example"},
		tags:    map[string]string{"kind": "confirmation", "team": "support"},
		help:    help,
	},
	{
		name:    "a reply carecoach did not read is answered with why and what to do, and can be answered again",
		golden:  "confirmation_refused",
		compose: func() (care.Email, error) { return mail.ConfirmationEmail(refusedConfirmation()) },
		subject: "Re: Fwd: " + digestSubject,
		to:      []string{"jordan.reyes@acme-support.example"},
		tags:    map[string]string{"kind": "confirmation", "team": "support"},
		help:    help,
	},
	{
		name:    "a bad-rating alert with the reply grammar can be answered with feedback on the moment",
		golden:  "satisfaction_alert_answerable",
		compose: func() (care.Email, error) { return mail.SatisfactionAlert(answerableAlert()) },
		subject: "Bad rating on ticket #5158 (Ana Silva): Printer offline after <firmware> update",
		to:      []string{"jordan.reyes@acme-support.example"},
		tags:    map[string]string{"kind": "satisfaction_alert", "connection": "acme-zendesk"},
		help:    alertHelp,
	},
}

func TestManagerEmailsMatchGolden(t *testing.T) {
	for _, c := range managerEmails {
		t.Run(c.name, func(t *testing.T) {
			e, err := c.compose()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.golden+".html", e.HTML)
			golden(t, c.golden+".txt", e.Text)
			if e.Subject != c.subject {
				t.Errorf("subject = %q, want %q", e.Subject, c.subject)
			}
			if !slices.Equal(e.To, c.to) {
				t.Errorf("to = %v, want %v", e.To, c.to)
			}
			if !maps.Equal(e.Tags, c.tags) {
				t.Errorf("tags = %v, want %v", e.Tags, c.tags)
			}
			for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
				if !strings.Contains(body, "Sent by carecoach because") {
					t.Errorf("%s part has no footer saying why it was sent", part)
				}
			}
		})
	}
}

func TestAnAnswerableEmailStartsWithTheMarkerAndEndsWithHowToReply(t *testing.T) {
	for _, c := range managerEmails {
		t.Run(c.name, func(t *testing.T) {
			e, err := c.compose()
			if err != nil {
				t.Fatal(err)
			}
			if c.help == "" {
				for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
					if strings.Contains(body, care.ReplyMarker) {
						t.Errorf("%s part of an email that is not answerable carries the reply marker", part)
					}
				}
				return
			}
			if !strings.HasPrefix(e.Text, care.ReplyMarker+"\n") {
				t.Errorf("text part does not start with the reply marker:\n%s", e.Text)
			}
			if got := visibleText(e.HTML); !strings.HasPrefix(got, care.ReplyMarker+" ") {
				t.Errorf("HTML part does not start with the reply marker; its visible text starts %q", got[:min(len(got), 80)])
			}
			if n := strings.Count(e.Text, care.ReplyMarker); n != 1 {
				t.Errorf("text part has the marker %d times", n)
			}
			// Everything from the marker down is cut from a reply, so the
			// grammar must follow the email's content, in the footer.
			if i := strings.LastIndex(e.Text, "\n--\n"); i < 0 || !strings.Contains(e.Text[i:], "How to reply:\n\n"+c.help+"\n") {
				t.Errorf("text part does not end with the reply grammar:\n%s", e.Text)
			}
			if i := strings.LastIndex(e.HTML, "How to reply"); i < 0 || !strings.Contains(e.HTML[i:], "share &lt;your words&gt;") || strings.Contains(e.HTML[i:], "<h2") {
				t.Error("HTML part does not end with the reply grammar, escaped")
			}
		})
	}
}

// visibleText is what a reader sees of an HTML part, roughly: its body
// without tags, on one line.
func visibleText(html string) string {
	_, body, _ := strings.Cut(html, "<body")
	body = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString("<body"+body, " ")
	return strings.Join(strings.Fields(body), " ")
}

func TestAnAnsweredAlertSaysFreeTextIsFeedbackOnTheMoment(t *testing.T) {
	e, err := mail.SatisfactionAlert(answerableAlert())
	if err != nil {
		t.Fatal(err)
	}
	const want = "To give Ana Silva feedback on this moment, just reply with your words"
	for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
		if !strings.Contains(body, want) {
			t.Errorf("%s part does not say free text is feedback on the moment", part)
		}
	}
	plain, err := mail.SatisfactionAlert(alert())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.Text, care.ReplyMarker) || strings.Contains(plain.HTML, care.ReplyMarker) || strings.Contains(plain.Text, "How to reply") {
		t.Error("an alert without Help reads as answerable")
	}
}

func TestManagerEmailsEscapeManagerAndCustomerTextInHTML(t *testing.T) {
	hostile := "<b>Sam</b> & <script>alert(9)</script>"
	tests := []struct {
		name    string
		compose func() (care.Email, error)
		escaped []string
	}{
		{
			name: "a digest escapes the customer's words, the subject, climate answers, tags, names and the grammar",
			compose: func() (care.Email, error) {
				d := digest()
				d.Manager.Name = hostile
				d.Cadence[2].Member.Name = hostile
				d.Trends.TopTags[2].Tag = hostile
				return mail.DigestEmail(d)
			},
			escaped: []string{
				"that was fast &lt;b&gt;thank you&lt;/b&gt; &amp; have",
				"&lt;script&gt;alert(2)&lt;/script&gt;",
				"&lt;firmware&gt;",
				"&lt;b&gt;myself&lt;/b&gt; &amp; skip",
				"&lt;script&gt;alert(3)",
				"&lt;i&gt;there&lt;/i&gt;",
				"&lt;b&gt;Sam&lt;/b&gt; &amp; &lt;script&gt;alert(9)",
				"&lt;n&gt; &lt;your words&gt;",
			},
		},
		{
			name:    "praise escapes the manager's words",
			compose: func() (care.Email, error) { return mail.FeedbackEmail(praiseFeedback()) },
			escaped: []string{"Brilliant &lt;b&gt;work&lt;/b&gt; &amp; thanks! &lt;script&gt;alert(1)&lt;/script&gt;"},
		},
		{
			name: "coaching escapes the manager's words, the reward and the ticket's subject",
			compose: func() (care.Email, error) {
				f := coachingFeedback()
				f.Reward = hostile
				f.Subject = "Refund <b>not</b> received"
				return mail.FeedbackEmail(f)
			},
			escaped: []string{"&lt;i&gt;is&lt;/i&gt; enough &amp; saves", "&lt;b&gt;Sam&lt;/b&gt;", "Refund &lt;b&gt;not&lt;/b&gt; received"},
		},
		{
			name: "a recognition escapes the manager's words, what the agent did and the ticket's subject",
			compose: func() (care.Email, error) {
				r := recognition()
				r.What = hostile
				return mail.RecognitionEmail(r)
			},
			escaped: []string{"Brilliant &lt;b&gt;work&lt;/b&gt; &amp; thanks! &lt;script&gt;alert(1)", "&lt;b&gt;Sam&lt;/b&gt; &amp; &lt;script&gt;alert(9)", "&lt;firmware&gt;"},
		},
		{
			name:    "a confirmation escapes what the manager wrote in recorded and misunderstood lines",
			compose: func() (care.Email, error) { return mail.ConfirmationEmail(confirmation()) },
			escaped: []string{"2 prase Great &lt;b&gt;job&lt;/b&gt; &amp; thanks &lt;script&gt;alert(4)", "Brilliant &lt;b&gt;work&lt;/b&gt; &amp; thanks! &lt;script&gt;alert(1)", "&lt;n&gt; reward: &lt;what&gt;"},
		},
		{
			name:    "an answerable alert escapes the customer's words and the grammar",
			compose: func() (care.Email, error) { return mail.SatisfactionAlert(answerableAlert()) },
			escaped: []string{"&lt;b&gt;at all&lt;/b&gt; &amp; nobody", "&lt;script&gt;alert(2)", "&lt;b&gt;today&lt;/b&gt; &amp; calling"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			for _, raw := range []string{"<script", "<b>", "<i>", "<firmware>", "<n>", "<your words>"} {
				if strings.Contains(e.HTML, raw) {
					t.Errorf("HTML part contains unescaped %q", raw)
				}
			}
			for _, s := range tt.escaped {
				if !strings.Contains(e.HTML, s) {
					t.Errorf("HTML part lacks escaped %q", s)
				}
			}
		})
	}
}

func TestTheManagersWordsReachTheAgentVerbatim(t *testing.T) {
	f := coachingFeedback()
	e, err := mail.FeedbackEmail(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "\n"+f.Words+"\n") {
		t.Errorf("text part does not carry the manager's words as written:\n%s", e.Text)
	}
	if !slices.Equal(e.ReplyTo, []string{"jordan.reyes@acme-support.example"}) {
		t.Errorf("reply-to = %v: a reply to feedback should reach the manager", e.ReplyTo)
	}
}

func TestManagerEmailsNeedAnAddress(t *testing.T) {
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"a digest to a manager without an address", func() (care.Email, error) { d := digest(); d.Manager.Email = ""; return mail.DigestEmail(d) }},
		{"feedback to an agent without an address", func() (care.Email, error) {
			f := praiseFeedback()
			f.Agent.Email = ""
			return mail.FeedbackEmail(f)
		}},
		{"a recognition to a team without addresses", func() (care.Email, error) { r := recognition(); r.To = nil; return mail.RecognitionEmail(r) }},
		{"a recognition to a team of blank addresses", func() (care.Email, error) {
			r := recognition()
			r.To = []string{"", " "}
			return mail.RecognitionEmail(r)
		}},
		{"a confirmation to a manager without an address", func() (care.Email, error) {
			c := confirmation()
			c.Manager.Email = ""
			return mail.ConfirmationEmail(c)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is an error", func(t *testing.T) {
			if _, err := tt.compose(); err == nil {
				t.Error("composed an email nobody can receive")
			}
		})
	}
}

func TestADigestLeavesOutEmptySections(t *testing.T) {
	headings := map[string][2]string{ // section: HTML heading, text heading
		"praise":   {">To praise</h2>", "\nTO PRAISE\n"},
		"coaching": {">To coach</h2>", "\nTO COACH\n"},
		"cadence":  {">Feedback cadence</h2>", "\nFEEDBACK CADENCE\n"},
		"climate":  {">How the team feels</h2>", "\nHOW THE TEAM FEELS\n"},
		"trends":   {">Trends</h2>", "\nTRENDS"},
	}
	tests := []struct {
		name    string
		change  func(*mail.Digest)
		absent  []string
		subject string
	}{
		{"with everything, every section is there", func(*mail.Digest) {}, nil, digestSubject},
		{"without praise, coaching comes first and the subject only counts coaching", func(d *mail.Digest) { d.Praise = nil }, []string{"praise"}, "Your team this week: 1 to coach (23–30 Nov)"},
		{"without coaching, there is no coaching heading", func(d *mail.Digest) { d.Coaching = nil }, []string{"coaching"}, "Your team this week: 2 to praise (23–30 Nov)"},
		{"without members, there is no cadence", func(d *mail.Digest) { d.Cadence = nil }, []string{"cadence"}, digestSubject},
		{"without answers, there is no climate", func(d *mail.Digest) { d.Climate = nil }, []string{"climate"}, digestSubject},
		{"blank answers are no climate", func(d *mail.Digest) {
			d.Climate = []mail.ClimateAnswer{{Question: "How was your week?", Answer: " \n"}}
		}, []string{"climate"}, digestSubject},
		{"without trends, there are no trends", func(d *mail.Digest) { d.Trends = nil }, []string{"trends"}, digestSubject},
		{
			name: "with only a climate answer, only the climate is there",
			change: func(d *mail.Digest) {
				d.Praise, d.Coaching, d.Cadence, d.Trends = nil, nil, nil, nil
			},
			absent:  []string{"praise", "coaching", "cadence", "trends"},
			subject: "Your team this week (23–30 Nov)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := digest()
			tt.change(&d)
			e, err := mail.DigestEmail(d)
			if err != nil {
				t.Fatal(err)
			}
			for section, h := range headings {
				wantThere := !slices.Contains(tt.absent, section)
				if strings.Contains(e.HTML, h[0]) != wantThere || strings.Contains(e.Text, h[1]) != wantThere {
					t.Errorf("section %s: present = %v, want %v", section, !wantThere, wantThere)
				}
			}
			if e.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", e.Subject, tt.subject)
			}
		})
	}
}

func TestADigestSaysWhoIsOverdueAndHowTheRatioStands(t *testing.T) {
	e, err := mail.DigestEmail(digest())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- Priya Natarajan: never had feedback\n",
		"- Sam Okoye: last feedback 16 days ago (Sat 14 Nov)\n",
		"Aim for at least 3 : 1 praise to coaching.",
		"- Ana Silva: 4 : 1\n",
		"- Sam Okoye: 1 : 1, below target\n",
	} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, e.Text)
		}
	}
	if strings.Contains(e.Text, "Overdue for feedback:\n- Ana Silva") {
		t.Error("Ana Silva is listed as overdue")
	}
}

func TestADigestComputesTrendsAndSaysWhenThereIsNoData(t *testing.T) {
	tests := []struct {
		name   string
		trends core.Trends
		want   []string
	}{
		{
			name:   "reopen rate is reopened of solved and satisfaction is good of all ratings",
			trends: core.Trends{Solved: 40, Reopened: 4, PrevSolved: 36, PrevReopened: 2, Good: 10, Bad: 2, PrevGood: 9, PrevBad: 1},
			want:   []string{"Tickets solved: 40 (36)", "Reopen rate: 10% (6%)", "Satisfaction (good ratings): 83% (90%)"},
		},
		{
			name:   "a week before without solved tickets or ratings is no data, not zero",
			trends: core.Trends{Solved: 3, Reopened: 0, Good: 0, Bad: 4},
			want:   []string{"Tickets solved: 3 (0)", "Reopen rate: 0% (–)", "Satisfaction (good ratings): 0% (–)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := digest()
			d.Trends = &tt.trends
			e, err := mail.DigestEmail(d)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(e.Text, w) {
					t.Errorf("text part lacks %q", w)
				}
			}
			if strings.Contains(e.Text, "What customers raised most") {
				t.Error("text part has a tag list without tags")
			}
		})
	}
}

func TestADigestNeedsUniqueItemNumbers(t *testing.T) {
	tests := []struct {
		name   string
		change func(*mail.Digest)
	}{
		{"coaching that starts again at 1", func(d *mail.Digest) { d.Coaching[0].N = 1 }},
		{"an item without a number", func(d *mail.Digest) { d.Praise[1].N = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is an error, because a reply to it would be ambiguous", func(t *testing.T) {
			d := digest()
			tt.change(&d)
			if _, err := mail.DigestEmail(d); err == nil {
				t.Error("composed a digest with ambiguous numbers")
			}
		})
	}
}

func TestADigestPeriodReadsLikeADate(t *testing.T) {
	tests := []struct {
		name     string
		from, to time.Time
		want     string
	}{
		{"within a month", at(23, 0, 0), at(30, 0, 0), "Your team this week: 2 to praise, 1 to coach (23–30 Nov)"},
		{"across months", at(30, 0, 0), at(36, 0, 0), "Your team this week: 2 to praise, 1 to coach (30 Nov–6 Dec)"},
		{"across years", at(58, 0, 0), at(65, 0, 0), "Your team this week: 2 to praise, 1 to coach (28 Dec 2026–4 Jan 2027)"},
		{"without dates", time.Time{}, time.Time{}, "Your team this week: 2 to praise, 1 to coach"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := digest()
			d.From, d.To = tt.from, tt.to
			e, err := mail.DigestEmail(d)
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tt.want {
				t.Errorf("subject = %q, want %q", e.Subject, tt.want)
			}
		})
	}
}

func TestFeedbackIsPraiseOrCoaching(t *testing.T) {
	f := praiseFeedback()
	f.Kind = "kudos"
	if _, err := mail.FeedbackEmail(f); err == nil {
		t.Error("composed feedback that is neither praise nor coaching")
	}
}

func TestFeedbackFramesPraiseAsRecognitionAndCoachingAsSupport(t *testing.T) {
	praise, err := mail.FeedbackEmail(praiseFeedback())
	if err != nil {
		t.Fatal(err)
	}
	coaching, err := mail.FeedbackEmail(coachingFeedback())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"noticed what you did on ticket #5158", "Your reward: lunch on me", "also shared this with the team", "What happened on Tue 24 Nov 08:20 GMT:"} {
		if !strings.Contains(praise.Text, want) {
			t.Errorf("praise lacks %q:\n%s", want, praise.Text)
		}
	}
	for _, want := range []string{"has a word to help", "Reply to this email to talk it through with Jordan Reyes"} {
		if !strings.Contains(coaching.Text, want) {
			t.Errorf("coaching lacks %q:\n%s", want, coaching.Text)
		}
	}
	for _, unwanted := range []string{"reward", "shared this with the team"} {
		if strings.Contains(coaching.Text, unwanted) {
			t.Errorf("coaching mentions %q though there is none", unwanted)
		}
	}
}

func TestManagerEmailSubjectsStayOnOneLine(t *testing.T) {
	const subject = "Help\r\nBcc: victim@example.com"
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"feedback", func() (care.Email, error) { f := praiseFeedback(); f.Subject = subject; return mail.FeedbackEmail(f) }},
		{"a recognition of what the agent did", func() (care.Email, error) { r := recognition(); r.What = subject; return mail.RecognitionEmail(r) }},
		{"a recognition by a manager with a multi-line name", func() (care.Email, error) {
			r := recognition()
			r.Manager.Name = subject
			return mail.RecognitionEmail(r)
		}},
		{"a confirmation", func() (care.Email, error) { c := confirmation(); c.Subject = subject; return mail.ConfirmationEmail(c) }},
	}
	for _, tt := range tests {
		t.Run(tt.name+" keeps its subject on one line", func(t *testing.T) {
			e, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(e.Subject, "\r\n") {
				t.Errorf("subject %q spans lines", e.Subject)
			}
		})
	}
}

func TestAConfirmationAnswersOnceWithRe(t *testing.T) {
	tests := []struct {
		name, subject, want string
	}{
		{"a digest's subject gets Re:", digestSubject, "Re: " + digestSubject},
		{"a subject that is already a reply keeps one Re:", "Re: " + digestSubject, "Re: " + digestSubject},
		{"whatever its case and however often", "RE: re:" + digestSubject, "Re: " + digestSubject},
		{"an empty subject", "", "Re: (no subject)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := confirmation()
			c.Subject = tt.subject
			e, err := mail.ConfirmationEmail(c)
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tt.want {
				t.Errorf("subject = %q, want %q", e.Subject, tt.want)
			}
		})
	}
}

func TestAConfirmationLeavesOutWhatDidNotHappen(t *testing.T) {
	tests := []struct {
		name   string
		change func(*mail.Confirmation)
		absent []string
		want   string
	}{
		{"all recorded: nothing skipped and nothing misunderstood", func(c *mail.Confirmation) { c.Skipped, c.Problems = nil, nil }, []string{"SKIPPED", "NOT UNDERSTOOD"}, "RECORDED\n- Praise for Ana Silva on #5158"},
		{"nothing recorded: no promise that anything stays recorded", func(c *mail.Confirmation) { c.Recorded = nil }, []string{"RECORDED\n", "stays recorded"}, "No harm done: reply with just those lines"},
		{"one line not understood is that line", func(c *mail.Confirmation) { c.Problems = c.Problems[:1] }, []string{"these 2 lines"}, "carecoach could not read this line, so nothing was done with it:\n\nLine 4: 2 prase"},
		{"an empty reply says nothing was recorded", func(c *mail.Confirmation) { c.Recorded, c.Skipped, c.Problems = nil, nil, nil }, []string{"RECORDED\n", "SKIPPED", "NOT UNDERSTOOD"}, "It had nothing carecoach could act on, so nothing was recorded."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := confirmation()
			tt.change(&c)
			e, err := mail.ConfirmationEmail(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range tt.absent {
				if strings.Contains(e.Text, a) {
					t.Errorf("text part has %q", a)
				}
			}
			if !strings.Contains(e.Text, tt.want) {
				t.Errorf("text part lacks %q:\n%s", tt.want, e.Text)
			}
		})
	}
}

func TestWhyItMattersExplainsEveryBehaviourInOneSentence(t *testing.T) {
	seen := map[string]care.Behaviour{}
	for _, b := range []care.Behaviour{care.Respond, care.FollowUpDone, care.Commitment, care.Escalate, care.Delight, "something_new"} {
		s := mail.WhyItMatters(b)
		if s == "" || !strings.HasSuffix(s, ".") || strings.Count(s, ". ") > 0 || strings.Contains(s, "\n") {
			t.Errorf("WhyItMatters(%q) = %q, want one sentence", b, s)
		}
		if other, ok := seen[s]; ok {
			t.Errorf("%q and %q share the sentence %q", b, other, s)
		}
		seen[s] = b
	}
}
