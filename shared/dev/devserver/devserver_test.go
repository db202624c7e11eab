package devserver_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var (
	ctx    = context.Background()
	secret = []byte("test-webhook-secret")
	// The customer's message in the sample arrives at 09:00; the server's
	// clock starts just after it.
	start = time.Date(2026, 11, 30, 9, 0, 5, 0, time.UTC)
)

const agentEmail = "ana.silva@acme-support.example"

func startServer(t *testing.T) (*devserver.Server, string) {
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
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	return srv, table
}

func send(t *testing.T, srv *devserver.Server, sample string, key []byte) (int, map[string]any) {
	t.Helper()
	body, err := events.Sample(sample)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := devserver.Deliver(ctx, srv.URL, care.Zendesk, "acme-zendesk", key, body, srv.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("response is not JSON: %v", err)
	}
	return resp.StatusCode, out
}

func emailsTo(t *testing.T, addr string) []emulators.SentEmail {
	t.Helper()
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []emulators.SentEmail
	for _, e := range sent {
		for _, to := range e.To {
			if to == addr {
				out = append(out, e)
			}
		}
	}
	return out
}

func TestAnUnansweredCustomerGetsTheAgentWarnedThenRemindedOnce(t *testing.T) {
	srv, _ := startServer(t)
	if status, body := send(t, srv, "zendesk-ticket-comment-added-customer", secret); status != http.StatusAccepted {
		t.Fatalf("status %d %v, want 202", status, body)
	}
	fired, err := srv.Advance(ctx, 19*time.Hour)
	if err != nil || fired != 0 || len(emailsTo(t, agentEmail)) != 0 {
		t.Fatalf("after 19h: fired=%d err=%v emails=%d, want nothing yet", fired, err, len(emailsTo(t, agentEmail)))
	}
	if _, err := srv.Advance(ctx, time.Hour); err != nil { // 80% of 24h is 19h12
		t.Fatal(err)
	}
	warnings := emailsTo(t, agentEmail)
	if len(warnings) != 1 || !strings.Contains(warnings[0].Subject, "#5158") || !strings.Contains(warnings[0].Subject, "window closes") {
		t.Fatalf("after 20h: %d emails %q, want one warning naming the ticket", len(warnings), subjects(warnings))
	}
	if _, err := srv.Advance(ctx, 4*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Advance(ctx, 48*time.Hour); err != nil { // nothing fires twice
		t.Fatal(err)
	}
	got := emailsTo(t, agentEmail)
	if len(got) != 2 {
		t.Fatalf("agent got %d emails %q, want the warning and exactly one reminder", len(got), subjects(got))
	}
	e := got[1]
	for _, want := range []string{"#5158", "Printer offline after firmware update", "waiting for your answer"} {
		if !strings.Contains(e.Subject, want) {
			t.Errorf("subject %q does not name the ticket (%q)", e.Subject, want)
		}
	}
	if !strings.Contains(e.Text, "https://acme.zendesk.com/agent/tickets/5158") || !strings.Contains(e.HTML, "&lt;b&gt;offline&lt;/b&gt;") {
		t.Errorf("reminder lacks the ticket link or the escaped customer words:\n%s\n%s", e.Text, e.HTML)
	}
	wantMoments(t, srv, "respond/coaching 1001")
}

func TestAnAgentWhoRepliesInTimeGetsNoReminder(t *testing.T) {
	srv, _ := startServer(t)
	for _, s := range []string{"zendesk-ticket-comment-added-customer", "zendesk-ticket-comment-added-agent-public"} {
		if status, body := send(t, srv, s, secret); status != http.StatusAccepted {
			t.Fatalf("%s: status %d %v, want 202", s, status, body)
		}
	}
	if _, err := srv.Advance(ctx, 72*time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := emailsTo(t, agentEmail); len(got) != 0 {
		t.Errorf("agent got %d emails after replying in time, want none: %q", len(got), got[0].Subject)
	}
	if p := srv.Scheduler.Pending(); len(p) != 0 {
		t.Errorf("tasks still pending: %v", p)
	}
	wantMoments(t, srv, "respond/praise 1001")
}

func TestAReplyThatArrivesBeforeTheMessageItAnswersStillCounts(t *testing.T) {
	srv, _ := startServer(t)
	for _, s := range []string{"zendesk-ticket-comment-added-agent-public", "zendesk-ticket-comment-added-customer"} {
		if status, _ := send(t, srv, s, secret); status != http.StatusAccepted {
			t.Fatalf("%s: status %d, want 202", s, status)
		}
	}
	if _, err := srv.Advance(ctx, 72*time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := emailsTo(t, agentEmail); len(got) != 0 {
		t.Errorf("agent got %d emails, want none", len(got))
	}
}

func TestAnInvalidSignatureIsRefusedAndWritesNothing(t *testing.T) {
	srv, table := startServer(t)
	db := dynamo.NewClient(dynamotest.LocalConfig(), stack.DynamoEndpoint)
	before := dynamotest.Count(t, db, table)
	status, body := send(t, srv, "zendesk-ticket-comment-added-customer", []byte("wrong-secret"))
	if status != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", status)
	}
	if body["error"] != "signature does not match" {
		t.Errorf("error = %q, want the specific reason", body["error"])
	}
	if err := srv.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dynamotest.Count(t, db, table); after != before {
		t.Errorf("table went from %d to %d items, want nothing written", before, after)
	}
}

func TestADuplicateDeliveryIsAcknowledgedAndStoredOnce(t *testing.T) {
	srv, _ := startServer(t)
	_, first := send(t, srv, "zendesk-ticket-comment-added-customer", secret)
	status, second := send(t, srv, "zendesk-ticket-comment-added-customer", secret)
	if status != http.StatusAccepted || first["duplicate"] != false || second["duplicate"] != true {
		t.Errorf("first %v, second %d %v; want accepted then accepted as duplicate", first, status, second)
	}
	if _, err := srv.Advance(ctx, 25*time.Hour); err != nil {
		t.Fatal(err)
	}
	// The clock jumped past both the warning and the close of the window at
	// once: the reminder covers it, a late warning would only be noise.
	if got := emailsTo(t, agentEmail); len(got) != 1 || !strings.Contains(got[0].Subject, "waiting for your answer") {
		t.Errorf("agent got %d emails %q, want exactly one reminder", len(got), subjects(got))
	}
}

func subjects(es []emulators.SentEmail) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Subject)
	}
	return out
}

var ticket = care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}

// wantMoments checks the standing (not withdrawn) moments stored on ticket
// 5158, as "behaviour/kind agent", in any order.
func wantMoments(t *testing.T, srv *devserver.Server, want ...string) []care.Moment {
	t.Helper()
	if err := srv.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := srv.Store.LoadTicket(ctx, ticket)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var standing []care.Moment
	for _, m := range rec.Moments {
		if m.Withdrawn() {
			continue
		}
		standing = append(standing, m)
		got = append(got, string(m.Behaviour)+"/"+string(m.Kind)+" "+m.AgentID)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("moments = %q, want %q", got, want)
	}
	return standing
}
