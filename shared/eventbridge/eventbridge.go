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

	"github.com/carecoach/carecoach/shared/care"
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
	// to invoke it; DeadLetterARN (optional) receives undeliverable events.
	TargetARN, RoleARN, DeadLetterARN string
	Now                               func() time.Time
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

// CreateInput is the CreateSchedule request for a task.
func (s *Scheduler) CreateInput(t care.Task) (*scheduler.CreateScheduleInput, error) {
	payload, err := json.Marshal(care.TaskRef{Ticket: t.Ticket, ID: t.ID})
	if err != nil {
		return nil, fmt.Errorf("encode task ref: %w", err)
	}
	at := t.DueAt.UTC()
	if earliest := s.Now().UTC().Add(minLead); at.Before(earliest) {
		at = earliest
	}
	target := &types.Target{
		Arn:         aws.String(s.TargetARN),
		RoleArn:     aws.String(s.RoleARN),
		Input:       aws.String(string(payload)),
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(10), MaximumEventAgeInSeconds: aws.Int32(6 * 3600)},
	}
	if s.DeadLetterARN != "" {
		target.DeadLetterConfig = &types.DeadLetterConfig{Arn: aws.String(s.DeadLetterARN)}
	}
	return &scheduler.CreateScheduleInput{
		Name:                       aws.String(t.ID),
		GroupName:                  aws.String(s.Group),
		ScheduleExpression:         aws.String("at(" + at.Format("2006-01-02T15:04:05") + ")"),
		ScheduleExpressionTimezone: aws.String("UTC"),
		FlexibleTimeWindow:         &types.FlexibleTimeWindow{Mode: types.FlexibleTimeWindowModeOff},
		ActionAfterCompletion:      types.ActionAfterCompletionDelete,
		Target:                     target,
		ClientToken:                aws.String(t.ID),
		Description:                aws.String(fmt.Sprintf("%s for ticket %s", t.Kind, t.Ticket)),
	}, nil
}
