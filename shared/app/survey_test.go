package app_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/freshdeskapi"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/freshdeskapitest"
)

func TestAFreshdeskRatingIsQuotedWithTheCommentTheAPIHolds(t *testing.T) {
	body, err := os.ReadFile("../../events/freshdesk-feedback-received.json")
	if err != nil {
		t.Fatal(err)
	}
	rated := time.Date(2026, 12, 1, 10, 15, 0, 0, time.UTC)
	api := freshdeskapitest.New(t, freshdeskapitest.Account{
		Tickets: []freshdesk.APITicket{{ID: 42, Status: 4, CreatedAt: rated.Add(-48 * time.Hour), UpdatedAt: rated}},
		Ratings: map[int64][]freshdesk.APIRating{42: {{ID: 77, Feedback: "Took two weeks &amp; three emails.", Ratings: map[string]int{"default_question": 103}, CreatedAt: rated}}},
	})
	tests := []struct {
		name, key, want string
	}{
		{"the comment is read from the API when the rating arrives", api.Key, "Took two weeks & three emails."},
		{"an API that refuses the token leaves the rating without words, not lost", "wrong-key", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPipeline(t)
			team, err := p.store.Team(ctx, "support")
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range team.Connections {
				if c.ID == "acme-freshdesk" {
					team.Connections[i].BaseURL = api.URL
					team.Connections[i].API = &care.ConnectionAPI{TokenParam: "/carecoach/test/helpdesk-tokens/acme-freshdesk"}
				}
			}
			if err := p.store.PutTeam(ctx, team); err != nil {
				t.Fatal(err)
			}
			key := tt.key
			p.process.Connections = p.store
			p.process.SurveyComments = freshdeskapi.Comments{Token: func(context.Context, care.Connection) (care.Secret, error) { return care.Secret(key), nil }}
			d := care.Delivery{Connection: "acme-freshdesk", Source: care.Freshdesk, DedupeKey: "fd-test", ReceivedAt: rated, Body: body}
			if err := p.process.Delivery(ctx, d); err != nil {
				t.Fatal(err)
			}
			ref := care.TicketRef{Connection: "acme-freshdesk", TicketID: "42"}
			rec, err := p.store.LoadTicket(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if state := care.Fold(ref, rec.Timeline); state.Rating != "good" || state.RatingComment != tt.want {
				t.Errorf("rating %q with comment %q, want good with %q", state.Rating, state.RatingComment, tt.want)
			}
		})
	}
}

// freshdeskReconciler points the team's Freshdesk connection at a fake
// account and wires reconcile to it.
func (p *pipeline) freshdeskReconciler(t *testing.T, api *freshdeskapitest.Server) *app.Reconcile {
	t.Helper()
	team, err := p.store.Team(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range team.Connections {
		if c.ID == "acme-freshdesk" {
			team.Connections[i].BaseURL = api.URL
			team.Connections[i].API = &care.ConnectionAPI{TokenParam: "/carecoach/test/helpdesk-tokens/acme-freshdesk"}
		}
	}
	if err := p.store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	opener := apihistory.Opener{Tokens: staticToken(api.Key)}
	return p.wireReconcile(t, opener, opener)
}

type staticToken string

func (s staticToken) Get(context.Context, string) (care.Secret, error) { return care.Secret(s), nil }

func TestAFreshdeskTicketWhoseWebhooksWereHalfLostEndsAsOneWithNoneLost(t *testing.T) {
	api := freshdeskapitest.New(t, freshdeskapitest.Sample42(t, "../../events"))
	samples := []string{"freshdesk-ticket-created", "freshdesk-reply-agent", "freshdesk-note-added", "freshdesk-reply-customer",
		"freshdesk-status-changed-resolved", "freshdesk-feedback-received"}
	lost := map[string]bool{"freshdesk-reply-agent": true, "freshdesk-status-changed-resolved": true, "freshdesk-feedback-received": true}
	ref := care.TicketRef{Connection: "acme-freshdesk", TicketID: "42"}
	full, dropped := newPipeline(t), newPipeline(t)
	for _, name := range samples {
		body, err := os.ReadFile("../../events/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		d := care.Delivery{Connection: "acme-freshdesk", Source: care.Freshdesk, DedupeKey: name, ReceivedAt: full.now, Body: body}
		if err := full.process.Delivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		if !lost[name] {
			if err := dropped.process.Delivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := outcomes(t, full, []care.TicketRef{ref})[ref]
	since := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for name, p := range map[string]*pipeline{"full": full, "dropped": dropped} {
		if _, err := p.freshdeskReconciler(t, api).Run(ctx, app.ReconcileRequest{Connection: "acme-freshdesk", Since: since}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	want, got := outcomes(t, full, []care.TicketRef{ref})[ref], outcomes(t, dropped, []care.TicketRef{ref})[ref]
	compareFields(t, ref, got.state, want.state)
	for _, part := range []struct {
		name      string
		got, want []string
	}{{"pending tasks", got.pending, want.pending}, {"moments", got.moments, want.moments}, {"facts", got.facts, want.facts}} {
		if !slices.Equal(part.got, part.want) {
			t.Errorf("%s after reconcile:\n%s\nwant (none lost)\n%s", part.name, strings.Join(part.got, "\n"), strings.Join(part.want, "\n"))
		}
	}
	// Reconciling what the webhooks all delivered counts nothing twice: the
	// same facts and tasks. It adds one moment: the good rating now has the
	// customer's words (no webhook carries them), which earns praise.
	if !slices.Equal(want.facts, before.facts) || !slices.Equal(want.pending, before.pending) {
		t.Errorf("reconciling a ticket the webhooks delivered whole changed its facts or tasks:\n%s\nwas\n%s", strings.Join(want.facts, "\n"), strings.Join(before.facts, "\n"))
	}
	if len(want.moments) != len(before.moments)+1 || !strings.Contains(strings.Join(want.moments, "\n"), "satisfaction praise") {
		t.Errorf("moments %q, were %q: want the same and the rating's praise", want.moments, before.moments)
	}
	if want.state.RatingComment != "Quick, but I had to ask twice." {
		t.Errorf("rating comment %q, want the survey's words (read by reconcile, given to the webhook's copy)", want.state.RatingComment)
	}
}
