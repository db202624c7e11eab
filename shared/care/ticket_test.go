package care_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/care"
)

var (
	ref = care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}
	t0  = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func story() []care.Interaction {
	return []care.Interaction{
		{ID: "e1", Ticket: ref, Kind: care.TicketCreated, At: at(0), Snapshot: care.Snapshot{Subject: "Printer offline", Status: care.StatusNew, RequesterID: "9001"}},
		{ID: "e2", Ticket: ref, Kind: care.CustomerMessage, At: at(0), Body: "It is offline"},
		{ID: "e3", Ticket: ref, Kind: care.AssigneeChanged, At: at(1), AssigneeID: "1001"},
		{ID: "e4", Ticket: ref, Kind: care.AgentReply, At: at(2), Snapshot: care.Snapshot{Status: care.StatusPending}},
		{ID: "e5", Ticket: ref, Kind: care.StatusChanged, At: at(3), Status: care.StatusSolved},
		{ID: "e6", Ticket: ref, Kind: care.CustomerMessage, At: at(5), Snapshot: care.Snapshot{Status: care.StatusOpen}},
		{ID: "e7", Ticket: ref, Kind: care.Satisfaction, At: at(6), Rating: "bad", Body: "still broken"},
		{ID: "e8", Ticket: ref, Kind: care.Unrecognized, At: at(7), SourceID: "zen:event-type:ticket.brand_changed"},
	}
}

func TestFold(t *testing.T) {
	got := care.Fold(ref, story())
	want := care.Ticket{
		Ref: ref, Subject: "Printer offline", Status: care.StatusOpen, RequesterID: "9001", AssigneeID: "1001",
		CreatedAt: at(0), UpdatedAt: at(6), // an unrecognized event changes no state
		AwaitingSince: at(5), AwaitingMessage: "e6",
		LastCustomerMessageAt: at(5), LastAgentReplyAt: at(2), FirstReplyAt: at(2),
		SolvedAt: at(3), ReopenedAt: at(5), Reopens: 1,
		Rating: "bad", RatingComment: "still broken",
		Interactions: 8,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fold:\n got %+v\nwant %+v", got, want)
	}
}

func TestFoldIgnoresDeliveryOrder(t *testing.T) {
	want := care.Fold(ref, story())
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		shuffled := story()
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := care.Fold(ref, shuffled); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d: got %+v, want %+v", i, got, want)
		}
	}
}

func TestNewTaskIsStableAndSchedulerSafe(t *testing.T) {
	a := care.NewTask(ref, care.RespondCheck, "e2", at(24))
	b := care.NewTask(ref, care.RespondCheck, "e2", at(24).Add(time.Nanosecond))
	c := care.NewTask(ref, care.RespondCheck, "e6", at(24))
	if a.ID != b.ID {
		t.Errorf("same ticket, kind and anchor gave ids %q and %q", a.ID, b.ID)
	}
	if a.ID == c.ID {
		t.Errorf("different anchors gave the same id %q", a.ID)
	}
	if len(a.ID) > 64 {
		t.Errorf("id %q is longer than a schedule name may be", a.ID)
	}
	for _, r := range a.ID {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			t.Errorf("id %q has %q, not allowed in a schedule name", a.ID, r)
		}
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	s := care.Secret("hunter2")
	c := care.Connection{ID: "x", Secret: s}
	for _, out := range []string{s.String(), s.LogValue().String(), fmtV(c)} {
		if contains(out, "hunter2") {
			t.Errorf("secret leaked in %q", out)
		}
	}
}

func TestFeedbackWithoutARatingKeepsTheKnownRating(t *testing.T) {
	got := care.Fold(ref, []care.Interaction{
		{ID: "r1", Ticket: ref, Kind: care.Satisfaction, At: at(1), Rating: "good", Body: "great"},
		{ID: "r2", Ticket: ref, Kind: care.Satisfaction, At: at(2)},
	})
	if got.Rating != "good" || got.RatingComment != "great" {
		t.Errorf("rating %q %q, want the earlier good rating kept", got.Rating, got.RatingComment)
	}
}
