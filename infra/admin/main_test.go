package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/dynamo/dynamotest"
	"github.com/carecoach/carecoach/shared/eventbridge"
	"github.com/carecoach/carecoach/shared/lambdatest"
	"github.com/carecoach/carecoach/shared/localstack"
)

var stack *localstack.Stack

func TestMain(m *testing.M) { os.Exit(localstack.RunTests(m, &stack)) }

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
	err := run([]string{"put-team", "-table", table, "-endpoint", stack.DynamoEndpoint,
		"-schedule-group", "carecoach-prod", "-fire-arn", fireARN, "-scheduler-role", roleARN, "-scheduler-dlq", dlqARN,
		"../dev/team.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	created := sched.Created()
	names := map[string]bool{}
	for _, s := range created {
		names[s.Name] = true
		// The same retry policy and queue as a task's one-time schedule.
		task, err := (&eventbridge.Scheduler{TargetARN: fireARN, RoleARN: roleARN, DeadLetterARN: dlqARN}).RecurringInput(s.Name, s.ScheduleExpression, "UTC", nil)
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
	if !names["digest-support"] || !names["pulse-support"] || len(created) != 2 {
		t.Errorf("schedules %v, want digest-support and pulse-support", names)
	}
}

func TestPutTeamWantsEverySchedulerFlagOrNone(t *testing.T) {
	sched, table, count := world(t)
	err := run([]string{"put-team", "-table", table, "-endpoint", stack.DynamoEndpoint,
		"-schedule-group", "carecoach-prod", "-fire-arn", fireARN, "-scheduler-role", roleARN, "../dev/team.yaml"})
	if err == nil || !strings.Contains(err.Error(), "missing -scheduler-dlq") {
		t.Errorf("err %v, want one naming -scheduler-dlq", err)
	}
	if n := count(); n != 0 || len(sched.Created()) != 0 {
		t.Errorf("%d items and %d schedules written, want nothing", n, len(sched.Created()))
	}
	// None at all stores the team and makes no schedule.
	if err := run([]string{"put-team", "-table", table, "-endpoint", stack.DynamoEndpoint, "../dev/team.yaml"}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n == 0 || len(sched.Created()) != 0 {
		t.Errorf("%d items and %d schedules written, want the team and no schedule", n, len(sched.Created()))
	}
}
