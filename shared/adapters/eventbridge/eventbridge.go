// Package eventbridge schedules carecoach tasks with Amazon EventBridge
// Scheduler: one one-time schedule per task, named by the task id, deleted
// by Scheduler after it fires. DynamoDB stays the source of truth; the
// schedule is only the alarm clock, and the fire function re-checks the task.
package eventbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/scheduler/types"

	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/core/care"
)

// API is the part of the Scheduler client this adapter uses.
type API interface {
	CreateSchedule(ctx context.Context, in *scheduler.CreateScheduleInput, opts ...func(*scheduler.Options)) (*scheduler.CreateScheduleOutput, error)
	DeleteSchedule(ctx context.Context, in *scheduler.DeleteScheduleInput, opts ...func(*scheduler.Options)) (*scheduler.DeleteScheduleOutput, error)
}

// Scheduler creates and deletes task schedules in one schedule group.
type Scheduler struct {
	API API
	// Group is the schedule group; the IAM policy is scoped to it.
	Group string
	// TargetARN is the fire function; RoleARN is the role Scheduler assumes
	// to invoke it; DeadLetterARN is the SQS queue that receives the events
	// Scheduler could not deliver (required: without it they are dropped).
	TargetARN, RoleARN, DeadLetterARN string
	Now                               func() time.Time
}

// NewClient builds an EventBridge Scheduler client; a non-empty endpoint
// points it elsewhere (a local stand-in).
func NewClient(cfg aws.Config, endpoint string) *scheduler.Client {
	return scheduler.NewFromConfig(cfg, func(o *scheduler.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
}

// Schedule creates the task's schedule. An existing schedule of the same
// name means it is already scheduled, which is success.
func (s *Scheduler) Schedule(ctx context.Context, t care.Task) error {
	in, err := s.CreateInput(t)
	if err != nil {
		return err
	}
	_, err = s.API.CreateSchedule(ctx, in)
	var conflict *types.ConflictException
	if err != nil && !errors.As(err, &conflict) {
		return fmt.Errorf("create schedule %s: %w", t.ID, err)
	}
	return nil
}

// Cancel deletes the task's schedule; a missing one (fired, or never
// created) is success.
func (s *Scheduler) Cancel(ctx context.Context, t care.Task) error {
	_, err := s.API.DeleteSchedule(ctx, &scheduler.DeleteScheduleInput{Name: aws.String(t.ID), GroupName: aws.String(s.Group)})
	var missing *types.ResourceNotFoundException
	if err != nil && !errors.As(err, &missing) {
		return fmt.Errorf("delete schedule %s: %w", t.ID, err)
	}
	return nil
}

// minLead keeps `at()` expressions in the future: a task already due fires
// about a minute from now.
const minLead = time.Minute

// CreateInput is the CreateSchedule request for a task. The `at()` time is
// the task's wall-clock time in its team's zone (Task.Zone), and
// ScheduleExpressionTimezone names that zone, so the schedule reads the way
// the team sees it. An empty or unknown zone, or a wall time that occurs
// twice in the zone (the hour repeated when clocks go back), is written in
// UTC instead: the instant it fires at is the same either way.
func (s *Scheduler) CreateInput(t care.Task) (*scheduler.CreateScheduleInput, error) {
	payload, err := json.Marshal(payload.ForTask(care.TaskRef{Ticket: t.Ticket, ID: t.ID}))
	if err != nil {
		return nil, fmt.Errorf("encode task ref: %w", err)
	}
	at := t.DueAt
	if earliest := s.Now().Add(minLead); at.Before(earliest) {
		at = earliest
	}
	expr, zone := atExpression(at, t.Zone)
	target, err := s.target(payload)
	if err != nil {
		return nil, fmt.Errorf("schedule %s: %w", t.ID, err)
	}
	return &scheduler.CreateScheduleInput{
		Name:                       aws.String(t.ID),
		GroupName:                  aws.String(s.Group),
		ScheduleExpression:         aws.String(expr),
		ScheduleExpressionTimezone: aws.String(zone),
		FlexibleTimeWindow:         &types.FlexibleTimeWindow{Mode: types.FlexibleTimeWindowModeOff},
		ActionAfterCompletion:      types.ActionAfterCompletionDelete,
		Target:                     target,
		ClientToken:                aws.String(t.ID),
		Description:                aws.String(fmt.Sprintf("%s for ticket %s", t.Kind, t.Ticket)),
	}, nil
}

// atExpression renders the instant at as an `at()` expression in the named
// IANA zone and returns it with the zone it is written in.
func atExpression(at time.Time, zone string) (expr, written string) {
	loc, err := time.LoadLocation(zone)
	// "" loads as UTC and "Local" as the host's zone, which Scheduler does
	// not know; neither is a team's zone.
	if err != nil || zone == "" || zone == "Local" {
		loc, zone = time.UTC, "UTC"
	}
	local := at.In(loc)
	if repeated(local) {
		local, zone = at.UTC(), "UTC"
	}
	return "at(" + local.Format("2006-01-02T15:04:05") + ")", zone
}

// repeated says whether t's wall-clock time occurs twice in its location,
// as when clocks go back: Scheduler does not say which of the two it picks.
func repeated(t time.Time) bool {
	_, offset := t.Zone()
	start, end := t.ZoneBounds()
	// t is in the second pass: the zone before start was ahead of this one.
	if !start.IsZero() {
		_, before := start.Add(-time.Second).Zone()
		if back := time.Duration(before-offset) * time.Second; back > 0 && t.Sub(start) < back {
			return true
		}
	}
	// t is in the first pass: the zone from end on is behind this one.
	if !end.IsZero() {
		_, after := end.Zone()
		if back := time.Duration(offset-after) * time.Second; back > 0 && end.Sub(t) <= back {
			return true
		}
	}
	return false
}

// PutRecurring creates or replaces a recurring schedule (a team's weekly
// digest): the cron expression is read in zone, and the target gets job
// as its event. Replacing is delete-then-create, both idempotent, so running
// the admin command twice leaves one schedule.
func (s *Scheduler) PutRecurring(ctx context.Context, name, cron, zone string, job payload.Fire) error {
	in, err := s.RecurringInput(name, cron, zone, job)
	if err != nil {
		return err
	}
	_, err = s.API.DeleteSchedule(ctx, &scheduler.DeleteScheduleInput{Name: aws.String(name), GroupName: aws.String(s.Group)})
	var missing *types.ResourceNotFoundException
	if err != nil && !errors.As(err, &missing) {
		return fmt.Errorf("replace schedule %s: %w", name, err)
	}
	if _, err := s.API.CreateSchedule(ctx, in); err != nil {
		return fmt.Errorf("create schedule %s: %w", name, err)
	}
	return nil
}

// RecurringInput is the CreateSchedule request of a recurring schedule.
func (s *Scheduler) RecurringInput(name, cron, zone string, job payload.Fire) (*scheduler.CreateScheduleInput, error) {
	payload, err := json.Marshal(job)
	if err != nil {
		return nil, fmt.Errorf("encode schedule input: %w", err)
	}
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		zone = "UTC"
	}
	target, err := s.target(payload)
	if err != nil {
		return nil, fmt.Errorf("schedule %s: %w", name, err)
	}
	return &scheduler.CreateScheduleInput{
		Name: aws.String(name), GroupName: aws.String(s.Group),
		ScheduleExpression: aws.String(cron), ScheduleExpressionTimezone: aws.String(zone),
		FlexibleTimeWindow:    &types.FlexibleTimeWindow{Mode: types.FlexibleTimeWindowModeOff},
		ActionAfterCompletion: types.ActionAfterCompletionNone,
		Target:                target,
		Description:           aws.String("recurring job " + name),
	}, nil
}

// Retry is how Scheduler retries delivering an invocation to fire
// (throttling, a missing permission) before it sends the event to the
// dead-letter queue: 10 attempts within 6 hours, for one-time and
// recurring schedules alike. Failures of fire itself are retried by
// Lambda and end in the same queue.
var Retry = types.RetryPolicy{MaximumRetryAttempts: aws.Int32(10), MaximumEventAgeInSeconds: aws.Int32(6 * 3600)}

// target is the fire function with input, as every schedule invokes it.
func (s *Scheduler) target(input []byte) (*types.Target, error) {
	if s.DeadLetterARN == "" {
		return nil, errors.New("no dead-letter queue: Scheduler would drop the invocations it cannot deliver")
	}
	retry := Retry
	return &types.Target{
		Arn:              aws.String(s.TargetARN),
		RoleArn:          aws.String(s.RoleARN),
		Input:            aws.String(string(input)),
		RetryPolicy:      &retry,
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(s.DeadLetterARN)},
	}, nil
}
