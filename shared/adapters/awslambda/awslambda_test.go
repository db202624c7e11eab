package awslambda_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	samples "github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/awslambda"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/httpapi"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/localsched"
	"github.com/carecoach/carecoach/shared/wire"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var (
	ctx    = context.Background()
	quiet  = slog.New(slog.NewTextHandler(io.Discard, nil))
	ticket = care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}
)

// The samples were captured at 09:00:05 on the day of the story.
func clockAtSample() *localsched.Clock {
	return localsched.FixedClock(time.Date(2026, 11, 30, 9, 0, 5, 0, time.UTC))
}

// newStore is a store on a fresh table with the dev team, and the table's
// client and name.
func newStore(t *testing.T, clock *localsched.Clock) (*dynamo.Store, *dynamodb.Client, string) {
	t.Helper()
	store, db, table := dynamotest.NewStore(t, stack.DynamoEndpoint, clock.Now)
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	return store, db, table
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := samples.Sample(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func invoke(t *testing.T, handler any, payload []byte) []byte {
	t.Helper()
	out, err := lambda.NewHandler(handler).Invoke(ctx, payload)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	return out
}

type secrets map[string]string

func (s secrets) WebhookSecret(_ context.Context, conn string) (care.Secret, error) {
	return care.Secret(s[conn]), nil
}

func TestTheIngestFunctionAcceptsAnAPIGatewayWebhook(t *testing.T) {
	clock := clockAtSample()
	store, db, table := newStore(t, clock)
	ingest, err := wire.Ingest(wire.Base{Now: clock.Now, Log: quiet}, store, secrets{"acme-zendesk": "test-webhook-secret"})
	if err != nil {
		t.Fatal(err)
	}
	h := awslambda.HTTPHandler(httpapi.Handler(ingest, quiet))

	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(invoke(t, h, sample(t, "apigateway-webhook-zendesk")), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(resp.Body, `"duplicate":false`) {
		t.Fatalf("response %d %s, want 202 accepted", resp.StatusCode, resp.Body)
	}
	d, ok := dynamotest.Delivery(t, db, table, "acme-zendesk", "zd-evt-7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f")
	if !ok {
		t.Fatal("raw delivery not stored")
	}
	if string(d.Body) != string(sample(t, "zendesk-ticket-comment-added-customer")) {
		t.Error("stored body differs from the one sent")
	}

	// The same request with a tampered body is refused.
	var ev events.APIGatewayV2HTTPRequest
	_ = json.Unmarshal(sample(t, "apigateway-webhook-zendesk"), &ev)
	ev.Body = strings.Replace(ev.Body, "offline", "online", 1)
	payload, _ := json.Marshal(ev)
	_ = json.Unmarshal(invoke(t, h, payload), &resp)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("tampered body: status %d %s, want 401", resp.StatusCode, resp.Body)
	}
}

func processAndFire(t *testing.T, clock *localsched.Clock, store *dynamo.Store) (*app.Process, *app.Fire, *localsched.Scheduler) {
	sched := localsched.New(clock, quiet)
	base := wire.Base{Now: clock.Now, Log: quiet}
	p, err := wire.Process(base, store, sched, apihistory.Opener{Tokens: noTokens{}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := wire.Fire(base, store, wire.Mail{
		Mailer: sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach@acme-support.example", ""),
		From:   "carecoach@acme-support.example", Keys: care.Secret("awslambda-test-token-key"), ReplyDomain: "reply.acme-support.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, f, sched
}

// noTokens: no connection in these samples has a help desk API.
type noTokens struct{}

func (noTokens) Get(_ context.Context, name string) (care.Secret, error) {
	return nil, fmt.Errorf("no API token %s in this test", name)
}

func TestTheProcessAndFireFunctionsRunTheirSamples(t *testing.T) {
	clock := clockAtSample()
	store, _, _ := newStore(t, clock)
	process, fire, sched := processAndFire(t, clock, store)

	var resp events.DynamoDBEventResponse
	if err := json.Unmarshal(invoke(t, awslambda.ProcessHandler(process, dynamo.DeliveryFromImage, quiet), sample(t, "dynamodb-stream-raw-delivery")), &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 0 {
		t.Fatalf("batch failures %+v, want none", resp.BatchItemFailures)
	}
	rec, err := store.LoadTicket(ctx, ticket)
	if err != nil {
		t.Fatal(err)
	}
	if state := care.Fold(ticket, rec.Timeline); len(rec.Timeline) != 1 || state.AwaitingMessage == "" || state.AssigneeID != "1001" {
		t.Fatalf("ticket after processing: %+v", rec)
	}
	var fireEvent care.TaskRef
	_ = json.Unmarshal(sample(t, "scheduler-fire-respond-check"), &fireEvent)
	if p := sched.Pending(); len(p) != 2 || !slices.Contains(p, fireEvent) {
		t.Fatalf("pending tasks %+v, want a warning and the sample's check %+v", p, fireEvent)
	}

	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(24 * time.Hour)
	invoke(t, awslambda.FireHandler(fire, nil, nil, nil, nil, nil), sample(t, "scheduler-fire-respond-check"))
	invoke(t, awslambda.FireHandler(fire, nil, nil, nil, nil, nil), sample(t, "scheduler-fire-respond-check")) // a retry sends nothing more
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0].To[0] != "ana.silva@acme-support.example" || !strings.Contains(sent[0].Subject, "#5158") {
		t.Fatalf("sent %+v, want one reminder to Ana about #5158", sent)
	}
	task, err := store.Task(ctx, ticket, fireEvent.ID)
	if err != nil || task.Status != care.TaskDone || task.Outcome != "sent respond_reminder" {
		t.Errorf("task after firing: %+v, %v", task, err)
	}
}

func TestAPoisonRecordIsDeadLetteredAndTheRestOfTheBatchProcessed(t *testing.T) {
	clock := clockAtSample()
	store, _, _ := newStore(t, clock)
	process, _, _ := processAndFire(t, clock, store)

	var resp events.DynamoDBEventResponse
	if err := json.Unmarshal(invoke(t, awslambda.ProcessHandler(process, dynamo.DeliveryFromImage, quiet), sample(t, "dynamodb-stream-poison-delivery")), &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 0 {
		t.Fatalf("batch failures %+v: a poison record must be kept aside, not retried forever", resp.BatchItemFailures)
	}
	dead, err := store.DeadLetters(ctx, "acme-zendesk")
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Delivery.DedupeKey != "zd-evt-broken" || dead[0].Reason == "" {
		t.Fatalf("dead letters %+v, want the broken delivery with a reason", dead)
	}
	if rec, _ := store.LoadTicket(ctx, ticket); len(rec.Timeline) != 1 {
		t.Errorf("the good record after the poison one was not processed: %+v", rec.Timeline)
	}
}

func TestAFirePayloadWithoutATaskIsAnError(t *testing.T) {
	clock := clockAtSample()
	store, _, _ := newStore(t, clock)
	_, fire, _ := processAndFire(t, clock, store)
	if _, err := lambda.NewHandler(awslambda.FireHandler(fire, nil, nil, nil, nil, nil)).Invoke(ctx, []byte(`{}`)); err == nil {
		t.Error("an empty payload was accepted")
	}
}
