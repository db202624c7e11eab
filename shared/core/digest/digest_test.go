package digest_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

var (
	monday = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	from   = monday.Add(-7 * 24 * time.Hour)
	team   = care.Team{
		ID: "support", Managers: []string{"lead@acme.example"},
		Members: []care.Member{
			{Name: "Ana", Email: "ana@acme.example", Manager: "jordan@acme.example", HelpdeskIDs: map[string]string{"zd": "1001"}},
			{Name: "Priya", Email: "priya@acme.example", Manager: "jordan@acme.example", HelpdeskIDs: map[string]string{"fd": "priya@acme.example"}},
			{Name: "Sam", Email: "sam@acme.example", HelpdeskIDs: map[string]string{"zd": "1003"}},
			{Name: "Jordan", Email: "jordan@acme.example", HelpdeskIDs: map[string]string{"zd": "1002"}},
		},
	}
)

func moment(conn, agent string, kind care.MomentKind, b care.Behaviour, at time.Time) care.Moment {
	m := care.NewMoment(care.TicketRef{Connection: conn, TicketID: "5158"}, b, kind, at.String()+agent)
	m.AgentID, m.At, m.Team = agent, at, "support"
	return m
}

func TestAManagersDigest(t *testing.T) {
	in := digest.Input{
		Team: team, Playbook: playbook.ForTeam(team), Manager: "Jordan@acme.example", From: from, To: monday, Now: monday,
		Moments: []care.Moment{
			moment("zd", "1001", care.Coaching, care.Respond, from.Add(time.Hour)),
			moment("zd", "1001", care.Praise, care.Respond, from.Add(2*time.Hour)),
			moment("fd", "PRIYA@acme.example", care.Praise, care.FollowUpDone, from.Add(3*time.Hour)),
			moment("zd", "1003", care.Praise, care.Respond, from.Add(4*time.Hour)),   // Sam is not Jordan's
			moment("zd", "1001", care.Praise, care.Respond, monday.Add(time.Minute)), // after the period
		},
		Feedback:     map[string][]care.Feedback{"ana@acme.example": {{Kind: care.Praise, At: monday.Add(-24 * time.Hour)}, {Kind: care.Coaching, At: monday.Add(-48 * time.Hour)}, {Kind: care.Praise, Peer: true, At: monday}}},
		LastFeedback: map[string]time.Time{"ana@acme.example": monday.Add(-24 * time.Hour)},
		Facts:        []care.Fact{{Kind: care.FactSolved, Tags: []string{"printer", "vip"}}, {Kind: care.FactSolved, Tags: []string{"printer"}}, {Kind: care.FactRated, Rating: "bad"}},
		PrevFacts:    []care.Fact{{Kind: care.FactSolved, Tags: []string{"printer"}}, {Kind: care.FactReopened}},
	}
	d := digest.Build(in)
	items := d.Items()
	if len(items) != 3 || items[0].N != 1 || items[0].Moment.Kind != care.Praise || items[1].Agent.Name != "Priya" || items[2].N != 3 || items[2].Moment.Kind != care.Coaching {
		t.Fatalf("items = %+v, want two praise (Ana, Priya) numbered 1-2, then Ana's coaching as 3", items)
	}
	if items[2].Suggestion == "" || items[0].Suggestion == "" {
		t.Error("items lack a suggested sentence")
	}
	if len(d.Cadence) != 2 || d.Cadence[0].Member.Name != "Ana" || d.Cadence[0].Overdue || d.Cadence[0].Praise != 1 || d.Cadence[0].Coaching != 1 || d.Cadence[0].Kudos != 1 {
		t.Errorf("Ana's cadence = %+v, want not overdue, 1 : 1 and the peer kudos counted apart", d.Cadence)
	}
	if !d.Cadence[1].Overdue || !d.Cadence[1].Last.IsZero() {
		t.Errorf("Priya never had feedback: %+v, want overdue", d.Cadence[1])
	}
	tr := d.Trends
	if tr == nil || tr.Solved != 2 || tr.PrevSolved != 1 || tr.Bad != 1 || tr.PrevReopened != 1 || tr.TopTags[0] != (digest.TagCount{Tag: "printer", Count: 2, Previous: 1}) {
		t.Errorf("trends = %+v", tr)
	}
}

func TestScopeAndEmptiness(t *testing.T) {
	if got := digest.Scope(team, "lead@acme.example"); len(got) != 2 || got[0].Name != "Sam" || got[1].Name != "Jordan" {
		t.Errorf("the team manager looks after %+v, want Sam and Jordan, who name no manager", got)
	}
	if got := digest.Scope(team, "jordan@acme.example"); len(got) != 2 || got[0].Name != "Ana" || got[1].Name != "Priya" {
		t.Errorf("Jordan looks after %+v, want Ana and Priya and not himself", got)
	}
	if got := digest.Managers(team); len(got) != 2 {
		t.Errorf("managers = %v, want lead and jordan", got)
	}
	quiet := digest.Build(digest.Input{Team: care.Team{ID: "x"}, Playbook: playbook.Default(), Manager: "m@x.example", From: from, To: monday, Now: monday})
	if !quiet.Empty() {
		t.Errorf("a digest with nothing in it is not empty: %+v", quiet)
	}
	overdueOnly := digest.Build(digest.Input{Team: team, Playbook: playbook.ForTeam(team), Manager: "jordan@acme.example", From: from, To: monday, Now: monday})
	if overdueOnly.Empty() {
		t.Error("members overdue for feedback is worth a digest")
	}
}

func TestManyMomentsAreCappedToTheNewest(t *testing.T) {
	var ms []care.Moment
	for i := range 15 {
		ms = append(ms, moment("zd", "1001", care.Praise, care.Respond, from.Add(time.Duration(i)*time.Hour)))
	}
	d := digest.Build(digest.Input{Team: team, Playbook: playbook.ForTeam(team), Manager: "jordan@acme.example", From: from, To: monday, Now: monday, Moments: ms})
	if len(d.Praise) != digest.MaxPraise || !d.Praise[0].Moment.At.Equal(from.Add(5*time.Hour)) {
		t.Errorf("kept %d praise starting %s, want the newest %d in time order", len(d.Praise), d.Praise[0].Moment.At, digest.MaxPraise)
	}
}

func TestADigestCarriesCorrectionsForItsMembersAndDeadLettersForAdmins(t *testing.T) {
	team := care.Team{ID: "support", Managers: []string{"lead@acme.example"}, Admins: []string{"Lead@acme.example"},
		Members: []care.Member{
			{Name: "Ana", Email: "ana@acme.example", HelpdeskIDs: map[string]string{"zd": "1001"}, Manager: "jordan@acme.example"},
			{Name: "Sam", Email: "sam@acme.example", HelpdeskIDs: map[string]string{"zd": "1003"}},
		}}
	monday := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	from := monday.Add(-7 * 24 * time.Hour)
	withdrawn := func(agent string) digest.Correction {
		return digest.Correction{N: 2, SentAt: from, Moment: care.Moment{ID: "m-" + agent, Ticket: care.TicketRef{Connection: "zd", TicketID: "5158"}, AgentID: agent, Kind: care.Coaching}}
	}
	dead := []care.DeadLetter{{Reason: "event names no ticket"}}
	in := func(manager string) digest.Input {
		return digest.Input{Team: team, Playbook: playbook.ForTeam(team), Manager: manager, From: from, To: monday, Now: monday,
			Corrections: []digest.Correction{withdrawn("1001"), withdrawn("1003")}, DeadLetters: dead,
			LastFeedback: map[string]time.Time{"ana@acme.example": monday, "sam@acme.example": monday}}
	}
	lead := digest.Build(in("lead@acme.example"))
	if len(lead.Corrections) != 1 || lead.Corrections[0].Moment.AgentID != "1003" || len(lead.DeadLetters) != 1 || lead.Empty() {
		t.Errorf("the team manager, an admin, got corrections %+v and %d dead letters; want Sam's correction and the dead letter", lead.Corrections, len(lead.DeadLetters))
	}
	jordan := digest.Build(in("jordan@acme.example"))
	if len(jordan.Corrections) != 1 || jordan.Corrections[0].Moment.AgentID != "1001" || len(jordan.DeadLetters) != 0 {
		t.Errorf("Ana's manager, not an admin, got corrections %+v and %d dead letters; want Ana's correction only", jordan.Corrections, len(jordan.DeadLetters))
	}
	onlyDead := in("lead@acme.example")
	onlyDead.Corrections = nil
	if digest.Build(onlyDead).Empty() {
		t.Error("an admin's digest with nothing but dead letters is empty; it should still go")
	}
}

// The team's digests are built from moments grouped by agent once per
// team; each manager's must still be what a plain scan of the team's
// moments chooses: their members' moments in the period, the newest within
// the caps, ties of time kept in the order the moments came.
func TestTeamDigestsChooseWhatAScanOfTheTeamsMomentsWould(t *testing.T) {
	big := care.Team{ID: "support", Managers: []string{"lead@acme.example"}}
	for a := range 12 {
		big.Members = append(big.Members, care.Member{Name: fmt.Sprintf("Agent %d", a), Email: fmt.Sprintf("agent%d@acme.example", a),
			HelpdeskIDs: map[string]string{"zd": strconv.Itoa(1000 + a), "fd": fmt.Sprintf("Agent%d@acme.example", a)},
			Manager:     []string{"", "m1@acme.example", "m2@acme.example"}[a%3]})
	}
	r := rand.New(rand.NewPCG(1, 2))
	var ms []care.Moment
	for i := range 400 {
		a := r.IntN(14) // 12 and 13 are nobody's
		conn, id := "zd", strconv.Itoa(1000+a)
		if r.IntN(2) == 0 {
			conn, id = "fd", fmt.Sprintf("AGENT%d@acme.example", a)
		}
		kind := []care.MomentKind{care.Praise, care.Coaching}[r.IntN(2)]
		at := from.Add(time.Duration(r.IntN(9*24)-24) * time.Hour) // some outside the period; many ties
		m := moment(conn, id, kind, care.Respond, at)
		m.ID = strconv.Itoa(i)
		ms = append(ms, m)
	}
	in := digest.Input{Team: big, Playbook: playbook.ForTeam(big), From: from, To: monday, Now: monday, Moments: ms,
		Facts: []care.Fact{{Kind: care.FactSolved, Tags: []string{"printer"}}}}
	all := digest.ForTeam(in)
	for _, manager := range digest.Managers(big) {
		d := all.Build(manager, nil)
		var praise, coaching []care.Moment
		for _, m := range ms {
			mine := slices.ContainsFunc(digest.Scope(big, manager), func(mb care.Member) bool {
				return strings.EqualFold(mb.HelpdeskIDs[m.Ticket.Connection], m.AgentID)
			})
			if !mine || m.At.Before(from) || !m.At.Before(monday) {
				continue
			}
			if m.Kind == care.Praise {
				praise = append(praise, m)
			} else {
				coaching = append(coaching, m)
			}
		}
		want := slices.Concat(newestOf(praise, digest.MaxPraise), newestOf(coaching, digest.MaxCoaching))
		var got []care.Moment
		for i, it := range d.Items() {
			got = append(got, it.Moment)
			if it.N != i+1 || it.Suggestion != digest.Suggest(it.Moment, in.Playbook) || !strings.EqualFold(it.Agent.HelpdeskIDs[it.Moment.Ticket.Connection], it.Moment.AgentID) {
				t.Errorf("%s: item %d = %+v", manager, i+1, it)
			}
		}
		if !slices.EqualFunc(got, want, func(a, b care.Moment) bool { return a.ID == b.ID }) {
			t.Errorf("%s: items %v, want %v", manager, ids(got), ids(want))
		}
		if d.Trends == nil || d.Trends.Solved != 1 {
			t.Errorf("%s: trends %+v", manager, d.Trends)
		}
	}
}

func newestOf(ms []care.Moment, max int) []care.Moment {
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b care.Moment) int { return b.At.Compare(a.At) })
	ms = ms[:min(max, len(ms))]
	slices.SortStableFunc(ms, func(a, b care.Moment) int { return a.At.Compare(b.At) })
	return ms
}

func ids(ms []care.Moment) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}
