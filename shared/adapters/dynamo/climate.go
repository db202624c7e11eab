package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Answers to the weekly climate question (type climate_answer), on the
// team's partition by time.

type climateItem struct {
	keys
	care.ClimateAnswer
	TTL int64 `dynamodbav:"ttl"`
}

// SaveClimateAnswer stores an agent's answer to the weekly question, once
// per prompt (a second reply to the same question replaces nothing).
func (s *Store) SaveClimateAnswer(ctx context.Context, a care.ClimateAnswer) (created bool, err error) {
	ok, err := s.putOnce(ctx, climateItem{keys: climateKeys(a), ClimateAnswer: a, TTL: s.expires(a.At)})
	if err != nil {
		return false, fmt.Errorf("put climate answer: %w", err)
	}
	return ok, nil
}

// ClimateAnswers lists a team's answers in [from, to), oldest first.
func (s *Store) ClimateAnswers(ctx context.Context, team string, from, to time.Time) ([]care.ClimateAnswer, error) {
	items, err := queryAll[climateItem](ctx, s, between("", climatePK(team), from, to))
	if err != nil {
		return nil, fmt.Errorf("query climate answers of %s: %w", team, err)
	}
	return unwrap(items, func(it climateItem) care.ClimateAnswer { return it.ClimateAnswer }), nil
}
