package care_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
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
		Solves: []care.Solve{{At: at(3), By: "1001"}}, Reopenings: []time.Time{at(5)},
		Rating: "bad", RatingComment: "still broken", RatingAt: at(6), RatingID: "e7",
		Responses:    []care.Response{{Message: "e2", AskedAt: at(0), AnsweredAt: at(2)}},
		SolvedBy:     "1001",
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

func TestFoldRecordsWhatThePlaybookWatches(t *testing.T) {
	solved := care.Interaction{ID: "s", Ticket: ref, Kind: care.StatusChanged, Status: care.StatusSolved, At: at(2)}
	open := care.Interaction{ID: "o", Ticket: ref, Kind: care.TicketCreated, At: at(0), Snapshot: care.Snapshot{Status: care.StatusOpen, GroupID: "tier1", Priority: "normal", AssigneeID: "1001"}}
	ask := care.Interaction{ID: "c", Ticket: ref, Kind: care.CustomerMessage, At: at(0), ActorID: "9001", ActorName: "Maria", FromRequester: true}
	tests := []struct {
		name     string
		timeline []care.Interaction
		check    func(care.Ticket) bool
	}{
		{"the followed-up tag after a solve is a follow-up",
			[]care.Interaction{open, solved, {ID: "t", Ticket: ref, Kind: care.TagsChanged, Tags: []string{"followed-up"}, At: at(5)}},
			func(t care.Ticket) bool { return t.FollowedUpAt.Equal(at(5)) }},
		{"a follow-up: note after a solve is a follow-up",
			[]care.Interaction{open, solved, {ID: "n", Ticket: ref, Kind: care.InternalNote, Body: "Follow-up: called, all good", At: at(5)}},
			func(t care.Ticket) bool { return t.FollowedUpAt.Equal(at(5)) && t.FollowUpVia == "a follow-up: note" }},
		{"a public reply after a solve is a follow-up",
			[]care.Interaction{open, solved, {ID: "r", Ticket: ref, Kind: care.AgentReply, At: at(6)}},
			func(t care.Ticket) bool { return t.FollowedUpAt.Equal(at(6)) }},
		{"an ordinary note is not a follow-up",
			[]care.Interaction{open, solved, {ID: "n", Ticket: ref, Kind: care.InternalNote, Body: "waiting for parts", At: at(5)}},
			func(t care.Ticket) bool { return t.FollowedUpAt.IsZero() }},
		{"a reply before the due date keeps the commitment",
			[]care.Interaction{open, {ID: "d", Ticket: ref, Kind: care.DueDateChanged, DueAt: at(10), At: at(1)}, {ID: "r", Ticket: ref, Kind: care.AgentReply, At: at(9)}},
			func(t care.Ticket) bool { return t.CommitmentKeptAt.Equal(at(9)) }},
		{"a reply after the due date does not keep it",
			[]care.Interaction{open, {ID: "d", Ticket: ref, Kind: care.DueDateChanged, DueAt: at(10), At: at(1)}, {ID: "r", Ticket: ref, Kind: care.AgentReply, At: at(11)}},
			func(t care.Ticket) bool { return t.CommitmentKeptAt.IsZero() }},
		{"moving to another group while the customer waits is an escalation",
			[]care.Interaction{open, ask, {ID: "g", Ticket: ref, Kind: care.GroupChanged, GroupID: "tier2", At: at(3), ActorID: "1001"}},
			func(t care.Ticket) bool {
				return len(t.Escalations) == 1 && t.Escalations[0].StuckSince.Equal(at(0)) && t.Escalations[0].To == "tier2"
			}},
		{"raising the priority is an escalation, lowering it is not",
			[]care.Interaction{open, {ID: "p1", Ticket: ref, Kind: care.PriorityChanged, Priority: "urgent", At: at(1)}, {ID: "p2", Ticket: ref, Kind: care.PriorityChanged, Priority: "low", At: at(2)}},
			func(t care.Ticket) bool { return len(t.Escalations) == 1 && t.Escalations[0].Kind == "priority" }},
		{"solving without a reply closes the wait as a response by solve",
			[]care.Interaction{open, ask, solved},
			func(t care.Ticket) bool {
				return len(t.Responses) == 1 && t.Responses[0].BySolve && t.Responses[0].Waited() == 2*time.Hour && t.RequesterName == "Maria"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := care.Fold(ref, tt.timeline); !tt.check(got) {
				t.Errorf("unexpected state: %+v", got)
			}
		})
	}
}

// TestATransitionTheSnapshotImpliesCountsBeforeTheEventsOwnChange covers
// updates whose status change never arrived (a dropped webhook): the
// snapshot of a later event says what the status became.
func TestATransitionTheSnapshotImpliesCountsBeforeTheEventsOwnChange(t *testing.T) {
	created := care.Interaction{ID: "o", Ticket: ref, Kind: care.TicketCreated, At: at(0), Snapshot: care.Snapshot{Status: care.StatusOpen, AssigneeID: "1001", Tags: []string{"printer"}}}
	ask := care.Interaction{ID: "c", Ticket: ref, Kind: care.CustomerMessage, At: at(0), ActorID: "9001", FromRequester: true}
	solved := care.Interaction{ID: "s1", Ticket: ref, Kind: care.StatusChanged, Status: care.StatusSolved, At: at(2)}
	reopened := care.Interaction{ID: "r1", Ticket: ref, Kind: care.StatusChanged, Status: care.StatusOpen, At: at(5)}
	solvedSnap := care.Snapshot{Status: care.StatusSolved}
	tests := []struct {
		name     string
		timeline []care.Interaction
		check    func(care.Ticket) bool
	}{
		{"a followed-up tag whose snapshot says solved, after a reopen whose re-solve never arrived, is a follow-up of that solve",
			[]care.Interaction{created, solved, reopened, {ID: "t", Ticket: ref, Kind: care.TagsChanged, Tags: []string{"printer", "followed-up"}, At: at(30), Snapshot: solvedSnap}},
			func(t care.Ticket) bool {
				return t.Status == care.StatusSolved && t.SolvedAt.Equal(at(30)) && t.FollowedUp() && t.FollowedUpAt.Equal(at(30)) && t.Reopens == 1
			}},
		{"a follow-up: note whose snapshot says solved, after a reopen, is a follow-up too",
			[]care.Interaction{created, solved, reopened, {ID: "n", Ticket: ref, Kind: care.InternalNote, Body: "follow-up: called her, all good", At: at(30), Snapshot: solvedSnap}},
			func(t care.Ticket) bool { return t.FollowedUp() && t.FollowUpVia == "a follow-up: note" }},
		{"a tag in the same update as a delivered solve is not a follow-up of it",
			[]care.Interaction{created, {ID: "t", Ticket: ref, Kind: care.TagsChanged, Tags: []string{"followed-up"}, At: at(2), Snapshot: solvedSnap}, solved},
			func(t care.Ticket) bool { return t.SolvedAt.Equal(at(2)) && !t.FollowedUp() }},
		{"a public reply whose snapshot says solved answers the customer and is no follow-up",
			[]care.Interaction{created, ask, {ID: "a", Ticket: ref, Kind: care.AgentReply, ActorID: "1001", At: at(3), Snapshot: solvedSnap}},
			func(t care.Ticket) bool {
				return t.Status == care.StatusSolved && !t.FollowedUp() && len(t.Responses) == 1 && !t.Responses[0].BySolve && t.FirstReplyAt.Equal(at(3))
			}},
		{"a reply and a solve delivered for the same update: the reply answers the customer, whatever the ids",
			[]care.Interaction{created, ask, {ID: "zz-reply", Ticket: ref, Kind: care.AgentReply, ActorID: "1001", At: at(3), Snapshot: solvedSnap}, {ID: "aa-solve", Ticket: ref, Kind: care.StatusChanged, Status: care.StatusSolved, At: at(3), Snapshot: solvedSnap}},
			func(t care.Ticket) bool {
				return t.SolvedAt.Equal(at(3)) && len(t.Responses) == 1 && !t.Responses[0].BySolve && !t.FollowedUp()
			}},
		{"a customer message whose snapshot says open reopens a solved ticket and waits",
			[]care.Interaction{created, solved, {ID: "c2", Ticket: ref, Kind: care.CustomerMessage, At: at(6), Snapshot: care.Snapshot{Status: care.StatusOpen}}},
			func(t care.Ticket) bool {
				return t.Status == care.StatusOpen && t.ReopenedAt.Equal(at(6)) && t.AwaitingSince.Equal(at(6))
			}},
		{"a follow-up of an earlier solve does not count for the solve after a reopen",
			[]care.Interaction{created, solved, {ID: "t", Ticket: ref, Kind: care.TagsChanged, Tags: []string{"followed-up"}, At: at(3)}, reopened, {ID: "s2", Ticket: ref, Kind: care.StatusChanged, Status: care.StatusSolved, At: at(8)}},
			func(t care.Ticket) bool { return t.SolvedAt.Equal(at(8)) && !t.FollowedUp() }},
		{"a change that could not be read still folds its snapshot",
			[]care.Interaction{created, {ID: "u", Ticket: ref, Kind: care.ChangeUnread, At: at(4), Snapshot: care.Snapshot{Priority: "high"}, Unread: []string{"event.current: not a due time"}}},
			func(t care.Ticket) bool { return t.Priority == "high" && t.DueAt.IsZero() && t.UpdatedAt.Equal(at(4)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := care.Fold(ref, tt.timeline)
			if !tt.check(want) {
				t.Fatalf("unexpected state: %+v", want)
			}
			r := rand.New(rand.NewPCG(3, 4))
			for i := range 20 {
				shuffled := slices.Clone(tt.timeline)
				r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				if got := care.Fold(ref, shuffled); !reflect.DeepEqual(got, want) {
					t.Fatalf("shuffle %d folds differently:\n got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}
