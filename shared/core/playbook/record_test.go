package playbook_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

// recorded is what a processor has stored for a ticket.
type recorded struct {
	moments []care.Moment
	facts   []care.Fact
}

// apply stores a review's changes, as the process service does.
func (rec *recorded) apply(r playbook.Review, at time.Time) {
	rec.moments = append(rec.moments, r.NewMoments...)
	for _, w := range r.Withdraw {
		for i := range rec.moments {
			if rec.moments[i].ID == w.Moment.ID {
				rec.moments[i].WithdrawnAt, rec.moments[i].WithdrawnWhy = at, w.Why
			}
		}
	}
	for _, m := range slices.Concat(r.Reinstate, r.Update) {
		for i := range rec.moments {
			if rec.moments[i].ID == m.ID {
				rec.moments[i] = m
			}
		}
	}
	rec.facts = slices.DeleteFunc(rec.facts, func(f care.Fact) bool {
		return slices.ContainsFunc(r.Drop, func(d care.Fact) bool { return d.ID == f.ID })
	})
	for _, nf := range r.Rewrite {
		for i := range rec.facts {
			if rec.facts[i].ID == nf.ID {
				rec.facts[i] = nf
			}
		}
	}
	rec.facts = append(rec.facts, r.NewFacts...)
}

// standing lists the moments that stand, as "behaviour/kind".
func (rec *recorded) standing() []string {
	var out []string
	for _, m := range rec.moments {
		if !m.Withdrawn() {
			out = append(out, string(m.Behaviour)+"/"+string(m.Kind))
		}
	}
	slices.Sort(out)
	return out
}

// process records what the playbook derives from timeline at now.
func (rec *recorded) process(p playbook.Playbook, timeline []care.Interaction, now time.Time) playbook.Review {
	r := p.Review(ref, timeline, now, rec.moments, rec.facts)
	rec.apply(r, now)
	return r
}

func TestLateEvidenceCorrectsTheRecord(t *testing.T) {
	p := playbook.Default()
	h := func(n float64) time.Time { return t0.Add(time.Duration(n * float64(time.Hour))) }
	day := 24.0
	solvedAt := h(2)
	followUpMissed := solvedAt.Add(9 * 24 * time.Hour) // after + grace
	tests := []struct {
		name string
		// first is what arrived before the review at firstAt; late arrives
		// afterwards, reviewed at lateAt.
		first, late     []care.Interaction
		firstAt, lateAt time.Time
		wantFirst       []string // standing moments after the first review
		wantLate        []string // and after the late evidence
		wantWithdrawn   int
		check           func(t *testing.T, rec *recorded)
	}{
		{"a window recorded as missed is withdrawn when an answer inside it arrives late",
			[]care.Interaction{customer("c1", h(0))}, []care.Interaction{agent("a1", h(6))}, h(25), h(30),
			[]string{"respond/coaching"}, nil, 1,
			func(t *testing.T, rec *recorded) {
				kept := ofKind(rec.facts, care.FactResponded)
				if len(kept) != 1 || kept[0].Waited != 6*time.Hour {
					t.Errorf("responded facts %+v, want one of 6 hours", kept)
				}
				if why := rec.moments[0].WithdrawnWhy; why == "" {
					t.Error("a withdrawal without a reason")
				}
			}},
		{"a window answered late stays missed when the late answer came after it closed",
			[]care.Interaction{customer("c1", h(0))}, []care.Interaction{agent("a1", h(26))}, h(25), h(30),
			[]string{"respond/coaching"}, []string{"respond/coaching"}, 0, nil},
		{"a quick answer that arrives late is praised once the window is withdrawn",
			[]care.Interaction{customer("c1", h(0))}, []care.Interaction{agent("a1", h(0.5))}, h(25), h(30),
			[]string{"respond/coaching"}, []string{"respond/praise"}, 1, nil},
		{"a missed follow-up is withdrawn when a followed-up tag inside the grace period arrives late",
			[]care.Interaction{customer("c1", h(0)), agent("a1", h(1)), solve("s1", solvedAt)},
			[]care.Interaction{tagged("t1", solvedAt.Add(8*24*time.Hour), "followed-up")},
			followUpMissed, followUpMissed.Add(time.Hour),
			[]string{"follow_up/coaching", "respond/praise"}, []string{"follow_up/praise", "respond/praise"}, 1, nil},
		{"a missed follow-up stays missed when the ticket is reopened afterwards",
			[]care.Interaction{customer("c1", h(0)), agent("a1", h(1)), solve("s1", solvedAt)},
			[]care.Interaction{reopen("r1", followUpMissed.Add(24*time.Hour))},
			followUpMissed, followUpMissed.Add(25 * time.Hour),
			[]string{"follow_up/coaching", "respond/praise"}, []string{"follow_up/coaching", "respond/praise"}, 0, nil},
		{"a missed commitment is withdrawn when a reply before the due date arrives late",
			[]care.Interaction{due("d1", h(10), h(1))}, []care.Interaction{agent("a1", h(9))}, h(11), h(12),
			[]string{"commitment/coaching"}, []string{"commitment/praise"}, 1, nil},
		{"a response time recorded for a later message is dropped when an earlier message arrives late",
			[]care.Interaction{customer("c2", h(3)), agent("a1", h(4))}, []care.Interaction{customer("c1", h(0))}, h(5), h(6),
			[]string{"respond/praise"}, nil, 1,
			func(t *testing.T, rec *recorded) {
				facts := ofKind(rec.facts, care.FactResponded)
				if len(facts) != 1 || facts[0].Anchor != "c1" || facts[0].Waited != 4*time.Hour {
					t.Errorf("responded facts %+v, want only c1's, of 4 hours", facts)
				}
			}},
		{"a response time is rewritten when an earlier answer arrives late",
			[]care.Interaction{customer("c1", h(0)), agent("a2", h(5))}, []care.Interaction{agent("a1", h(2))}, h(6), h(7),
			nil, nil, 0,
			func(t *testing.T, rec *recorded) {
				facts := ofKind(rec.facts, care.FactResponded)
				if len(facts) != 1 || facts[0].Waited != 2*time.Hour || !facts[0].At.Equal(h(2)) {
					t.Errorf("responded facts %+v, want one of 2 hours at the earlier answer", facts)
				}
			}},
		{"nothing late, nothing changes",
			[]care.Interaction{customer("c1", h(0)), agent("a1", h(0.5))}, nil, h(day), h(2 * day),
			[]string{"respond/praise"}, []string{"respond/praise"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorded{}
			rec.process(p, tt.first, tt.firstAt)
			if got := rec.standing(); !slices.Equal(got, tt.wantFirst) {
				t.Fatalf("before the late evidence: moments %q, want %q", got, tt.wantFirst)
			}
			full := append(slices.Clone(tt.first), tt.late...)
			r := rec.process(p, full, tt.lateAt)
			if got := rec.standing(); !slices.Equal(got, tt.wantLate) {
				t.Errorf("after the late evidence: moments %q, want %q", got, tt.wantLate)
			}
			if len(r.Withdraw) != tt.wantWithdrawn {
				t.Errorf("withdrew %d moments, want %d", len(r.Withdraw), tt.wantWithdrawn)
			}
			if again := p.Review(ref, full, tt.lateAt.Add(time.Hour), rec.moments, rec.facts); !again.Empty() {
				t.Errorf("a second review still changes %+v", again)
			}
			if tt.check != nil {
				tt.check(t, rec)
			}
		})
	}
}

func TestAMomentIsAttributedToWhoeverOwnedTheTicketAtItsTime(t *testing.T) {
	p := playbook.Default()
	rec := &recorded{}
	ask := care.Interaction{ID: "c1", Ticket: ref, Kind: care.CustomerMessage, At: t0, Snapshot: care.Snapshot{Status: care.StatusOpen}}
	rec.process(p, []care.Interaction{ask}, t0.Add(30*time.Hour)) // nobody assigned yet, as far as we know
	if len(rec.moments) != 1 || rec.moments[0].AgentID != "" {
		t.Fatalf("moments %+v, want one coaching for nobody", rec.moments)
	}
	assigned := care.Interaction{ID: "as", Ticket: ref, Kind: care.AssigneeChanged, AssigneeID: "1001", At: t0.Add(time.Hour)}
	later := care.Interaction{ID: "as2", Ticket: ref, Kind: care.AssigneeChanged, AssigneeID: "1002", At: t0.Add(29 * time.Hour)}
	r := rec.process(p, []care.Interaction{ask, assigned, later}, t0.Add(31*time.Hour))
	if len(r.Update) != 1 || rec.moments[0].AgentID != "1001" {
		t.Errorf("review %+v, moments %+v; want the coaching updated to 1001, who owned the ticket when the window closed", r, rec.moments)
	}
}

func TestAWithdrawnMomentThatHoldsAgainIsReinstated(t *testing.T) {
	p := playbook.Default()
	rec := &recorded{}
	ask := customer("c1", t0)
	rec.process(p, []care.Interaction{ask}, t0.Add(25*time.Hour))
	coaching := rec.moments[0]
	coaching.WithdrawnAt, coaching.WithdrawnWhy = t0.Add(26*time.Hour), "a mistake"
	r := p.Review(ref, []care.Interaction{ask}, t0.Add(27*time.Hour), []care.Moment{coaching}, rec.facts)
	if len(r.Reinstate) != 1 || r.Reinstate[0].ID != coaching.ID || len(r.Withdraw) != 0 {
		t.Errorf("review %+v, want the coaching reinstated", r)
	}
}

// TestTheRecordEndsTheSameWhateverTheOrder processes one ticket's story
// delivery by delivery in many orders, each time at a clock past all of
// it, and checks the standing moments and the facts at the end.
func TestTheRecordEndsTheSameWhateverTheOrder(t *testing.T) {
	p := playbook.Default()
	h := func(n float64) time.Time { return t0.Add(time.Duration(n * float64(time.Hour))) }
	story := []care.Interaction{
		customer("c1", h(0)), agent("a1", h(3)), customer("c2", h(30)), agent("a2", h(70)),
		due("d1", h(100), h(71)), agent("a3", h(90)), solve("s1", h(95)), tagged("t1", h(140), "followed-up"),
	}
	now := h(24 * 20)
	want := func() []string {
		rec := &recorded{}
		rec.process(p, story, now)
		return append(rec.standing(), factIDs(rec.facts)...)
	}()
	orders := [][]int{{0, 1, 2, 3, 4, 5, 6, 7}, {7, 6, 5, 4, 3, 2, 1, 0}, {2, 0, 4, 6, 1, 3, 7, 5}, {1, 3, 5, 7, 0, 2, 4, 6}, {6, 0, 7, 1, 5, 2, 4, 3}}
	for _, order := range orders {
		rec := &recorded{}
		var seen []care.Interaction
		for _, i := range order {
			seen = append(seen, story[i])
			rec.process(p, seen, now)
		}
		if got := append(rec.standing(), factIDs(rec.facts)...); !slices.Equal(got, want) {
			t.Errorf("order %v ends with %q\nwant %q", order, got, want)
		}
	}
}

func factIDs(fs []care.Fact) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Kind)+" "+f.ID)
	}
	slices.Sort(out)
	return out
}
