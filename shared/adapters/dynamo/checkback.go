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
	index
	care.CheckBack
	TTL int64 `dynamodbav:"ttl"`
}

func (s *Store) checkBackItem(c care.CheckBack) checkBackItem {
	return checkBackItem{keys: checkBackKeys(c.Ref()), index: checkBackDueIndex(c), CheckBack: c, TTL: s.expires(c.SaidAt)}
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
	if err := s.get(ctx, checkBackKeys(r), &it); err != nil {
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
	in := &dynamodb.QueryInput{
		IndexName:              aws.String(gsi1),
		KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk <= :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":  &types.AttributeValueMemberS{Value: checkBackDuePK(team)},
			":now": &types.AttributeValueMemberS{Value: timeID(now, "~")}, // every id due at now sorts below "~"
		},
	}
	items, err := queryAll[checkBackItem](ctx, s, in)
	if err != nil {
		return nil, fmt.Errorf("query due check-backs of %s: %w", team, err)
	}
	return checkBacks(items), nil
}

// TeamCheckBacks lists a team's check-backs made (coaching given) in
// [from, to), oldest first.
func (s *Store) TeamCheckBacks(ctx context.Context, team string, from, to time.Time) ([]care.CheckBack, error) {
	items, err := queryAll[checkBackItem](ctx, s, between("", checkBackPK(team), from, to))
	if err != nil {
		return nil, fmt.Errorf("query check-backs of %s: %w", team, err)
	}
	return checkBacks(items), nil
}

func checkBacks(items []checkBackItem) []care.CheckBack {
	out := make([]care.CheckBack, len(items))
	for i, it := range items {
		out[i] = it.CheckBack
	}
	return out
}
