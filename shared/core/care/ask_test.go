package care_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

func TestARequestIsAnsweredOncePerPersonAndARetryFinishes(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	r := care.FeedbackRequest{ID: "ask-1", AskerName: "Ana Silva", Asked: []care.Asked{{Email: "jordan@x.example"}, {Email: "priya@x.example", Peer: true}}}
	if !r.Unanswered(at) || !r.FirstAnswer().IsZero() {
		t.Fatal("a new request is answered")
	}
	got, why := r.Answer("Jordan@X.example", "m1", "fb-1", at)
	if why != "" || got.Version != 1 || !got.Asked[0].AnsweredAt.Equal(at) || got.Asked[0].FeedbackID != "fb-1" || !r.Asked[0].AnsweredAt.IsZero() {
		t.Fatalf("answer: %+v %q (and the original must not change: %+v)", got, why, r.Asked[0])
	}
	if again, why := got.Answer("jordan@x.example", "m1", "fb-1", at.Add(time.Hour)); why != "" || again.Version != 1 {
		t.Errorf("a retry of the same answer: %+v %q, want unchanged and no why", again, why)
	}
	if _, why := got.Answer("jordan@x.example", "m2", "fb-1", at.Add(time.Hour)); !strings.Contains(why, "answered this request on Tue 1 Dec already") || !strings.Contains(why, "Ana's copy") {
		t.Errorf("a second answer: %q", why)
	}
	if _, why := got.Answer("mallory@x.example", "m3", "fb-3", at); !strings.Contains(why, "not sent to you") {
		t.Errorf("someone not asked: %q", why)
	}
	if got.Unanswered(at.Add(time.Minute)) || !got.Unanswered(at) || !got.FirstAnswer().Equal(at) {
		t.Errorf("answered at %v: unanswered after? %v", at, got.Unanswered(at.Add(time.Minute)))
	}
}

func TestAskOverdueDefaultsAndIsValidated(t *testing.T) {
	if got := (care.AskSettings{}).OverdueAfter(); got != 48*time.Hour {
		t.Errorf("default overdue %v, want 48h", got)
	}
	bad := care.Team{ID: "s", Ask: care.AskSettings{Overdue: care.Duration(31 * 24 * time.Hour)}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "askForFeedback.overdue") {
		t.Errorf("31 days: %v", err)
	}
}
