package app_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/freshdesk"
	"github.com/carecoach/carecoach/shared/freshdeskapi"
	"github.com/carecoach/carecoach/shared/freshdeskapi/freshdeskapitest"
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
			rec, err := p.store.LoadTicket(ctx, care.TicketRef{Connection: "acme-freshdesk", TicketID: "42"})
			if err != nil {
				t.Fatal(err)
			}
			if rec.State.Rating != "good" || rec.State.RatingComment != tt.want {
				t.Errorf("rating %q with comment %q, want good with %q", rec.State.Rating, rec.State.RatingComment, tt.want)
			}
		})
	}
}
