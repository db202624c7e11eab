package dynamo_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

func TestAFeedbackRequestIsStoredOnceAndAnsweredConditionally(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	r := care.FeedbackRequest{ID: "ask-1", Team: "support", Asker: "ana@acme.example", AskerName: "Ana", Question: "How did I do?", AskedAt: t0,
		Ticket: care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}, Asked: []care.Asked{{Email: "jordan@acme.example", PromptID: "a-1"}}}
	other := r
	other.Team = "other-team"
	for _, x := range []care.FeedbackRequest{r, other} {
		if created, err := store.PutFeedbackRequest(ctx, x); err != nil || !created {
			t.Fatalf("put %s: %v %v", x.Team, created, err)
		}
	}
	if created, err := store.PutFeedbackRequest(ctx, r); err != nil || created {
		t.Fatalf("a second put created %v, %v: want the first kept", created, err)
	}
	answered, why := r.Answer("jordan@acme.example", "m-1", "fb-1", t0.Add(time.Hour))
	if why != "" {
		t.Fatal(why)
	}
	if ok, err := store.UpdateFeedbackRequest(ctx, answered, r.Version); err != nil || !ok {
		t.Fatalf("update at its version: %v %v", ok, err)
	}
	if ok, err := store.UpdateFeedbackRequest(ctx, answered, r.Version); err != nil || ok {
		t.Fatalf("an update from a stale version: %v %v, want refused", ok, err)
	}
	got, err := store.FeedbackRequest(ctx, r.Ref())
	if err != nil || got.Version != 1 || got.Asked[0].FeedbackID != "fb-1" || !got.Asked[0].AnsweredAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("read back %+v, %v", got, err)
	}
	listed, err := store.TeamFeedbackRequests(ctx, "support", t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || len(listed) != 1 || listed[0].ID != "ask-1" || listed[0].Team != "support" {
		t.Errorf("listed %+v, %v; want the team's one request", listed, err)
	}
	if _, err := store.FeedbackRequest(ctx, care.AskRef{Team: "support", ID: "nope", AskedAt: t0}); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("a missing request: %v, want ENotFound", err)
	}
}
