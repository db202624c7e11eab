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

// Prompts (type prompt): what a digest or a question asked, kept for the
// replies; and the items a manager skipped (type skip), on the prompt's
// partition.

type promptItem struct {
	keys
	care.Prompt
	TTL int64 `dynamodbav:"ttl"`
}

// PutPrompt stores a prompt once; created is false if it exists (a retried
// digest job must not send twice).
func (s *Store) PutPrompt(ctx context.Context, p care.Prompt) (created bool, err error) {
	// A prompt is answerable until ExpiresAt and kept 90 days more for
	// late replies' explanations, but never longer than the records it
	// quotes.
	ttl := min(p.ExpiresAt.Add(90*24*time.Hour).Unix(), s.expires(s.now()))
	ok, err := s.putOnce(ctx, promptItem{keys: promptKeys(p.ID), Prompt: p, TTL: ttl})
	if err != nil {
		return false, fmt.Errorf("put prompt %s: %w", p.ID, err)
	}
	return ok, nil
}

// Prompt reads a prompt; a missing one is a care.ENotFound error.
func (s *Store) Prompt(ctx context.Context, id string) (care.Prompt, error) {
	var it promptItem
	if err := s.get(ctx, promptKeys(id), &it); err != nil {
		return care.Prompt{}, fmt.Errorf("get prompt: %w", err)
	}
	return it.Prompt, nil
}

// MarkPromptSent records when a prompt's email went out.
func (s *Store) MarkPromptSent(ctx context.Context, id string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       promptKeys(id).key(),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		UpdateExpression:          aws.String("SET sentAt = :at"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)}},
	})
	if err != nil {
		return fmt.Errorf("mark prompt %s sent: %w", id, err)
	}
	return nil
}

type skipItem struct {
	keys
	At  time.Time `dynamodbav:"at"`
	TTL int64     `dynamodbav:"ttl"`
}

// SkipItem records that a manager dismissed a prompt's item.
func (s *Store) SkipItem(ctx context.Context, promptID string, n int, at time.Time) error {
	if _, err := s.putOnce(ctx, skipItem{keys: skipKeys(promptID, n), At: at, TTL: s.expires(at)}); err != nil {
		return fmt.Errorf("skip item %d of prompt %s: %w", n, promptID, err)
	}
	return nil
}
