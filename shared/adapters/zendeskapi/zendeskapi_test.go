package zendeskapi_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/zendeskapi"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/zendeskapitest"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
)

// story is one ticket in the export's documented shape: created by the
// customer (Create events and the first comment), answered by an agent,
// solved, then deleted.
func story() []zendeskapitest.Event {
	ts := func(m int) int64 { return t0.Add(time.Duration(m) * time.Minute).Unix() }
	return []zendeskapitest.Event{
		{"id": 9001, "ticket_id": 5158, "timestamp": ts(0), "created_at": t0.Format(time.RFC3339), "updater_id": 7001,
			"via": map[string]any{"channel": "web"}, "event_type": "Audit", "child_events": []any{
				map[string]any{"id": 1, "event_type": "Create", "field_name": "subject", "value": "Printer offline"},
				map[string]any{"id": 2, "event_type": "Create", "field_name": "status", "value": "new"},
				map[string]any{"id": 3, "event_type": "Create", "field_name": "requester_id", "value": "7001"},
				map[string]any{"id": 4, "event_type": "Create", "field_name": "priority", "value": "normal"},
				map[string]any{"id": 5, "event_type": "Create", "field_name": "tags", "value": []string{"printer"}},
				map[string]any{"id": 101, "event_type": "Comment", "body": "It is offline again.", "html_body": "<p>It is offline again.</p>",
					"public": true, "author_id": 7001, "attachments": []any{}},
			}},
		{"id": 9002, "ticket_id": 5158, "timestamp": ts(30), "created_at": t0.Add(30 * time.Minute).Format(time.RFC3339), "updater_id": 2001,
			"event_type": "Audit", "child_events": []any{
				map[string]any{"id": 11, "event_type": "Change", "field_name": "assignee_id", "value": "2001", "previous_value": nil},
				map[string]any{"id": 102, "event_type": "Comment", "body": "Please restart it.", "public": true, "author_id": 2001},
				map[string]any{"id": 12, "event_type": "Change", "field_name": "status", "value": "pending", "previous_value": "new"},
			}},
		{"id": 9003, "ticket_id": 5158, "timestamp": ts(60), "updater_id": 2001, "event_type": "Audit", "child_events": []any{
			map[string]any{"id": 13, "event_type": "Change", "field_name": "status", "value": "solved", "previous_value": "pending"},
			map[string]any{"id": 103, "event_type": "Comment", "body": "follow-up: call on Monday", "public": false, "author_id": 2001},
		}},
		{"id": 9004, "ticket_id": 5158, "timestamp": ts(90), "updater_id": 2001, "event_type": "Audit", "child_events": []any{
			map[string]any{"id": 14, "event_type": "Change", "field_name": "status", "value": "deleted", "previous_value": "solved"},
		}},
	}
}

func reader(s *zendeskapitest.Server) *zendeskapi.Reader {
	conn := care.Connection{ID: "acme-zendesk", Kind: care.Zendesk, BaseURL: s.URL, API: &care.ConnectionAPI{Email: s.Email, TokenParam: "/x"}}
	r := zendeskapi.New(conn, care.Secret(s.Token))
	r.Now = func() time.Time { return t0.Add(24 * time.Hour) }
	r.API.Sleep = func(context.Context, time.Duration) error { return nil }
	return r
}

func TestTheExportIsReadAsTheWebhooksWouldHaveDeliveredIt(t *testing.T) {
	s := zendeskapitest.New(t, story(), map[string]string{"7001": "end-user", "2001": "agent"})
	r := reader(s)
	page, err := r.Page(ctx, r.Start(t0.Add(-time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if !page.Done || page.Next != r.Start(t0.Add(90*time.Minute)) {
		t.Errorf("Done, Next = %v, %q; want the end of the stream at the last event's time", page.Done, page.Next)
	}
	var got []string
	for _, in := range page.Interactions {
		got = append(got, string(in.Kind)+" "+in.Key)
	}
	want := []string{
		"customer_message comment:101",
		"ticket_created ticket_created:@2026-11-30T09:00:00Z",
		"assignee_changed assignee_changed:2001@2026-11-30T09:30:00Z",
		"agent_reply comment:102",
		"status_changed status_changed:pending@2026-11-30T09:30:00Z",
		"status_changed status_changed:solved@2026-11-30T10:00:00Z",
		"internal_note comment:103",
		"ticket_deleted ticket_deleted:@2026-11-30T10:30:00Z",
	}
	if !slices.Equal(got, want) {
		t.Errorf("interactions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	first := page.Interactions[0]
	if first.Snapshot.Subject != "Printer offline" || first.Snapshot.RequesterID != "7001" || !first.FromRequester {
		t.Errorf("first message: snapshot %+v, from requester %v; want the created ticket's fields", first.Snapshot, first.FromRequester)
	}
	if b := first.Body; b != "It is offline again." {
		t.Errorf("customer's words = %q", b)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || !strings.HasPrefix(reqs[0], "GET /api/v2/incremental/ticket_events.json?") || !strings.Contains(reqs[0], "include=comment_events") ||
		!strings.Contains(reqs[0], "start_time="+r.Start(t0.Add(-time.Hour))) || !strings.HasPrefix(reqs[1], "GET /api/v2/users/show_many.json?ids=") {
		t.Errorf("requests = %q; want the export from start_time, then one users lookup", reqs)
	}
}

func TestTheExportIsPagedByEndTimeUntilTheEndOfTheStream(t *testing.T) {
	s := zendeskapitest.New(t, story(), map[string]string{"7001": "end-user", "2001": "agent"})
	s.PageSize = 2
	r := reader(s)
	cursor := r.Start(t0)
	seen := map[string]bool{}
	for pages := 1; ; pages++ {
		page, err := r.Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range page.Interactions {
			seen[in.ID] = true
		}
		if page.Done {
			break
		}
		if page.Next == cursor || pages > 10 {
			t.Fatalf("page %d did not move the cursor from %s", pages, cursor)
		}
		cursor = page.Next
	}
	if len(seen) != 8 {
		t.Errorf("read %d distinct interactions over the pages, want 8 (pages repeat the boundary second, ids do not change)", len(seen))
	}
}

func TestARateLimitIsWaitedOutOrReportedForTheNextRun(t *testing.T) {
	tests := []struct {
		name        string
		retryAfter  int
		wantLimited bool
	}{
		{"a short Retry-After is waited out and the page read", 10, false},
		{"a Retry-After longer than the client waits stops the run, resumable", 600, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := zendeskapitest.New(t, story(), map[string]string{"7001": "end-user", "2001": "agent"})
			s.RateLimit(1, tt.retryAfter)
			r := reader(s)
			var waited []time.Duration
			r.API.Sleep = func(_ context.Context, d time.Duration) error { waited = append(waited, d); return nil }
			page, err := r.Page(ctx, r.Start(t0))
			wait, limited := helpdeskapi.RateLimited(err)
			if limited != tt.wantLimited {
				t.Fatalf("err = %v; rate limited = %v, want %v", err, limited, tt.wantLimited)
			}
			if limited {
				if wait != time.Duration(tt.retryAfter)*time.Second {
					t.Errorf("retry after %s, want %ds", wait, tt.retryAfter)
				}
				return
			}
			if len(waited) != 1 || waited[0] != time.Duration(tt.retryAfter)*time.Second || len(page.Interactions) != 8 {
				t.Errorf("waited %v and read %d interactions; want one wait of %ds, then the page", waited, len(page.Interactions), tt.retryAfter)
			}
		})
	}
}

func TestWrongCredentialsAreAnErrorThatNamesTheCallNotTheToken(t *testing.T) {
	s := zendeskapitest.New(t, story(), nil)
	conn := care.Connection{ID: "acme-zendesk", BaseURL: s.URL, API: &care.ConnectionAPI{Email: s.Email}}
	r := zendeskapi.New(conn, care.Secret("wrong-token"))
	_, err := r.Page(ctx, r.Start(t0))
	if helpdeskapi.StatusOf(err) != 401 || strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("err = %v; want a 401 without the token", err)
	}
}

func TestAnAuthorZendeskNoLongerKnowsIsNotGuessed(t *testing.T) {
	s := zendeskapitest.New(t, story(), map[string]string{"7001": "end-user"}) // agent 2001 was deleted
	r := reader(s)
	page, err := r.Page(ctx, r.Start(t0))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range page.Interactions {
		if in.Key == "comment:102" && in.Kind != care.ChangeUnread {
			t.Errorf("a public comment by an unknown author is %s, want change_unread (neither a reply nor a customer guessed)", in.Kind)
		}
	}
}
