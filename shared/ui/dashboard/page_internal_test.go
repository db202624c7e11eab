package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

// The page used to be testdata/template.html run by html/template. The
// hand-written renderer must write the same bytes: same markup, same
// escaping in every context, same treatment of links.
func oracle(t *testing.T) *template.Template {
	t.Helper()
	src, err := os.ReadFile("testdata/template.html")
	if err != nil {
		t.Fatal(err)
	}
	return template.Must(template.New("dashboard").Funcs(template.FuncMap{
		"css": func() template.CSS { return template.CSS(css) },
	}).Parse(string(src)))
}

// hostile is markup, quotes, plus signs, NULs and non-ASCII in every
// field a help desk or an email can fill.
const hostile = "Ana <b>\"O'Neil\"</b> & +1 \x00 ✓ </title><script>x</script>"

func hostilePage(t *testing.T, withData bool, link string) Page {
	t.Helper()
	to := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	ref := care.TicketRef{Connection: "c", TicketID: "51\"58"}
	mid := to.Add(-3 * 24 * time.Hour)
	in := scorecard.Input{
		Team:    care.Team{ID: "support", Name: hostile, Connections: []care.Connection{{ID: "c", Kind: care.Zendesk, BaseURL: link}}},
		Members: []care.Member{{Name: hostile, Email: "Ana+X@acme.example", HelpdeskIDs: map[string]string{"c": "1"}}, {Name: "Bo", Email: "bo@acme.example"}},
		From:    to.Add(-scorecard.Week), To: to, Now: to,
		Window: 90 * time.Minute, Cadence: 14 * 24 * time.Hour,
	}
	if withData {
		in.Moments = []care.Moment{
			{ID: "m1", Ticket: ref, Behaviour: care.Respond, Kind: care.Praise, AgentID: "1", At: mid, What: hostile, Subject: hostile},
			{ID: "m2", Ticket: ref, Behaviour: care.FollowUpDone, Kind: care.Coaching, AgentID: "1", At: mid.Add(time.Hour), What: "w"},
		}
		in.Facts = []care.Fact{{Ticket: ref, Kind: care.FactResponded, AgentID: "1", Waited: 20 * time.Minute, First: true, At: mid}, {Ticket: ref, Kind: care.FactRated, Rating: "good", AgentID: "1", At: mid}}
		in.Feedback = map[string][]care.Feedback{"ana+x@acme.example": {{Kind: care.Praise, At: mid, Reward: hostile}, {Kind: care.Coaching, At: mid.Add(-20 * 24 * time.Hour)}, {Kind: care.Praise, Peer: true, At: mid}}}
		// Check-backs by a manager named with markup (a member of the
		// team) and by one known only by a hostile address.
		in.Manager = "Ana+X@acme.example"
		in.CheckBacks = []care.CheckBack{
			{ID: "c1", Manager: "ana+x@acme.example", AgentEmail: "bo@acme.example", SaidAt: mid, SentAt: mid.Add(time.Hour), Status: care.CheckBackDone, DoneAt: mid.Add(2 * time.Hour)},
			{ID: "c2", Manager: hostile, AgentEmail: "ana+x@acme.example", SaidAt: mid, SentAt: mid.Add(time.Hour), Status: care.CheckBackPending},
			{ID: "c3", Manager: hostile, AgentEmail: "ana+x@acme.example", SaidAt: mid, Status: care.CheckBackPending},
		}
		// Requests for feedback by the member named with markup: one
		// answered after 2 hours, one not yet.
		// Upward feedback about the viewer (named with markup) and about a
		// manager who reports to them, known only by a hostile address.
		in.Team.Members = append(in.Team.Members, care.Member{Name: hostile, Email: "Ana+X@acme.example", Manager: hostile},
			care.Member{Name: "Bo", Email: "bo@acme.example", Manager: "Ana+X@acme.example"})
		for i := range 3 {
			in.Upward = append(in.Upward, care.UpwardAnswer{UpwardRef: care.UpwardRef{Team: "support", Manager: "ana+x@acme.example", Month: "2026-11"}, Key: fmt.Sprint(i), Score: 4, Words: hostile})
		}
		in.Requests = []care.FeedbackRequest{
			{ID: "a1", Asker: "Ana+X@acme.example", AskedAt: mid, Asked: []care.Asked{{Email: hostile, AnsweredAt: mid.Add(2 * time.Hour)}}},
			{ID: "a2", Asker: "ana+x@acme.example", AskedAt: mid, Asked: []care.Asked{{Email: hostile}}},
		}
	}
	return Page{Scorecards: scorecard.Compute(in), Location: time.UTC, PraiseRatio: 2.5, Token: hostile, Weeks: "1\"><x", From: "2026-11-01", To: hostile}
}

func TestThePageIsWrittenExactlyAsTheTemplateWroteIt(t *testing.T) {
	tmpl := oracle(t)
	for _, c := range []struct {
		name     string
		withData bool
		link     string
	}{
		{"a page full of hostile text and an ordinary link", true, "https://acme.zendesk.com/x?a=1&b=2 3"},
		{"a javascript link is neutralised", true, "javascript:alert(1)"},
		{"a link with an odd scheme and non-ASCII is neutralised or encoded", true, "DATA:text/html;base64,PHNjcmlwdD4=,"},
		{"a relative link with quotes and spaces is encoded", true, "/t/\"é 'x'<y>"},
		{"a link's escapes stay and a stray percent sign is encoded", true, "https://x.example/%41%zz%4 100%"},
		{"an empty period shows its empty charts", false, ""},
		{"a help desk without a base URL gives no link", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := hostilePage(t, c.withData, c.link)
			var want, got bytes.Buffer
			if err := tmpl.ExecuteTemplate(&want, "page", view(p)); err != nil {
				t.Fatal(err)
			}
			if err := Render(&got, p); err != nil {
				t.Fatal(err)
			}
			diff(t, got.String(), want.String())
		})
	}
	for _, status := range []int{400, 401, 403, 404, 500} {
		var want, got bytes.Buffer
		msg := "that link is " + hostile
		if err := tmpl.ExecuteTemplate(&want, "error", errorView{Status: status, Title: statusTitle(status), Message: upperFirst(msg)}); err != nil {
			t.Fatal(err)
		}
		if err := RenderError(&got, status, msg); err != nil {
			t.Fatal(err)
		}
		diff(t, got.String(), want.String())
	}
}

func diff(t *testing.T, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("line %d differs:\n got %q\nwant %q", i+1, gl, wl)
		}
	}
}

func TestTheAskingTableCountsEachMembersRequests(t *testing.T) {
	var b strings.Builder
	if err := Render(&b, hostilePage(t, true, "https://acme.zendesk.com")); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	i := strings.Index(page, `<table id="asking">`)
	if i < 0 {
		t.Fatal("no asking table")
	}
	table := page[i : i+strings.Index(page[i:], "</table>")]
	for _, want := range []string{`data-member="ana&#43;x@acme.example"`, `&lt;script&gt;x`, `<td data-metric="asked">2</td>`, `<td data-metric="answered">1</td>`, `<td data-metric="to-answer">2 h</td>`} {
		if !strings.Contains(table, want) {
			t.Errorf("the asking table lacks %s:\n%s", want, table)
		}
	}
	var empty strings.Builder
	if err := Render(&empty, hostilePage(t, false, "")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(empty.String(), `id="no-asking"`) {
		t.Error("a period without requests does not say so")
	}
}
