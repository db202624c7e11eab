package dynamo

import (
	"context"
	"fmt"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Agendas (type agenda): the agenda a manager sent from a meeting brief,
// on the brief prompt's partition, written once.

type agendaItem struct {
	keys
	care.AgendaSent
	TTL int64 `dynamodbav:"ttl"`
}

// PutAgenda records the agenda sent from a brief, once: created is false
// when one was recorded before (by this reply's earlier attempt, or by
// another reply: Agenda says which).
func (s *Store) PutAgenda(ctx context.Context, a care.AgendaSent) (created bool, err error) {
	ok, err := s.putOnce(ctx, agendaItem{keys: agendaKeys(a.PromptID), AgendaSent: a, TTL: s.expires(a.SentAt)})
	if err != nil {
		return false, fmt.Errorf("put agenda of brief %s: %w", a.PromptID, err)
	}
	return ok, nil
}

// Agenda reads the agenda sent from a brief; none is a care.ENotFound
// error.
func (s *Store) Agenda(ctx context.Context, promptID string) (care.AgendaSent, error) {
	var it agendaItem
	if err := s.get(ctx, agendaKeys(promptID), &it); err != nil {
		return care.AgendaSent{}, fmt.Errorf("get agenda of brief %s: %w", promptID, err)
	}
	return it.AgendaSent, nil
}
