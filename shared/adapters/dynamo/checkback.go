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

// Check-backs live in one partition per team, CHECKBACK#<team>, sorted by
// the time the manager gave the coaching: a digest or a dashboard reads
// the weeks it needs with one query. A check-back whose email is still
// to go is also on the team's due index (gsi1 CHECKBACKDUE#<team>, by due
// time), which the daily job reads; it leaves that index once sent, and
// comes back on it when the manager says "later".

type checkBackItem struct {
	keys
	GSI1PK string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK string `dynamodbav:"gsi1sk,omitempty"`
	care.CheckBack
	TTL int64 `dynamodbav:"ttl"`
}

func checkBackPK(team string) string    { return "CHECKBACK#" + team }
func checkBackDuePK(team string) string { return "CHECKBACKDUE#" + team }

func checkBackSK(r care.CheckBackRef) string { return r.SaidAt.UTC().Format(timeKey) + "#" + r.ID }

func (s *Store) checkBackItem(c care.CheckBack) checkBackItem {
	it := checkBackItem{keys: keys{PK: checkBackPK(c.Team), SK: checkBackSK(c.Ref()), Type: typeCheckBack}, CheckBack: c, TTL: s.expires(c.SaidAt)}
	if c.Status == care.CheckBackPending && c.SentAt.IsZero() {
		it.GSI1PK, it.GSI1SK = checkBackDuePK(c.Team), c.DueAt.UTC().Format(timeKey)+"#"+c.ID
	}
	return it
}

// PutCheckBack stores a new check-back once; created is false if it
// exists (a retried reply must not make a second one).
func (s *Store) PutCheckBack(ctx context.Context, c care.CheckBack) (created bool, err error) {
	ok, err := s.putOnce(ctx, s.checkBackItem(c))
	if err != nil {
		return false, fmt.Errorf("put check-back %s: %w", c.ID, err)
	}
	return ok, nil
}

// CheckBack reads one check-back; a missing one is a care.ENotFound error.
func (s *Store) CheckBack(ctx context.Context, r care.CheckBackRef) (care.CheckBack, error) {
	var it checkBackItem
	if err := s.get(ctx, checkBackPK(r.Team), checkBackSK(r), &it); err != nil {
		return care.CheckBack{}, fmt.Errorf("get check-back %s: %w", r.ID, err)
	}
	return it.CheckBack, nil
}

// UpdateCheckBack replaces a check-back with c if it is still in the
// round and status it was read in; ok is false, and nothing changes, if
// another reply or job changed it first.
func (s *Store) UpdateCheckBack(ctx context.Context, c care.CheckBack, round int, status care.CheckBackStatus) (ok bool, err error) {
	item, err := attributevalue.MarshalMap(s.checkBackItem(c))
	if err != nil {
		return false, fmt.Errorf("marshal check-back: %w", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                &s.table,
		Item:                     item,
		ConditionExpression:      aws.String("attribute_exists(pk) AND #round = :round AND #status = :status"),
		ExpressionAttributeNames: map[string]string{"#round": "round", "#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":round":  &types.AttributeValueMemberN{Value: fmt.Sprint(round)},
			":status": &types.AttributeValueMemberS{Value: string(status)},
		},
	})
	switch {
	case isConditionFailed(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("update check-back %s: %w", c.ID, err)
	}
	return true, nil
}

// DueCheckBacks lists a team's check-backs whose email is due at now and
// not sent yet, earliest first.
func (s *Store) DueCheckBacks(ctx context.Context, team string, now time.Time) ([]care.CheckBack, error) {
	var out []care.CheckBack
	err := s.queryPages(ctx, &dynamodb.QueryInput{
		IndexName:              aws.String("gsi1"),
		KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk <= :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":  &types.AttributeValueMemberS{Value: checkBackDuePK(team)},
			":now": &types.AttributeValueMemberS{Value: now.UTC().Format(timeKey) + "~"},
		},
	}, func(item map[string]types.AttributeValue) error {
		var it checkBackItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.CheckBack)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query due check-backs of %s: %w", team, err)
	}
	return out, nil
}

// TeamCheckBacks lists a team's check-backs made (coaching given) in
// [from, to), oldest first.
func (s *Store) TeamCheckBacks(ctx context.Context, team string, from, to time.Time) ([]care.CheckBack, error) {
	var out []care.CheckBack
	err := s.queryPages(ctx, &dynamodb.QueryInput{
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   &types.AttributeValueMemberS{Value: checkBackPK(team)},
			":from": &types.AttributeValueMemberS{Value: from.UTC().Format(timeKey)},
			":to":   &types.AttributeValueMemberS{Value: to.Add(-time.Nanosecond).UTC().Format(timeKey) + "~"},
		},
	}, func(item map[string]types.AttributeValue) error {
		var it checkBackItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.CheckBack)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query check-backs of %s: %w", team, err)
	}
	return out, nil
}
