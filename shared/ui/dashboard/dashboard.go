// Package dashboard renders a team's scorecards as one HTML page: a table
// per member, a feedback-cadence timeline, praise : coaching bars and
// eight-week trends. Charts are inline SVG drawn here, on the server; the
// CSS is embedded in the binary and inlined under a hash-pinned
// Content-Security-Policy, so the page loads nothing from anywhere and runs
// no script. Nothing relies on colour alone: every series has its own
// shape or pattern and a text label, every figure is also a number, and
// every chart has a title and a description for screen readers.
// Every name and every word that came from a help desk or an email is
// escaped as html/template would escape it (see page.go for why the page is
// not a template).
package dashboard

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

//go:embed assets/dashboard.css
var css string

// CSP is the page's Content-Security-Policy: nothing but its own inline
// style (pinned by hash), no script, no frames, forms only to itself.
var CSP = "default-src 'none'; style-src '" + cssHash() + "'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func cssHash() string {
	sum := sha256.Sum256([]byte(css))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Page is what one dashboard shows.
type Page struct {
	Scorecards  scorecard.Scorecards
	Location    *time.Location
	PraiseRatio float64 // the team's target
	// Token goes back into the period form and the JSON link.
	Token string
	// The request's period, to fill the form with.
	Weeks, From, To string
}

// Render writes the page.
func Render(out io.Writer, p Page) error {
	var w writer // all or nothing: a failed write sends no half page
	w.page(view(p))
	if _, err := w.WriteTo(out); err != nil {
		return fmt.Errorf("write dashboard: %w", err)
	}
	return nil
}

// RenderError writes a page that says what went wrong and shows no data.
func RenderError(out io.Writer, status int, message string) error {
	var w writer
	w.errorPage(errorView{Status: status, Title: statusTitle(status), Message: upperFirst(message)})
	if _, err := w.WriteTo(out); err != nil {
		return fmt.Errorf("write dashboard error page: %w", err)
	}
	return nil
}

type errorView struct {
	Status         int
	Title, Message string
}

func statusTitle(status int) string {
	switch status {
	case 401:
		return "This link does not open a dashboard"
	case 403:
		return "Not your team's dashboard"
	case 400:
		return "That period cannot be shown"
	case 404:
		return "Nothing here"
	default:
		return "Something went wrong"
	}
}

// --- the page's view

type pageView struct {
	Team, Period, Generated string
	Token, Weeks, From, To  string
	JSONURL                 string
	Window, Cadence, Target string
	Summary                 []stat
	Rows                    []row
	TeamRow                 row
	Timeline                timeline
	Bars                    bars
	Trends                  []lineChart
	FollowUps               barChart
	Members                 []memberMoments
	CheckBacks              []checkBackRow
	CheckBackTotal          checkBackRow
	Asking                  []askRow
	Upward                  []upwardRow
	UpwardMonths            []string
	UpwardShowFrom          int
}

type stat struct{ Label, Value, Note string }

type row struct {
	Name, Email                         string
	Window, FirstResponse, FollowUps    string
	Commitments, CSAT, Feedback, Since  string
	Ratio, Rewards, RewardList, Moments string
	Overdue                             bool
}

func view(p Page) pageView {
	sc, loc := p.Scorecards, p.Location
	if loc == nil {
		loc = time.UTC
	}
	v := pageView{
		Team:      sc.TeamName,
		Period:    span(sc.From.In(loc), sc.To.In(loc)),
		Generated: sc.Now.In(loc).Format("Mon 2 Jan 2006 15:04 MST"),
		Token:     p.Token, Weeks: p.Weeks, From: p.From, To: p.To,
		Window:  duration(sc.Window),
		Cadence: strconv.Itoa(int(sc.Cadence.Hours()/24)) + " days",
	}
	if p.PraiseRatio > 0 {
		v.Target = strconv.FormatFloat(math.Round(p.PraiseRatio*10)/10, 'f', -1, 64) + " : 1"
	}
	q := url.Values{"t": {p.Token}}
	for k, val := range map[string]string{"weeks": p.Weeks, "from": p.From, "to": p.To} {
		if val != "" {
			q.Set(k, val)
		}
	}
	v.JSONURL = "/api/teams/" + url.PathEscape(sc.TeamID) + "/scorecards?" + q.Encode()
	t := sc.Team
	v.Summary = []stat{
		{"Answered within " + v.Window, percentOr(t.WindowKeptPct()), fmt.Sprintf("%d of %d customers", t.WindowKept, t.WindowKept+t.WindowMissed)},
		{"Median first response", durationOr(t.MedianFirstResponse, t.FirstResponses), fmt.Sprintf("over %d tickets", t.FirstResponses)},
		{"Follow-ups done", fmt.Sprintf("%d of %d", t.FollowUpsDone, t.FollowUpsDue), fmt.Sprintf("%d missed", t.FollowUpsMissed)},
		{"Commitments kept", fmt.Sprintf("%d of %d", t.CommitmentsKept, t.CommitmentsKept+t.CommitmentsMissed), fmt.Sprintf("%d missed", t.CommitmentsMissed)},
		{"CSAT", percentOr(t.CSATPct()), fmt.Sprintf("%d good, %d bad", t.CSATGood, t.CSATBad)},
		{"Feedback you gave", strconv.Itoa(t.ManagerFeedback), fmt.Sprintf("%d praise, %d coaching · %d kudos from teammates", t.Praise, t.Coaching, t.PeerFeedback)},
		followThroughStat(sc.CheckBackTotal),
	}
	for _, f := range sc.CheckBacks {
		v.CheckBacks = append(v.CheckBacks, checkBackRowOf(f))
	}
	v.CheckBackTotal = checkBackRowOf(sc.CheckBackTotal)
	for _, a := range sc.Asking {
		v.Asking = append(v.Asking, askRowOf(a))
	}
	v.Upward, v.UpwardMonths = upwardRowsOf(sc.Upward)
	v.UpwardShowFrom = sc.UpwardShowFrom
	for _, m := range sc.Members {
		r := rowOf(m.Card, sc.Now)
		r.Name, r.Email, r.Overdue = m.Member.Name, strings.ToLower(m.Member.Email), m.Overdue
		r.Since = since(m, sc)
		v.Rows = append(v.Rows, r)
		mm := memberMoments{Name: m.Member.Name}
		for _, mo := range m.Moments {
			mm.Moments = append(mm.Moments, momentView{
				Praise: mo.Kind == care.Praise, Kind: kindLabel(mo.Kind), Behaviour: mo.Behaviour.Label(),
				When: mo.At.In(loc).Format("Mon 2 Jan 15:04"), What: mo.What, Ticket: "#" + mo.Ticket.TicketID, URL: mo.TicketURL, Subject: mo.Subject,
			})
		}
		v.Members = append(v.Members, mm)
	}
	v.TeamRow = rowOf(sc.Team, sc.Now)
	v.TeamRow.Name = "Team"
	v.Timeline = newTimeline(sc, loc)
	v.Bars = newBars(sc)
	v.Trends = trendCharts(sc, loc)
	v.FollowUps = followUpChart(sc, loc)
	return v
}

func rowOf(c scorecard.Card, _ time.Time) row {
	r := row{
		Window:        fmt.Sprintf("%s (%d of %d)", percentOr(c.WindowKeptPct()), c.WindowKept, c.WindowKept+c.WindowMissed),
		FirstResponse: durationOr(c.MedianFirstResponse, c.FirstResponses),
		FollowUps:     fmt.Sprintf("%d done · %d due · %d missed", c.FollowUpsDone, c.FollowUpsDue, c.FollowUpsMissed),
		Commitments:   fmt.Sprintf("%d kept · %d missed", c.CommitmentsKept, c.CommitmentsMissed),
		CSAT:          fmt.Sprintf("%s (%d good, %d bad)", percentOr(c.CSATPct()), c.CSATGood, c.CSATBad),
		Feedback:      fmt.Sprintf("%d from manager · %d kudos", c.ManagerFeedback, c.PeerFeedback),
		Ratio:         fmt.Sprintf("%d : %d", c.Praise, c.Coaching),
		Rewards:       strconv.Itoa(len(c.Rewards)),
		RewardList:    strings.Join(c.Rewards, "; "),
		Moments:       fmt.Sprintf("%d praise · %d coaching", c.PraiseMoments, c.CoachingMoments),
	}
	return r
}

// since says how long ago a member last heard from their manager.
func since(m scorecard.MemberCard, sc scorecard.Scorecards) string {
	var s string
	switch {
	case m.LastFeedback.IsZero():
		s = "none on record"
	case m.DaysSince == 0:
		s = "today"
	case m.DaysSince == 1:
		s = "1 day ago"
	default:
		s = strconv.Itoa(m.DaysSince) + " days ago"
	}
	if m.Overdue {
		s += " (overdue)"
	}
	return s
}

type memberMoments struct {
	Name    string
	Moments []momentView
}

type momentView struct {
	Praise                                   bool
	Kind, Behaviour, When, What, Ticket, URL string
	Subject                                  string
}

func kindLabel(k care.MomentKind) string {
	if k == care.Praise {
		return "Praise"
	}
	return "Coaching"
}

// --- formatting

// percentOr is a share as a whole percentage, "–" without data.
func percentOr(p float64, ok bool) string {
	if !ok {
		return "–"
	}
	return strconv.Itoa(int(math.Round(p))) + "%"
}

// duration writes a wait the way a person reads it: "42 min", "3.5 h", "2 d".
func duration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return strconv.Itoa(int(d.Round(time.Minute).Minutes())) + " min"
	case d < 48*time.Hour:
		return strconv.FormatFloat(math.Round(d.Hours()*10)/10, 'f', -1, 64) + " h"
	default:
		return strconv.FormatFloat(math.Round(d.Hours()/24*10)/10, 'f', -1, 64) + " d"
	}
}

func durationOr(d time.Duration, n int) string {
	if n == 0 {
		return "–"
	}
	return duration(d)
}

// span is "23–29 Nov 2026": the period's days, its end exclusive.
func span(from, to time.Time) string {
	last := to.Add(-time.Nanosecond)
	switch {
	case from.Year() != last.Year():
		return from.Format("2 Jan 2006") + "–" + last.Format("2 Jan 2006")
	case from.Month() != last.Month():
		return from.Format("2 Jan") + "–" + last.Format("2 Jan 2006")
	case from.Day() == last.Day():
		return last.Format("2 Jan 2006")
	default:
		return from.Format("2") + "–" + last.Format("2 Jan 2006")
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
