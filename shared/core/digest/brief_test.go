package digest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
)

// kinds lists a brief's items as "n section/kind who".
func kinds(items []care.AgendaItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%d %s/%s %s", it.N, it.Section, it.Kind, it.Who))
	}
	return out
}

func TestAManagersBriefHasWhatTheirMembersRaisedTheTrendsTheTicketsAndThePraise(t *testing.T) {
	day := from.Add(48 * time.Hour)
	bad := moment("zd", "1001", care.Coaching, care.Delight, day)
	bad.Quote, bad.Subject = "Nobody <b>listened</b>", "Printer offline"
	quick := moment("zd", "1001", care.Praise, care.Escalate, day.Add(time.Hour))
	var praise []care.Moment
	for i := range 7 {
		praise = append(praise, moment("fd", "priya@acme.example", care.Praise, care.Respond, day.Add(time.Duration(i+2)*time.Hour)))
	}
	early := praise[0] // the oldest, but Jordan praised it: it stays
	samsOwn := moment("zd", "1003", care.Coaching, care.Delight, day)
	lastWeek := moment("zd", "1001", care.Coaching, care.Delight, from.Add(-time.Hour))
	reopened := care.Fact{Kind: care.FactReopened, Ticket: care.TicketRef{Connection: "zd", TicketID: "5158"}, AgentID: "1001", At: day.Add(3 * time.Hour)}
	in := digest.BriefInput{
		Team: team, From: from, To: monday,
		Moments: append([]care.Moment{bad, quick, samsOwn, lastWeek}, praise...),
		Facts:   []care.Fact{reopened, reopened},
		Trends:  &digest.Trends{Solved: 10, PrevSolved: 8, Reopened: 1, PrevReopened: 0, Good: 3, Bad: 1, TopTags: []digest.TagCount{{Tag: "billing", Count: 4, Previous: 1}}},
		Climate: []care.ClimateAnswer{
			{Who: "ana@acme.example", Question: "What got in your way?", Answer: "The refund tool", At: day},
			{Who: "sam@acme.example", Question: "What got in your way?", Answer: "Not Jordan's to hear", At: day},
			{Who: "ana@acme.example", Question: "Last week's", Answer: "Too old", At: from.Add(-time.Minute)},
		},
		Requests: []care.FeedbackRequest{{Asker: "priya@acme.example", AskerName: "Priya", Question: "Was my tone right?", Ticket: care.TicketRef{Connection: "fd", TicketID: "77"}, AskedAt: day}},
		Feedback: []care.Feedback{
			{From: "jordan@acme.example", AgentEmail: "priya@acme.example", Kind: care.Praise, MomentID: early.ID, At: day.Add(24 * time.Hour)},
			{From: "ana@acme.example", AgentEmail: "priya@acme.example", AgentName: "Priya", Peer: true, Words: "Thanks for covering!", At: day},
			{From: "ana@acme.example", AgentEmail: "sam@acme.example", Peer: true, Words: "Not Jordan's member", At: day},
		},
	}
	got := digest.Brief(in, "jordan@acme.example")
	want := []string{
		"1 issues/climate ", "2 issues/ask Priya",
		"3 trends/trend ", "4 trends/trend ", "5 trends/trend ", "6 trends/trend ",
		"7 tickets/bad_rating Ana", "8 tickets/reopened Ana", "9 tickets/escalated Ana",
		"10 praise/praise Priya", "11 praise/praise Priya", "12 praise/praise Priya", "13 praise/praise Priya", "14 praise/praise Priya",
		"15 praise/kudos Priya",
	}
	if strings.Join(kinds(got), "\n") != strings.Join(want, "\n") {
		t.Fatalf("brief:\n%s\nwant:\n%s", strings.Join(kinds(got), "\n"), strings.Join(want, "\n"))
	}
	if got[0].By != "Ana" || got[0].Text != "The refund tool" {
		t.Errorf("a named climate answer: %+v", got[0])
	}
	if got[6].Quote != bad.Quote || got[6].TicketURL != "" || got[7].Subject != "Printer offline" {
		t.Errorf("the bad rating keeps the customer's words: %+v", got[6])
	}
	if got[2].Text != "10 (the week before: 8)" || got[3].Text != "10% (the week before: 0%)" || got[4].Text != "75% (the week before: –)" || got[5].Text != "billing 4 (1)" {
		t.Errorf("trends: %q %q %q %q", got[2].Text, got[3].Text, got[4].Text, got[5].Text)
	}
	if !got[9].Praised || got[9].At != early.At {
		t.Errorf("the moment Jordan praised is kept first in time and marked: %+v", got[9])
	}
	if got[14].By != "Ana" || got[14].Text != "Thanks for covering!" {
		t.Errorf("kudos: %+v", got[14])
	}

	t.Run("on an anonymous team climate answers are not named", func(t *testing.T) {
		anon := in
		anon.Team.Climate.Anonymous = true
		if got := digest.Brief(anon, "jordan@acme.example"); got[0].Kind != care.AgendaClimate || got[0].By != "" {
			t.Errorf("anonymous climate answer: %+v", got[0])
		}
	})
	t.Run("a week with nothing in it makes no brief", func(t *testing.T) {
		if got := digest.Brief(digest.BriefInput{Team: team, From: from, To: monday, Moments: []care.Moment{lastWeek}}, "jordan@acme.example"); len(got) != 0 {
			t.Errorf("brief %v, want none", kinds(got))
		}
	})
}

func TestAManagersManagerWhoLooksAfterNoAgentGetsNoBrief(t *testing.T) {
	two := care.Team{ID: "support", Members: []care.Member{
		{Name: "Ana", Email: "ana@acme.example", Manager: "jordan@acme.example"},
		{Name: "Jordan", Email: "jordan@acme.example", Manager: "boss@acme.example"},
	}}
	in := digest.BriefInput{Team: two, From: from, To: monday, Trends: &digest.Trends{Solved: 3, PrevSolved: 2}}
	if got := digest.Brief(in, "boss@acme.example"); len(got) != 0 {
		t.Errorf("Jordan's manager, who looks after no agent, gets a brief: %v", kinds(got))
	}
	if got := digest.Brief(in, "jordan@acme.example"); len(got) == 0 {
		t.Error("Jordan, who looks after Ana, gets no brief")
	}
}
