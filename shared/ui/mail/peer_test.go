package mail_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// The team's own voice: every Friday Ana Silva gets Customer Support's
// climate question, and her answer reaches Jordan Reyes's digest. Priya
// Natarajan thanks Ana for taking an angry caller off her hands by writing
// to the kudos address; Ana gets the thanks, Priya a receipt, and Jordan
// sees the kudos counted beside his own feedback.

const (
	satisfying  = "What was the most satisfying experience you had at work this week?"
	climateHelp = "Just reply with your answer, as long or short as you like."
	kudosAddr   = "kudos@in.acme-support.example"

	// priyaWrote is the teammate's words, verbatim: they must reach Ana as
	// Priya typed them and never as markup.
	priyaWrote = "Thank you for taking my <b>angry</b> caller on Friday & staying late to sort his refund.\nYou made my week! <script>alert(5)</script>"

	// notUnderstood is what the kudos parser could not read.
	notUnderstood = "“kudos @sam for the <b>refund</b> & more” names @sam, who is not in Customer Support."
)

func climate() mail.ClimateQuestion {
	return mail.ClimateQuestion{
		Agent:    agent,
		TeamID:   "support",
		TeamName: "Customer Support",
		Question: satisfying,
		Help:     climateHelp,
	}
}

func anonymousClimateQuestion() mail.ClimateQuestion {
	p := climate()
	p.Question = "What would you like to be able to do for customers that you're not able to do?"
	p.Anonymous = true
	return p
}

func kudos() mail.Kudos {
	return mail.Kudos{To: agent, From: priya, TeamName: "Customer Support", Words: priyaWrote}
}

func kudosReceipt() mail.KudosReceipt {
	return mail.KudosReceipt{Sender: priya, Delivered: []string{"Ana Silva"}, Address: kudosAddr}
}

func misunderstoodKudos() mail.KudosReceipt {
	return mail.KudosReceipt{Sender: priya, Problem: notUnderstood, Address: kudosAddr}
}

// peerEmails are the emails of the team's own voice, each from its story.
var peerEmails = []struct {
	name    string
	golden  string
	compose func() (care.Email, error)
	subject string
	to      []string
	replyTo []string
	tags    map[string]string
	help    string // the reply help an answerable email ends with
}{
	{
		name:    "a climate question asks the agent the week's question and says the manager sees the answer with their name",
		golden:  "climate",
		compose: func() (care.Email, error) { return mail.ClimateQuestionEmail(climate()) },
		subject: "A question for the week: " + satisfying,
		to:      []string{"ana.silva@acme-support.example"},
		tags:    map[string]string{"kind": "climate", "team": "support"},
		help:    climateHelp,
	},
	{
		name:    "an anonymous climate question says the manager sees the answer without a name",
		golden:  "climate_anonymous",
		compose: func() (care.Email, error) { return mail.ClimateQuestionEmail(anonymousClimateQuestion()) },
		subject: "A question for the week: What would you like to be able to do for customers that you're not able to do?",
		to:      []string{"ana.silva@acme-support.example"},
		tags:    map[string]string{"kind": "climate", "team": "support"},
		help:    climateHelp,
	},
	{
		name:    "kudos reach the teammate in the sender's own words, and a reply reaches the sender",
		golden:  "kudos",
		compose: func() (care.Email, error) { return mail.KudosEmail(kudos()) },
		subject: "Kudos from Priya Natarajan",
		to:      []string{"ana.silva@acme-support.example"},
		replyTo: []string{"priya.natarajan@acme-support.example"},
		tags:    map[string]string{"kind": "kudos", "team": "support"},
	},
	{
		name:    "a kudos receipt says the kudos is recorded and whom it reached",
		golden:  "kudos_receipt",
		compose: func() (care.Email, error) { return mail.KudosReceiptEmail(kudosReceipt()) },
		subject: "Kudos delivered to Ana Silva",
		to:      []string{"priya.natarajan@acme-support.example"},
		tags:    map[string]string{"kind": "kudos_receipt", "team": "support"},
	},
	{
		name:    "a kudos receipt for kudos not understood explains what went wrong and how to write it",
		golden:  "kudos_receipt_problem",
		compose: func() (care.Email, error) { return mail.KudosReceiptEmail(misunderstoodKudos()) },
		subject: "Your kudos was not delivered: how to send it",
		to:      []string{"priya.natarajan@acme-support.example"},
		tags:    map[string]string{"kind": "kudos_receipt", "team": "support"},
	},
}

func TestPeerEmailsMatchGolden(t *testing.T) {
	for _, c := range peerEmails {
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
			if !slices.Equal(e.ReplyTo, c.replyTo) {
				t.Errorf("reply-to = %v, want %v", e.ReplyTo, c.replyTo)
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

func TestOnlyTheClimateQuestionIsAnswerable(t *testing.T) {
	for _, c := range peerEmails {
		t.Run(c.name, func(t *testing.T) {
			e, err := c.compose()
			if err != nil {
				t.Fatal(err)
			}
			if c.help == "" {
				for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
					if strings.Contains(body, care.ReplyMarker) || strings.Contains(body, "How to reply") {
						t.Errorf("%s part of an email that is not answerable reads as answerable", part)
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
			for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
				if n := strings.Count(body, care.ReplyMarker); n != 1 {
					t.Errorf("%s part has the marker %d times", part, n)
				}
			}
			// Everything from the marker down is cut from a reply, so the
			// help must follow the question, in the footer.
			if i := strings.LastIndex(e.Text, "\n--\n"); i < 0 || !strings.Contains(e.Text[i:], "How to reply:\n\n"+c.help+"\n") {
				t.Errorf("text part does not end with the reply help:\n%s", e.Text)
			}
			if i := strings.LastIndex(e.HTML, "How to reply"); i < 0 || !strings.Contains(e.HTML[i:], c.help) || strings.Contains(e.HTML[i:], "This week’s question") {
				t.Error("HTML part does not end with the reply help")
			}
		})
	}
}

func TestAClimateQuestionSaysWhoSeesTheAnswer(t *testing.T) {
	tests := []struct {
		name      string
		anonymous bool
		want      string
		unwanted  string
	}{
		{"a named climate question says the manager sees the agent's name", false, "Your answer goes to your manager, with your name, in the team’s digest.", "without your name"},
		{"an anonymous climate question says the manager sees no name", true, "Your answer goes to your manager without your name: the team’s digest shows it as anonymous.", "with your name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := climate()
			p.Anonymous = tt.anonymous
			e, err := mail.ClimateQuestionEmail(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(e.Text, "\n"+tt.want+"\n") {
				t.Errorf("text part lacks %q:\n%s", tt.want, e.Text)
			}
			for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
				if strings.Contains(body, tt.unwanted) {
					t.Errorf("%s part says %q", part, tt.unwanted)
				}
			}
		})
	}
}

func TestAClimateQuestionAsksTheQuestionOnItsOwnLine(t *testing.T) {
	p := climate()
	p.Question = "  What got in the way\nof helping a customer this week?  "
	e, err := mail.ClimateQuestionEmail(p)
	if err != nil {
		t.Fatal(err)
	}
	const asked = "What got in the way of helping a customer this week?"
	if !strings.Contains(e.Text, "\n\n  "+asked+"\n\n") {
		t.Errorf("text part does not set the question apart on one line:\n%s", e.Text)
	}
	if want := "A question for the week: " + asked; e.Subject != want {
		t.Errorf("subject = %q, want %q", e.Subject, want)
	}
}

func TestAClimateQuestionWithoutHelpStillSaysHowToReply(t *testing.T) {
	p := climate()
	p.Help = " \n"
	e, err := mail.ClimateQuestionEmail(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "How to reply:\n\n"+climateHelp+"\n") || !strings.Contains(e.HTML, climateHelp) {
		t.Errorf("a climate question without help does not say how to reply:\n%s", e.Text)
	}
}

func TestAClimateQuestionWithoutAQuestionIsAnError(t *testing.T) {
	p := climate()
	p.Question = " \n "
	if _, err := mail.ClimateQuestionEmail(p); err == nil {
		t.Error("composed a climate question that asks nothing")
	}
}

func TestTheTeammatesWordsReachTheAgentVerbatim(t *testing.T) {
	e, err := mail.KudosEmail(kudos())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "\n\n"+priyaWrote+"\n\n— Priya Natarajan\n") {
		t.Errorf("text part does not carry Priya's words as written:\n%s", e.Text)
	}
	if !strings.Contains(e.Text, "Reply to this email to answer Priya Natarajan directly.") {
		t.Errorf("text part does not say a reply reaches Priya:\n%s", e.Text)
	}
}

func TestKudosStillReadWithoutNamesOrWords(t *testing.T) {
	k := kudos()
	k.From = care.Member{Team: "support"}
	k.To.Name = ""
	k.TeamName = ""
	k.Words = "  \r\n"
	e, err := mail.KudosEmail(k)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Kudos from a teammate"; e.Subject != want {
		t.Errorf("subject = %q, want %q", e.Subject, want)
	}
	if want := "Hi,\n\nA teammate sent you kudos.\n\nYour manager sees"; !strings.Contains(e.Text, want) {
		t.Errorf("text part lacks %q:\n%s", want, e.Text)
	}
	if len(e.ReplyTo) != 0 || strings.Contains(e.Text, "Reply to this email") {
		t.Errorf("kudos from nobody known offer a reply (reply-to %v)", e.ReplyTo)
	}
	if strings.Contains(e.HTML, "<blockquote") {
		t.Error("HTML part quotes words nobody wrote")
	}
}

func TestAKudosReceiptSaysWhatHappened(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*mail.KudosReceipt)
		subject string
		want    []string
		absent  []string
	}{
		{
			name:    "kudos to one teammate names them and teaches nothing",
			change:  func(*mail.KudosReceipt) {},
			subject: "Kudos delivered to Ana Silva",
			want:    []string{"Your kudos is recorded and was delivered to Ana Silva."},
			absent:  []string{"HOW TO SEND KUDOS", "not understood", "not delivered"},
		},
		{
			name:    "kudos to two teammates name both",
			change:  func(r *mail.KudosReceipt) { r.Delivered = []string{"Ana Silva", "Jordan\nReyes"} },
			subject: "Kudos delivered to Ana Silva and Jordan Reyes",
			want:    []string{"delivered to Ana Silva and Jordan Reyes."},
		},
		{
			name: "kudos to many teammates count them in the subject and name them in the body",
			change: func(r *mail.KudosReceipt) {
				r.Delivered = []string{"Ana Silva", "Jordan Reyes", "Sam Okoye", "Lee Chen"}
			},
			subject: "Kudos delivered to 4 teammates",
			want:    []string{"delivered to Ana Silva, Jordan Reyes, Sam Okoye and Lee Chen."},
		},
		{
			name:    "kudos partly understood say what was delivered and how to send the rest",
			change:  func(r *mail.KudosReceipt) { r.Problem = notUnderstood },
			subject: "Kudos delivered to Ana Silva, but part of it was not understood",
			want: []string{
				"delivered to Ana Silva.",
				"Part of it was not understood, so nothing was done with that part:\n\n  " + notUnderstood + "\n",
				"No harm done: send that part again, written in one of these ways.",
				"HOW TO SEND KUDOS",
			},
			absent: []string{"not delivered"},
		},
		{
			name:    "kudos that named nobody say so and how to write them",
			change:  func(r *mail.KudosReceipt) { r.Delivered = nil },
			subject: "Your kudos was not delivered: how to send it",
			want: []string{
				"so it was not delivered and nothing was recorded.",
				"It named no teammate carecoach knows, so there was nobody to deliver it to.",
				"1. Write to " + kudosAddr + " with one line for each teammate, naming them after an @:\n\n   kudos @ana for covering my queue on Friday\n",
				"2. Or write to " + kudosAddr + " with your teammates in To or Cc, and your thanks in the message.",
			},
		},
		{
			name:    "without the kudos address, the receipt still says how to write them",
			change:  func(r *mail.KudosReceipt) { r.Delivered, r.Address = nil, "" },
			subject: "Your kudos was not delivered: how to send it",
			want:    []string{"1. Write to the kudos address with one line", "2. Or write to the kudos address with your teammates in To or Cc", "because you sent kudos.\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := kudosReceipt()
			tt.change(&r)
			e, err := mail.KudosReceiptEmail(r)
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", e.Subject, tt.subject)
			}
			for _, w := range tt.want {
				if !strings.Contains(e.Text, w) {
					t.Errorf("text part lacks %q:\n%s", w, e.Text)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(e.Text, a) {
					t.Errorf("text part has %q:\n%s", a, e.Text)
				}
			}
		})
	}
}

func TestPeerEmailsEscapeWordsQuestionsAndNamesInHTML(t *testing.T) {
	hostile := "<b>Sam</b> & <script>alert(9)</script>"
	tests := []struct {
		name    string
		compose func() (care.Email, error)
		escaped []string
	}{
		{
			name: "a climate question escapes the question, the names and the help",
			compose: func() (care.Email, error) {
				p := climate()
				p.Question = "What made you <b>proud</b> & why? <script>alert(6)</script>"
				p.Agent.Name = hostile
				p.TeamName = hostile
				p.Help = "Reply with <your answer> & send."
				return mail.ClimateQuestionEmail(p)
			},
			escaped: []string{"What made you &lt;b&gt;proud&lt;/b&gt; &amp; why? &lt;script&gt;alert(6)&lt;/script&gt;", "&lt;b&gt;Sam&lt;/b&gt; &amp; &lt;script&gt;alert(9)", "Reply with &lt;your answer&gt; &amp; send."},
		},
		{
			name: "kudos escape the teammate's words and both names",
			compose: func() (care.Email, error) {
				k := kudos()
				k.From.Name = hostile
				k.To.Name = hostile
				return mail.KudosEmail(k)
			},
			escaped: []string{"my &lt;b&gt;angry&lt;/b&gt; caller on Friday &amp; staying", "&lt;script&gt;alert(5)&lt;/script&gt;", "&lt;b&gt;Sam&lt;/b&gt; &amp; &lt;script&gt;alert(9)"},
		},
		{
			name: "a kudos receipt escapes what was not understood and the names it went to",
			compose: func() (care.Email, error) {
				r := kudosReceipt()
				r.Delivered = []string{hostile}
				r.Problem = notUnderstood
				return mail.KudosReceiptEmail(r)
			},
			escaped: []string{"the &lt;b&gt;refund&lt;/b&gt; &amp; more", "&lt;b&gt;Sam&lt;/b&gt; &amp; &lt;script&gt;alert(9)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			for _, raw := range []string{"<script", "<b>", "<your answer>"} {
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

func TestPeerEmailSubjectsStayOnOneLine(t *testing.T) {
	const injected = "Help\r\nBcc: victim@example.com"
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"a climate question with a multi-line question", func() (care.Email, error) { p := climate(); p.Question = injected; return mail.ClimateQuestionEmail(p) }},
		{"kudos from a teammate with a multi-line name", func() (care.Email, error) { k := kudos(); k.From.Name = injected; return mail.KudosEmail(k) }},
		{"a kudos receipt for a teammate with a multi-line name", func() (care.Email, error) {
			r := kudosReceipt()
			r.Delivered = []string{injected}
			return mail.KudosReceiptEmail(r)
		}},
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

func TestPeerEmailsNeedAnAddress(t *testing.T) {
	tests := []struct {
		name    string
		compose func() (care.Email, error)
	}{
		{"a climate question to an agent without an address", func() (care.Email, error) { p := climate(); p.Agent.Email = ""; return mail.ClimateQuestionEmail(p) }},
		{"kudos to a teammate without an address", func() (care.Email, error) { k := kudos(); k.To.Email = ""; return mail.KudosEmail(k) }},
		{"a kudos receipt to a sender without an address", func() (care.Email, error) {
			r := kudosReceipt()
			r.Sender.Email = ""
			return mail.KudosReceiptEmail(r)
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

func TestADigestCountsKudosBesideTheManagersFeedback(t *testing.T) {
	d := digest()
	d.Cadence[0].Kudos = 2 // Ana Silva, 4 : 1
	d.Cadence[2].Kudos = 1 // Sam Okoye, 1 : 1 and below target
	e, err := mail.DigestEmail(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- Ana Silva: 4 : 1 (+2 kudos from teammates)\n",
		"- Priya Natarajan: 0 : 0\n",
		"- Sam Okoye: 1 : 1, below target (+1 kudos from teammates)\n",
	} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, e.Text)
		}
	}
	if !strings.Contains(e.HTML, ">4 : 1 <span style=\"color:#59636e;\">(+2 kudos from teammates)</span></td>") {
		t.Error("HTML part does not show Ana's kudos beside her praise : coaching")
	}
	if n := strings.Count(e.HTML, "kudos from teammates"); n != 2 {
		t.Errorf("HTML part mentions kudos %d times, want 2", n)
	}

	plain, err := mail.DigestEmail(digest())
	if err != nil {
		t.Fatal(err)
	}
	for part, body := range map[string]string{"HTML": plain.HTML, "text": plain.Text} {
		if strings.Contains(body, "kudos") {
			t.Errorf("%s part of a digest without kudos mentions kudos", part)
		}
	}
}

func TestADigestShowsAnAnswerWithoutANameAsAnonymous(t *testing.T) {
	e, err := mail.DigestEmail(digest())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- 4. “Refund orders under £50 <b>myself</b> & skip the queue.” — Ana Silva\n",
		"- 5. “Call customers back <script>alert(3)</script>” — anonymous\n",
	} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, e.Text)
		}
	}
	if !strings.Contains(e.HTML, "Call customers back &lt;script&gt;alert(3)&lt;/script&gt;</blockquote>\n<p style=\"margin:0 0 12px;font-size:13px;color:#59636e;\"><strong>5</strong> — anonymous</p>") {
		t.Error("HTML part does not show the answer without a name as anonymous")
	}

	d := digest()
	d.Climate[0].Who = " \n "
	blank, err := mail.DigestEmail(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(blank.Text, "— \n") || strings.Count(blank.Text, "— anonymous\n") != 2 {
		t.Errorf("a blank name is not shown as anonymous:\n%s", blank.Text)
	}
}
