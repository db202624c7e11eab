package dashboard_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
	"github.com/carecoach/carecoach/shared/ui/dashboard"
)

// Sam's dashboard: Jordan (who reports to him) had three answers in
// November, Kim two; the words never reach the page.
func TestThePageShowsUpwardFeedbackFromThreeAnswersAndWithholdsTwo(t *testing.T) {
	team := care.Team{ID: "support", Members: []care.Member{
		{Name: "Jordan <b>Reyes</b>", Email: "jordan@acme.example", Manager: "sam@acme.example"},
		{Name: "Kim Lee", Email: "kim@acme.example", Manager: "sam@acme.example"},
		{Name: "Ana", Email: "ana@acme.example", Manager: "jordan@acme.example"},
		{Name: "Noor", Email: "noor@acme.example", Manager: "kim@acme.example"},
	}}
	var answers []care.UpwardAnswer
	for i, a := range []struct {
		manager string
		score   int
	}{{"jordan@acme.example", 5}, {"jordan@acme.example", 4}, {"jordan@acme.example", 3}, {"kim@acme.example", 1}, {"kim@acme.example", 2}} {
		answers = append(answers, care.UpwardAnswer{UpwardRef: care.UpwardRef{Team: "support", Manager: a.manager, Month: "2026-11"}, Key: fmt.Sprint(i), Score: a.score, Words: "secret <words>"})
	}
	sc := scorecard.Compute(scorecard.Input{Team: team, From: to.Add(-scorecard.Week), To: to, Now: to, Manager: "sam@acme.example", Upward: answers})
	var b bytes.Buffer
	if err := dashboard.Render(&b, dashboard.Page{Scorecards: sc, Location: london, Token: "support.x.y", Weeks: "1"}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		"withheld below 3 answers",
		`<th scope="col">Jun 2026</th>` + "\n" + `<th scope="col">Jul 2026</th>`,
		`<tr data-manager="jordan@acme.example">` + "\n" + `<th scope="row" data-metric="name">Jordan &lt;b&gt;Reyes&lt;/b&gt;</th>`,
		`<td data-month="2026-11">4.0 · 3 answers</td>`,
		`<tr data-manager="kim@acme.example">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, kim, _ := strings.Cut(html, `<tr data-manager="kim@acme.example">`)
	if kim, _, _ = strings.Cut(kim, "</tr>"); !strings.Contains(kim, `<td data-month="2026-11">withheld</td>`) || strings.Contains(kim, "answers") {
		t.Errorf("Kim's row shows what is under the threshold: %s", kim)
	}
	if strings.Contains(html, "secret") || strings.Contains(html, "1.5 ·") {
		t.Error("the page shows words or Kim's average")
	}
}
