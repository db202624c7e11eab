package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// A ticket's partition: its timeline (type interaction) here; its tasks,
// moments and facts in task.go, moment.go and fact.go. LoadTicket reads
// them all with one query.

type interactionItem struct {
	keys
	care.Interaction
	TTL int64 `dynamodbav:"ttl"`
}

// SaveInteractions stores interactions on their tickets' timelines. Each is
// keyed by its event time and id, so storing one twice rewrites the same item.
// Nothing else is written: no index entry per agent (nothing reads one),
// so an interaction costs its own item's write units only.
func (s *Store) SaveInteractions(ctx context.Context, ins []care.Interaction) error {
	var writes []types.WriteRequest
	for _, in := range ins {
		w, err := putRequest(interactionItem{keys: interactionKeys(in), Interaction: in, TTL: s.expires(in.At)})
		if err != nil {
			return fmt.Errorf("marshal interaction %s: %w", in.ID, err)
		}
		writes = append(writes, w)
	}
	return s.batchWrite(ctx, writes)
}

// LoadTicket reads a ticket's timeline, tasks, moments and facts with one
// query. The ticket's state is neither stored nor folded here: each caller
// folds the timeline (care.Fold) as it needs it, and writing a derived item
// on each delivery cost about 1.5 write units for nothing.
func (s *Store) LoadTicket(ctx context.Context, ref care.TicketRef) (care.TicketRecord, error) {
	items, err := queryAll[anyItem](ctx, s, partition(ticketPK(ref)))
	if err != nil {
		return care.TicketRecord{}, fmt.Errorf("load ticket %s: %w", ref, err)
	}
	var rec care.TicketRecord
	for _, item := range items {
		if err := addToTicket(&rec, item); err != nil {
			return care.TicketRecord{}, fmt.Errorf("load ticket %s: %w", ref, err)
		}
	}
	// Copies of one fact (a webhook and the same fact from the help desk's
	// API) are one interaction to every reader.
	rec.Timeline = care.Distinct(rec.Timeline)
	return rec, nil
}

// addToTicket decodes one item of a ticket's partition into rec by its kind.
func addToTicket(rec *care.TicketRecord, item anyItem) error {
	var k keys
	if err := attributevalue.UnmarshalMap(item, &k); err != nil {
		return err
	}
	switch k.Type {
	case typeInteraction:
		var it interactionItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		rec.Timeline = append(rec.Timeline, it.Interaction)
	case typeTask:
		var it taskItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		rec.Tasks = append(rec.Tasks, it.Task)
	case typeMoment:
		var it momentItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		rec.Moments = append(rec.Moments, it.Moment)
	case typeFact:
		var it factItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		rec.Facts = append(rec.Facts, it.Fact)
	}
	return nil
}
