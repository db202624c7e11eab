// Package freshdeskapitest is a fake Freshdesk account for tests: it
// serves the ticket listing (updated_since, ascending by updated_at, Link
// pagination, a last page), conversations, satisfaction ratings, agents
// and groups the way Freshdesk documents them, and fails a request
// Freshdesk would refuse (wrong credentials, a missing parameter).
package freshdeskapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
)

// Account is what the fake serves.
type Account struct {
	Tickets       []freshdesk.APITicket
	Conversations map[int64][]freshdesk.APIConversation
	Ratings       map[int64][]freshdesk.APIRating
	Agents        []freshdesk.APIContact // agent id = contact id
	Groups        map[int64]string
	// Gone are tickets deleted after they were listed: their
	// conversations and ratings answer 404.
	Gone map[int64]bool
}

// Server is a fake Freshdesk account.
type Server struct {
	*httptest.Server
	Key string // the API key it accepts
	// PerPage caps pages below Freshdesk's 100, to test paging.
	PerPage int

	mu         sync.Mutex
	acct       Account
	limited    int
	retryAfter int
	requests   []string
}

// New starts a fake account.
func New(t testing.TB, acct Account) *Server {
	t.Helper()
	s := &Server{Key: "fd-key-123", PerPage: 100, acct: acct}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// RateLimit makes the next n requests answer 429 with Retry-After.
func (s *Server) RateLimit(n, retryAfterSeconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limited, s.retryAfter = n, retryAfterSeconds
}

// Requests lists the requests served, as "METHOD path?query".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.Key || pass != "X" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"code": "invalid_credentials", "message": "You have to be logged in to perform this action."})
		return
	}
	if s.limited > 0 {
		s.limited--
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfter))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You have exceeded the limit of requests per minute"})
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/api/v2/tickets":
		s.tickets(w, r)
	case len(parts) == 5 && parts[2] == "tickets" && (parts[4] == "conversations" || parts[4] == "satisfaction_ratings"):
		id, _ := strconv.ParseInt(parts[3], 10, 64)
		if s.acct.Gone[id] || !slices.ContainsFunc(s.acct.Tickets, func(t freshdesk.APITicket) bool { return t.ID == id }) {
			writeJSON(w, http.StatusNotFound, map[string]any{})
			return
		}
		if parts[4] == "conversations" {
			page(s, w, r, s.acct.Conversations[id])
		} else {
			page(s, w, r, s.acct.Ratings[id])
		}
	case r.URL.Path == "/api/v2/agents":
		var agents []map[string]any
		for _, a := range s.acct.Agents {
			agents = append(agents, map[string]any{"id": a.ID, "available": true, "contact": map[string]any{"name": a.Name, "email": a.Email}})
		}
		page(s, w, r, agents)
	case r.URL.Path == "/api/v2/groups":
		var groups []map[string]any
		for id, name := range s.acct.Groups {
			groups = append(groups, map[string]any{"id": id, "name": name})
		}
		slices.SortFunc(groups, func(a, b map[string]any) int { return int(a["id"].(int64) - b["id"].(int64)) })
		page(s, w, r, groups)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"code": "invalid_path"})
	}
}

func (s *Server) tickets(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	since, err := time.Parse(time.RFC3339, q.Get("updated_since"))
	if err != nil || q.Get("order_by") != "updated_at" || q.Get("order_type") != "asc" || !strings.Contains(q.Get("include"), "stats") || !strings.Contains(q.Get("include"), "requester") {
		writeJSON(w, http.StatusBadRequest, map[string]any{"description": "Validation failed", "errors": []any{map[string]any{"field": "updated_since, order_by, order_type, include", "code": "invalid_value"}}})
		return
	}
	if p, _ := strconv.Atoi(q.Get("page")); p > 300 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"description": "Validation failed", "errors": []any{map[string]any{"field": "page", "message": "It should be a Positive Integer less than or equal to 300", "code": "invalid_value"}}})
		return
	}
	var list []freshdesk.APITicket
	for _, t := range s.acct.Tickets {
		if !t.UpdatedAt.Before(since) && !t.Deleted {
			list = append(list, t)
		}
	}
	slices.SortStableFunc(list, func(a, b freshdesk.APITicket) int { return a.UpdatedAt.Compare(b.UpdatedAt) })
	page(s, w, r, list)
}

// page serves one page of a listing (page, per_page) with a Link header
// to the next, as Freshdesk does.
func page[T any](s *Server, w http.ResponseWriter, r *http.Request, all []T) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("page"))
	if n < 1 {
		n = 1
	}
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per < 1 || per > 100 {
		per = 30 // Freshdesk's default
	}
	per = min(per, s.PerPage)
	from := min((n-1)*per, len(all))
	to := min(from+per, len(all))
	if to < len(all) {
		q.Set("page", strconv.Itoa(n+1))
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, s.URL, r.URL.Path, q.Encode()))
	}
	out := all[from:to]
	if out == nil {
		out = []T{}
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
