package dynamo_test

import (
	"slices"
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

func TestABriefsAgendaIsRecordedOnceAndReadBack(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	if _, err := store.Agenda(ctx, "b-1"); care.ErrorCode(err) != care.ENotFound {
		t.Fatalf("no agenda yet: %v, want not found", err)
	}
	first := care.AgendaSent{PromptID: "b-1", Team: "support", Manager: "jordan@acme.example", Items: []int{2, 4}, Note: "See you <b>all</b>",
		To: []string{"ana@acme.example"}, MessageID: "<m-1@mail.example>", SentAt: t0}
	if created, err := store.PutAgenda(ctx, first); err != nil || !created {
		t.Fatalf("first put: %v %v", created, err)
	}
	second := first
	second.Items, second.MessageID = nil, "<m-2@mail.example>"
	if created, err := store.PutAgenda(ctx, second); err != nil || created {
		t.Fatalf("second put created %v, %v: want the first kept", created, err)
	}
	got, err := store.Agenda(ctx, "b-1")
	if err != nil || got.MessageID != first.MessageID || !slices.Equal(got.Items, first.Items) || got.Note != first.Note || !got.SentAt.Equal(t0) {
		t.Errorf("read back %+v, %v; want the first", got, err)
	}
}
