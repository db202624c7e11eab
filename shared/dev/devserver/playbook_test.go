package devserver_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

const managerEmail = "jordan.reyes@acme-support.example"

// event is a sample with some fields changed: keys are dotted paths
// ("event.current"); "id" and "time" make it a new event at a new time.
func event(t *testing.T, sample string, set map[string]any) []byte {
	t.Helper()
	raw, err := events.Sample(sample)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for path, v := range set {
		parts := strings.Split(path, ".")
		obj := m
		for _, p := range parts[:len(parts)-1] {
			next, ok := obj[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				obj[p] = next
			}
			obj = next
		}
		obj[parts[len(parts)-1]] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(t *testing.T, srv *devserver.Server, bodies ...[]byte) {
	t.Helper()
	for _, b := range bodies {
		resp, err := devserver.Deliver(ctx, srv.URL, care.Zendesk, "acme-zendesk", secret, b, srv.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("delivery refused with %d", resp.StatusCode)
		}
	}
}

func advance(t *testing.T, srv *devserver.Server, d time.Duration) {
	t.Helper()
	if _, err := srv.Advance(ctx, d); err != nil {
		t.Fatal(err)
	}
}

func sampleBody(t *testing.T, name string) []byte { return event(t, name, nil) }

// at is a time on the day of the sample story (30 Nov 2026, UTC).
func at(day, hour, min int) string {
	return time.Date(2026, 11, 30+day, hour, min, 0, 0, time.UTC).Format(time.RFC3339)
}

func solvedAt(t *testing.T) []byte { return sampleBody(t, "zendesk-ticket-status-changed-solved") } // 10:15

func answeredAndSolved(t *testing.T) [][]byte {
	return [][]byte{sampleBody(t, "zendesk-ticket-comment-added-customer"), sampleBody(t, "zendesk-ticket-comment-added-agent-public"), solvedAt(t)}
}

func onlySubjects(t *testing.T, addr, contains string) []string {
	t.Helper()
	var out []string
	for _, s := range subjects(emailsTo(t, addr)) {
		if strings.Contains(s, contains) {
			out = append(out, s)
		}
	}
	return out
}

func TestFollowUp(t *testing.T) {
	t.Run("seven days after solving, the agent gets the checklist once, and missing it is coaching", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, answeredAndSolved(t)...)
		advance(t, srv, 7*24*time.Hour) // solved 10:15 on day 0: due 10:15 on day 7
		if got := onlySubjects(t, agentEmail, "Follow up"); len(got) != 0 {
			t.Fatalf("follow-up emails %q at 09:00 on day 7, want none before 10:15", got)
		}
		advance(t, srv, 2*time.Hour)
		if got := onlySubjects(t, agentEmail, "Follow up"); len(got) != 1 || !strings.Contains(got[0], "#5158") || !strings.Contains(got[0], "Maria Lopez") {
			t.Fatalf("follow-up emails %q, want one naming Maria and ticket #5158", got)
		}
		var e emulators.SentEmail
		for _, m := range emailsTo(t, agentEmail) {
			if strings.Contains(m.Subject, "Follow up") {
				e = m
			}
		}
		if !strings.Contains(e.Text, "Is there anything else we can help you with?") || !strings.Contains(e.Text, "https://acme.zendesk.com/agent/tickets/5158") {
			t.Errorf("follow-up lacks the checklist or the link:\n%s", e.Text)
		}
		advance(t, srv, 3*24*time.Hour)
		if got := onlySubjects(t, agentEmail, "Follow up"); len(got) != 1 {
			t.Errorf("follow-up emails %q, want still one", got)
		}
		wantMoments(t, srv, "respond/praise 1001", "follow_up/coaching 1001")
	})
	t.Run("a follow-up done with the tag means no reminder afterwards, and praise", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, answeredAndSolved(t)...)
		post(t, srv, event(t, "zendesk-ticket-tags-changed", map[string]any{
			"id": "tags-followed-up", "time": at(6, 14, 0), "detail.status": "SOLVED",
			"event.tags_added": []string{"followed-up"}, "event.tags_removed": []string{}, "detail.tags": []string{"printer", "followed-up"},
		}))
		advance(t, srv, 10*24*time.Hour)
		if got := onlySubjects(t, agentEmail, "Follow up"); len(got) != 0 {
			t.Errorf("follow-up emails %q after it was done, want none", got)
		}
		wantMoments(t, srv, "respond/praise 1001", "follow_up/praise 1001")
	})
	t.Run("reopening the ticket cancels the follow-up", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, answeredAndSolved(t)...)
		post(t, srv, event(t, "zendesk-ticket-status-changed-solved", map[string]any{
			"id": "reopened", "time": at(1, 9, 0), "detail.status": "OPEN", "event.current": "OPEN", "event.previous": "SOLVED",
		}))
		advance(t, srv, 10*24*time.Hour)
		if got := onlySubjects(t, agentEmail, "Follow up"); len(got) != 0 {
			t.Errorf("follow-up emails %q after a reopen, want none", got)
		}
	})
}

func TestCommitments(t *testing.T) {
	// The sample promises 17:00 on 1 Dec (set at 09:13 on 30 Nov).
	t.Run("a promise gets a reminder two hours before, and missing it is coaching", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, sampleBody(t, "zendesk-ticket-task-due-at-changed"))
		advance(t, srv, 29*time.Hour) // 14:00 on 1 Dec: not yet
		if got := onlySubjects(t, agentEmail, "promise"); len(got) != 0 {
			t.Fatalf("reminders %q before 15:00, want none", got)
		}
		advance(t, srv, 2*time.Hour) // 16:00: the reminder went at 15:00
		got := onlySubjects(t, agentEmail, "promise")
		if len(got) != 1 || !strings.Contains(got[0], "#5158") || !strings.Contains(got[0], "17:00") {
			t.Fatalf("reminders %q, want one naming the ticket and the time", got)
		}
		advance(t, srv, 2*time.Hour)
		wantMoments(t, srv, "commitment/coaching 1001")
	})
	t.Run("a reply before the due date keeps the promise: no reminder, praise", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, sampleBody(t, "zendesk-ticket-task-due-at-changed"),
			event(t, "zendesk-ticket-comment-added-agent-public", map[string]any{"id": "reply-in-time", "time": at(1, 11, 0), "event.comment.id": "7100"}))
		advance(t, srv, 3*24*time.Hour)
		if got := onlySubjects(t, agentEmail, "promise"); len(got) != 0 {
			t.Errorf("reminders %q for a kept promise, want none", got)
		}
		wantMoments(t, srv, "commitment/praise 1001")
	})
}

func TestEscalation(t *testing.T) {
	t.Run("raising the priority soon after the customer wrote is praised", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-customer"), sampleBody(t, "zendesk-ticket-priority-changed"))
		ms := wantMoments(t, srv, "escalation/praise 1001")
		if len(ms) == 1 && !strings.Contains(ms[0].What, "from normal to high") {
			t.Errorf("moment says %q", ms[0].What)
		}
	})
	t.Run("moving the ticket to another group after a day is recorded, not praised", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, sampleBody(t, "zendesk-ticket-group-assignment-changed"), sampleBody(t, "zendesk-ticket-comment-added-customer"),
			event(t, "zendesk-ticket-group-assignment-changed", map[string]any{
				"id": "to-tier-2", "time": at(1, 12, 0), "event.previous": "360001", "event.current": "360002", "detail.group_id": "360002", "detail.status": "OPEN",
			}))
		wantMoments(t, srv)
		rec, err := srv.Store.LoadTicket(ctx, ticket)
		if state := care.Fold(ticket, rec.Timeline); err != nil || len(state.Escalations) != 1 || state.Escalations[0].To != "360002" {
			t.Errorf("escalations %+v (%v), want the move to 360002 recorded", state.Escalations, err)
		}
	})
}

func TestSatisfaction(t *testing.T) {
	t.Run("a good rating with a comment is praise quoting the customer, and no alert", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, append(answeredAndSolved(t), sampleBody(t, "zendesk-ticket-csat-received"))...)
		advance(t, srv, 0)
		ms := wantMoments(t, srv, "respond/praise 1001", "satisfaction/praise 1001")
		for _, m := range ms {
			if m.Behaviour == care.Delight && !strings.Contains(m.Quote, "Ana fixed it in minutes") {
				t.Errorf("praise quotes %q, want the customer's words", m.Quote)
			}
		}
		if got := emailsTo(t, managerEmail); len(got) != 0 {
			t.Errorf("manager got %q for a good rating", subjects(got))
		}
	})
	t.Run("a bad rating alerts the manager within one scheduler tick", func(t *testing.T) {
		srv, _ := startServer(t)
		post(t, srv, answeredAndSolved(t)...)
		advance(t, srv, 102*time.Minute) // just after 10:42, when the customer rates
		post(t, srv, event(t, "zendesk-ticket-csat-received", map[string]any{
			"id": "csat-bad", "event.satisfaction_score.score": "BAD",
			"event.satisfaction_score.comment": "Nobody told me the fix <b>wiped</b> my settings & I lost a day.",
		}))
		advance(t, srv, 0) // one tick of the scheduler, no time passing
		got := emailsTo(t, managerEmail)
		if len(got) != 1 || !strings.Contains(got[0].Subject, "#5158") || !strings.Contains(got[0].Subject, "Ana Silva") {
			t.Fatalf("manager got %q, want one alert naming the ticket and the agent", subjects(got))
		}
		e := got[0]
		if !strings.Contains(e.Text, "wiped") || !strings.Contains(e.HTML, "&lt;b&gt;wiped&lt;/b&gt;") || strings.Contains(e.HTML, "<b>wiped</b>") {
			t.Errorf("alert must quote the customer, escaped in HTML:\n%s", e.HTML)
		}
		wantMoments(t, srv, "respond/praise 1001", "satisfaction/coaching 1001")
	})
}
