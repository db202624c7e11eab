package eventbridge_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/scheduler/types"

	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/eventbridge"
)

var (
	t0   = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ref  = care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}
	task = care.NewTask(ref, care.RespondCheck, "zd-1", t0.Add(24*time.Hour))
)

func sched(api eventbridge.API) *eventbridge.Scheduler {
	return &eventbridge.Scheduler{API: api, Group: "carecoach-dev", TargetARN: "arn:fire", RoleARN: "arn:role", DeadLetterARN: "arn:dlq", Now: func() time.Time { return t0 }}
}

func TestAScheduleFiresTheTaskOnceAtItsDueTime(t *testing.T) {
	in, err := sched(nil).CreateInput(task)
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(in.ScheduleExpression); got != "at(2026-12-01T09:00:00)" {
		t.Errorf("expression = %s", got)
	}
	if in.ActionAfterCompletion != types.ActionAfterCompletionDelete || in.FlexibleTimeWindow.Mode != types.FlexibleTimeWindowModeOff {
		t.Errorf("want a precise one-time schedule deleted after it fires, got %+v", in)
	}
	if aws.ToString(in.Name) != task.ID || aws.ToString(in.GroupName) != "carecoach-dev" {
		t.Errorf("name/group = %s/%s", aws.ToString(in.Name), aws.ToString(in.GroupName))
	}
	var got care.TaskRef
	if err := json.Unmarshal([]byte(aws.ToString(in.Target.Input)), &got); err != nil {
		t.Fatal(err)
	}
	if got != (care.TaskRef{Ticket: ref, ID: task.ID}) {
		t.Errorf("fire input = %+v", got)
	}
	if aws.ToString(in.Target.DeadLetterConfig.Arn) != "arn:dlq" {
		t.Error("no dead-letter queue on the target")
	}
}

func TestATaskAlreadyDueFiresAboutAMinuteFromNow(t *testing.T) {
	past := care.NewTask(ref, care.RespondCheck, "zd-0", t0.Add(-time.Hour))
	in, err := sched(nil).CreateInput(past)
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(in.ScheduleExpression); got != "at(2026-11-30T09:01:00)" {
		t.Errorf("expression = %s, want a minute after now", got)
	}
}

type fakeAPI struct{ createErr, deleteErr error }

func (f fakeAPI) CreateSchedule(context.Context, *scheduler.CreateScheduleInput, ...func(*scheduler.Options)) (*scheduler.CreateScheduleOutput, error) {
	return &scheduler.CreateScheduleOutput{}, f.createErr
}

func (f fakeAPI) DeleteSchedule(context.Context, *scheduler.DeleteScheduleInput, ...func(*scheduler.Options)) (*scheduler.DeleteScheduleOutput, error) {
	return &scheduler.DeleteScheduleOutput{}, f.deleteErr
}

func TestSchedulingAndCancellingAreIdempotent(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		api     fakeAPI
		wantErr bool
	}{
		{"an existing schedule counts as scheduled", fakeAPI{createErr: &types.ConflictException{Message: aws.String("exists")}}, false},
		{"a missing schedule counts as cancelled", fakeAPI{deleteErr: &types.ResourceNotFoundException{Message: aws.String("gone")}}, false},
		{"a throttled call is an error to retry", fakeAPI{createErr: errors.New("throttled"), deleteErr: errors.New("throttled")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sched(tt.api)
			errS, errC := s.Schedule(ctx, task), s.Cancel(ctx, task)
			if got := errS != nil || errC != nil; got != tt.wantErr {
				t.Errorf("schedule err=%v cancel err=%v, want error %v", errS, errC, tt.wantErr)
			}
		})
	}
}
