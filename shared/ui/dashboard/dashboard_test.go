package dashboard_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
	"github.com/carecoach/carecoach/shared/ui/dashboard"
)

var (
	to     = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	london = func() *time.Location { l, _ := time.LoadLocation("Europe/London"); return l }()
	ana    = care.Member{Name: `Ana <script>alert(1)</script> Silva`, Email: "ana@acme.example", HelpdeskIDs: map[string]string{"acme-zendesk": "1001"}}
)

func page(t *testing.T) string {
	t.Helper()
	ref := care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}
	mid := to.Add(-3 * 24 * time.Hour)
	sc := scorecard.Compute(scorecard.Input{
		Team:    care.Team{ID: "support", Name: "Customer & Support", Connections: []care.Connection{{ID: "acme-zendesk", Kind: care.Zendesk, BaseURL: "https://acme.zendesk.com"}}},
		Members: []care.Member{ana}, From: to.Add(-scorecard.Week), To: to, Now: to,
		Window: 24 * time.Hour, Cadence: 14 * 24 * time.Hour,
		Moments: []care.Moment{{ID: "m1", Ticket: ref, Behaviour: care.Respond, Kind: care.Praise, AgentID: "1001", At: mid, What: `Answered <b>Maria</b> within 20 minutes.`, Subject: "Printer offline"}},
		Facts:   []care.Fact{{Ticket: ref, Kind: care.FactResponded, AgentID: "1001", Waited: 20 * time.Minute, First: true, At: mid}, {Ticket: ref, Kind: care.FactRated, Rating: "good", AgentID: "1001", At: mid}},
		Feedback: map[string][]care.Feedback{"ana@acme.example": {
			{Kind: care.Praise, At: mid, Reward: "lunch <on> me"}, {Kind: care.Coaching, At: mid.Add(-20 * 24 * time.Hour)}, {Kind: care.Praise, Peer: true, At: mid},
		}},
		// Jordan's coaching of Ana: one check-back done, one waiting, one
		// still to go; and one by a lead whose address carries markup.
		Manager: "jordan@acme.example",
		CheckBacks: []care.CheckBack{
			{ID: "c1", Manager: "jordan@acme.example", AgentEmail: "ana@acme.example", SaidAt: mid, SentAt: mid.Add(time.Hour), Status: care.CheckBackDone, DoneAt: mid.Add(2 * time.Hour)},
			{ID: "c2", Manager: "jordan@acme.example", AgentEmail: "ana@acme.example", SaidAt: mid, SentAt: mid.Add(time.Hour), Status: care.CheckBackPending},
			{ID: "c3", Manager: "jordan@acme.example", AgentEmail: "ana@acme.example", SaidAt: mid, Status: care.CheckBackPending},
			{ID: "c4", Manager: `"><b>lead</b>@acme.example`, AgentEmail: "ana@acme.example", SaidAt: mid, SentAt: mid.Add(time.Hour), Status: care.CheckBackPending},
		},
	})
	var b bytes.Buffer
	if err := dashboard.Render(&b, dashboard.Page{Scorecards: sc, Location: london, PraiseRatio: 3, Token: "support.x.y", Weeks: "1"}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestThePage(t *testing.T) {
	html := page(t)
	tests := []struct {
		name string
		want []string
		not  []string
	}{
		{"names and words from help desks and emails are escaped", []string{"Ana &lt;script&gt;alert(1)&lt;/script&gt; Silva", "Answered &lt;b&gt;Maria&lt;/b&gt;", "Customer &amp; Support", "lunch &lt;on&gt; me"}, []string{"<script>", "<b>Maria"}},
		{"the table shows each figure as text", []string{`data-metric="window">100% (1 of 1)`, `data-metric="firstResponse">20 min`, `data-metric="csat">100% (1 good, 0 bad)`, `data-metric="feedback">1 from manager · 1 kudos`, `data-metric="ratio">1 : 0`}, nil},
		{"each manager's check-backs are counted, the viewer first, then the team", []string{
			"<span class=\"label\">Check-backs done</span><span class=\"value\">33%</span><span class=\"note\">1 of 3 asked · 2 waiting · 1 to go</span>",
			`<tr data-manager="jordan@acme.example">
<th scope="row" data-metric="name">jordan@acme.example</th>
<td data-metric="asked">2</td>
<td data-metric="done">1</td>
<td data-metric="waiting">1</td>
<td data-metric="upcoming">1</td>
<td data-metric="rate">50%</td>`,
			`<tr data-manager="&#34;&gt;&lt;b&gt;lead&lt;/b&gt;@acme.example">`,
			`<tr data-manager="team">
<th scope="row" data-metric="name">Team</th>
<td data-metric="asked">3</td>`,
		}, []string{"<b>lead", "no-checkbacks"}},
		{"every moment links to its ticket without a referrer", []string{`href="https://acme.zendesk.com/agent/tickets/5158" rel="noreferrer noopener"`}, nil},
		{"every chart is an image with a title and a description", []string{`id="timeline" viewBox`, `role="img" aria-labelledby="timeline-t timeline-d"`, `id="trend-window"`, `id="trend-csat"`, `id="trend-followups"`, `id="ratio-bars"`}, nil},
		{"feedback marks differ by shape and say what they are", []string{"<circle", `class="coaching"><title>`, `<polygon points=`, "kudos from a teammate, "}, nil},
		{"the page loads nothing from elsewhere and runs no script", []string{`<meta name="referrer" content="no-referrer">`}, []string{"<script", "src=", "<link", "http://"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(html, n) {
					t.Errorf("page has %q", n)
				}
			}
		})
	}
}

func TestWithoutCoachingThePageSaysThereIsNothingToCheckBackOn(t *testing.T) {
	sc := scorecard.Compute(scorecard.Input{Team: care.Team{ID: "support"}, Members: []care.Member{ana}, From: to.Add(-scorecard.Week), To: to, Now: to, Manager: "jordan@acme.example"})
	var b bytes.Buffer
	if err := dashboard.Render(&b, dashboard.Page{Scorecards: sc, Location: london}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`id="no-checkbacks">No coaching in this period to check back on.`, `<span class="value">–</span><span class="note">0 of 0 asked`} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(b.String(), `id="checkbacks"`) {
		t.Error("an empty check-back table")
	}
}

func TestTheStyleMatchesThePolicyHash(t *testing.T) {
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page(t))
	if m == nil {
		t.Fatal("no style element")
	}
	sum := sha256.Sum256([]byte(m[1]))
	if want := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(dashboard.CSP, want) {
		t.Errorf("CSP %q does not allow the page's style (%s): the browser would drop it", dashboard.CSP, want)
	}
}

func TestAnErrorPageShowsTheMessageAndNoData(t *testing.T) {
	var b bytes.Buffer
	if err := dashboard.RenderError(&b, 401, "this dashboard link has expired: open the dashboard from your latest digest email"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"This dashboard link has expired", "HTTP 401", `id="error"`} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("error page lacks %q:\n%s", w, b.String())
		}
	}
	if strings.Contains(b.String(), "<table") || strings.Contains(b.String(), "<svg") {
		t.Error("the error page shows data")
	}
}
