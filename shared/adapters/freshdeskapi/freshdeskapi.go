// Package freshdeskapi reads a Freshdesk account's history through its
// REST API v2, for reconcile and backfill (see shared/app/reconcile.go),
// and fetches the comment of a satisfaction rating, which Freshdesk's
// webhooks cannot carry. The shapes are documented in
// ../freshdesk/testdata/README.md; the pure freshdesk.History reads them
// into interactions.
//
// Authentication: the API key as user, "X" as password. Rate limits are
// per account and minute (by plan); a 429 carries Retry-After and is
// waited out by helpdeskapi.Client up to its MaxWait, a longer one stops
// the run (helpdeskapi.RateLimited) and the next resumes from the cursor.
package freshdeskapi

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/core/care"
)

// Paths Freshdesk documents.
const (
	TicketsPath = "/api/v2/tickets"
	AgentsPath  = "/api/v2/agents"
	GroupsPath  = "/api/v2/groups"
)

// PerPage is the largest page Freshdesk serves; MaxPage the last page it
// serves of one listing (beyond, it answers 400): the cursor then moves
// its updated_since on instead.
const (
	PerPage = 100
	MaxPage = 300
)

// Reader reads one connection's tickets updated since its cursor:
// "<updated_since RFC 3339>|<page>".
type Reader struct {
	API        *helpdeskapi.Client
	Connection string
	dir        *freshdesk.Directory
}

// New builds a reader for a connection with its API key.
func New(conn care.Connection, key care.Secret) *Reader {
	return &Reader{API: &helpdeskapi.Client{BaseURL: conn.BaseURL, User: string(key), Password: care.Secret("X")}, Connection: conn.ID}
}

// Start is the cursor that reads from since.
func (r *Reader) Start(since time.Time) string { return since.UTC().Format(time.RFC3339) + "|1" }

// Page reads one page of tickets updated since the cursor, each with its
// conversations and ratings. A ticket deleted between the listing and
// those reads (404) is read as the listing shows it.
func (r *Reader) Page(ctx context.Context, cursor string) (care.HistoryPage, error) {
	since, page, err := parseCursor(cursor)
	if err != nil {
		return care.HistoryPage{}, err
	}
	if err := r.directory(ctx); err != nil {
		return care.HistoryPage{}, err
	}
	q := url.Values{"updated_since": {since.Format(time.RFC3339)}, "order_by": {"updated_at"}, "order_type": {"asc"},
		"per_page": {strconv.Itoa(PerPage)}, "page": {strconv.Itoa(page)}, "include": {"stats,requester"}}
	var tickets []freshdesk.APITicket
	h, err := r.API.Do(ctx, "GET", TicketsPath, q, nil, &tickets)
	if err != nil {
		return care.HistoryPage{}, fmt.Errorf("freshdesk tickets updated since %s, page %d: %w", since.Format(time.RFC3339), page, err)
	}
	var out care.HistoryPage
	for _, t := range tickets {
		convs, err := list[freshdesk.APIConversation](ctx, r.API, fmt.Sprintf("%s/%d/conversations", TicketsPath, t.ID), url.Values{"per_page": {strconv.Itoa(PerPage)}})
		if helpdeskapi.StatusOf(err) == 404 {
			out.Skipped = append(out.Skipped, fmt.Sprintf("ticket %d: deleted while being read; its listing is used", t.ID))
		} else if err != nil {
			return care.HistoryPage{}, err
		}
		ratings, err := Ratings(ctx, r.API, strconv.FormatInt(t.ID, 10))
		if err != nil && helpdeskapi.StatusOf(err) != 404 {
			return care.HistoryPage{}, err
		}
		out.Interactions = append(out.Interactions, freshdesk.History(r.Connection, t, convs, ratings, *r.dir)...)
	}
	next := helpdeskapi.NextLink(h) != ""
	switch {
	case next && page < MaxPage:
		out.Next = since.Format(time.RFC3339) + "|" + strconv.Itoa(page+1)
	case len(tickets) > 0:
		// The end, or the last page Freshdesk serves of one listing: go on
		// from the last ticket's update (listed again; its facts are kept
		// already, so it changes nothing).
		out.Next = tickets[len(tickets)-1].UpdatedAt.UTC().Format(time.RFC3339) + "|1"
		out.Done = !next
	default:
		out.Done = true
	}
	return out, nil
}

func parseCursor(c string) (time.Time, int, error) {
	s, p, _ := strings.Cut(c, "|")
	since, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("freshdesk cursor %q: %w", c, err)
	}
	page, err := strconv.Atoi(p)
	if err != nil || page < 1 {
		page = 1
	}
	return since, page, nil
}

// directory reads the account's agents and groups once per reader.
func (r *Reader) directory(ctx context.Context) error {
	if r.dir != nil {
		return nil
	}
	dir := freshdesk.Directory{Agents: map[int64]freshdesk.APIContact{}, Groups: map[int64]string{}}
	agents, err := list[struct {
		ID      int64                `json:"id"`
		Contact freshdesk.APIContact `json:"contact"`
	}](ctx, r.API, AgentsPath, url.Values{"per_page": {strconv.Itoa(PerPage)}})
	if err != nil {
		return err
	}
	for _, a := range agents {
		dir.Agents[a.ID] = a.Contact
	}
	groups, err := list[struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}](ctx, r.API, GroupsPath, url.Values{"per_page": {strconv.Itoa(PerPage)}})
	if err != nil {
		return err
	}
	for _, g := range groups {
		dir.Groups[g.ID] = g.Name
	}
	r.dir = &dir
	return nil
}

// list reads every page of a listing, following its Link header.
func list[T any](ctx context.Context, api *helpdeskapi.Client, path string, q url.Values) ([]T, error) {
	var all []T
	target := path
	for pages := 0; target != "" && pages < MaxPage; pages++ {
		var page []T
		h, err := api.Do(ctx, "GET", target, q, nil, &page)
		if err != nil {
			return nil, fmt.Errorf("freshdesk %s: %w", path, err)
		}
		all = append(all, page...)
		target, q = helpdeskapi.NextLink(h), nil
	}
	return all, nil
}

// Ratings lists a ticket's satisfaction ratings.
func Ratings(ctx context.Context, api *helpdeskapi.Client, ticketID string) ([]freshdesk.APIRating, error) {
	return list[freshdesk.APIRating](ctx, api, TicketsPath+"/"+url.PathEscape(ticketID)+"/satisfaction_ratings", nil)
}

// Comments fetches survey comments for bad-rating alerts (app.SurveyComments).
type Comments struct {
	// Token reads a connection's API key.
	Token func(ctx context.Context, conn care.Connection) (care.Secret, error)
}

// SurveyComment is the comment of the ticket's rating nearest at.
func (c Comments) SurveyComment(ctx context.Context, conn care.Connection, ticketID string, at time.Time) (string, error) {
	key, err := c.Token(ctx, conn)
	if err != nil {
		return "", err
	}
	ratings, err := Ratings(ctx, New(conn, key).API, ticketID)
	if err != nil {
		return "", err
	}
	return freshdesk.SurveyComment(ratings, at), nil
}
