package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Tasks (type task), on their ticket's partition.

type taskItem struct {
	keys
	care.Task
	TTL int64 `dynamodbav:"ttl"`
}

// PutTask stores a new task; created is false if it already exists.
func (s *Store) PutTask(ctx context.Context, t care.Task) (created bool, err error) {
	item, err := attributevalue.MarshalMap(taskItem{keys: taskKeys(t.Ticket, t.ID), Task: t, TTL: s.expires(t.DueAt)})
	if err != nil {
		return false, fmt.Errorf("marshal task: %w", err)
	}
	created, err = s.putNew(ctx, item)
	if err != nil {
		return false, fmt.Errorf("put task %s: %w", t.ID, err)
	}
	return created, nil
}

// Task reads one task; a missing task is a care.ENotFound error.
func (s *Store) Task(ctx context.Context, ref care.TicketRef, id string) (care.Task, error) {
	var it taskItem
	if err := s.get(ctx, taskKeys(ref, id), &it); err != nil {
		return care.Task{}, fmt.Errorf("get task %s: %w", id, err)
	}
	return it.Task, nil
}

// TransitionTask moves a task from one status to another with an outcome.
// ok is false, and nothing changes, if the task is not in status from: some
// other invocation got there first.
func (s *Store) TransitionTask(ctx context.Context, ref care.TicketRef, id string, from, to care.TaskStatus, outcome string) (ok bool, err error) {
	wid := newWriteID()
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.table,
		Key:                      taskKeys(ref, id).key(),
		ConditionExpression:      aws.String("#status = :from"),
		UpdateExpression:         aws.String("SET #status = :to, outcome = :outcome, " + writeIDAttr + " = :wid"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":from":    &types.AttributeValueMemberS{Value: string(from)},
			":to":      &types.AttributeValueMemberS{Value: string(to)},
			":outcome": &types.AttributeValueMemberS{Value: outcome},
			":wid":     &types.AttributeValueMemberS{Value: wid},
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if isConditionFailed(err) {
		// Our own earlier attempt, applied but unanswered, is a success.
		return ownWrite(err, wid), nil
	}
	if err != nil {
		return false, fmt.Errorf("update task %s: %w", id, err)
	}
	return true, nil
}

// SetTaskOutcome records what a task did, whatever its status.
func (s *Store) SetTaskOutcome(ctx context.Context, ref care.TicketRef, id, outcome string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       taskKeys(ref, id).key(),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		UpdateExpression:          aws.String("SET outcome = :outcome"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":outcome": &types.AttributeValueMemberS{Value: outcome}},
	})
	if err != nil {
		return fmt.Errorf("set outcome of task %s: %w", id, err)
	}
	return nil
}
