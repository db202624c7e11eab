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

// Facts (type fact): countable ticket events, on their ticket's partition
// and on the team's weekly fact index.

type factItem struct {
	keys
	index
	care.Fact
	TTL int64 `dynamodbav:"ttl"`
}

// SaveFacts stores countable ticket events once, on the team's weekly index.
func (s *Store) SaveFacts(ctx context.Context, fs []care.Fact) (saved int, err error) {
	for _, f := range fs {
		ok, err := s.putOnce(ctx, factItem{keys: factKeys(f), index: factIndex(f), Fact: f, TTL: s.expires(f.At)})
		if err != nil {
			return saved, fmt.Errorf("put fact %s: %w", f.ID, err)
		}
		if ok {
			saved++
		}
	}
	return saved, nil
}

// PutFacts writes facts whether or not they exist: a fact whose count
// changed (a response time corrected by late evidence) replaces the old,
// on the index week of its new time, expiring from its new time.
func (s *Store) PutFacts(ctx context.Context, fs []care.Fact) error {
	for _, f := range fs {
		if err := s.put(ctx, factItem{keys: factKeys(f), index: factIndex(f), Fact: f, TTL: s.expires(f.At)}); err != nil {
			return fmt.Errorf("put fact %s: %w", f.ID, err)
		}
	}
	return nil
}

// DeleteFacts removes facts late evidence showed never happened. Deleting
// one that is gone already is fine.
func (s *Store) DeleteFacts(ctx context.Context, fs []care.Fact) error {
	for _, f := range fs {
		if err := s.remove(ctx, factKeys(f)); err != nil {
			return fmt.Errorf("delete fact %s: %w", f.ID, err)
		}
	}
	return nil
}

// TeamFacts lists a team's facts in [from, to), oldest first.
func (s *Store) TeamFacts(ctx context.Context, team string, from, to time.Time) ([]care.Fact, error) {
	items, err := queryWeeks[factItem](ctx, s, weekFacts, team, from, to)
	return unwrap(items, func(it factItem) care.Fact { return it.Fact }), err
}

// trendKinds are the kinds of fact a digest's trends count.
var trendKinds = []care.FactKind{care.FactSolved, care.FactReopened, care.FactRated}

// trendFact is what the trends read of a fact.
type trendFact struct {
	Kind   care.FactKind `dynamodbav:"kind"`
	Rating string        `dynamodbav:"rating"`
	Tags   []string      `dynamodbav:"tags"`
}

// TeamTrendFacts lists the facts of a team in [from, to) that a digest's
// trends count (solved, reopened, rated), oldest first, with only their
// kind, rating and tags: the query filters the other kinds out and projects
// those three attributes, so a week of a large team's facts is transferred
// and decoded in a fraction of the time. Every other field is zero; the
// dashboard's scorecards read whole facts with TeamFacts.
func (s *Store) TeamTrendFacts(ctx context.Context, team string, from, to time.Time) ([]care.Fact, error) {
	items, err := queryWeeksWith[trendFact](ctx, s, weekFacts, team, from, to, trendProjection)
	return unwrap(items, func(f trendFact) care.Fact { return care.Fact{Kind: f.Kind, Rating: f.Rating, Tags: f.Tags} }), err
}

// trendProjection narrows a fact index query to what TeamTrendFacts reads.
func trendProjection(in *dynamodb.QueryInput) {
	in.ProjectionExpression = aws.String("#kind, #rating, #tags")
	in.FilterExpression = aws.String("#kind IN (:k0, :k1, :k2)")
	in.ExpressionAttributeNames = map[string]string{"#kind": "kind", "#rating": "rating", "#tags": "tags"}
	for i, k := range trendKinds {
		in.ExpressionAttributeValues[fmt.Sprintf(":k%d", i)] = &types.AttributeValueMemberS{Value: string(k)}
	}
}
