package scorecard_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

func TestAsksCountEachMembersRequestsAndTheirTimeToAnswer(t *testing.T) {
	mon := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	team := care.Team{Members: []care.Member{{Name: "Ana Silva", Email: "ana@x.example"}, {Name: "Priya", Email: "priya@x.example"}}}
	asked := func(asker string, at time.Time, answers ...time.Duration) care.FeedbackRequest {
		r := care.FeedbackRequest{Asker: asker, AskedAt: at}
		for _, d := range answers {
			r.Asked = append(r.Asked, care.Asked{Email: "jordan@x.example", AnsweredAt: at.Add(d)})
		}
		if len(answers) == 0 {
			r.Asked = []care.Asked{{Email: "jordan@x.example"}}
		}
		return r
	}
	reqs := []care.FeedbackRequest{
		asked("ana@x.example", mon, 2*time.Hour, time.Hour), // first answer after 1h
		asked("ANA@x.example", mon.Add(time.Hour), 5*time.Hour),
		asked("ana@x.example", mon.Add(2*time.Hour), 9*time.Hour), // answered, but after the period
		asked("ana@x.example", mon.Add(-time.Hour), time.Minute),  // before the period
		asked("priya@x.example", mon.Add(3*time.Hour)),            // not answered
	}
	to := mon.Add(8 * time.Hour)
	got := scorecard.Asks(team.Members, reqs, mon, to)
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	if a := got[0]; a.Name != "Ana Silva" || a.Asked != 3 || a.Answered != 2 || a.MedianToAnswer != 3*time.Hour {
		t.Errorf("Ana: %+v, want 3 asked, 2 answered, median 3h (of 1h and 5h)", a)
	}
	if p := got[1]; p.Asked != 1 || p.Answered != 0 || p.MedianToAnswer != 0 {
		t.Errorf("Priya: %+v", p)
	}
}
