package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Feedback (type feedback), on the team's monthly feedback index; and when
// each member last received feedback (type last_feedback).

type feedbackItem struct {
	keys
	index
	care.Feedback
	TTL int64 `dynamodbav:"ttl"`
}

// lastFeedbackItem is when a member last received feedback: one small item
// per member under the team, so a team's cadence is one query. It expires
// with the feedback it dates.
type lastFeedbackItem struct {
	keys
	At  string `dynamodbav:"at"`
	TTL int64  `dynamodbav:"ttl"`
}

// SaveFeedback stores feedback once, on the team's monthly index, and
// moves the member's last feedback time forward.
func (s *Store) SaveFeedback(ctx context.Context, f care.Feedback) (created bool, err error) {
	ok, err := s.putOnce(ctx, feedbackItem{keys: feedbackKeys(f), index: feedbackIndex(f), Feedback: f, TTL: s.expires(f.At)})
	if err != nil {
		return false, fmt.Errorf("put feedback %s: %w", f.ID, err)
	}
	// Also when it was already stored: a retry after a crash between the
	// two writes completes the second. The condition keeps the latest.
	at := f.At.UTC().Format(timeKey)
	last, err := attributevalue.MarshalMap(lastFeedbackItem{keys: lastFeedbackKeys(f.Team, f.AgentEmail), At: at, TTL: s.expires(f.At)})
	if err != nil {
		return ok, fmt.Errorf("marshal last feedback: %w", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &s.table,
		Item:                      last,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR #at < :at"),
		ExpressionAttributeNames:  map[string]string{"#at": "at"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": &types.AttributeValueMemberS{Value: at}},
	})
	if err != nil && !isConditionFailed(err) {
		return ok, fmt.Errorf("put last feedback of %s: %w", f.AgentEmail, err)
	}
	return ok, nil
}

// TeamFeedback lists the feedback a team's members received in [from, to),
// oldest first, from the team's monthly feedback index.
func (s *Store) TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]care.Feedback, error) {
	var pks []string
	for month := time.Date(from.UTC().Year(), from.UTC().Month(), 1, 0, 0, 0, 0, time.UTC); month.Before(to); month = month.AddDate(0, 1, 0) {
		pks = append(pks, feedbackMonth(team, month))
	}
	items, err := queryIndex[feedbackItem](ctx, s, pks, from, to)
	if err != nil {
		return nil, fmt.Errorf("query feedback of team %s: %w", team, err)
	}
	return unwrap(items, func(it feedbackItem) care.Feedback { return it.Feedback }), nil
}

// TeamLastFeedback is when each member of a team last received feedback,
// by lower-case address (members who never did are absent).
func (s *Store) TeamLastFeedback(ctx context.Context, team string) (map[string]time.Time, error) {
	items, err := queryAll[lastFeedbackItem](ctx, s, partition(lastFeedbackPK(team)))
	if err != nil {
		return nil, fmt.Errorf("query last feedback of team %s: %w", team, err)
	}
	out := map[string]time.Time{}
	for _, it := range items {
		at, err := time.Parse(timeKey, it.At)
		if err != nil {
			return nil, fmt.Errorf("last feedback of %s: %w", it.SK, err)
		}
		out[it.SK] = at
	}
	return out, nil
}
