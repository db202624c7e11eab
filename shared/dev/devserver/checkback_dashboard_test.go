package devserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/scorecard"
	"github.com/carecoach/carecoach/shared/dev/devserver"
)

// readCheckBacks reads the dashboard's check-back table: manager address
// (or "team") → metric → text.
const readCheckBacks = `(() => {
  const out = {};
  for (const tr of document.querySelectorAll('#checkbacks tr[data-manager]')) {
    const row = {};
    for (const c of tr.querySelectorAll('[data-metric]')) row[c.dataset.metric] = c.textContent.trim();
    out[tr.dataset.manager] = row;
  }
  return out;
})()`

// checkBacksOnTheDashboard opens the dashboard link of Jordan's latest
// digest in a browser (the last four weeks, up to now) and checks that its
// check-back table and the scorecards JSON say what the store holds,
// computed here from the store's own query. It returns Jordan's row.
func checkBacksOnTheDashboard(t *testing.T, bctx context.Context, srv *devserver.Server) map[string]string {
	t.Helper()
	var text string
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Your team this week") {
			text = e.Text
		}
	}
	link := regexp.MustCompile(`http://127\.0\.0\.1:\d+/dashboard/support\?t=\S+`).FindString(text)
	if link == "" {
		t.Fatalf("Jordan's latest digest has no dashboard link:\n%s", text)
	}
	open(t, bctx, link, "checkbacks")
	rows := run(t, bctx, chromedp.Evaluate[map[string]map[string]string](readCheckBacks))

	// What the store holds, counted the way the page means to.
	end := srv.Clock.Now().Add(time.Nanosecond)
	from := end.Add(-4 * scorecard.Week)
	team, err := srv.Store.Team(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	cbs, err := srv.Store.TeamCheckBacks(ctx, "support", from, end)
	if err != nil {
		t.Fatal(err)
	}
	want := scorecard.Compute(scorecard.Input{Team: team, Members: digest.Scope(team, managerEmail), From: from, To: end, Now: end, Manager: managerEmail, CheckBacks: cbs})
	if len(want.CheckBacks) == 0 {
		t.Fatalf("the store has no check-back of Jordan's in the last four weeks: %+v", cbs)
	}
	for _, f := range append(want.CheckBacks, want.CheckBackTotal) {
		row := rows[f.Manager]
		for metric, text := range map[string]string{
			"asked": fmt.Sprint(f.Asked), "done": fmt.Sprint(f.Done), "waiting": fmt.Sprint(f.Waiting), "upcoming": fmt.Sprint(f.Upcoming), "rate": percent(f.Rate()),
		} {
			if row[metric] != text {
				t.Errorf("%s's check-backs: %s shows %q, the store says %q (page rows %v)", f.Manager, metric, row[metric], text, rows)
			}
		}
	}

	// The JSON says the same.
	token, _ := url.QueryUnescape(strings.SplitN(link, "?t=", 2)[1])
	resp, err := http.Get(srv.URL + "/api/teams/support/scorecards?t=" + url.QueryEscape(token))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var j struct {
		CheckBacks struct {
			Totals struct{ Asked, Done, Waiting, Upcoming int }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&j); err != nil {
		t.Fatal(err)
	}
	tot := want.CheckBackTotal
	if got := j.CheckBacks.Totals; resp.StatusCode != 200 || got.Asked != tot.Asked || got.Done != tot.Done || got.Waiting != tot.Waiting || got.Upcoming != tot.Upcoming {
		t.Errorf("JSON check-backs %d %+v, the store says %+v", resp.StatusCode, got, tot)
	}
	return rows[managerEmail]
}

// wantCheckBackRow compares Jordan's row with what the walk-through
// expects at that point (the store check above holds the counting).
func wantCheckBackRow(t *testing.T, row map[string]string, name, asked, done, waiting, rate string) {
	t.Helper()
	want := map[string]string{"name": name, "asked": asked, "done": done, "waiting": waiting, "rate": rate}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("Jordan's check-backs on the dashboard: %s %q, want %q (row %v)", k, row[k], v, row)
		}
	}
}
