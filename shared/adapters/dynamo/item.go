package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The single-item reads and writes every kind shares.

// put writes an item, replacing any with its keys.
func (s *Store) put(ctx context.Context, v any) error {
	item, err := attributevalue.MarshalMap(v)
	if err != nil {
		return fmt.Errorf("marshal item: %w", err)
	}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item}); err != nil {
		return fmt.Errorf("put item: %w", err)
	}
	return nil
}

// get reads one item, strongly consistent; a missing item is a
// care.ENotFound error.
func (s *Store) get(ctx context.Context, k keys, out any) error {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: k.key(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return err
	}
	if res.Item == nil {
		return care.Errorf(care.ENotFound, "%s not found", strings.SplitN(k.PK, "#", 2)[0])
	}
	return attributevalue.UnmarshalMap(res.Item, out)
}

// remove deletes one item; deleting one that is gone is fine.
func (s *Store) remove(ctx context.Context, k keys) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: k.key()})
	return err
}

// putOnce writes an item unless one with its keys exists; ok says whether
// it wrote.
func (s *Store) putOnce(ctx context.Context, v any) (ok bool, err error) {
	item, err := attributevalue.MarshalMap(v)
	if err != nil {
		return false, fmt.Errorf("marshal item: %w", err)
	}
	return s.putNew(ctx, item)
}

// writeIDAttr holds a token unique to the call that last wrote an item
// conditionally (see putNew).
const writeIDAttr = "wid"

// putNew writes item unless one with its keys exists; created says whether
// this call wrote it.
//
// The SDK retries a request whose answer it did not get (a 500, a reset
// connection), and the first attempt may have been applied. The retry's
// condition then fails against our own write, which must count as created:
// otherwise a new delivery would look like a duplicate and a won claim like
// a lost one. So the item carries a token unique to this call, and a
// condition failure whose current item holds it is our success.
func (s *Store) putNew(ctx context.Context, item map[string]types.AttributeValue) (created bool, err error) {
	wid := newWriteID()
	item[writeIDAttr] = &types.AttributeValueMemberS{Value: wid}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           &s.table,
		Item:                                item,
		ConditionExpression:                 aws.String("attribute_not_exists(pk)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	switch {
	case isConditionFailed(err):
		return ownWrite(err, wid), nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// newWriteID is a random token for one conditional write.
func newWriteID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// ownWrite tells whether a condition failure was caused by an earlier
// attempt of the write tagged wid: the item it failed against holds wid.
func ownWrite(err error, wid string) bool {
	var c *types.ConditionalCheckFailedException
	if !errors.As(err, &c) {
		return false
	}
	v, ok := c.Item[writeIDAttr].(*types.AttributeValueMemberS)
	return ok && v.Value == wid
}

func isConditionFailed(err error) bool {
	var c *types.ConditionalCheckFailedException
	return errors.As(err, &c)
}

// putRequest is a BatchWriteItem put of v.
func putRequest(v any) (types.WriteRequest, error) {
	item, err := attributevalue.MarshalMap(v)
	if err != nil {
		return types.WriteRequest{}, err
	}
	return types.WriteRequest{PutRequest: &types.PutRequest{Item: item}}, nil
}

// deleteRequest is a BatchWriteItem delete of the item with keys k.
func deleteRequest(k keys) types.WriteRequest {
	return types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k.key()}}
}

// batchWrite writes in chunks of 25 and retries unprocessed items with a
// short backoff.
func (s *Store) batchWrite(ctx context.Context, writes []types.WriteRequest) error {
	for start := 0; start < len(writes); start += 25 {
		pending := writes[start:min(start+25, len(writes))]
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 8 {
				return fmt.Errorf("batch write: %d items still unprocessed", len(pending))
			}
			if attempt > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Duration(1<<attempt) * 10 * time.Millisecond):
				}
			}
			res, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{s.table: pending}})
			if err != nil {
				return fmt.Errorf("batch write: %w", err)
			}
			pending = res.UnprocessedItems[s.table]
		}
	}
	return nil
}
