package digest_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
)

func TestRequestsTheManagerLeftUnansweredPastTheirTimeHeadTheDigest(t *testing.T) {
	mon := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	req := func(asker string, at time.Time, asked ...care.Asked) care.FeedbackRequest {
		return care.FeedbackRequest{Asker: asker, AskedAt: at, Asked: asked}
	}
	reqs := []care.FeedbackRequest{
		req("priya@x.example", mon.Add(3*time.Hour), care.Asked{Email: "jordan@x.example"}),                                      // waiting
		req("ana@x.example", mon, care.Asked{Email: "jordan@x.example"}),                                                         // waiting, older
		req("ana@x.example", mon, care.Asked{Email: "jordan@x.example", AnsweredAt: mon.Add(time.Hour)}),                         // answered
		req("ana@x.example", mon, care.Asked{Email: "sam@x.example"}),                                                            // not his
		req("ana@x.example", mon.Add(40*time.Hour), care.Asked{Email: "jordan@x.example"}, care.Asked{Email: "priya@x.example"}), // too recent
	}
	got := digest.OverdueAsks("Jordan@x.example", reqs, mon.Add(52*time.Hour), 48*time.Hour)
	if len(got) != 2 || got[0].Asker != "ana@x.example" || got[1].Asker != "priya@x.example" {
		t.Errorf("overdue %+v, want Ana's then Priya's waiting requests", got)
	}
	if got := digest.OverdueAsks("jordan@x.example", reqs, mon.Add(50*time.Hour), 48*time.Hour); len(got) != 1 || got[0].Asker != "ana@x.example" {
		t.Errorf("at 50h: %+v, want Ana's only (Priya's is 47h old)", got)
	}
	in := digest.Input{Manager: "jordan@x.example", Now: mon.Add(52 * time.Hour), Requests: reqs}
	d := digest.Build(in)
	if len(d.Asks) != 2 || d.Empty() {
		t.Errorf("a digest with only requests waiting: asks %d, empty %v; want 2 and sent", len(d.Asks), d.Empty())
	}
}
