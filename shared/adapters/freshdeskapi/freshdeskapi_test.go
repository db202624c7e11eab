package freshdeskapi_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/freshdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/freshdeskapitest"
)

var ctx = context.Background()

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ticket42(t *testing.T) freshdeskapitest.Account {
	return freshdeskapitest.Sample42(t, "../../../events")
}

func reader(s *freshdeskapitest.Server) *freshdeskapi.Reader {
	conn := care.Connection{ID: "acme-freshdesk", Kind: care.Freshdesk, BaseURL: s.URL, API: &care.ConnectionAPI{TokenParam: "/x"}}
	r := freshdeskapi.New(conn, care.Secret(s.Key))
	r.API.Sleep = func(context.Context, time.Duration) error { return nil }
	return r
}

// webhookKeys normalizes webhook samples as process does.
func webhookKeys(t *testing.T, samples ...string) map[string]care.Kind {
	t.Helper()
	keys := map[string]care.Kind{}
	for _, name := range samples {
		body, err := os.ReadFile("../../../events/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		ins, err := freshdesk.Helpdesk{}.NormalizeIn(care.Delivery{Connection: "acme-freshdesk", Source: care.Freshdesk, Body: body, ReceivedAt: at("2026-12-02T00:00:00Z")}, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			keys[in.Key] = in.Kind
		}
	}
	return keys
}

func TestTheAPIsCopyOfATicketHasItsWebhooksKeys(t *testing.T) {
	s := freshdeskapitest.New(t, ticket42(t))
	r := reader(s)
	page, err := r.Page(ctx, r.Start(at("2026-11-29T00:00:00Z")))
	if err != nil {
		t.Fatal(err)
	}
	api := map[string]care.Interaction{}
	for _, in := range page.Interactions {
		if in.Ticket.TicketID == "42" {
			api[care.FactOf(in)] = in
		}
	}
	hooks := webhookKeys(t, "freshdesk-ticket-created", "freshdesk-reply-agent", "freshdesk-note-added", "freshdesk-reply-customer",
		"freshdesk-status-changed-resolved", "freshdesk-feedback-received")
	for key, kind := range hooks {
		if _, ok := api[key]; !ok {
			t.Errorf("the webhook's %s (%s) has no API copy with the same key", kind, key)
		}
	}
	for key, in := range api {
		if in.Kind == care.Satisfaction && in.Body != "Quick, but I had to ask twice." {
			t.Errorf("rating %s: comment %q, want the survey's feedback", key, in.Body)
		}
		if in.Kind == care.AgentReply && in.ActorID != "priya@acme-support.example" {
			t.Errorf("reply %s by %q, want the agent's email, as webhooks name agents", key, in.ActorID)
		}
	}
}

func TestTheListingIsReadAsFreshdeskDocumentsIt(t *testing.T) {
	s := freshdeskapitest.New(t, ticket42(t))
	s.PerPage = 1 // a Link header on every page
	r := reader(s)
	cursor := r.Start(at("2026-11-29T00:00:00Z"))
	var tickets []string
	deleted := false
	for pages := 0; ; pages++ {
		page, err := r.Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range page.Interactions {
			if !slices.Contains(tickets, in.Ticket.TicketID) {
				tickets = append(tickets, in.Ticket.TicketID)
			}
			deleted = deleted || in.Kind == care.TicketDeleted
		}
		if page.Done {
			break
		}
		if page.Next == cursor || pages > 10 {
			t.Fatalf("the cursor did not move from %s", cursor)
		}
		cursor = page.Next
	}
	if !slices.Equal(tickets, []string{"43", "42"}) {
		t.Errorf("tickets read %v, want 43 then 42, in updated order (a deleted ticket is not listed)", tickets)
	}
	if deleted {
		t.Errorf("a ticket the listing did not show was read as deleted")
	}
	reqs := s.Requests()
	first := ""
	for _, r := range reqs {
		if strings.HasPrefix(r, "GET /api/v2/tickets?") {
			first = r
			break
		}
	}
	for _, want := range []string{"updated_since=2026-11-29T00%3A00%3A00Z", "order_by=updated_at", "order_type=asc", "per_page=100", "include=stats%2Crequester", "page=1"} {
		if !strings.Contains(first, want) {
			t.Errorf("ticket listing %q lacks %s", first, want)
		}
	}
	for _, want := range []string{"GET /api/v2/agents?per_page=100", "GET /api/v2/groups?per_page=100", "GET /api/v2/tickets/42/conversations?per_page=100", "GET /api/v2/tickets/42/satisfaction_ratings"} {
		if !slices.ContainsFunc(reqs, func(r string) bool { return strings.HasPrefix(r, want) }) {
			t.Errorf("no request %s in %q", want, reqs)
		}
	}
}

func TestATicketDeletedWhileBeingReadIsReadAsListed(t *testing.T) {
	acct := ticket42(t)
	acct.Tickets = acct.Tickets[1:2] // 43, whose conversations are gone
	s := freshdeskapitest.New(t, acct)
	r := reader(s)
	page, err := r.Page(ctx, r.Start(at("2026-11-29T00:00:00Z")))
	if err != nil {
		t.Fatalf("a ticket deleted under the reader failed the page: %v", err)
	}
	if len(page.Skipped) != 1 || len(page.Interactions) == 0 {
		t.Errorf("skipped %q with %d interactions; want one note and the listing's facts", page.Skipped, len(page.Interactions))
	}
}

func TestARateLimitIsWaitedOutOrLeftForTheNextRun(t *testing.T) {
	for _, tt := range []struct {
		name        string
		retryAfter  int
		wantLimited bool
	}{
		{"a short Retry-After is waited out", 5, false},
		{"a long Retry-After stops the run, to resume from the cursor", 900, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := freshdeskapitest.New(t, ticket42(t))
			s.RateLimit(1, tt.retryAfter)
			_, err := reader(s).Page(ctx, reader(s).Start(at("2026-11-29T00:00:00Z")))
			if _, limited := helpdeskapi.RateLimited(err); limited != tt.wantLimited || !limited && err != nil {
				t.Errorf("err = %v, want rate limited %v", err, tt.wantLimited)
			}
		})
	}
}

func TestTheSurveyCommentIsFetchedForAFeedbackEvent(t *testing.T) {
	s := freshdeskapitest.New(t, ticket42(t))
	conn := care.Connection{ID: "acme-freshdesk", Kind: care.Freshdesk, BaseURL: s.URL, API: &care.ConnectionAPI{TokenParam: "/x"}}
	c := freshdeskapi.Comments{Token: func(context.Context, care.Connection) (care.Secret, error) { return care.Secret(s.Key), nil }}
	got, err := c.SurveyComment(ctx, conn, "42", at("2026-12-01T10:15:00Z"))
	if err != nil || got != "Quick, but I had to ask twice." {
		t.Errorf("SurveyComment = %q, %v", got, err)
	}
	if strings.Contains(strings.Join(s.Requests(), " "), s.Key) {
		t.Errorf("the key travelled in a URL")
	}
}

func TestWrongCredentialsAreAnErrorWithoutTheKey(t *testing.T) {
	s := freshdeskapitest.New(t, ticket42(t))
	conn := care.Connection{ID: "acme-freshdesk", BaseURL: s.URL}
	r := freshdeskapi.New(conn, care.Secret("wrong-key"))
	_, err := r.Page(ctx, r.Start(at("2026-11-29T00:00:00Z")))
	if helpdeskapi.StatusOf(err) != 401 || strings.Contains(err.Error(), "wrong-key") {
		t.Errorf("err = %v; want a 401 that does not show the key", err)
	}
}
