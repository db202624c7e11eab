package devserver_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
)

// The scenarios below replay what issue 14 saw on real help desks,
// through the dev server (ingest, process, the scheduler, fire, the
// digests), and check the moments, the tasks and the team's scorecards.

// card is one member's scorecard as the scorecards API serves it.
type card struct {
	Name           string
	ResponseWindow struct{ Kept, Missed int }
	FollowUps      struct{ Due, Done, Missed int }
	Moments        struct{ Praise, Coaching int }
}

// scorecardOf fetches a member's card for [from, to] (dates) from the API,
// with the link the team's manager gets.
func scorecardOf(t *testing.T, srv *devserver.Server, name, from, to string) card {
	t.Helper()
	link, err := srv.DashboardURL("support", managerEmail)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.URL + "/api/teams/support/scorecards?from=" + from + "&to=" + to + "&t=" + url.QueryEscape(u.Query().Get("t")))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Members []card }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scorecards: %d %v", resp.StatusCode, err)
	}
	for _, c := range body.Members {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no scorecard for %s", name)
	return card{}
}

// pendingTasks lists the ticket's pending tasks by kind.
func pendingTasks(t *testing.T, srv *devserver.Server) []string {
	t.Helper()
	rec, err := srv.Store.LoadTicket(ctx, ticket)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, task := range rec.Tasks {
		if task.Status == care.TaskPending {
			out = append(out, string(task.Kind))
		}
	}
	return out
}

func TestAFollowedUpTagAfterAReopenWhoseReSolveWasLostCountsAsTheFollowUp(t *testing.T) {
	srv, _ := startServer(t)
	post(t, srv, answeredAndSolved(t)...) // Maria writes 09:00, Ana answers 09:20, solves 10:15
	advance(t, srv, 24*time.Hour)
	post(t, srv, event(t, "zendesk-ticket-status-changed-solved", map[string]any{ // Maria reopens on day 1
		"id": "reopened", "time": at(1, 9, 0), "detail.status": "OPEN", "event.current": "OPEN", "event.previous": "SOLVED",
	}))
	// Ana solves it again at 11:00 on day 1, and that webhook is lost.
	// On day 3 she tags it followed-up; the tag's snapshot says solved.
	advance(t, srv, 2*24*time.Hour)
	post(t, srv, event(t, "zendesk-ticket-tags-changed", map[string]any{
		"id": "tags-followed-up", "time": at(3, 14, 0), "detail.status": "SOLVED",
		"event.tags_added": []string{"followed-up"}, "event.tags_removed": []string{}, "detail.tags": []string{"printer", "followed-up"},
	}))
	if got := pendingTasks(t, srv); len(got) != 0 {
		t.Errorf("pending tasks %q after the follow-up, want none", got)
	}
	advance(t, srv, 12*24*time.Hour) // past any follow-up and its grace period
	if got := onlySubjects(t, agentEmail, "Follow up"); len(got) != 0 {
		t.Errorf("follow-up emails %q, want none: the tag was the follow-up", got)
	}
	ms := wantMoments(t, srv, "respond/praise 1001", "follow_up/praise 1001")
	for _, m := range ms {
		if m.Behaviour == care.FollowUpDone && !strings.Contains(m.What, "the followed-up tag") {
			t.Errorf("follow-up praise says %q", m.What)
		}
	}
	c := scorecardOf(t, srv, "Ana Silva", "2026-11-30", "2026-12-20")
	if c.FollowUps.Done != 1 || c.FollowUps.Missed != 0 || c.FollowUps.Due != 1 {
		t.Errorf("Ana's follow-ups %+v, want 1 due, 1 done, 0 missed", c.FollowUps)
	}
}

func TestAnAnswerThatArrivesLateCorrectsTheRecordAndTheNextDigestSaysSo(t *testing.T) {
	srv, _ := startServer(t)
	post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-customer")) // Mon 30 Nov 09:00
	advance(t, srv, 25*time.Hour)                                        // the window closed on Tue 09:00
	if got := onlySubjects(t, agentEmail, "waiting for your answer"); len(got) != 1 {
		t.Fatalf("reminders %q, want one", got)
	}
	wantMoments(t, srv, "respond/coaching 1001")

	advance(t, srv, 6*24*time.Hour) // Mon 7 Dec 10:00: the digest went at 08:00
	digests := onlySubjects(t, managerEmail, "Your team this week")
	if len(digests) != 1 || !strings.Contains(digests[0], "1 to coach") {
		t.Fatalf("digests %q, want one naming the coaching", digests)
	}

	// Ana did answer at 15:00 on the first day; the webhook arrives only now.
	post(t, srv, event(t, "zendesk-ticket-comment-added-agent-public", map[string]any{
		"id": "reply-delivered-late", "time": at(0, 15, 0), "event.comment.id": "7100",
	}))
	if got := wantMoments(t, srv); len(got) != 0 {
		t.Errorf("standing moments %+v, want the coaching withdrawn", got)
	}
	rec, err := srv.Store.LoadTicket(ctx, ticket)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Moments) != 1 || !rec.Moments[0].Withdrawn() || !strings.Contains(rec.Moments[0].WithdrawnWhy, "reached carecoach late") {
		t.Errorf("recorded moments %+v, want the coaching kept, withdrawn with why", rec.Moments)
	}
	if got := pendingTasks(t, srv); len(got) != 0 {
		t.Errorf("pending tasks %q, want none", got)
	}
	c := scorecardOf(t, srv, "Ana Silva", "2026-11-30", "2026-12-06")
	if c.ResponseWindow.Kept != 1 || c.ResponseWindow.Missed != 0 || c.Moments.Coaching != 0 {
		t.Errorf("Ana's window %+v, coaching %d; want kept once, never missed", c.ResponseWindow, c.Moments.Coaching)
	}

	advance(t, srv, 7*24*time.Hour) // Mon 14 Dec: the next digest
	var next string
	for _, e := range emailsTo(t, managerEmail) {
		if strings.Contains(e.Subject, "Your team this week") && strings.Contains(e.Subject, "14 Dec") {
			next = e.Text
		}
	}
	want := "Correction: item 1 of your digest of Mon 7 Dec (Ana Silva, ticket #5158) is withdrawn: an answer within the window reached carecoach late, so the customer was not left waiting."
	if !strings.Contains(next, want) {
		t.Errorf("the next digest does not say so in one line:\n%s", next)
	}
}
