package dynamo

import (
	"context"
	"fmt"
	"time"

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
