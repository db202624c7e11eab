// Package synth generates a deterministic, realistic week of Zendesk
// webhook deliveries for a team of N agents: customers open tickets, agents
// are assigned and answer (mostly in time, sometimes not), add notes, solve,
// customers come back and reopen, rate the service, tags and priorities
// change. The same options always give the same bytes, so tests, demos and
// benchmarks can compare runs.
package synth

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Options shape the week.
type Options struct {
	Seed   uint64
	Agents int
	// Events is how many deliveries to generate (whole tickets are generated
	// until there are at least this many; the latest are dropped).
	Events int
	Start  time.Time // the Monday the week starts
	// FirstAgentID is the help desk id of agent 0; agents are numbered on.
	FirstAgentID int
	// WholeSeconds times every event to the second, as help desk APIs
	// report them, so a webhook and its API copy agree exactly.
	WholeSeconds bool
}

// Delivery is one webhook body with its event time.
type Delivery struct {
	At   time.Time
	Body []byte
}

// AgentID is the help desk user id of agent i.
func (o Options) AgentID(i int) string { return fmt.Sprint(o.FirstAgentID + i) }

// Week generates the deliveries in event-time order.
func Week(o Options) ([]Delivery, error) {
	r := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	var out []Delivery
	for n := 0; len(out) < o.Events+o.Events/10; n++ {
		t := &ticket{o: o, r: r, id: 40000 + n, requester: fmt.Sprint(70000 + n), seq: 0}
		t.subject = subjects[r.IntN(len(subjects))]
		t.tags = []string{topics[r.IntN(len(topics))]}
		out = append(out, t.story(o.Start.Add(time.Duration(r.Int64N(int64(6*24*time.Hour)))))...)
		if t.err != nil {
			return nil, t.err
		}
	}
	slices.SortStableFunc(out, func(a, b Delivery) int { return a.At.Compare(b.At) })
	return out[:o.Events], nil
}

type ticket struct {
	o         Options
	r         *rand.Rand
	id        int
	seq       int
	subject   string
	requester string
	assignee  string
	status    string
	priority  string
	tags      []string
	created   time.Time
	out       []Delivery
	err       error
}

func (t *ticket) story(at time.Time) []Delivery {
	t.created, t.status, t.priority = at, "NEW", "NORMAL"
	t.emit(at, "created", t.requester, map[string]any{})
	t.comment(at, t.requester, false, true, customerWords[t.r.IntN(len(customerWords))])

	agent := t.o.AgentID(t.r.IntN(t.o.Agents))
	at = at.Add(t.minutes(5, 120))
	prev := any(nil)
	t.assignee, t.status = agent, "OPEN"
	t.emit(at, "agent_assignment_changed", agent, map[string]any{"current": agent, "previous": prev})

	if t.r.Float64() < 0.2 {
		at = at.Add(t.minutes(1, 30))
		old := slices.Clone(t.tags)
		t.tags = append(t.tags, "vip")
		t.emit(at, "tags_changed", agent, map[string]any{"current": t.tags, "previous": old})
	}
	if t.r.Float64() < 0.1 {
		at = at.Add(t.minutes(1, 30))
		t.priority = "HIGH"
		t.emit(at, "priority_changed", agent, map[string]any{"current": "HIGH", "previous": "NORMAL"})
	}
	if t.r.Float64() < 0.3 {
		at = at.Add(t.minutes(5, 60))
		t.comment(at, agent, true, false, "Checked the logs; looks like the known firmware issue.")
	}
	at = t.answer(at, agent)
	if t.r.Float64() < 0.4 { // the customer comes back with more
		at = at.Add(t.minutes(60, 360))
		t.status = "OPEN"
		t.comment(at, t.requester, false, true, "Thanks, but it still happens every morning.")
		at = t.answer(at, agent)
	}
	at = at.Add(t.minutes(10, 120))
	t.setStatus(at, agent, "SOLVED")
	if t.r.Float64() < 0.1 { // reopened
		at = at.Add(t.minutes(120, 1440))
		t.setStatus(at, t.requester, "OPEN")
		t.comment(at, t.requester, false, true, "It broke again after the weekend.")
		at = t.answer(at, agent)
		at = at.Add(t.minutes(10, 60))
		t.setStatus(at, agent, "SOLVED")
	}
	if t.r.Float64() < 0.5 {
		at = at.Add(t.minutes(30, 600))
		score, words := "GOOD", "Quick and friendly, thank you!"
		if t.r.Float64() < 0.2 {
			score, words = "BAD", "Took far too long & I had to explain twice."
		}
		t.emit(at, "csat_received", t.requester, map[string]any{"satisfaction_score": map[string]any{"id": fmt.Sprint(t.id*10 + t.seq), "score": score, "comment": words}})
	}
	return t.out
}

// answer is the agent's public reply: mostly within hours, sometimes after
// the 24 h window has closed.
func (t *ticket) answer(at time.Time, agent string) time.Time {
	switch p := t.r.Float64(); {
	case p < 0.7:
		at = at.Add(t.minutes(10, 240))
	case p < 0.9:
		at = at.Add(t.minutes(240, 1200))
	default:
		at = at.Add(t.minutes(1560, 2400))
	}
	t.status = "PENDING"
	t.comment(at, agent, true, true, "Thanks for the details. Please update to firmware 4.2.1 and restart; I'll check back tomorrow.")
	t.setStatus(at, agent, "PENDING")
	return at
}

func (t *ticket) setStatus(at time.Time, actor, s string) {
	prev := t.status
	t.status = s
	t.emit(at, "status_changed", actor, map[string]any{"current": s, "previous": prev})
}

func (t *ticket) comment(at time.Time, author string, staff, public bool, body string) {
	name := "Customer " + t.requester
	if staff {
		name = "Agent " + author
	}
	t.emit(at, "comment_added", author, map[string]any{"comment": map[string]any{
		"id": fmt.Sprint(t.id*100 + t.seq), "body": body, "is_public": public,
		"author": map[string]any{"id": author, "is_staff": staff, "name": name},
	}})
}

func (t *ticket) minutes(lo, hi int) time.Duration {
	return time.Duration(lo+t.r.IntN(hi-lo+1)) * time.Minute
}

func (t *ticket) emit(at time.Time, kind, actor string, event map[string]any) {
	t.seq++
	if t.o.WholeSeconds {
		at = at.Truncate(time.Second)
	}
	var assignee any
	if t.assignee != "" {
		assignee = t.assignee
	}
	body := map[string]any{
		"type":                  "zen:event-type:ticket." + kind,
		"account_id":            10001,
		"id":                    fmt.Sprintf("synth-%d-%02d", t.id, t.seq),
		"time":                  at.UTC().Format(time.RFC3339Nano),
		"zendesk_event_version": "2022-11-06",
		"subject":               fmt.Sprintf("zen:ticket:%d", t.id),
		"detail": map[string]any{
			"actor_id": actor, "assignee_id": assignee, "created_at": t.created.UTC().Format(time.RFC3339),
			"group_id": "360001", "id": fmt.Sprint(t.id), "is_public": true, "priority": t.priority,
			"requester_id": t.requester, "status": t.status, "subject": t.subject, "submitter_id": t.requester,
			"tags": slices.Clone(t.tags), "type": "INCIDENT", "updated_at": at.UTC().Format(time.RFC3339),
			"via": map[string]any{"channel": "web_form"},
		},
		"event": event,
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.err = fmt.Errorf("synth: encode ticket %d event %d: %w", t.id, t.seq, err)
		return
	}
	t.out = append(t.out, Delivery{At: at, Body: b})
}

var subjects = []string{
	"Printer offline after firmware update", "Refund not received", "Cannot log in since password reset",
	"Invoice shows the wrong VAT number", "Scanner jams on every second page", "Where is my order?",
	"App crashes when uploading photos", "Need to change the delivery address",
}

var topics = []string{"printer", "billing", "login", "shipping", "mobile-app"}

var customerWords = []string{
	"It stopped working this morning & nothing I try helps.",
	"I was charged twice <again>, please sort this out.",
	"Could you tell me what happens next? I need this by Friday.",
	"The error says \"E-104\" and the manual doesn't mention it.",
}
