package dynamo_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

func TestAnUpwardAnswerIsKeptOncePerQuestionAndListedByMonth(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	round := func(team, manager, month string) care.UpwardRef {
		return care.UpwardRef{Team: team, Manager: manager, Month: month}
	}
	answers := []care.UpwardAnswer{
		{UpwardRef: round("support", "jordan@acme.example", "2026-11"), Key: "k1", Score: 4, Words: "yes"},
		{UpwardRef: round("support", "jordan@acme.example", "2026-12"), Key: "k2", Score: 2},
		{UpwardRef: round("support", "sam@acme.example", "2026-12"), Key: "k3", Score: 5},
		{UpwardRef: round("support", "jordan@acme.example", "2027-01"), Key: "k4", Score: 3},
		{UpwardRef: round("other-team", "jordan@acme.example", "2026-12"), Key: "k5", Score: 1},
	}
	for _, a := range answers {
		if created, err := store.SaveUpwardAnswer(ctx, a); err != nil || !created {
			t.Fatalf("save %s: %v %v", a.Key, created, err)
		}
	}
	second := answers[1]
	second.Score, second.Words = 5, "changed my mind"
	if created, err := store.SaveUpwardAnswer(ctx, second); err != nil || created {
		t.Fatalf("a second answer to the same question created %v, %v: want the first kept", created, err)
	}
	got, err := store.UpwardAnswers(ctx, "support", "2026-11", "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Key != "k1" || got[1].Score != 2 || got[1].Words != "" || got[2].Manager != "sam@acme.example" {
		t.Errorf("November to December: %+v, want k1, k2 as first answered, k3; not January's, not the other team's", got)
	}

	r := round("support", "jordan@acme.example", "2026-12")
	if ok, err := store.ClaimUpwardThanks(ctx, r, t0); err != nil || !ok {
		t.Fatalf("first thanks: %v %v", ok, err)
	}
	if ok, err := store.ClaimUpwardThanks(ctx, r, t0); err != nil || ok {
		t.Errorf("second thanks claimed (%v, %v): want refused", ok, err)
	}
	if err := store.ReleaseUpwardThanks(ctx, r); err != nil {
		t.Fatal(err)
	}
	if ok, err := store.ClaimUpwardThanks(ctx, r, t0); err != nil || !ok {
		t.Errorf("thanks after a release: %v %v, want claimed again", ok, err)
	}
	if got, _ := store.UpwardAnswers(ctx, "support", "2026-12", "2026-12"); len(got) != 2 {
		t.Errorf("the thanks mark is read as an answer: %+v", got)
	}
}
