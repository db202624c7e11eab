package scorecard_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

var (
	to   = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) // Monday
	from = to.Add(-scorecard.Week)
	mid  = from.Add(3 * 24 * time.Hour)
	team = care.Team{
		ID: "support", Name: "Customer Support",
		Connections: []care.Connection{
			{ID: "acme-zendesk", Kind: care.Zendesk, BaseURL: "https://acme.zendesk.com"},
			{ID: "acme-freshdesk", Kind: care.Freshdesk},
		},
		Members: []care.Member{ana, priya},
	}
	ana   = care.Member{Name: "Ana Silva", Email: "ana@acme.example", HelpdeskIDs: map[string]string{"acme-zendesk": "1001"}}
	priya = care.Member{Name: "Priya N", Email: "Priya@acme.example", HelpdeskIDs: map[string]string{"acme-freshdesk": "Priya@acme.example"}}
)

func ticket(id string) care.TicketRef {
	return care.TicketRef{Connection: "acme-zendesk", TicketID: id}
}

func moment(b care.Behaviour, k care.MomentKind, at time.Time) care.Moment {
	return care.Moment{ID: string(b) + string(k) + at.String(), Ticket: ticket("5158"), Team: "support", Behaviour: b, Kind: k, AgentID: "1001", At: at}
}

func responded(waited time.Duration, first bool, at time.Time) care.Fact {
	return care.Fact{Ticket: ticket("5158"), Kind: care.FactResponded, AgentID: "1001", Waited: waited, First: first, At: at}
}

func fact(k care.FactKind, rating string, at time.Time) care.Fact {
	return care.Fact{Ticket: ticket("5158"), Kind: k, Rating: rating, AgentID: "1001", At: at}
}

func feedback(kind care.MomentKind, peer bool, reward string, at time.Time) care.Feedback {
	return care.Feedback{AgentEmail: "ana@acme.example", Kind: kind, Peer: peer, Reward: reward, At: at}
}

func compute(ms []care.Moment, fs []care.Fact, fb []care.Feedback) scorecard.Scorecards {
	return scorecard.Compute(scorecard.Input{
		Team: team, Members: []care.Member{ana, priya}, From: from, To: to, Now: to,
		Window: 24 * time.Hour, Cadence: 14 * 24 * time.Hour,
		Moments: ms, Facts: fs, Feedback: map[string][]care.Feedback{"ana@acme.example": fb},
	})
}

func TestMemberCards(t *testing.T) {
	tests := []struct {
		name     string
		moments  []care.Moment
		facts    []care.Fact
		feedback []care.Feedback
		check    func(t *testing.T, ana scorecard.MemberCard)
	}{
		{
			name:    "answers within the window count as kept and a coaching moment counts as missed",
			facts:   []care.Fact{responded(time.Hour, true, mid), responded(20*time.Hour, false, mid), responded(30*time.Hour, false, mid)},
			moments: []care.Moment{moment(care.Respond, care.Coaching, mid)},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.WindowKept != 2 || c.WindowMissed != 1 {
					t.Errorf("kept %d missed %d, want 2 and 1", c.WindowKept, c.WindowMissed)
				}
				if p, ok := c.WindowKeptPct(); !ok || int(p) != 66 {
					t.Errorf("kept %% = %v %v, want 66", p, ok)
				}
			},
		},
		{
			name: "a window answered in time is never also counted as missed, whatever coaching moment is left",
			facts: []care.Fact{func() care.Fact {
				f := responded(6*time.Hour, true, mid)
				f.Anchor = "zd-c1"
				return f
			}()},
			moments: []care.Moment{func() care.Moment {
				m := moment(care.Respond, care.Coaching, mid.Add(18*time.Hour))
				m.Anchor = "zd-c1"
				return m
			}(), func() care.Moment {
				m := moment(care.Respond, care.Coaching, mid.Add(19*time.Hour))
				m.Anchor = "zd-c2" // another customer, really missed
				return m
			}()},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.WindowKept != 1 || c.WindowMissed != 1 || c.CoachingMoments != 1 || len(c.Moments) != 1 {
					t.Errorf("kept %d missed %d coaching %d listed %d, want 1, 1, 1, 1", c.WindowKept, c.WindowMissed, c.CoachingMoments, len(c.Moments))
				}
			},
		},
		{
			name:  "the median first response is the middle of the tickets' first waits, solves without a reply left out",
			facts: []care.Fact{responded(time.Hour, true, mid), responded(3*time.Hour, true, mid), responded(2*time.Hour, true, mid), responded(time.Minute, false, mid), {Ticket: ticket("1"), Kind: care.FactResponded, AgentID: "1001", Waited: time.Minute, First: true, BySolve: true, At: mid}},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.MedianFirstResponse != 2*time.Hour || c.FirstResponses != 3 {
					t.Errorf("median %v of %d, want 2h of 3", c.MedianFirstResponse, c.FirstResponses)
				}
			},
		},
		{
			name:  "an even number of first responses has the mean of the middle two as median",
			facts: []care.Fact{responded(time.Hour, true, mid), responded(2*time.Hour, true, mid)},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.MedianFirstResponse != 90*time.Minute {
					t.Errorf("median %v, want 1h30m", c.MedianFirstResponse)
				}
			},
		},
		{
			name:    "follow-ups come due, are done or are missed",
			facts:   []care.Fact{fact(care.FactFollowUpDue, "", mid), fact(care.FactFollowUpDue, "", mid), fact(care.FactFollowUpDue, "", mid)},
			moments: []care.Moment{moment(care.FollowUpDone, care.Praise, mid), moment(care.FollowUpDone, care.Coaching, mid)},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.FollowUpsDue != 3 || c.FollowUpsDone != 1 || c.FollowUpsMissed != 1 {
					t.Errorf("due %d done %d missed %d, want 3 1 1", c.FollowUpsDue, c.FollowUpsDone, c.FollowUpsMissed)
				}
			},
		},
		{
			name:    "commitments kept are praise moments and missed ones coaching",
			moments: []care.Moment{moment(care.Commitment, care.Praise, mid), moment(care.Commitment, care.Praise, mid), moment(care.Commitment, care.Coaching, mid)},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.CommitmentsKept != 2 || c.CommitmentsMissed != 1 || c.PraiseMoments != 2 || c.CoachingMoments != 1 {
					t.Errorf("kept %d missed %d (moments %d/%d), want 2 1 (2/1)", c.CommitmentsKept, c.CommitmentsMissed, c.PraiseMoments, c.CoachingMoments)
				}
			},
		},
		{
			name:  "CSAT is the share of good ratings",
			facts: []care.Fact{fact(care.FactRated, "good", mid), fact(care.FactRated, "good", mid), fact(care.FactRated, "good", mid), fact(care.FactRated, "bad", mid), fact(care.FactSolved, "", mid)},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if p, ok := c.CSATPct(); !ok || p != 75 || c.CSATGood != 3 || c.CSATBad != 1 {
					t.Errorf("CSAT %v%% (%d/%d), want 75%% (3/1)", p, c.CSATGood, c.CSATBad)
				}
			},
		},
		{
			name:  "without ratings there is no CSAT rather than 0%",
			facts: nil,
			check: func(t *testing.T, c scorecard.MemberCard) {
				if _, ok := c.CSATPct(); ok {
					t.Error("CSAT reported without ratings")
				}
				if _, ok := c.WindowKeptPct(); ok {
					t.Error("window kept reported without responses")
				}
			},
		},
		{
			name: "manager feedback and kudos from teammates are counted apart, with rewards",
			feedback: []care.Feedback{
				feedback(care.Praise, false, "lunch on me", mid), feedback(care.Praise, false, "", mid), feedback(care.Praise, false, "", mid),
				feedback(care.Coaching, false, "", mid), feedback(care.Praise, true, "", mid),
			},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.ManagerFeedback != 4 || c.PeerFeedback != 1 || c.Praise != 3 || c.Coaching != 1 {
					t.Errorf("manager %d peer %d praise %d coaching %d, want 4 1 3 1", c.ManagerFeedback, c.PeerFeedback, c.Praise, c.Coaching)
				}
				if r, ok := c.Ratio(); !ok || r != 3 {
					t.Errorf("ratio %v %v, want 3", r, ok)
				}
				if !slices.Equal(c.Rewards, []string{"lunch on me"}) {
					t.Errorf("rewards %q", c.Rewards)
				}
			},
		},
		{
			name:     "days since feedback count from the last manager feedback, not from kudos",
			feedback: []care.Feedback{feedback(care.Praise, false, "", to.Add(-20*24*time.Hour)), feedback(care.Praise, true, "", to.Add(-time.Hour))},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.DaysSince != 20 || !c.Overdue {
					t.Errorf("%d days since, overdue %v; want 20 days, overdue", c.DaysSince, c.Overdue)
				}
				if len(c.Feedback) != 2 {
					t.Errorf("timeline has %d marks, want both", len(c.Feedback))
				}
			},
		},
		{
			name:     "feedback within the cadence is not overdue",
			feedback: []care.Feedback{feedback(care.Coaching, false, "", to.Add(-3*24*time.Hour))},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.DaysSince != 3 || c.Overdue {
					t.Errorf("%d days since, overdue %v; want 3, not overdue", c.DaysSince, c.Overdue)
				}
			},
		},
		{
			name:    "moments outside the period do not count, and moments link to their ticket",
			moments: []care.Moment{moment(care.Respond, care.Coaching, from.Add(-time.Hour)), moment(care.Respond, care.Praise, mid), moment(care.Respond, care.Praise, to)},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if len(c.Moments) != 1 || c.PraiseMoments != 1 || c.WindowMissed != 0 {
					t.Fatalf("moments %d (praise %d, missed %d), want only the one inside", len(c.Moments), c.PraiseMoments, c.WindowMissed)
				}
				if c.Moments[0].TicketURL != "https://acme.zendesk.com/agent/tickets/5158" {
					t.Errorf("ticket link %q", c.Moments[0].TicketURL)
				}
			},
		},
		{
			name:    "another agent's moments are not this member's",
			moments: []care.Moment{{Ticket: ticket("1"), Behaviour: care.Respond, Kind: care.Coaching, AgentID: "9999", At: mid}},
			facts:   []care.Fact{{Ticket: ticket("1"), Kind: care.FactRated, Rating: "bad", AgentID: "9999", At: mid}},
			check: func(t *testing.T, c scorecard.MemberCard) {
				if c.CoachingMoments != 0 || c.CSATBad != 0 {
					t.Errorf("counted someone else's moment or rating: %+v", c.Card)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := compute(tt.moments, tt.facts, tt.feedback)
			if len(sc.Members) != 2 || sc.Members[0].Member.Name != "Ana Silva" {
				t.Fatalf("members %+v", sc.Members)
			}
			tt.check(t, sc.Members[0])
		})
	}
}

func TestTheTeamCardAddsUpItsMembers(t *testing.T) {
	tests := []struct {
		name  string
		facts []care.Fact
		want  scorecard.Card
	}{
		{
			name: "ratings of two members add up",
			facts: []care.Fact{
				fact(care.FactRated, "good", mid),
				{Ticket: care.TicketRef{Connection: "acme-freshdesk", TicketID: "77"}, Kind: care.FactRated, Rating: "bad", AgentID: "priya@acme.example", At: mid},
			},
			want: scorecard.Card{CSATGood: 1, CSATBad: 1},
		},
		{
			name: "the team's median first response is over all first responses, not a median of medians",
			facts: []care.Fact{
				responded(time.Hour, true, mid), responded(2*time.Hour, true, mid),
				{Ticket: care.TicketRef{Connection: "acme-freshdesk", TicketID: "77"}, Kind: care.FactResponded, Waited: 10 * time.Hour, First: true, AgentID: "PRIYA@acme.example", At: mid},
			},
			want: scorecard.Card{WindowKept: 3, MedianFirstResponse: 2 * time.Hour, FirstResponses: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compute(nil, tt.facts, nil).Team
			got.Rewards = nil
			if got.CSATGood != tt.want.CSATGood || got.CSATBad != tt.want.CSATBad || got.WindowKept != tt.want.WindowKept ||
				got.MedianFirstResponse != tt.want.MedianFirstResponse || got.FirstResponses != tt.want.FirstResponses {
				t.Errorf("team card %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestTrends(t *testing.T) {
	tests := []struct {
		name  string
		facts []care.Fact
		check func(t *testing.T, ws []scorecard.WeekTrend)
	}{
		{
			name:  "there are eight weeks, the last ending with the period",
			facts: nil,
			check: func(t *testing.T, ws []scorecard.WeekTrend) {
				if len(ws) != 8 || !ws[7].To.Equal(to) || !ws[0].From.Equal(to.Add(-8*scorecard.Week)) {
					t.Errorf("weeks %v..%v (%d), want 8 ending %v", ws[0].From, ws[len(ws)-1].To, len(ws), to)
				}
			},
		},
		{
			name:  "each rating lands in the week it was given",
			facts: []care.Fact{fact(care.FactRated, "good", mid), fact(care.FactRated, "bad", mid.Add(-scorecard.Week)), fact(care.FactRated, "good", to.Add(-9*scorecard.Week))},
			check: func(t *testing.T, ws []scorecard.WeekTrend) {
				if ws[7].CSATGood != 1 || ws[6].CSATBad != 1 {
					t.Errorf("last weeks %+v / %+v", ws[6].Card, ws[7].Card)
				}
				for _, w := range ws[:6] {
					if w.CSATGood+w.CSATBad != 0 {
						t.Errorf("week of %v has ratings from outside the trends", w.From)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, compute(nil, tt.facts, nil).Weeks) })
	}
}
