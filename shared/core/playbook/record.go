package playbook

import (
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Late evidence corrects the record. Webhooks arrive late (a retry, an
// outage, a help desk's queue), so a ticket's timeline can gain an
// interaction timed before moments and facts already recorded: a public
// reply inside a response window that was already counted as missed, a
// followed-up tag before the grace period ran out. Review re-derives every
// recorded moment and fact from what had happened by its own time, as the
// timeline now knows it:
//
//   - a moment that no longer follows is withdrawn (kept, with why, so a
//     digest that named it can say so), and one that follows again is
//     reinstated; one whose agent or time changed (an assignment that
//     arrived late) is updated;
//   - a fact that no longer follows is dropped, and a response-time fact
//     whose wait changed is rewritten, so that a window is counted once,
//     kept or missed, never both.
//
// Because it depends only on the timeline, the record ends the same
// whatever order the deliveries came in.

// Withdrawal is a recorded moment that late evidence contradicts.
type Withdrawal struct {
	Moment care.Moment
	Why    string
}

// Review is what to change in a ticket's recorded moments and facts.
type Review struct {
	NewMoments []care.Moment // derived now, holding as of their own time, not yet recorded
	Withdraw   []Withdrawal  // recorded, standing, no longer holding
	Reinstate  []care.Moment // recorded, withdrawn, holding again (as derived now)
	Update     []care.Moment // recorded, standing, whose agent or time changed (as derived now)
	NewFacts   []care.Fact   // derived now, not yet recorded
	Rewrite    []care.Fact   // recorded, counting something that changed (same id)
	Drop       []care.Fact   // recorded, no longer holding
}

// Empty reports whether the review changes nothing.
func (r Review) Empty() bool {
	return len(r.NewMoments)+len(r.Withdraw)+len(r.Reinstate)+len(r.Update)+len(r.NewFacts)+len(r.Rewrite)+len(r.Drop) == 0
}

// Review compares a ticket's recorded moments and facts with its timeline.
// now is the time of the review: moments that time has brought (a window
// that closed) are derived at it.
func (p Playbook) Review(ref care.TicketRef, timeline []care.Interaction, now time.Time, moments []care.Moment, facts []care.Fact) Review {
	ordered := append([]care.Interaction(nil), care.Distinct(timeline)...)
	care.SortTimeline(ordered)
	asOf := p.asOf(ref, ordered)
	full := care.Fold(ref, ordered)

	var r Review
	recorded := make(map[string]care.Moment, len(moments))
	for _, m := range moments {
		recorded[m.ID] = m
		then, holds := asOf(m.At).moment(m.ID)
		switch {
		case !holds && !m.Withdrawn():
			r.Withdraw = append(r.Withdraw, Withdrawal{Moment: m, Why: whyWithdrawn(m)})
		case holds && m.Withdrawn():
			r.Reinstate = append(r.Reinstate, then)
		case holds && (then.AgentID != m.AgentID || !then.At.Equal(m.At)):
			r.Update = append(r.Update, then)
		}
	}
	for _, m := range p.Moments(full, now) {
		if _, ok := recorded[m.ID]; !ok {
			// Recorded as it was at its own time: whoever owned the ticket
			// then, whatever happened since.
			if then, ok := asOf(m.At).moment(m.ID); ok {
				r.NewMoments = append(r.NewMoments, then)
			}
		}
	}

	have := make(map[string]bool, len(facts))
	for _, f := range facts {
		have[f.ID] = true
		then, ok := asOf(f.At).fact(f.ID)
		switch {
		case !ok:
			r.Drop = append(r.Drop, f)
		case f.Kind == care.FactResponded && !sameResponse(f, then):
			r.Rewrite = append(r.Rewrite, then)
		}
	}
	for _, f := range p.Facts(full, now) {
		if !have[f.ID] {
			if then, ok := asOf(f.At).fact(f.ID); ok {
				r.NewFacts = append(r.NewFacts, then)
			}
		}
	}
	return r
}

// derived is what the playbook derives from a ticket as it was at a time.
type derived struct {
	moments map[string]care.Moment
	facts   map[string]care.Fact
}

func (d derived) moment(id string) (care.Moment, bool) {
	m, ok := d.moments[id]
	return m, ok
}

func (d derived) fact(id string) (care.Fact, bool) {
	f, ok := d.facts[id]
	return f, ok
}

// asOf returns a function giving what the playbook derives from the
// interactions timed up to and including t, at t; results are kept per
// instant, so a ticket's moments and facts cost one fold each at most.
func (p Playbook) asOf(ref care.TicketRef, ordered []care.Interaction) func(t time.Time) derived {
	cache := map[int64]derived{}
	return func(t time.Time) derived {
		key := t.UnixNano()
		if d, ok := cache[key]; ok {
			return d
		}
		n := 0
		for n < len(ordered) && !ordered[n].At.After(t) {
			n++
		}
		state := care.Fold(ref, ordered[:n])
		d := derived{moments: map[string]care.Moment{}, facts: map[string]care.Fact{}}
		for _, m := range p.Moments(state, t) {
			d.moments[m.ID] = m
		}
		for _, f := range p.Facts(state, t) {
			d.facts[f.ID] = f
		}
		cache[key] = d
		return d
	}
}

// sameResponse reports whether two response-time facts count the same.
func sameResponse(a, b care.Fact) bool {
	return a.At.Equal(b.At) && a.Waited == b.Waited && a.AgentID == b.AgentID && a.BySolve == b.BySolve && a.First == b.First
}

// whyWithdrawn says, for the manager, what the late evidence showed.
func whyWithdrawn(m care.Moment) string {
	switch {
	case m.Kind == care.Coaching && m.Behaviour == care.Respond:
		return "an answer within the window reached carecoach late, so the customer was not left waiting"
	case m.Kind == care.Coaching && m.Behaviour == care.FollowUpDone:
		return "a follow-up within the grace period reached carecoach late"
	case m.Kind == care.Coaching && m.Behaviour == care.Commitment:
		return "a reply or solve before the due date reached carecoach late, so the promise was kept"
	default:
		return "events that reached carecoach late no longer support it"
	}
}
