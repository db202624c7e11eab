package scorecard_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

func TestTheFollowThroughCountsEachManagersCheckBacksOfThePeriod(t *testing.T) {
	// Jordan looks after Ana and Priya; Sam, a team lead, also coached Ana
	// once, and Priya once coached someone outside Jordan's team.
	jordan, sam := "jordan@acme.example", "Sam@acme.example"
	lead := team
	lead.Members = append(lead.Members, care.Member{Name: "Sam <Lead>", Email: sam})
	cb := func(id, manager, agent string, said time.Time, state string) care.CheckBack {
		c := care.CheckBack{ID: id, Team: "support", Manager: manager, AgentEmail: agent, SaidAt: said, DueAt: said.Add(72 * time.Hour), Status: care.CheckBackPending}
		switch state {
		case "sent":
			c.SentAt = c.DueAt
		case "later":
			c.Round, c.DueAt = 1, to.Add(48*time.Hour) // put off: asked, not sent again yet
		case "done":
			c.SentAt, c.Status, c.DoneAt = c.DueAt, care.CheckBackDone, c.DueAt.Add(time.Hour)
		case "done after the period":
			c.SentAt, c.Status, c.DoneAt = c.DueAt, care.CheckBackDone, to.Add(time.Hour)
		case "sent after the period":
			c.SentAt = to.Add(time.Minute)
		}
		return c
	}
	early := from.Add(time.Hour)
	in := scorecard.Input{
		Team: lead, Members: []care.Member{ana, priya}, From: from, To: to, Now: to, Manager: "Jordan@acme.example",
		CheckBacks: []care.CheckBack{
			cb("done", jordan, "ana@acme.example", early, "done"),
			cb("waiting", jordan, "ANA@acme.example", early, "sent"),
			cb("put off", jordan, "priya@acme.example", early, "later"),
			cb("to go", jordan, "priya@acme.example", mid, ""),
			cb("done late", jordan, "ana@acme.example", early, "done after the period"),
			cb("sent late", jordan, "ana@acme.example", early, "sent after the period"),
			cb("his own, outside his members", jordan, "kai@acme.example", early, "done"),
			cb("before the period", jordan, "ana@acme.example", from.Add(-time.Minute), "done"),
			cb("after the period", jordan, "ana@acme.example", to, "done"),
			cb("sam on ana", sam, "ana@acme.example", early, "done"),
			cb("priya on someone else", "priya@acme.example", "kai@acme.example", early, "done"),
		},
	}
	sc := scorecard.Compute(in)
	want := []scorecard.FollowThrough{
		// Jordan: done, own outside members = 2 done; waiting, put off, done late = 3 waiting; to go, sent late = 2 upcoming.
		{Manager: jordan, Name: "", Asked: 5, Done: 2, Waiting: 3, Upcoming: 2},
		{Manager: "sam@acme.example", Name: "Sam <Lead>", Asked: 1, Done: 1},
	}
	if len(sc.CheckBacks) != len(want) {
		t.Fatalf("follow-through %+v, want %+v", sc.CheckBacks, want)
	}
	for i := range want {
		if sc.CheckBacks[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, sc.CheckBacks[i], want[i])
		}
	}
	total := scorecard.FollowThrough{Manager: "team", Name: "Team", Asked: 6, Done: 3, Waiting: 3, Upcoming: 2}
	if sc.CheckBackTotal != total {
		t.Errorf("total %+v, want %+v", sc.CheckBackTotal, total)
	}
	if r, ok := sc.CheckBacks[0].Rate(); !ok || r != 40 {
		t.Errorf("Jordan's rate %v %v, want 40%%", r, ok)
	}
	if r, ok := sc.CheckBackTotal.Rate(); !ok || r != 50 {
		t.Errorf("the team's rate %v %v, want 50%%", r, ok)
	}
}

func TestNoCheckBacksIsNoRateAndNoRows(t *testing.T) {
	sc := scorecard.Compute(scorecard.Input{Team: team, Members: []care.Member{ana}, From: from, To: to, Now: to, Manager: "jordan@acme.example"})
	if len(sc.CheckBacks) != 0 {
		t.Errorf("rows without check-backs: %+v", sc.CheckBacks)
	}
	if _, ok := sc.CheckBackTotal.Rate(); ok {
		t.Error("a rate without a check-back asked")
	}
	only := scorecard.Compute(scorecard.Input{Team: team, Members: []care.Member{ana}, From: from, To: to, Now: to, Manager: "jordan@acme.example",
		CheckBacks: []care.CheckBack{{ID: "x", Manager: "jordan@acme.example", AgentEmail: "ana@acme.example", SaidAt: mid, Status: care.CheckBackPending}}})
	if f := only.CheckBackTotal; f.Upcoming != 1 || f.Asked != 0 {
		t.Errorf("a check-back still to go: %+v", f)
	}
	if _, ok := only.CheckBackTotal.Rate(); ok {
		t.Error("a rate with nothing asked yet")
	}
}
