// Package zendeskapi reads a Zendesk account's history through its REST
// API, for reconcile and backfill (see shared/app/reconcile.go): the
// incremental ticket event export, and the users it needs to tell a staff
// reply from a customer's message. The shapes it reads are documented in
// ../zendesk/testdata/README.md; the events are read into interactions by
// the pure zendesk.Export.
//
// Rate limits: the incremental exports allow 10 requests a minute (the
// account's own limit applies to the users lookup). A 429 is waited out
// by helpdeskapi.Client up to its MaxWait; a longer Retry-After comes back
// as an error that helpdeskapi.RateLimited recognises, and reconcile stops
// there and resumes from its stored cursor on the next run.
package zendeskapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// Reader reads one connection's ticket events. Its cursor is the export's
// start_time: Unix seconds.
type Reader struct {
	API        *helpdeskapi.Client
	Connection string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// x carries what one page taught the next: the comment authors' roles
	// and each ticket's fields.
	x zendesk.Export
}

// New builds a reader for a connection: Zendesk authenticates an API token
// as "<email>/token" with the token as password.
func New(conn care.Connection, token care.Secret) *Reader {
	email := ""
	if conn.API != nil {
		email = conn.API.Email
	}
	return &Reader{API: &helpdeskapi.Client{BaseURL: conn.BaseURL, User: email + "/token", Password: token}, Connection: conn.ID}
}

// ExportPath is the incremental ticket event export.
const ExportPath = "/api/v2/incremental/ticket_events.json"

// UsersPath looks up to 100 users by id.
const UsersPath = "/api/v2/users/show_many.json"

// minAge is how old a start_time must be: Zendesk refuses a start_time
// less than a minute ago, and excludes that last minute anyway.
const minAge = time.Minute

// Start is the cursor that reads from since.
func (r *Reader) Start(since time.Time) string { return strconv.FormatInt(since.Unix(), 10) }

// Page reads the export page that starts at cursor.
func (r *Reader) Page(ctx context.Context, cursor string) (care.HistoryPage, error) {
	start, err := strconv.ParseInt(cursor, 10, 64)
	if err != nil {
		return care.HistoryPage{}, fmt.Errorf("zendesk cursor %q is not a Unix time", cursor)
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	if latest := now().Add(-minAge).Unix(); start > latest {
		start = latest
	}
	var page zendesk.ExportPage
	q := url.Values{"start_time": {strconv.FormatInt(start, 10)}, "include": {"comment_events"}}
	if _, err := r.API.Do(ctx, "GET", ExportPath, q, nil, &page); err != nil {
		return care.HistoryPage{}, fmt.Errorf("zendesk ticket events from %d: %w", start, err)
	}
	if r.x.Snapshots == nil {
		r.x.Snapshots, r.x.Users = map[string]care.Snapshot{}, map[string]zendesk.User{}
	}
	if authors := r.x.Authors(page.TicketEvents); len(authors) > 0 {
		if err := r.lookUp(ctx, authors); err != nil {
			return care.HistoryPage{}, err
		}
	}
	ins, skipped := r.x.Normalize(r.Connection, page.TicketEvents)
	out := care.HistoryPage{Interactions: ins, Skipped: skipped, Done: page.EndOfStream}
	switch {
	case page.EndTime > start:
		out.Next = strconv.FormatInt(page.EndTime, 10)
	case !page.EndOfStream:
		// A full page within one second cannot move a time cursor:
		// Zendesk's documented advice is to move past it.
		out.Next = strconv.FormatInt(start+1, 10)
	}
	return out, nil
}

// lookUp learns the roles of users, 100 at a time. A user Zendesk no
// longer has (deleted) stays unknown: their comments are not guessed.
func (r *Reader) lookUp(ctx context.Context, ids []string) error {
	for chunk := range slices.Chunk(ids, 100) {
		var users struct {
			Users []struct {
				ID   json.RawMessage `json:"id"`
				Role string          `json:"role"`
				Name string          `json:"name"`
			} `json:"users"`
		}
		if _, err := r.API.Do(ctx, "GET", UsersPath, url.Values{"ids": {strings.Join(chunk, ",")}}, nil, &users); err != nil {
			return fmt.Errorf("zendesk users %d: %w", len(chunk), err)
		}
		for _, u := range users.Users {
			id := idText(u.ID)
			if id == "" {
				continue
			}
			role := strings.ToLower(strings.TrimSpace(u.Role))
			r.x.Users[id] = zendesk.User{Staff: role != "" && role != "end-user" && role != "end_user", Name: strings.TrimSpace(u.Name)}
		}
	}
	return nil
}

// idText reads a user id sent as a number or a string (exactly: ids
// outgrow a float64).
func idText(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "null" {
		return ""
	}
	return strings.TrimSpace(strings.Trim(s, `"`))
}
