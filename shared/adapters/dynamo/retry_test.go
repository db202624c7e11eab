package dynamo_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

// lossyStore is a store whose DynamoDB requests go through a proxy that can
// lose the answer to a request DynamoDB has applied.
func lossyStore(t *testing.T) (*dynamo.Store, *ddbproxy.Proxy) {
	t.Helper()
	p, err := ddbproxy.Start(stack.DynamoEndpoint, ddbproxy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	store, _, _ := dynamotest.NewStore(t, p.URL(), fixedNow)
	return store, p
}

// When the first attempt of a conditional write is applied but its answer
// is lost, the SDK retries and the retry's condition fails against the
// write itself. The store must report the write as done, not as someone
// else's.
func TestAConditionalWriteWhoseAnswerWasLostStillCounts(t *testing.T) {
	lost := []ddbproxy.Fault{{Kind: ddbproxy.InternalError, After: true}, {Kind: ddbproxy.Reset, After: true}}
	task := care.Task{ID: "respond-1", Ticket: ref, Kind: "respond", Status: care.TaskPending, DueAt: t0}
	for _, f := range lost {
		t.Run("a new delivery is created after "+f.String(), func(t *testing.T) {
			store, p := lossyStore(t)
			p.InjectNext("PutItem", f)
			d := care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, DedupeKey: "k1", ReceivedAt: t0, Body: []byte(`{}`)}
			created, err := store.PutDelivery(ctx, d)
			if err != nil || !created {
				t.Errorf("PutDelivery = %v, %v; want created", created, err)
			}
			if created, err := store.PutDelivery(ctx, d); err != nil || created {
				t.Errorf("the help desk's own resend = %v, %v; want a duplicate", created, err)
			}
		})
		t.Run("a new task is created after "+f.String(), func(t *testing.T) {
			store, p := lossyStore(t)
			p.InjectNext("PutItem", f)
			if created, err := store.PutTask(ctx, task); err != nil || !created {
				t.Errorf("PutTask = %v, %v; want created", created, err)
			}
			if created, err := store.PutTask(ctx, task); err != nil || created {
				t.Errorf("PutTask again = %v, %v; want not created", created, err)
			}
		})
		t.Run("a claim on a task is won after "+f.String(), func(t *testing.T) {
			store, p := lossyStore(t)
			if _, err := store.PutTask(ctx, task); err != nil {
				t.Fatal(err)
			}
			p.InjectNext("UpdateItem", f)
			ok, err := store.TransitionTask(ctx, ref, task.ID, care.TaskPending, care.TaskDone, "sending")
			if err != nil || !ok {
				t.Errorf("claim = %v, %v; want won", ok, err)
			}
			if ok, err := store.TransitionTask(ctx, ref, task.ID, care.TaskPending, care.TaskDone, "sending"); err != nil || ok {
				t.Errorf("a second invocation's claim = %v, %v; want lost", ok, err)
			}
		})
		t.Run("an inbound message is claimed after "+f.String(), func(t *testing.T) {
			store, p := lossyStore(t)
			p.InjectNext("PutItem", f)
			if ok, err := store.ClaimMessage(ctx, "<m1@example>"); err != nil || !ok {
				t.Errorf("ClaimMessage = %v, %v; want claimed", ok, err)
			}
			if ok, err := store.ClaimMessage(ctx, "<m1@example>"); err != nil || ok {
				t.Errorf("a replay = %v, %v; want refused", ok, err)
			}
		})
	}
}
