package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// History reads one connection's history from its help desk's API, a page
// at a time from a cursor (zendeskapi, freshdeskapi).
type History interface {
	// Start is the cursor that reads from since.
	Start(since time.Time) string
	Page(ctx context.Context, cursor string) (care.HistoryPage, error)
}

// Histories opens the history of a connection that has api: set; it reads
// the connection's API token (from SSM on AWS).
type Histories interface {
	History(ctx context.Context, conn care.Connection) (History, error)
}

// Cursors keeps how far each connection's history has been read.
type Cursors interface {
	APIConnections(ctx context.Context) ([]string, error)
	Cursor(ctx context.Context, connection string) (position string, ok bool, err error)
	SaveCursor(ctx context.Context, connection, position string) error
}

// RateLimited recognises a rate limit the API client stopped waiting for
// (helpdeskapi.RateLimited): the run stops there, without failing, and the
// next resumes from the cursor.
type RateLimited func(err error) (time.Duration, bool)

// Reconcile feeds what a help desk's API says happened through the same
// path as webhooks (save → fold → playbook → tasks and moments, Process.
// Ticket), so that what the webhooks missed (dropped, delayed, before the
// connection existed) is counted, and what they delivered is not counted
// again: every interaction read from the API carries the fact key of its
// webhook twin, and the fold counts one interaction per key (care.Distinct).
//
// Nightly, each connection with api: set is read from its stored cursor;
// one without a cursor (a new connection, or one that just got api:)
// backfills its API.Backfill() of history first. The cursor is stored
// after each page is applied, so a failure or a long rate limit resumes
// where it stopped, and re-reading a page changes nothing.
type Reconcile struct {
	Connections Connections
	Histories   Histories
	Cursors     Cursors
	Tickets     TicketStore
	// Process brings each touched ticket's tasks, moments and facts in
	// line, exactly as for a webhook.
	Process     *Process
	RateLimited RateLimited
	// MaxPages bounds one connection's pages per run (default 200), so a
	// long backfill spreads over runs rather than outlive the function.
	MaxPages int
	Now      func() time.Time
	Log      *slog.Logger
}

// ReconcileRequest is the function's invoke payload. Empty, it reconciles
// every connection from its cursor (the nightly schedule). With a
// connection, only that one; with since (RFC 3339) too, it reads from
// then instead of the cursor: a backfill on demand, e.g.
//
//	{"connection": "acme-zendesk", "since": "2026-11-01T00:00:00Z"}
type ReconcileRequest struct {
	Connection string    `json:"connection,omitempty"`
	Since      time.Time `json:"since,omitzero"`
}

// ReconcileReport says what a run did, per connection.
type ReconcileReport struct {
	Connections []ConnectionReport `json:"connections"`
}

// ConnectionReport is one connection's part of a run.
type ConnectionReport struct {
	Connection string `json:"connection"`
	Pages      int    `json:"pages"`
	// Read counts the interactions the API gave; New those the timeline
	// did not have yet (what the webhooks missed).
	Read    int    `json:"read"`
	New     int    `json:"new"`
	Tickets int    `json:"tickets"`
	Cursor  string `json:"cursor"`
	Done    bool   `json:"done"`
	// Stopped says why the run stopped early (a rate limit, MaxPages).
	Stopped string `json:"stopped,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Run reconciles the connections the request names. A connection that
// fails does not stop the others; the error names every one that failed.
func (s *Reconcile) Run(ctx context.Context, req ReconcileRequest) (ReconcileReport, error) {
	ids := []string{req.Connection}
	if req.Connection == "" {
		if !req.Since.IsZero() {
			return ReconcileReport{}, care.Errorf(care.EInvalid, "since needs a connection: a backfill is for one connection")
		}
		var err error
		if ids, err = s.Cursors.APIConnections(ctx); err != nil {
			return ReconcileReport{}, err
		}
	}
	var rep ReconcileReport
	var errs []error
	for _, id := range ids {
		cr, err := s.connection(ctx, id, req.Since)
		if err != nil {
			cr.Error = err.Error()
			errs = append(errs, fmt.Errorf("reconcile %s: %w", id, err))
			s.Log.ErrorContext(ctx, "reconcile failed", "connection", id, "cursor", cr.Cursor, "error", err)
		}
		if cr.Connection != "" {
			rep.Connections = append(rep.Connections, cr)
		}
	}
	return rep, errors.Join(errs...)
}

func (s *Reconcile) connection(ctx context.Context, id string, since time.Time) (ConnectionReport, error) {
	cr := ConnectionReport{Connection: id}
	conn, err := s.Connections.Connection(ctx, id)
	if care.ErrorCode(err) == care.ENotFound && since.IsZero() {
		return ConnectionReport{}, nil // disconnected since it was listed
	}
	if err != nil {
		return cr, fmt.Errorf("find connection: %w", err)
	}
	if conn.API == nil {
		if since.IsZero() {
			return ConnectionReport{}, nil // api: was removed; nothing to read
		}
		return cr, care.Errorf(care.EInvalid, "connection %s has no api: section", id)
	}
	h, err := s.Histories.History(ctx, conn)
	if err != nil {
		return cr, err
	}
	cursor, ok, err := s.Cursors.Cursor(ctx, id)
	if err != nil {
		return cr, err
	}
	switch {
	case !since.IsZero():
		cursor = h.Start(since)
	case !ok:
		cursor = h.Start(s.Now().Add(-conn.API.Backfill()))
		s.Log.InfoContext(ctx, "backfill", "connection", id, "days", int(conn.API.Backfill()/(24*time.Hour)))
	}
	cr.Cursor = cursor
	saved := false
	maxPages := s.MaxPages
	if maxPages <= 0 {
		maxPages = 200
	}
	for cr.Pages < maxPages {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < stopBefore {
			cr.Stopped = "the function's time is nearly up; the next run goes on from the cursor"
			return cr, nil
		}
		page, err := h.Page(ctx, cursor)
		if wait, limited := s.rateLimited(err); limited {
			cr.Stopped = fmt.Sprintf("rate limited (retry after %s); the next run resumes at the cursor", wait)
			s.Log.WarnContext(ctx, "reconcile rate limited", "connection", id, "cursor", cursor, "retryAfter", wait)
			return cr, nil
		}
		if err != nil {
			return cr, err
		}
		cr.Pages++
		for _, why := range page.Skipped {
			s.Log.WarnContext(ctx, "history entry skipped", "connection", id, "why", why)
		}
		if err := s.apply(ctx, &cr, page.Interactions); err != nil {
			return cr, err
		}
		if page.Next != "" && page.Next != cursor {
			if err := s.Cursors.SaveCursor(ctx, id, page.Next); err != nil {
				return cr, err
			}
			cursor, cr.Cursor, saved = page.Next, page.Next, true
		}
		if page.Done || page.Next == "" {
			cr.Done = true
			if !ok && !saved {
				// A backfill that found nothing still starts the cursor,
				// or every run would backfill again.
				if err := s.Cursors.SaveCursor(ctx, id, cursor); err != nil {
					return cr, err
				}
			}
			s.Log.InfoContext(ctx, "reconciled", "connection", id, "pages", cr.Pages, "read", cr.Read, "new", cr.New, "tickets", cr.Tickets, "cursor", cursor)
			return cr, nil
		}
	}
	cr.Stopped = fmt.Sprintf("read %d pages; the next run goes on from the cursor", cr.Pages)
	return cr, nil
}

// apply saves what each ticket's timeline does not have yet and re-derives
// those tickets as a webhook would. A fact the timeline has (by key) is not
// written again: nightly runs mostly read what the webhooks delivered.
func (s *Reconcile) apply(ctx context.Context, cr *ConnectionReport, ins []care.Interaction) error {
	cr.Read += len(ins)
	var errs []error
	for _, ref := range tickets(ins) {
		rec, err := s.Tickets.LoadTicket(ctx, ref)
		if err != nil {
			return err
		}
		// have: the facts the timeline holds, and whether with words. A
		// fact held without the words the API has (a Freshdesk rating's
		// comment, which no webhook carries) is saved again: its copy
		// gives the words (care.Distinct), and counts nothing twice.
		have := make(map[string]bool, len(rec.Timeline))
		for _, in := range rec.Timeline {
			have[care.FactOf(in)] = have[care.FactOf(in)] || in.Body != ""
		}
		var missing []care.Interaction
		for _, in := range ins {
			worded, held := have[care.FactOf(in)]
			if in.Ticket != ref || held && (worded || in.Body == "") {
				continue
			}
			if err := in.Validate(); err != nil {
				s.Log.WarnContext(ctx, "history entry skipped", "connection", ref.Connection, "why", err.Error())
				continue
			}
			have[care.FactOf(in)] = in.Body != ""
			missing = append(missing, in)
		}
		if len(missing) == 0 {
			continue
		}
		if err := s.Tickets.SaveInteractions(ctx, missing); err != nil {
			return fmt.Errorf("save interactions of %s: %w", ref, err)
		}
		cr.New += len(missing)
		cr.Tickets++
		s.Log.InfoContext(ctx, "missed facts applied", "ticket", ref.String(), "count", len(missing),
			"kinds", kinds(missing))
		if err := s.Process.Ticket(ctx, ref); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// stopBefore is how long before the function's deadline a run stops
// reading: a page (and a rate-limit wait) must fit in what is left.
const stopBefore = 2 * time.Minute

func (s *Reconcile) rateLimited(err error) (time.Duration, bool) {
	if err == nil || s.RateLimited == nil {
		return 0, false
	}
	return s.RateLimited(err)
}

func kinds(ins []care.Interaction) []string {
	var out []string
	for _, in := range ins {
		if !slices.Contains(out, string(in.Kind)) {
			out = append(out, string(in.Kind))
		}
	}
	return out
}
