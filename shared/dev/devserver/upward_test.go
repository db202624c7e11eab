package devserver_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

// The upward feedback team: the demo team (Ana and Priya report to Jordan,
// who reports to Sam), with Leo and Mia also reporting to Jordan, and
// Noor and Omar reporting to Kim, who reports to Sam too.
const (
	samEmail  = "sam.okafor@acme-support.example"
	leoEmail  = "leo.martin@acme-support.example"
	miaEmail  = "mia.chen@acme-support.example"
	kimEmail  = "kim.lee@acme-support.example"
	noorEmail = "noor.haddad@acme-support.example"
	omarEmail = "omar.said@acme-support.example"
)

// jordansTeam are the people asked about Jordan.
var jordansTeam = []string{agentEmail, priyaEmail, leoEmail, miaEmail}

func startUpwardLoop(t *testing.T, start time.Time) (*devserver.Server, chan app.Outcome) {
	t.Helper()
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	team.Members = append(team.Members,
		care.Member{Name: "Leo Martin", Email: leoEmail, Manager: managerEmail},
		care.Member{Name: "Mia Chen", Email: miaEmail, Manager: managerEmail},
		care.Member{Name: "Kim Lee", Email: kimEmail, Manager: samEmail},
		care.Member{Name: "Noor Haddad", Email: noorEmail, Manager: kimEmail},
		care.Member{Name: "Omar Said", Email: omarEmail, Manager: kimEmail},
	)
	if err := team.Validate(); err != nil {
		t.Fatal(err)
	}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	outcomes := make(chan app.Outcome, 16)
	srv, err := devserver.Start(ctx, devserver.Config{
		Addr: "127.0.0.1:0", DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS: dynamotest.LocalConfig(), Table: table, Teams: []care.Team{team}, Secret: secret,
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: localsched.FixedClock(start),
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
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

func upwardAnswers(t *testing.T, srv *devserver.Server) []care.UpwardAnswer {
	t.Helper()
	got, err := srv.Store.UpwardAnswers(ctx, "support", "2026-01", "2027-12")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// says checks that the latest email to addr whose subject has subject
// says each of want.
func says(t *testing.T, addr, subject string, want ...string) emulators.SentEmail {
	t.Helper()
	e := latest(t, addr, subject)
	for _, w := range want {
		if !strings.Contains(e.Text, w) {
			t.Errorf("the email to %s lacks %q:\n%s", addr, w, e.Text)
		}
	}
	return e
}

// Friday 4 Dec 2026, the first Friday of the month, 14:00 London: each
// agent is asked about their manager. Ana first answers without a score
// (explained, nothing stored), then properly; a replay and a second answer
// change nothing. Priya and Leo answer too, Mia does not: three of four
// about Jordan. Noor and Omar answer about Kim: two, under the threshold.
// On Friday 11 Dec Jordan gets his results, without a name; Kim gets only
// how many answered; Jordan thanks his team, once.
func TestUpwardFeedback(t *testing.T) {
	srv, outcomes := startUpwardLoop(t, time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)) // Thursday 3 Dec
	advance(t, srv, 26*time.Hour)                                                      // Friday 14:00
	questions := map[string]emulators.SentEmail{}
	for addr, about := range map[string]string{agentEmail: "Jordan Reyes", priyaEmail: "Jordan Reyes", leoEmail: "Jordan Reyes", miaEmail: "Jordan Reyes",
		noorEmail: "Kim Lee", omarEmail: "Kim Lee", managerEmail: samEmail, kimEmail: samEmail} {
		got := emailsTo(t, addr)
		if len(got) != 1 || got[0].Subject != "One question about the support you get from "+about || len(got[0].ReplyTo) != 1 {
			t.Fatalf("%s got %q, want one question about %s", addr, subjects(got), about)
		}
		questions[addr] = got[0]
	}
	if got := emailsTo(t, samEmail); len(got) != 0 {
		t.Errorf("Sam, who reports to nobody, got %q", subjects(got))
	}
	ana := questions[agentEmail]
	for _, want := range []string{"Were you kept informed this month about what affects your work?", "a score from 1 (not at all) to 5 (fully)",
		"Jordan Reyes sees the answers only when at least 3 people have answered, never with names", "Jordan Reyes's own manager sees only the month's average and how many answered", care.ReplyMarker} {
		if !strings.Contains(ana.Text, want) {
			t.Errorf("Ana's question lacks %q:\n%s", want, ana.Text)
		}
	}
	answer := func(from, msgID, words string) app.Outcome {
		t.Helper()
		q := questions[from]
		return mailTo(t, srv, outcomes, from, q.ReplyTo[0], reply("gmail", from, q.ReplyTo[0], q.Subject, msgID, words, q))
	}

	t.Run("an answer without a score is explained and records nothing", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := answer(agentEmail, "CAup-noscore@mail.example.com", "Yes, mostly, thanks!"); !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
			t.Fatalf("outcome %+v, want accepted, nothing recorded, one problem", o)
		}
		says(t, agentEmail, "Re: One question", "I could not find a score, so nothing was recorded")
		if got := upwardAnswers(t, srv); len(got) != 0 {
			t.Errorf("stored %+v", got)
		}
	})
	words := "thanks for sitting with me on the <b>refund</b> queue"
	first := reply("gmail", agentEmail, ana.ReplyTo[0], ana.Subject, "CAup-ana@mail.example.com", "4 - "+words, ana)
	t.Run("a score and words are recorded, without who gave them", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := mailTo(t, srv, outcomes, agentEmail, ana.ReplyTo[0], first); !o.Accepted || o.Recorded != 1 {
			t.Fatalf("outcome %+v, want recorded", o)
		}
		says(t, agentEmail, "Re: One question", "Your answer about Jordan Reyes's support in December 2026: 4 out of 5, with your words", "kept without your name")
		got := upwardAnswers(t, srv)
		if len(got) != 1 || got[0].Score != 4 || got[0].Words != words || got[0].Manager != managerEmail || got[0].Month != "2026-12" {
			t.Fatalf("stored %+v", got)
		}
		if stored := fmt.Sprintf("%+v", got[0]); strings.Contains(stored, agentEmail) || strings.Contains(stored, "ana.silva") || strings.Contains(stored, "Ana Silva") || strings.Contains(stored, "CAup") {
			t.Errorf("the stored answer names who gave it: %s", stored)
		}
	})
	t.Run("a replay and a second answer change nothing", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		if o := mailTo(t, srv, outcomes, agentEmail, ana.ReplyTo[0], first); o.Accepted || !strings.Contains(o.Reason, "replayed") {
			t.Errorf("replay: %+v, want refused as replayed", o)
		}
		if o := answer(agentEmail, "CAup-ana-2@mail.example.com", "1 actually"); !o.Accepted || o.Recorded != 0 || o.Problems != 1 {
			t.Errorf("second answer: %+v, want nothing recorded and why", o)
		}
		says(t, agentEmail, "Re: One question", "you already answered this question about Jordan Reyes for December 2026: your first answer stands")
		if got := upwardAnswers(t, srv); len(got) != 1 || got[0].Score != 4 {
			t.Errorf("after a second answer: %+v", got)
		}
	})
	for from, words := range map[string]string{priyaEmail: "5 Always there when I needed a hand.", leoEmail: "Score: 3", noorEmail: "2", omarEmail: "3 ok"} {
		if o := answer(from, "CAup-"+strings.Split(from, "@")[0]+"@mail.example.com", words); !o.Accepted || o.Recorded != 1 {
			t.Fatalf("%s's answer: %+v", from, o)
		}
	}

	_ = stack.ClearEmails(ctx)
	advance(t, srv, 7*24*time.Hour+5*time.Minute) // Friday 11 Dec 14:05: the results
	results := says(t, managerEmail, "How your team sees your support: December 2026",
		"3 of the 4 people asked answered. Average: 4.0 out of 5.", "5 (fully): 1\n4: 1\n3: 1\n2: 0\n1 (not at all): 0",
		"“Always there when I needed a hand.”\n\n“"+words+"”", "- Dec 2026: 4.0 (3 answers)", "- Nov 2026: fewer than 3 answers")
	for _, who := range []string{"Ana", "Priya", "Leo", "Mia", agentEmail, priyaEmail, leoEmail, miaEmail} {
		if strings.Contains(results.Text, who) || strings.Contains(results.HTML, who) {
			t.Errorf("Jordan's results name %q", who)
		}
	}
	kim := says(t, kimEmail, "How your team sees your support", "2 of the 2 people asked answered this month. Answers stay private below 3")
	if strings.Contains(kim.Text, "Average") || strings.Contains(kim.Text, "ok") {
		t.Errorf("Kim's results show what is under the threshold:\n%s", kim.Text)
	}
	says(t, samEmail, "How your team sees your support", "0 of the 2 people asked answered this month")

	t.Run("a late answer is explained and not counted", func(t *testing.T) {
		if o := answer(miaEmail, "CAup-mia@mail.example.com", "2"); o.Recorded != 0 || o.Problems != 1 {
			t.Errorf("late answer: %+v", o)
		}
		says(t, miaEmail, "Re: One question", "were already shown, so yours was not recorded")
	})

	thanks := "Thank you all <3 I will keep Fridays free for the refund queue."
	t.Run("Jordan's reply thanks each member asked, once", func(t *testing.T) {
		_ = stack.ClearEmails(ctx)
		o := mailTo(t, srv, outcomes, managerEmail, results.ReplyTo[0], reply("outlook", managerEmail, results.ReplyTo[0], results.Subject, "CAup-thanks@mail.example.com", thanks, results))
		if !o.Accepted || o.Recorded != 1 {
			t.Fatalf("outcome %+v", o)
		}
		says(t, managerEmail, "Re: How your team sees", "Your thanks went to the 4 people asked about you in December 2026")
		again := mailTo(t, srv, outcomes, managerEmail, results.ReplyTo[0], reply("gmail", managerEmail, results.ReplyTo[0], results.Subject, "CAup-thanks-2@mail.example.com", "Thanks again!", results))
		if again.Recorded != 0 || again.Problems != 1 {
			t.Errorf("a second thanks: %+v, want nothing sent and why", again)
		}
		says(t, managerEmail, "Re: How your team sees", "you thanked your team for December 2026 already, so nothing was sent again")
		for _, addr := range jordansTeam {
			got := emailsTo(t, addr)
			if len(got) != 1 || got[0].Subject != "Jordan Reyes thanks the team for the feedback of December 2026" || !strings.Contains(got[0].Text, thanks) ||
				len(got[0].ReplyTo) != 1 || got[0].ReplyTo[0] != managerEmail {
				t.Errorf("%s got %q, want Jordan's thanks once, Reply-To him", addr, subjects(got))
			}
		}
		for _, addr := range []string{noorEmail, omarEmail, kimEmail, samEmail} {
			if got := emailsTo(t, addr); len(got) != 0 {
				t.Errorf("%s, not asked about Jordan, got %q", addr, subjects(got))
			}
		}
	})

	_ = stack.ClearEmails(ctx)
	advance(t, srv, 2*24*time.Hour+18*time.Hour) // Monday 14 Dec 08:05: the digests
	t.Run("the digests show the figures from the threshold, and withhold them below it", func(t *testing.T) {
		says(t, managerEmail, "Your team this week", "UPWARD FEEDBACK\n\nHow your team sees your support, December 2026: 4.0 out of 5 from 3 answers.")
		kim := says(t, kimEmail, "Your team this week", "How your team sees your support, December 2026: 2 answers, kept private below 3.")
		sam := says(t, samEmail, "Your team this week", "How your team sees your support, December 2026: no answers.",
			"The managers who report to you, month by month (withheld below 3 answers):",
			"- Jordan Reyes: Jul 2026: fewer than 3 answers; Aug 2026: fewer than 3 answers; Sep 2026: fewer than 3 answers; Oct 2026: fewer than 3 answers; Nov 2026: fewer than 3 answers; Dec 2026: 4.0 (3 answers)",
			"- Kim Lee: Jul 2026: fewer than 3 answers; Aug 2026: fewer than 3 answers; Sep 2026: fewer than 3 answers; Oct 2026: fewer than 3 answers; Nov 2026: fewer than 3 answers; Dec 2026: fewer than 3 answers")
		for _, e := range []emulators.SentEmail{kim, sam, latest(t, managerEmail, "Your team this week")} {
			for _, secret := range []string{"2.5 out of 5", "refund</b> queue", "Always there", "“ok”"} { // Kim's average, and words
				if strings.Contains(e.Text, secret) {
					t.Errorf("a digest shows %q:\n%s", secret, e.Text)
				}
			}
		}
	})
	t.Run("the dashboards and the API show the figures from the threshold, never words", func(t *testing.T) {
		jordan := dashboardOf(t, srv, latest(t, managerEmail, "Your team this week"))
		kim := dashboardOf(t, srv, latest(t, kimEmail, "Your team this week"))
		sam := dashboardOf(t, srv, latest(t, samEmail, "Your team this week"))
		if got := jordan.december(managerEmail); got != "shown 3 answers, average 4.0" || len(jordan.api.Upward.Managers) != 1 {
			t.Errorf("Jordan's API: %s, %+v; want his own December only, shown", got, jordan.api.Upward)
		}
		if got := kim.december(kimEmail); got != "withheld" || len(kim.api.Upward.Managers) != 1 {
			t.Errorf("Kim's API: %s, %+v; want her own December only, withheld", got, kim.api.Upward)
		}
		if sam.december(managerEmail) != "shown 3 answers, average 4.0" || sam.december(kimEmail) != "withheld" || sam.december(samEmail) != "withheld" {
			t.Errorf("Sam's API: %+v; want Jordan's December shown, Kim's and his own withheld", sam.api.Upward)
		}
		if !strings.Contains(jordan.page, `<td data-month="2026-12">4.0 · 3 answers</td>`) || !strings.Contains(kim.page, `<td data-month="2026-12">withheld</td>`) {
			t.Error("the pages do not show Jordan's December and withhold Kim's")
		}
		for _, d := range []dashboardView{jordan, kim, sam} {
			for _, secret := range []string{"Always there", "refund", "2.5 ·", `"average":2.5`} { // words, and Kim's average
				if strings.Contains(d.page, secret) || strings.Contains(d.raw, secret) {
					t.Errorf("a dashboard or its JSON shows %q", secret)
				}
			}
		}
	})
}

// dashboardView is a manager's dashboard page and scorecards JSON, read
// through the link in their digest.
type dashboardView struct {
	page, raw string
	api       struct {
		Upward struct {
			Managers []struct {
				Manager string
				Months  []struct {
					Month    string
					Withheld bool
					Answers  int
					Average  float64
				}
			}
		}
	}
}

// december says what the API shows of a manager's December.
func (d dashboardView) december(manager string) string {
	for _, m := range d.api.Upward.Managers {
		for _, mo := range m.Months {
			switch {
			case m.Manager != manager || mo.Month != "2026-12":
			case mo.Withheld && mo.Answers == 0 && mo.Average == 0:
				return "withheld"
			default:
				return fmt.Sprintf("shown %d answers, average %.1f", mo.Answers, mo.Average)
			}
		}
	}
	return "absent"
}

func dashboardOf(t *testing.T, srv *devserver.Server, digest emulators.SentEmail) dashboardView {
	t.Helper()
	link := regexp.MustCompile(`http://127\.0\.0\.1:\d+/dashboard/support\?t=\S+`).FindString(digest.Text)
	if link == "" {
		t.Fatalf("no dashboard link in:\n%s", digest.Text)
	}
	get := func(u string) string {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", u, resp.StatusCode, b)
		}
		return string(b)
	}
	var d dashboardView
	d.page = get(link)
	_, query, _ := strings.Cut(link, "?")
	d.raw = get(srv.URL + "/api/teams/support/scorecards?" + query)
	if err := json.Unmarshal([]byte(d.raw), &d.api); err != nil {
		t.Fatal(err)
	}
	return d
}
