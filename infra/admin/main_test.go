package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/lambdatest"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

const (
	fireARN = "arn:aws:lambda:eu-west-1:123456789012:function:carecoach-prod-FireFunction"
	roleARN = "arn:aws:iam::123456789012:role/carecoach-prod-SchedulerRole"
	dlqARN  = "arn:aws:sqs:eu-west-1:123456789012:carecoach-prod-FireFailures"
)

// world points the command's AWS config at DynamoDB Local (its -endpoint
// flag) and at a fake Scheduler (the SDK's endpoint variable), with
// throwaway credentials and no shared config files.
func world(t *testing.T) (*lambdatest.Scheduler, string, func() int) {
	t.Helper()
	sched := lambdatest.NewScheduler(t)
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_SESSION_TOKEN": "", "AWS_REGION": "eu-west-1",
		"AWS_PROFILE": "", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_ENDPOINT_URL_SCHEDULER": sched.URL,
	} {
		t.Setenv(k, v)
	}
	db, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	return sched, table, func() int { return dynamotest.Count(t, db, table) }
}

func TestPutTeamMakesTheRecurringSchedulesLikeTaskSchedules(t *testing.T) {
	sched, table, _ := world(t)
	err := run(context.Background(), []string{"put-team", "-table", table, "-endpoint", stack.DynamoEndpoint,
		"-schedule-group", "carecoach-prod", "-fire-arn", fireARN, "-scheduler-role", roleARN, "-scheduler-dlq", dlqARN,
		"../dev/team.yaml"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	created := sched.Created()
	names := map[string]bool{}
	for _, s := range created {
		names[s.Name] = true
		// The same retry policy and queue as a task's one-time schedule.
		task, err := (&eventbridge.Scheduler{TargetARN: fireARN, RoleARN: roleARN, DeadLetterARN: dlqARN}).RecurringInput(s.Name, s.ScheduleExpression, "UTC", payload.Fire{})
		if err != nil {
			t.Fatal(err)
		}
		want, got := task.Target, s.Target
		if got.DeadLetterConfig == nil || got.DeadLetterConfig.Arn != dlqARN {
			t.Errorf("%s: dead-letter config %+v, want %s", s.Name, got.DeadLetterConfig, dlqARN)
		}
		if got.RetryPolicy == nil || got.RetryPolicy.MaximumRetryAttempts != int(*want.RetryPolicy.MaximumRetryAttempts) ||
			got.RetryPolicy.MaximumEventAgeInSeconds != int(*want.RetryPolicy.MaximumEventAgeInSeconds) {
			t.Errorf("%s: retry policy %+v, want %d attempts within %d s", s.Name, got.RetryPolicy, *eventbridge.Retry.MaximumRetryAttempts, *eventbridge.Retry.MaximumEventAgeInSeconds)
		}
		if got.Arn != fireARN || got.RoleArn != roleARN || s.GroupName != "carecoach-prod" || s.ActionAfterCompletion != "NONE" {
			t.Errorf("%s: %+v", s.Name, s)
		}
		var job map[string]any
		if err := json.Unmarshal([]byte(got.Input), &job); err != nil || job["team"] != "support" {
			t.Errorf("%s: input %s", s.Name, got.Input)
		}
	}
	if !names["digest-support"] || !names["climate-support"] || !names["checkback-support"] || !names["meeting-support"] || !names["upward-support"] || len(created) != 5 {
		t.Errorf("schedules %v, want digest-support, climate-support, checkback-support, meeting-support and upward-support", names)
	}
	for _, s := range created {
		if s.Name == "checkback-support" && (s.ScheduleExpression != "cron(0 9 ? * MON,TUE,WED,THU,FRI *)" || s.ScheduleExpressionTimezone != "Europe/London") {
			t.Errorf("check-backs go %s in %s, want every business day at 09:00 London", s.ScheduleExpression, s.ScheduleExpressionTimezone)
		}
		if s.Name == "upward-support" && (s.ScheduleExpression != "cron(0 14 ? * FRI *)" || s.ScheduleExpressionTimezone != "Europe/London" || !strings.Contains(s.Target.Input, `"upward"`)) {
			t.Errorf("upward feedback goes %s in %s with %s, want the upward job every Friday at 14:00 London", s.ScheduleExpression, s.ScheduleExpressionTimezone, s.Target.Input)
		}
		if s.Name == "meeting-support" && (s.ScheduleExpression != "cron(0 8 ? * MON *)" || s.ScheduleExpressionTimezone != "Europe/London" || !strings.Contains(s.Target.Input, `"job":"brief"`)) {
			t.Errorf("the brief goes %s in %s with %s, want Monday 08:00 London (the 10:00 meeting minus 2h), job brief", s.ScheduleExpression, s.ScheduleExpressionTimezone, s.Target.Input)
		}
	}
}

func TestPutTeamWantsEverySchedulerFlagOrNone(t *testing.T) {
	sched, table, count := world(t)
	err := run(context.Background(), []string{"put-team", "-table", table, "-endpoint", stack.DynamoEndpoint,
		"-schedule-group", "carecoach-prod", "-fire-arn", fireARN, "-scheduler-role", roleARN, "../dev/team.yaml"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "missing -scheduler-dlq") {
		t.Errorf("err %v, want one naming -scheduler-dlq", err)
	}
	if n := count(); n != 0 || len(sched.Created()) != 0 {
		t.Errorf("%d items and %d schedules written, want nothing", n, len(sched.Created()))
	}
	// None at all stores the team and makes no schedule.
	if err := run(context.Background(), []string{"put-team", "-table", table, "-endpoint", stack.DynamoEndpoint, "../dev/team.yaml"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := count(); n == 0 || len(sched.Created()) != 0 {
		t.Errorf("%d items and %d schedules written, want the team and no schedule", n, len(sched.Created()))
	}
}

var secret = []byte("admin-test-secret")

// buggy is the Zendesk adapter with a parser bug that can be fixed.
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

// startWithADeadLetter runs a dev server, as `make run` does, whose
// Zendesk parser is broken, and sends it a customer's message.
func startWithADeadLetter(t *testing.T, broken *atomic.Bool) (*devserver.Server, string) {
	t.Helper()
	team, err := teamconfig.Load("../dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	srv, err := devserver.Start(context.Background(), devserver.Config{
		Addr: "127.0.0.1:0", DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS: dynamotest.LocalConfig(), Table: table, Teams: []care.Team{team}, Secret: secret,
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: localsched.FixedClock(time.Date(2026, 11, 30, 9, 0, 5, 0, time.UTC)),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), TokenKey: care.Secret("admin-test-token-key"),
		Helpdesks: map[care.Source]app.Helpdesk{care.Zendesk: buggy{broken: broken}, care.Freshdesk: freshdesk.Helpdesk{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	body, err := events.Sample("zendesk-ticket-comment-added-customer")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := devserver.Deliver(context.Background(), srv.URL, care.Zendesk, "acme-zendesk", secret, body, srv.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := srv.Idle(context.Background()); err != nil {
		t.Fatal(err)
	}
	return srv, table
}

func admin(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out)
	return out.String(), err
}

func TestLocallyDeadLettersAreListedAndReplayedWithoutFlags(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	srv, _ := startWithADeadLetter(t, &broken)
	u, _ := url.Parse(srv.URL)
	t.Setenv("CARECOACH_ADDR", u.Host) // as make run's CARECOACH_ADDR
	t.Setenv("CARECOACH_TABLE", "")

	out, err := admin(t, "dead-letters")
	key := "zd-evt-7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
	if err != nil || !strings.Contains(out, `"reason": "a parser bug"`) || !strings.Contains(out, key) || !strings.Contains(out, "1 dead letters") {
		t.Fatalf("dead-letters: %v\n%s", err, out)
	}
	if out, _ := admin(t, "dead-letters", "acme-freshdesk"); !strings.Contains(out, "no dead letters") {
		t.Errorf("dead-letters of another connection:\n%s", out)
	}
	if _, err := admin(t, "replay", "acme-zendesk", key); err == nil || !strings.Contains(err.Error(), "failed again: a parser bug") {
		t.Errorf("replay before the fix: %v, want it to say it failed again and why", err)
	}
	broken.Store(false)
	if out, err := admin(t, "replay", "acme-zendesk", key); err != nil || !strings.Contains(out, "processed") {
		t.Fatalf("replay after the fix: %v\n%s", err, out)
	}
	if out, _ := admin(t, "dead-letters"); !strings.Contains(out, "no dead letters") {
		t.Errorf("after the replay:\n%s", out)
	}
	if rec, err := srv.Store.LoadTicket(context.Background(), care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}); err != nil || len(rec.Timeline) != 1 {
		t.Errorf("the replayed message is not on the ticket: %v %+v", err, rec.Timeline)
	}
	if _, err := admin(t, "replay", "acme-zendesk", "no-such-key"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("replaying an unknown key: %v", err)
	}
}

func TestOnAWSAReplayRequeuesTheDeliveryAndRemovesTheDeadLetter(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	srv, table := startWithADeadLetter(t, &broken)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	aws := []string{"-table", table, "-endpoint", stack.DynamoEndpoint}
	out, err := admin(t, append(append([]string{"dead-letters"}, aws...), "acme-zendesk")...)
	if err != nil || !strings.Contains(out, "a parser bug") {
		t.Fatalf("dead-letters on the table: %v\n%s", err, out)
	}
	key := "zd-evt-7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
	if out, err := admin(t, append(append([]string{"replay"}, aws...), "acme-zendesk", key)...); err != nil || !strings.Contains(out, "requeued") {
		t.Fatalf("replay on the table: %v\n%s", err, out)
	}
	if dls, _ := srv.Store.DeadLetters(context.Background(), "acme-zendesk"); len(dls) != 0 {
		t.Errorf("dead letters after the replay: %+v", dls)
	}
	db := dynamo.NewClient(dynamotest.LocalConfig(), stack.DynamoEndpoint)
	if d, ok := dynamotest.Delivery(t, db, table, "acme-zendesk", key); !ok || !strings.Contains(string(d.Body), "E-104") {
		t.Errorf("the delivery is not stored again for the stream (stored: %v)", ok)
	}
}
