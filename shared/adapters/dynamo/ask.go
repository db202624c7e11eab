package dynamo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Feedback requests live in one partition per team, ASK#<team>, by id (a
// hash of the agent's mail, so that a retry finds what it stored). A
// listing reads the partition, the team's requests over the retention
// period (a few per agent a week), and keeps the period's. An answer
// rewrites the request, conditional on the version it read.

type feedbackRequestItem struct {
	keys
	care.FeedbackRequest
	TTL int64 `dynamodbav:"ttl"`
}

func (s *Store) feedbackRequestItem(r care.FeedbackRequest) feedbackRequestItem {
	return feedbackRequestItem{keys: feedbackRequestKeys(r.Ref()), FeedbackRequest: r, TTL: s.expires(r.AskedAt)}
}

// PutFeedbackRequest stores a new request once; created is false if it
// exists (a retried ask mail must not make a second one).
func (s *Store) PutFeedbackRequest(ctx context.Context, r care.FeedbackRequest) (created bool, err error) {
	ok, err := s.putOnce(ctx, s.feedbackRequestItem(r))
	if err != nil {
		return false, fmt.Errorf("put feedback request %s: %w", r.ID, err)
	}
	return ok, nil
}

// FeedbackRequest reads one request; a missing one is a care.ENotFound
// error.
func (s *Store) FeedbackRequest(ctx context.Context, ref care.AskRef) (care.FeedbackRequest, error) {
	var it feedbackRequestItem
	if err := s.get(ctx, feedbackRequestKeys(ref), &it); err != nil {
		return care.FeedbackRequest{}, fmt.Errorf("get feedback request %s: %w", ref.ID, err)
	}
	return it.FeedbackRequest, nil
}

// UpdateFeedbackRequest replaces a request with r if it is still at
// version; ok is false, and nothing changes, if an answer changed it first.
func (s *Store) UpdateFeedbackRequest(ctx context.Context, r care.FeedbackRequest, version int) (ok bool, err error) {
	item, err := attributevalue.MarshalMap(s.feedbackRequestItem(r))
	if err != nil {
		return false, fmt.Errorf("marshal feedback request: %w", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &s.table,
		Item:                      item,
		ConditionExpression:       aws.String("attribute_exists(pk) AND #version = :version"),
		ExpressionAttributeNames:  map[string]string{"#version": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":version": &types.AttributeValueMemberN{Value: fmt.Sprint(version)}},
	})
	switch {
	case isConditionFailed(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("update feedback request %s: %w", r.ID, err)
	}
	return true, nil
}

// TeamFeedbackRequests lists a team's requests asked in [from, to),
// oldest first.
func (s *Store) TeamFeedbackRequests(ctx context.Context, team string, from, to time.Time) ([]care.FeedbackRequest, error) {
	items, err := queryAll[feedbackRequestItem](ctx, s, partition(feedbackRequestPK(team)))
	if err != nil {
		return nil, fmt.Errorf("query feedback requests of %s: %w", team, err)
	}
	var out []care.FeedbackRequest
	for _, it := range items {
		if !it.AskedAt.Before(from) && it.AskedAt.Before(to) {
			out = append(out, it.FeedbackRequest)
		}
	}
	slices.SortStableFunc(out, func(a, b care.FeedbackRequest) int { return a.AskedAt.Compare(b.AskedAt) })
	return out, nil
}
