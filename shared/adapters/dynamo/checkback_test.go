package dynamo_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

func TestACheckBackIsDueUntilSentAndAgainAfterLater(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	c := care.CheckBack{ID: "cb-1", Team: "support", Manager: "jordan@acme.example", AgentEmail: "ana@acme.example", AgentName: "Ana",
		Said: "Let's call her back", SaidAt: t0, DueAt: t0.Add(72 * time.Hour), Status: care.CheckBackPending}
	other := c
	other.ID, other.Team = "cb-2", "other-team"
	for _, x := range []care.CheckBack{c, other} {
		if created, err := store.PutCheckBack(ctx, x); err != nil || !created {
			t.Fatalf("put %s: %v %v", x.ID, created, err)
		}
	}
	if created, err := store.PutCheckBack(ctx, c); err != nil || created {
		t.Fatalf("a second put created %v, %v: want the first kept", created, err)
	}
	due := func(at time.Time) []care.CheckBack {
		t.Helper()
		got, err := store.DueCheckBacks(ctx, "support", at)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := due(t0.Add(71 * time.Hour)); len(got) != 0 {
		t.Errorf("due before its time: %+v", got)
	}
	if got := due(c.DueAt); len(got) != 1 || got[0].ID != "cb-1" {
		t.Fatalf("due at its time: %+v, want cb-1 only (not the other team's)", got)
	}
	sent := c
	sent.SentAt = c.DueAt
	if ok, err := store.UpdateCheckBack(ctx, sent, 0, care.CheckBackPending); err != nil || !ok {
		t.Fatalf("mark sent: %v %v", ok, err)
	}
	if got := due(c.DueAt.Add(24 * time.Hour)); len(got) != 0 {
		t.Errorf("still due once sent: %+v", got)
	}
	later := sent
	later.Round, later.SentAt, later.DueAt, later.MessageID = 1, time.Time{}, c.DueAt.Add(48*time.Hour), "<m-1>"
	if ok, err := store.UpdateCheckBack(ctx, later, 0, care.CheckBackPending); err != nil || !ok {
		t.Fatalf("later: %v %v", ok, err)
	}
	if ok, err := store.UpdateCheckBack(ctx, later, 0, care.CheckBackPending); err != nil || ok {
		t.Errorf("an update from a stale round applied (%v, %v)", ok, err)
	}
	if got := due(later.DueAt); len(got) != 1 || got[0].Round != 1 {
		t.Errorf("after later: %+v, want due again in round 1", got)
	}
	got, err := store.CheckBack(ctx, c.Ref())
	if err != nil || got.Round != 1 || got.MessageID != "<m-1>" || got.Said != c.Said {
		t.Errorf("read back %+v, %v", got, err)
	}
	all, err := store.TeamCheckBacks(ctx, "support", t0, t0.Add(time.Second))
	if err != nil || len(all) != 1 {
		t.Errorf("team check-backs %+v, %v", all, err)
	}
	if _, err := store.CheckBack(ctx, care.CheckBackRef{Team: "support", ID: "nope", SaidAt: t0}); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("missing check-back: %v, want ENotFound", err)
	}
}
