package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/events/synth"
	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/zendeskapi"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/zendeskapitest"
	"github.com/carecoach/carecoach/shared/wire"
)

// fakeHistories opens the fake Zendesk for every connection.
type fakeHistories struct{ api *zendeskapitest.Server }

func (f fakeHistories) History(_ context.Context, conn care.Connection) (app.History, error) {
	r := zendeskapi.New(conn, care.Secret(f.api.Token))
	r.API.Sleep = func(context.Context, time.Duration) error { return nil }
	r.Now = func() time.Time { return monday.Add(8 * 24 * time.Hour) }
	return r, nil
}

// reconciler wires reconcile into a pipeline, its connection reading the
// fake Zendesk.
func (p *pipeline) reconciler(t *testing.T, api *zendeskapitest.Server) *app.Reconcile {
	t.Helper()
	team, err := p.store.Team(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range team.Connections {
		if c.ID == "acme-zendesk" {
			team.Connections[i].BaseURL = api.URL
			team.Connections[i].API = &care.ConnectionAPI{Email: api.Email, TokenParam: "/carecoach/test/helpdesk-tokens/acme-zendesk"}
		}
	}
	if err := p.store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	return p.wireReconcile(t, apihistory.Opener{Tokens: noTokens{}}, fakeHistories{api})
}

// wireReconcile is reconcile as the Lambda wires it, reading histories
// through h.
func (p *pipeline) wireReconcile(t *testing.T, tokens apihistory.Opener, h app.Histories) *app.Reconcile {
	t.Helper()
	r, err := wire.Reconcile(wire.Base{Now: func() time.Time { return p.now }, Log: quiet}, p.store, p.process, tokens)
	if err != nil {
		t.Fatal(err)
	}
	r.Histories = h
	return r
}

// exportOf is what Zendesk's export says about a week of webhooks: one
// audit per ticket update (the events of one ticket at one instant), its
// child events in the export's shape: Create events for a new ticket,
// Comment and SatisfactionRating events, and a Change event for every
// field the update changed, whether or not a webhook said so (Zendesk
// opens a new ticket when it is assigned; the audit records it, the
// webhooks only show it in the snapshot). Users are named as in the
// webhooks.
func exportOf(t *testing.T, week []synth.Delivery) (events []zendeskapitest.Event, roles, names map[string]string) {
	t.Helper()
	roles, names = map[string]string{}, map[string]string{}
	type hook struct {
		Type   string         `json:"type"`
		Time   time.Time      `json:"time"`
		Detail map[string]any `json:"detail"`
		Event  map[string]any `json:"event"`
	}
	type update struct {
		ticket string
		at     time.Time
	}
	groups := map[update][]hook{}
	var order []update
	for _, d := range week {
		var h hook
		if err := json.Unmarshal(d.Body, &h); err != nil {
			t.Fatal(err)
		}
		u := update{fmt.Sprint(h.Detail["id"]), h.Time}
		if _, ok := groups[u]; !ok {
			order = append(order, u)
		}
		groups[u] = append(groups[u], h)
	}
	fieldsOf := func(detail map[string]any) map[string]any {
		out := map[string]any{}
		for _, f := range []string{"subject", "status", "priority", "requester_id", "group_id", "tags", "assignee_id"} {
			v := detail[f]
			if s, ok := v.(string); ok && (f == "status" || f == "priority") {
				v = strings.ToLower(s)
			}
			out[f] = v
		}
		return out
	}
	last := map[string]map[string]any{}
	for n, u := range order {
		hooks := groups[u]
		id := 900000 + n
		var children []any
		child := func(c map[string]any) {
			if c["id"] == nil {
				c["id"] = 100*id + len(children)
			}
			children = append(children, c)
		}
		after := fieldsOf(hooks[len(hooks)-1].Detail)
		before, existed := last[u.ticket]
		for _, f := range []string{"subject", "status", "priority", "requester_id", "group_id", "tags", "assignee_id"} {
			switch {
			case !existed && after[f] != nil:
				child(map[string]any{"event_type": "Create", "field_name": f, "value": after[f]})
			case existed && !reflect.DeepEqual(before[f], after[f]):
				child(map[string]any{"event_type": "Change", "field_name": f, "value": after[f], "previous_value": before[f]})
			}
		}
		last[u.ticket] = after
		for _, h := range hooks {
			switch strings.TrimPrefix(h.Type, "zen:event-type:ticket.") {
			case "comment_added":
				c := h.Event["comment"].(map[string]any)
				author := c["author"].(map[string]any)
				role := "end-user"
				if author["is_staff"] == true {
					role = "agent"
				}
				roles[fmt.Sprint(author["id"])], names[fmt.Sprint(author["id"])] = role, fmt.Sprint(author["name"])
				child(map[string]any{"event_type": "Comment", "id": c["id"], "body": c["body"], "public": c["is_public"], "author_id": author["id"]})
			case "csat_received":
				s := h.Event["satisfaction_score"].(map[string]any)
				child(map[string]any{"event_type": "SatisfactionRating", "score": strings.ToLower(fmt.Sprint(s["score"])), "body": s["comment"]})
			}
		}
		events = append(events, zendeskapitest.Event{"id": id, "ticket_id": u.ticket, "timestamp": u.at.Unix(),
			"created_at": u.at.UTC().Format(time.RFC3339), "updater_id": hooks[0].Detail["actor_id"], "event_type": "Audit", "child_events": children})
	}
	return events, roles, names
}

// outcome is what a team's managers and scorecards see of a ticket.
type outcome struct {
	state   care.Ticket
	pending []string
	moments []string
	facts   []string
}

func outcomes(t *testing.T, p *pipeline, refs []care.TicketRef) map[care.TicketRef]outcome {
	t.Helper()
	out := map[care.TicketRef]outcome{}
	for _, ref := range refs {
		rec, err := p.store.LoadTicket(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		o := outcome{state: care.Fold(ref, rec.Timeline), pending: pending(rec.Tasks)}
		// How many interactions folded differs by the transitions the
		// export records and the webhooks only implied; nothing counts them.
		o.state.Interactions = 0
		for _, m := range rec.Moments {
			if m.WithdrawnAt.IsZero() {
				o.moments = append(o.moments, fmt.Sprintf("%s %s %s %s agent=%s at=%s", m.ID, m.Behaviour, m.Kind, m.Anchor, m.AgentID, m.At.UTC().Format(time.RFC3339Nano)))
			}
		}
		for _, f := range rec.Facts {
			o.facts = append(o.facts, fmt.Sprintf("%s %s %s agent=%s at=%s", f.ID, f.Kind, f.Anchor, f.AgentID, f.At.UTC().Format(time.RFC3339Nano)))
		}
		slices.Sort(o.moments)
		slices.Sort(o.facts)
		out[ref] = o
	}
	return out
}

func teamCounts(t *testing.T, p *pipeline) (moments, facts int) {
	t.Helper()
	ms, err := p.store.TeamMoments(ctx, "support", monday.Add(-24*time.Hour), p.now.Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := p.store.TeamFacts(ctx, "support", monday.Add(-24*time.Hour), p.now.Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return len(ms), len(fs)
}

func TestAWeekWithAFifthOfItsWebhooksDroppedEndsAsAWeekWithNoneOnceReconciled(t *testing.T) {
	week, err := synth.Week(synth.Options{Seed: 21, Agents: 6, Events: 500, Start: monday, FirstAgentID: 2000, WholeSeconds: true})
	if err != nil {
		t.Fatal(err)
	}
	events, roles, names := exportOf(t, week)
	api := zendeskapitest.New(t, events, roles)
	api.Names = names
	api.PageSize = 200 // several pages, boundaries included

	full, dropped := newPipeline(t), newPipeline(t)
	refs := ticketsOf(t, week)
	r := rand.New(rand.NewPCG(5, 8))
	lost := 0
	for _, d := range week {
		if err := full.deliver(d.Body); err != nil {
			t.Fatal(err)
		}
		if r.Float64() < 0.2 {
			lost++
			continue
		}
		if err := dropped.deliver(d.Body); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d of %d webhooks dropped", lost, len(week))
	delivered := outcomes(t, full, refs)
	deliveredMoments, deliveredFacts := teamCounts(t, full)

	// Both connections get api: now; neither has a cursor, so the first
	// run backfills (30 days covers the week).
	for name, p := range map[string]*pipeline{"full": full, "dropped": dropped} {
		rep, err := p.reconciler(t, api).Run(ctx, app.ReconcileRequest{})
		if err != nil {
			t.Fatalf("%s: reconcile: %v", name, err)
		}
		if len(rep.Connections) != 1 || !rep.Connections[0].Done {
			t.Fatalf("%s: report %+v, want acme-zendesk read to the end", name, rep)
		}
		c := rep.Connections[0]
		if name == "dropped" && c.New == 0 {
			t.Errorf("reconciling the week with %d webhooks dropped added nothing", lost)
		}
		t.Logf("%s: %+v", name, c)
	}

	// Reconciling a week the webhooks delivered whole counts nothing twice:
	// every fact the API gives has its webhook twin's key (the transitions
	// webhooks only implied are new facts, and change no outcome).
	want, got := outcomes(t, full, refs), outcomes(t, dropped, refs)
	if !reflect.DeepEqual(want, delivered) {
		for _, ref := range refs {
			if !reflect.DeepEqual(want[ref], delivered[ref]) {
				t.Errorf("ticket %s: reconciling a whole week changed it:\n%+v\nwas\n%+v", ref, want[ref], delivered[ref])
			}
		}
	}
	if m, f := teamCounts(t, full); m != deliveredMoments || f != deliveredFacts {
		t.Errorf("reconciling a whole week made the team's %d moments and %d facts %d and %d", deliveredMoments, deliveredFacts, m, f)
	}
	for _, ref := range refs {
		w, g := want[ref], got[ref]
		compareFields(t, ref, g.state, w.state)
		for _, part := range []struct {
			name      string
			got, want []string
		}{{"pending tasks", g.pending, w.pending}, {"moments", g.moments, w.moments}, {"facts", g.facts, w.facts}} {
			if !slices.Equal(part.got, part.want) {
				t.Errorf("ticket %s: %s\n%s\nwant\n%s", ref, part.name, strings.Join(part.got, "\n"), strings.Join(part.want, "\n"))
			}
		}
	}
	wm, wf := teamCounts(t, full)
	gm, gf := teamCounts(t, dropped)
	if gm != wm || gf != wf {
		t.Errorf("the team's week counts %d moments and %d facts, want %d and %d (nothing counted twice, nothing missing)", gm, gf, wm, wf)
	}
	if !sameRefs(dropped.sched.Pending(), full.sched.Pending()) {
		t.Errorf("scheduled tasks differ: %d vs %d", len(dropped.sched.Pending()), len(full.sched.Pending()))
	}

	// A second run, from the stored cursor, changes nothing.
	rep, err := dropped.reconciler(t, api).Run(ctx, app.ReconcileRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Connections[0]; c.New != 0 {
		t.Errorf("a second run added %d interactions, want none", c.New)
	}
	if again := outcomes(t, dropped, refs); !reflect.DeepEqual(again, got) {
		t.Errorf("a second run changed the outcome")
	}
}

func TestARunStoppedByARateLimitResumesFromItsCursorAndEndsTheSame(t *testing.T) {
	week, err := synth.Week(synth.Options{Seed: 3, Agents: 3, Events: 120, Start: monday, FirstAgentID: 2000, WholeSeconds: true})
	if err != nil {
		t.Fatal(err)
	}
	events, roles, names := exportOf(t, week)
	api := zendeskapitest.New(t, events, roles)
	api.Names, api.PageSize = names, 40
	refs := ticketsOf(t, week)

	straight, interrupted := newPipeline(t), newPipeline(t)
	if _, err := straight.reconciler(t, api).Run(ctx, app.ReconcileRequest{}); err != nil {
		t.Fatal(err)
	}

	rec := interrupted.reconciler(t, api)
	rec.MaxPages = 1 // the first run reads one page, as if the night ran out
	first, err := rec.Run(ctx, app.ReconcileRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if c := first.Connections[0]; c.Done || c.Stopped == "" || c.Pages != 1 {
		t.Fatalf("first run: %+v, want one page and a stop", c)
	}
	// The next run meets a rate limit longer than the client waits: it
	// stops without failing and keeps the cursor.
	api.RateLimit(1, 3600)
	rec.MaxPages = 0
	second, err := rec.Run(ctx, app.ReconcileRequest{})
	if err != nil {
		t.Fatalf("a rate limit failed the run: %v", err)
	}
	if c := second.Connections[0]; c.Done || !strings.Contains(c.Stopped, "rate limited") || c.Cursor != first.Connections[0].Cursor {
		t.Fatalf("second run: %+v, want a stop at the rate limit with the cursor where the first left it (%s)", c, first.Connections[0].Cursor)
	}
	third, err := rec.Run(ctx, app.ReconcileRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if c := third.Connections[0]; !c.Done {
		t.Fatalf("third run: %+v, want the end of the stream", c)
	}
	if got, want := outcomes(t, interrupted, refs), outcomes(t, straight, refs); !reflect.DeepEqual(got, want) {
		t.Errorf("a backfill interrupted twice ended differently from one run straight through")
	}
	if got, want := straight.sched.Pending(), interrupted.sched.Pending(); !sameRefs(got, want) {
		t.Errorf("scheduled tasks differ: %d vs %d", len(got), len(want))
	}
}

func TestAConnectionIsReadFromWhereTheRequestSays(t *testing.T) {
	week, err := synth.Week(synth.Options{Seed: 4, Agents: 3, Events: 60, Start: monday, FirstAgentID: 2000, WholeSeconds: true})
	if err != nil {
		t.Fatal(err)
	}
	events, roles, names := exportOf(t, week)
	api := zendeskapitest.New(t, events, roles)
	api.Names = names
	p := newPipeline(t)
	rec := p.reconciler(t, api)
	tests := []struct {
		name    string
		req     app.ReconcileRequest
		wantErr bool
		wantNew bool
	}{
		{"a backfill from a given time reads the connection from then", app.ReconcileRequest{Connection: "acme-zendesk", Since: monday}, false, true},
		{"a time without a connection is refused", app.ReconcileRequest{Since: monday}, true, false},
		{"a connection without api: is refused when named", app.ReconcileRequest{Connection: "acme-freshdesk", Since: monday}, true, false},
		{"the nightly run after a backfill finds nothing new", app.ReconcileRequest{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := rec.Run(ctx, tt.req)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if len(rep.Connections) != 1 || (rep.Connections[0].New > 0) != tt.wantNew {
				t.Errorf("report %+v; want new interactions: %v", rep, tt.wantNew)
			}
		})
	}
}
