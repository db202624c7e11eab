package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Moments (type moment): on their ticket's partition, and on the team's
// weekly index of standing moments or, once withdrawn, of withdrawals.

type momentItem struct {
	keys
	index
	care.Moment
	TTL int64 `dynamodbav:"ttl"`
}

// SaveMoments stores moments under their ticket and on the team's weekly
// moment index. A moment already stored is kept as it was: moments are
// facts, and deriving one again must not rewrite it.
func (s *Store) SaveMoments(ctx context.Context, ms []care.Moment) (saved int, err error) {
	for _, m := range ms {
		ok, err := s.putOnce(ctx, momentItem{keys: momentKeys(m), index: momentIndex(m), Moment: m, TTL: s.expires(m.At)})
		if err != nil {
			return saved, fmt.Errorf("put moment %s: %w", m.ID, err)
		}
		if ok {
			saved++
		}
	}
	return saved, nil
}

// WithdrawMoment marks a stored moment withdrawn at `at`, with why, and
// moves it from the team's weekly moment index to its weekly withdrawal
// index (by the time of the withdrawal), so scorecards and digests no longer
// count it and the next digest can say so. Withdrawing twice changes
// nothing but the time.
func (s *Store) WithdrawMoment(ctx context.Context, m care.Moment, at time.Time, why string) error {
	idx := withdrawalIndex(m, at)
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &s.table,
		Key:                 momentKeys(m).key(),
		ConditionExpression: aws.String("attribute_exists(pk)"),
		UpdateExpression:    aws.String("SET withdrawnAt = :at, withdrawnWhy = :why, gsi1pk = :pk, gsi1sk = :sk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at":  &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)},
			":why": &types.AttributeValueMemberS{Value: why},
			":pk":  &types.AttributeValueMemberS{Value: idx.GSI1PK},
			":sk":  &types.AttributeValueMemberS{Value: idx.GSI1SK},
		},
	})
	if err != nil {
		return fmt.Errorf("withdraw moment %s: %w", m.ID, err)
	}
	return nil
}

// ReinstateMoment undoes WithdrawMoment: the moment, as given, counts
// again, on the team's index.
func (s *Store) ReinstateMoment(ctx context.Context, m care.Moment) error {
	m.WithdrawnAt, m.WithdrawnWhy = time.Time{}, ""
	if err := s.UpdateMoment(ctx, m); err != nil {
		return fmt.Errorf("reinstate: %w", err)
	}
	return nil
}

// UpdateMoment rewrites a standing moment whose agent or time changed
// (late evidence), on the index week of its time, expiring from its time.
func (s *Store) UpdateMoment(ctx context.Context, m care.Moment) error {
	if err := s.put(ctx, momentItem{keys: momentKeys(m), index: momentIndex(m), Moment: m, TTL: s.expires(m.At)}); err != nil {
		return fmt.Errorf("update moment %s: %w", m.ID, err)
	}
	return nil
}

// TeamMoments lists a team's moments in [from, to), oldest first.
func (s *Store) TeamMoments(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error) {
	items, err := queryWeeks[momentItem](ctx, s, weekMoments, team, from, to)
	return unwrap(items, momentItem.moment), err
}

// TeamWithdrawals lists the moments of a team withdrawn in [from, to),
// oldest withdrawal first.
func (s *Store) TeamWithdrawals(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error) {
	items, err := queryWeeks[momentItem](ctx, s, weekWithdrawn, team, from, to)
	return unwrap(items, momentItem.moment), err
}

func (it momentItem) moment() care.Moment { return it.Moment }
