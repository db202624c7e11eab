package freshdeskapitest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// htmlOf is the comment of a webhook sample without its "Author : " prefix:
// the HTML the conversation itself holds.
func htmlOf(t testing.TB, events, sample string) string {
	t.Helper()
	var b map[string]any
	raw, err := os.ReadFile(filepath.Join(events, sample+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if d, ok := b["description"].(string); ok {
		return d
	}
	_, html, _ := strings.Cut(b["comment"].(string), " : ")
	return html
}

// Sample42 is what Freshdesk's API says about the ticket of the webhook
// samples (events/freshdesk-*.json, read from the events directory):
// Tom's refund, answered by Priya, resolved, rated, with the comment the
// webhook could not carry; ticket 43 was deleted while being read and 44
// is deleted (not listed).
func Sample42(t testing.TB, events string) Account {
	return Account{
		Tickets: []freshdesk.APITicket{{
			ID: 42, Subject: "Refund not received for order #8812", Status: 4, Priority: 3, Source: 1,
			RequesterID: 501, ResponderID: ptr(int64(301)), GroupID: ptr(int64(7)), Tags: []string{"refund", "order-8812", "payments-escalation"},
			Description: htmlOf(t, events, "freshdesk-ticket-created"), CreatedAt: at("2026-11-30T10:00:00Z"), UpdatedAt: at("2026-12-01T10:15:00Z"),
			Stats:     &freshdesk.APIStats{ResolvedAt: ptr(at("2026-12-01T09:30:00Z"))},
			Requester: &freshdesk.APIContact{ID: 501, Name: "Tom Becker", Email: "tom.becker@example.net"},
		}, {
			ID: 43, Subject: "Spam", Status: 2, Priority: 1, RequesterID: 502, CreatedAt: at("2026-11-30T12:00:00Z"), UpdatedAt: at("2026-11-30T12:05:00Z"),
			Requester: &freshdesk.APIContact{ID: 502, Name: "Spammer", Email: "spam@example.org"},
		}, {
			ID: 44, Subject: "Deleted", Status: 2, Priority: 1, RequesterID: 503, CreatedAt: at("2026-11-30T13:00:00Z"), UpdatedAt: at("2026-11-30T13:05:00Z"), Deleted: true,
		}},
		Conversations: map[int64][]freshdesk.APIConversation{42: {
			{ID: 9001, Body: htmlOf(t, events, "freshdesk-reply-agent"), UserID: 301, CreatedAt: at("2026-11-30T10:20:00Z")},
			{ID: 9002, Body: htmlOf(t, events, "freshdesk-note-added"), Private: true, UserID: 301, CreatedAt: at("2026-11-30T10:25:00Z")},
			{ID: 9003, Body: htmlOf(t, events, "freshdesk-reply-customer"), Incoming: true, UserID: 501, FromEmail: "tom.becker@example.net", CreatedAt: at("2026-11-30T15:40:00Z")},
		}},
		Ratings: map[int64][]freshdesk.APIRating{42: {
			{ID: 77, Feedback: "Quick, but I had to ask twice.", Ratings: map[string]int{"default_question": 103}, CreatedAt: at("2026-12-01T10:15:00Z")},
		}},
		Agents: []freshdesk.APIContact{{ID: 301, Name: "Priya Natarajan", Email: "priya@acme-support.example"}},
		Groups: map[int64]string{7: "Billing"},
		Gone:   map[int64]bool{43: true},
	}
}
