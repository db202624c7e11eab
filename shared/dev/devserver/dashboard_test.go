package devserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/carecoach/carecoach/events/synth"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/dashtoken"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/core/scorecard"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

// chromiumPath is Debian's chromium, which `make setup` (infra/setup.sh)
// installs when it is missing.
const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Chromium with a fresh profile and no
// background traffic (the network here is closed; without those flags
// Chromium waits on it).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("no Chromium at %s (%v): run `make setup` (infra/setup.sh installs Debian's chromium package)", chromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// The first run starts the browser, for the life of ctx: no timeout on it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return ctx
}

// run runs one browser action with a time limit.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// open loads a page and waits for an element of it.
func open(t *testing.T, ctx context.Context, url string, id string) {
	t.Helper()
	run(t, ctx, chromedp.Steps(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID(id))))
}

// artifact is where a test leaves a file for people to look at: build/
// artifacts in the module, which git ignores.
func artifact(t *testing.T, name string, b []byte) {
	t.Helper()
	dir, err := filepath.Abs("../../../build/artifacts")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// cells reads the scorecard table: member address → metric → text.
const readCells = `(() => {
  const out = {};
  for (const tr of document.querySelectorAll('#scorecards tr[data-member]')) {
    const row = {};
    for (const c of tr.querySelectorAll('[data-metric]')) row[c.dataset.metric] = c.textContent.trim();
    out[tr.dataset.member] = row;
  }
  return out;
})()`

func TestTheDashboardInABrowser(t *testing.T) {
	// A synthetic week for Ana (1001) and Jordan (1002), Mon 23 to Sun 29 Nov,
	// then Monday's digest, whose link opens the dashboard.
	week, err := synth.Week(synth.Options{Seed: 3, Agents: 2, Events: 160, Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), FirstAgentID: 1001})
	if err != nil {
		t.Fatal(err)
	}
	srv, outcomes := startLoop(t, time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC))
	for _, d := range week {
		post(t, srv, d.Body)
	}
	advance(t, srv, 9*time.Hour) // Monday 30 Nov 08:00 London
	var mail struct{ subject, text, replyTo string }
	for _, e := range emailsTo(t, managerEmail) {
		if strings.HasPrefix(e.Subject, "Your team this week") && len(e.ReplyTo) == 1 {
			mail.subject, mail.text, mail.replyTo = e.Subject, e.Text, e.ReplyTo[0]
			// Praise with a reward, so the cadence timeline and the rewards have data.
			o := mailTo(t, srv, outcomes, managerEmail, e.ReplyTo[0], reply("gmail", managerEmail, e.ReplyTo[0], e.Subject, "CAdash@mail.example.com", "1: Great answer, thank you! reward: lunch on me", e))
			if !o.Accepted {
				t.Fatalf("reply refused: %+v", o)
			}
		}
	}
	link := regexp.MustCompile(`http://127\.0\.0\.1:\d+/dashboard/support\?t=\S+`).FindString(mail.text)
	if link == "" {
		t.Fatalf("the digest has no dashboard link:\n%s", mail.text)
	}
	period := "&from=2026-11-23&to=2026-11-29"

	ctx := browser(t)
	// A period by dates, in the team's zone, "to" included.
	open(t, ctx, link+period, "scorecards")
	shown := run(t, ctx, chromedp.Text(chromedp.ID("period")))
	// The link as the digest gives it: the last four weeks, up to now.
	open(t, ctx, link, "scorecards")
	cells := run(t, ctx, chromedp.Evaluate[map[string]map[string]string](readCells))
	ticketLinks := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('details.moments a')].map(a => a.href + ' ' + a.rel)`))
	if shown != "23–29 Nov 2026" {
		t.Errorf("period shown %q, want 23–29 Nov 2026", shown)
	}

	// What the store holds, computed the way the figures are meant to be.
	end := srv.Clock.Now().Add(time.Nanosecond) // up to and including now
	want := stored(t, srv, end.Add(-4*scorecard.Week), end)
	if len(want.Members) == 0 || want.Team.PraiseMoments+want.Team.CoachingMoments == 0 {
		t.Fatalf("the synthetic week left nothing to show: %+v", want.Team)
	}
	for _, m := range want.Members {
		row := cells[strings.ToLower(m.Member.Email)]
		if row == nil {
			t.Errorf("no row for %s; rows %v", m.Member.Email, cells)
			continue
		}
		for metric, text := range map[string]string{
			"name":          m.Member.Name,
			"window":        fmt.Sprintf("%s (%d of %d)", percent(m.WindowKeptPct()), m.WindowKept, m.WindowKept+m.WindowMissed),
			"firstResponse": median(m.Card),
			"followUps":     fmt.Sprintf("%d done · %d due · %d missed", m.FollowUpsDone, m.FollowUpsDue, m.FollowUpsMissed),
			"commitments":   fmt.Sprintf("%d kept · %d missed", m.CommitmentsKept, m.CommitmentsMissed),
			"csat":          fmt.Sprintf("%s (%d good, %d bad)", percent(m.CSATPct()), m.CSATGood, m.CSATBad),
			"feedback":      fmt.Sprintf("%d from manager · %d kudos", m.ManagerFeedback, m.PeerFeedback),
			"ratio":         fmt.Sprintf("%d : %d", m.Praise, m.Coaching),
			"moments":       fmt.Sprintf("%d praise · %d coaching", m.PraiseMoments, m.CoachingMoments),
		} {
			if row[metric] != text {
				t.Errorf("%s %s shows %q, the store says %q", m.Member.Name, metric, row[metric], text)
			}
		}
	}
	ana := cells["ana.silva@acme-support.example"]
	if !strings.HasPrefix(ana["rewards"], "1") || !strings.Contains(ana["rewards"], "lunch on me") || ana["since"] != "today" {
		t.Errorf("Ana's feedback from the reply is not shown: rewards %q, since %q", ana["rewards"], ana["since"])
	}
	if len(ticketLinks) == 0 {
		t.Error("no moment links to its ticket")
	}
	for _, l := range ticketLinks {
		if !strings.HasPrefix(l, "https://acme.zendesk.com/agent/tickets/") || !strings.Contains(l, "noreferrer") {
			t.Errorf("moment link %q: want the Zendesk ticket, rel noreferrer", l)
		}
	}

	// Screenshots, desktop and phone width; at phone width the page must
	// not scroll sideways (the table and the charts scroll inside their box).
	desktop := run(t, ctx, chromedp.FullScreenshot(100))
	run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	open(t, ctx, link+period, "scorecards")
	overflow := run(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	phone := run(t, ctx, chromedp.FullScreenshot(100))
	run(t, ctx, chromedp.ResetViewport())
	artifact(t, "dashboard.png", desktop)
	artifact(t, "dashboard-phone.png", phone)
	if overflow {
		t.Error("at phone width the page scrolls sideways")
	}

	// Refusals: the right status, a clear message, and no data.
	base := strings.SplitN(link, "?", 2)[0]
	key := []byte(tokenKey)
	now := srv.Clock.Now()
	expired, _ := dashtoken.Sign(key, "support", managerEmail, now.Add(-time.Minute))
	billing, _ := dashtoken.Sign(key, "billing", managerEmail, now.Add(time.Hour))
	token, _ := url.QueryUnescape(strings.SplitN(link, "?t=", 2)[1])
	replyToken := strings.TrimSuffix(strings.TrimPrefix(mail.replyTo, "reply+"), "@"+replyDomain)
	for _, tt := range []struct {
		name, url string
		status    int
		says      string
	}{
		{"no token is refused", base, http.StatusUnauthorized, "needs the signed link"},
		{"a tampered token is refused", base + "?t=" + url.QueryEscape(token[:len(token)-2]+"AA"), http.StatusUnauthorized, "not valid"},
		{"an expired token is refused", base + "?t=" + url.QueryEscape(expired), http.StatusUnauthorized, "has expired"},
		{"another team's token is forbidden", base + "?t=" + url.QueryEscape(billing), http.StatusForbidden, "another team"},
		{"a reply token is not a dashboard token", base + "?t=" + url.QueryEscape(replyToken), http.StatusUnauthorized, "not valid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("status %d (%s / %s), want %d, no-store, no-referrer", resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Referrer-Policy"), tt.status)
			}
			open(t, ctx, tt.url, "error")
			message := run(t, ctx, chromedp.Text(chromedp.CSS("#error .message")))
			tables := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('table, svg[role=img], details').length`))
			if !strings.Contains(message, tt.says) || tables != 0 {
				t.Errorf("the page says %q with %d tables or charts; want %q and no data", message, tables, tt.says)
			}
		})
	}

	// The JSON says the same as the page, and refuses the same way.
	resp, err := http.Get(srv.URL + "/api/teams/support/scorecards?t=" + url.QueryEscape(token))
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Totals struct {
			CSAT    struct{ Good, Bad int }
			Moments struct{ Praise, Coaching int }
		}
		Members []struct{ Email string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&j); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || j.Totals.CSAT.Good != want.Team.CSATGood || j.Totals.Moments.Praise != want.Team.PraiseMoments || len(j.Members) != len(want.Members) {
		t.Errorf("JSON %d %+v, the store says %+v", resp.StatusCode, j, want.Team)
	}
	resp, err = http.Get(srv.URL + "/api/teams/support/scorecards" + "?" + period[1:])
	if err != nil {
		t.Fatal(err)
	}
	var refusal map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&refusal)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || refusal["code"] != "unauthorized" || refusal["members"] != nil {
		t.Errorf("JSON without a token: %d %v", resp.StatusCode, refusal)
	}
}

// stored computes the scorecards straight from the store's own queries.
func stored(t *testing.T, srv *devserver.Server, from, to time.Time) scorecard.Scorecards {
	t.Helper()
	team, err := srv.Store.Team(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	readFrom := scorecard.TrendFrom(to)
	moments, err := srv.Store.TeamMoments(ctx, "support", readFrom, to)
	if err != nil {
		t.Fatal(err)
	}
	facts, err := srv.Store.TeamFacts(ctx, "support", readFrom, to)
	if err != nil {
		t.Fatal(err)
	}
	members := digest.Scope(team, managerEmail)
	feedback := map[string][]care.Feedback{}
	for _, m := range members {
		addr := strings.ToLower(m.Email)
		feedback[addr] = dynamotest.MemberFeedback(t, srv.Store, "support", addr, srv.Clock.Now())
	}
	pb := playbook.ForTeam(team)
	return scorecard.Compute(scorecard.Input{
		Team: team, Members: members, From: from, To: to, Now: srv.Clock.Now(),
		Window: pb.ResponseWindow, Cadence: pb.FeedbackCadence, Moments: moments, Facts: facts, Feedback: feedback,
	})
}

func median(c scorecard.Card) string {
	if c.FirstResponses == 0 {
		return "–"
	}
	return wait(c.MedianFirstResponse)
}

// percent and wait format the store's figures the way the page promises
// to ("83%", "42 min", "3.5 h", "2 d"), written here independently of the
// page's own formatting so that the test can disagree with it.
func percent(p float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", math.Round(p))
}

func wait(d time.Duration) string {
	switch h := d.Hours(); {
	case d < time.Hour:
		return fmt.Sprintf("%.0f min", d.Round(time.Minute).Minutes())
	case d < 48*time.Hour:
		return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", math.Round(h*10)/10), "0"), ".") + " h"
	default:
		return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", math.Round(h/24*10)/10), "0"), ".") + " d"
	}
}
