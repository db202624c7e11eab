package dynamo

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Raw deliveries (type raw) and dead letters (type dead).

type deliveryItem struct {
	keys
	care.Delivery
	TTL int64 `dynamodbav:"ttl"`
}

// PutDelivery stores a raw delivery with one conditional write. created is
// false when a delivery with the same connection and dedupe key is already
// stored; nothing is written then.
func (s *Store) PutDelivery(ctx context.Context, d care.Delivery) (created bool, err error) {
	if len(d.Body) > care.MaxDeliveryBody {
		return false, care.Errorf(care.ETooLarge, "delivery body is %d bytes; at most %d fit in one item", len(d.Body), care.MaxDeliveryBody)
	}
	item, err := attributevalue.MarshalMap(deliveryItem{
		keys:     deliveryKeys(d.Connection, d.DedupeKey),
		Delivery: d,
		TTL:      s.now().Add(s.retain.Raw).Unix(),
	})
	if err != nil {
		return false, fmt.Errorf("marshal delivery: %w", err)
	}
	created, err = s.putNew(ctx, item)
	if err != nil {
		return false, fmt.Errorf("put delivery %s: %w", d.DedupeKey, err)
	}
	return created, nil
}

// DeliveryFromImage decodes a raw delivery from a stream record's new image
// (converted to SDK attribute values): the only reader of raw deliveries.
func DeliveryFromImage(image map[string]types.AttributeValue) (care.Delivery, bool, error) {
	var it deliveryItem
	if err := attributevalue.UnmarshalMap(image, &it); err != nil {
		return care.Delivery{}, false, fmt.Errorf("decode stream image: %w", err)
	}
	if it.Type != typeRaw {
		return care.Delivery{}, false, nil
	}
	return it.Delivery, true, nil
}

// Requeue stores a delivery again as a new raw delivery, so that the
// stream hands it to the process function once more (its trigger takes
// only new items): the way to replay a dead letter on AWS.
func (s *Store) Requeue(ctx context.Context, d care.Delivery) error {
	if err := s.remove(ctx, deliveryKeys(d.Connection, d.DedupeKey)); err != nil {
		return fmt.Errorf("requeue %s: remove the stored delivery: %w", d.DedupeKey, err)
	}
	if _, err := s.PutDelivery(ctx, d); err != nil {
		return fmt.Errorf("requeue: %w", err)
	}
	return nil
}

// maxReason bounds a dead letter's reason, in bytes.
const maxReason = 2 << 10

type deadItem struct {
	keys
	Delivery care.Delivery `dynamodbav:"delivery"`
	Reason   string        `dynamodbav:"reason"`
	At       time.Time     `dynamodbav:"at"`
	TTL      int64         `dynamodbav:"ttl"`
}

func (it deadItem) deadLetter() DeadLetter {
	return DeadLetter{Delivery: it.Delivery, Reason: it.Reason, At: it.At}
}

// DeadLetter is a delivery kept with the reason it could not be processed.
type DeadLetter = care.DeadLetter

// DeadLetter keeps a delivery that cannot be processed, with the reason, on
// its connection's dead letters (by the time it was received) so a person
// can list and replay them.
func (s *Store) DeadLetter(ctx context.Context, d care.Delivery, reason string) error {
	now := s.now().UTC() // DeleteDeadLetter compares it as written
	// The item holds the whole delivery (up to care.MaxDeliveryBody); a
	// reason that long says nothing more than its start.
	if len(reason) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8.RuneStart(reason[cut]) {
			cut--
		}
		reason = reason[:cut] + "…"
	}
	return s.put(ctx, deadItem{
		keys:     deadLetterKeys(d),
		Delivery: d, Reason: reason, At: now, TTL: now.Add(s.retain.Raw).Unix(),
	})
}

// DeadLetters lists the dead letters of a connection, oldest first.
func (s *Store) DeadLetters(ctx context.Context, connection string) ([]DeadLetter, error) {
	items, err := queryAll[deadItem](ctx, s, partition(deadLetterPK(connection)))
	if err != nil {
		return nil, fmt.Errorf("query dead letters of %s: %w", connection, err)
	}
	return unwrap(items, deadItem.deadLetter), nil
}

// DeadLettersReceived lists the dead letters of a connection whose
// delivery was received in [from, to), oldest first.
func (s *Store) DeadLettersReceived(ctx context.Context, connection string, from, to time.Time) ([]DeadLetter, error) {
	items, err := queryAll[deadItem](ctx, s, between("", deadLetterPK(connection), from, to))
	if err != nil {
		return nil, fmt.Errorf("query dead letters of %s: %w", connection, err)
	}
	return unwrap(items, deadItem.deadLetter), nil
}

// DeleteDeadLetter removes a dead letter once it has been replayed. It is
// conditional on the record being the one read (its time): when the
// replay failed again, the new record, with the new reason, stays.
// deleted is false when that happened, or when it is gone already.
func (s *Store) DeleteDeadLetter(ctx context.Context, dl care.DeadLetter) (deleted bool, err error) {
	_, err = s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                &s.table,
		Key:                      deadLetterKeys(dl.Delivery).key(),
		ConditionExpression:      aws.String("#at = :at"),
		ExpressionAttributeNames: map[string]string{"#at": "at"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": &types.AttributeValueMemberS{Value: dl.At.UTC().Format(time.RFC3339Nano)},
		},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("delete dead letter %s: %w", dl.Delivery.DedupeKey, err)
	}
	return true, nil
}
