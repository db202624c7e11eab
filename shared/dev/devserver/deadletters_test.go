package devserver_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

// buggy is the Zendesk adapter with a parser bug that can be fixed: while
// broken, it refuses every body as invalid.
type buggy struct {
	zendesk.Helpdesk
	broken *atomic.Bool
}

func (b buggy) Normalize(d care.Delivery) ([]care.Interaction, error) {
	if b.broken.Load() {
		return nil, care.Errorf(care.EInvalid, "a parser bug")
	}
	return b.Helpdesk.Normalize(d)
}

func startBuggyServer(t *testing.T, broken *atomic.Bool) *devserver.Server {
	t.Helper()
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	srv, err := devserver.Start(ctx, devserver.Config{
		Addr: "127.0.0.1:0", DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS: dynamotest.LocalConfig(), Table: table, Teams: []care.Team{team}, Secret: secret,
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: localsched.FixedClock(start),
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		ReplyDomain: "reply.acme-support.example", TokenKey: care.Secret("test-reply-token-key-0123456789"),
		Helpdesks: map[care.Source]app.Helpdesk{care.Zendesk: buggy{broken: broken}, care.Freshdesk: freshdesk.Helpdesk{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	return srv
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: not JSON: %v", url, err)
	}
	return resp.StatusCode
}

func postJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Post(url, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("POST %s: not JSON: %v", url, err)
	}
	return resp.StatusCode
}

type deadLetters struct {
	DeadLetters []struct{ Connection, DedupeKey, Reason, Body string }
}

func TestADeadLetterIsListedAndReplayedAfterTheFix(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	srv := startBuggyServer(t, &broken)
	post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-customer"))
	if err := srv.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	var list deadLetters
	if code := getJSON(t, srv.URL+"/dev/dead-letters", &list); code != http.StatusOK || len(list.DeadLetters) != 1 {
		t.Fatalf("GET /dev/dead-letters: %d %+v, want the delivery", code, list)
	}
	dl := list.DeadLetters[0]
	if dl.Connection != "acme-zendesk" || dl.Reason != "a parser bug" || !strings.Contains(dl.Body, "E-104") {
		t.Errorf("dead letter %+v, want the connection, the reason and the body", dl)
	}

	var answer map[string]any
	url := srv.URL + "/dev/dead-letters/replay?connection=acme-zendesk&key=" + dl.DedupeKey
	if code := postJSON(t, url, &answer); code != http.StatusOK || answer["processed"] != false || answer["reason"] != "a parser bug" {
		t.Errorf("a replay before the fix: %d %v, want it refused again with the reason", code, answer)
	}
	if getJSON(t, srv.URL+"/dev/dead-letters", &list); len(list.DeadLetters) != 1 {
		t.Errorf("a replay that failed again left %d dead letters, want the one", len(list.DeadLetters))
	}

	broken.Store(false) // the fix
	if code := postJSON(t, url, &answer); code != http.StatusOK || answer["processed"] != true {
		t.Fatalf("a replay after the fix: %d %v, want processed", code, answer)
	}
	if getJSON(t, srv.URL+"/dev/dead-letters", &list); len(list.DeadLetters) != 0 {
		t.Errorf("dead letters after the replay: %+v, want none", list.DeadLetters)
	}
	advance(t, srv, 25*time.Hour)
	if got := onlySubjects(t, agentEmail, "waiting for your answer"); len(got) != 1 {
		t.Errorf("reminders %q: the replayed customer message should have opened its window", got)
	}
	if code := postJSON(t, url, &answer); code != http.StatusNotFound {
		t.Errorf("replaying it again: %d %v, want 404", code, answer)
	}
}

func TestADeliveryWithAFieldThatCannotBeReadIsNotADeadLetter(t *testing.T) {
	srv, _ := startServer(t)
	post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-partial"), sampleBody(t, "zendesk-ticket-agent-assignment-changed-object-ids"))
	if err := srv.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	var list deadLetters
	if getJSON(t, srv.URL+"/dev/dead-letters", &list); len(list.DeadLetters) != 0 {
		t.Fatalf("dead letters %+v, want none", list.DeadLetters)
	}
	rec, err := srv.Store.LoadTicket(ctx, ticket)
	if err != nil {
		t.Fatal(err)
	}
	if state := care.Fold(ticket, rec.Timeline); state.AwaitingSince.IsZero() {
		t.Errorf("state %+v: want the customer waiting", state)
	}
	var partial []string
	assigned := false
	for _, in := range rec.Timeline {
		partial = append(partial, in.Unread...)
		assigned = assigned || in.Kind == care.AssigneeChanged && in.AssigneeID == "1002"
	}
	if !assigned {
		t.Error("the assignment with object ids is not on the timeline")
	}
	if len(partial) != 2 {
		t.Errorf("unread fields on the timeline %q, want the two of the partial sample", partial)
	}
}

func TestTasksSayTheirKindTicketAgentAndDueTime(t *testing.T) {
	srv, _ := startServer(t)
	post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-customer"))
	if err := srv.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Pending []struct {
			Kind   string
			Ticket care.TicketRef
			Agent  struct{ ID, Name string }
			DueAt  time.Time
			DueIn  string
		}
	}
	if code := getJSON(t, srv.URL+"/dev/tasks", &got); code != http.StatusOK || len(got.Pending) != 2 {
		t.Fatalf("GET /dev/tasks: %d %+v, want the warning and the check", code, got)
	}
	w, c := got.Pending[0], got.Pending[1]
	if w.Kind != "respond_warning" || !w.DueAt.Equal(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC).Add(19*time.Hour+12*time.Minute)) || w.DueIn != "19h11m55s" && w.DueIn != "19h12m0s" {
		t.Errorf("first task %+v, want the warning at 80%% of the window", w)
	}
	if c.Kind != "respond_check" || c.Ticket != ticket || c.Agent.ID != "1001" || c.Agent.Name != "Ana Silva" {
		t.Errorf("second task %+v, want the check on #5158 for Ana Silva", c)
	}
}

func TestMovingTheClockToAnInstantFiresEachTaskAtItsOwnTime(t *testing.T) {
	srv, _ := startServer(t)
	post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-customer"))
	var answer map[string]any
	// The warning, the reminder, and Tuesday 09:00's daily check-back job.
	if code := postJSON(t, srv.URL+"/dev/clock/advance?to=2026-12-01T10:00:00Z", &answer); code != http.StatusOK || answer["fired"] != float64(3) {
		t.Fatalf("advance to: %d %v, want two tasks and the check-back job fired", code, answer)
	}
	got := subjects(emailsTo(t, agentEmail))
	if len(got) != 2 || !strings.Contains(got[0], "window closes") || !strings.Contains(got[1], "waiting for your answer") {
		t.Errorf("emails %q, want the warning at its time, then the reminder", got)
	}
	if now := srv.Clock.Now(); !now.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("clock at %s", now)
	}
	if code := postJSON(t, srv.URL+"/dev/clock/advance?to=yesterday", &answer); code != http.StatusBadRequest {
		t.Errorf("a time that is not one: %d", code)
	}
}
