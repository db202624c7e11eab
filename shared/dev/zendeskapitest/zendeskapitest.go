// Package zendeskapitest is a fake Zendesk API for tests: it serves the
// incremental ticket event export and the users lookup the way Zendesk
// documents them, and fails a test's request that Zendesk would refuse
// (wrong path, missing start_time or include, wrong credentials).
package zendeskapitest

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
)

// Server is a fake Zendesk account.
type Server struct {
	*httptest.Server
	// Email and Token are the credentials it accepts ("<email>/token").
	Email, Token string
	// PageSize is how many events a page holds (Zendesk: 1,000).
	PageSize int

	mu     sync.Mutex
	events []Event
	roles  map[string]string
	// Names are the users' names.
	Names map[string]string
	// limited answers this many export requests with 429 + Retry-After.
	limited    int
	retryAfter int
	requests   []string
}

// Event is one ticket update in the export's shape; Timestamp orders it.
type Event map[string]any

// Timestamp is the event's Unix time.
func (e Event) Timestamp() int64 {
	switch v := e["timestamp"].(type) {
	case int64:
		return v
	case int:
		return int64(v)
	case float64:
		return int64(v)
	}
	return 0
}

// New starts a fake account serving events (any order) and users
// (id → role: "end-user", "agent" or "admin"; a user is named
// Names[id], else "User <id>").
func New(t testing.TB, events []Event, roles map[string]string) *Server {
	t.Helper()
	s := &Server{Email: "api@acme.example", Token: "tok-123", PageSize: 1000, roles: roles}
	s.events = slices.Clone(events)
	slices.SortStableFunc(s.events, func(a, b Event) int { return int(a.Timestamp() - b.Timestamp()) })
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// RateLimit makes the next n export requests answer 429 with Retry-After.
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
	if !ok || user != s.Email+"/token" || pass != s.Token {
		// Zendesk answers bad credentials with 401 and a JSON error.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"Couldn't authenticate you"}`))
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/v2/incremental/ticket_events.json":
		s.export(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/api/v2/users/show_many.json":
		s.users(w, r)
	default:
		http.Error(w, `{"error":"InvalidEndpoint"}`, http.StatusNotFound)
	}
}

func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	if s.limited > 0 {
		s.limited--
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfter))
		http.Error(w, `{"error":"APIRateLimitExceeded"}`, http.StatusTooManyRequests)
		return
	}
	q := r.URL.Query()
	start, err := strconv.ParseInt(q.Get("start_time"), 10, 64)
	if err != nil {
		http.Error(w, `{"error":"InvalidValue","description":"start_time is required"}`, http.StatusBadRequest)
		return
	}
	if q.Get("include") != "comment_events" {
		http.Error(w, `{"error":"the fake expects include=comment_events"}`, http.StatusBadRequest)
		return
	}
	var page []Event
	for _, e := range s.events {
		if e.Timestamp() >= start {
			page = append(page, e)
		}
		if len(page) == s.PageSize {
			break
		}
	}
	endTime := start
	if len(page) > 0 {
		endTime = page[len(page)-1].Timestamp()
	}
	// Time-based: the next page starts at the last event's time, so it
	// repeats the events of that second; the stream ends with a short page.
	endOfStream := len(page) < s.PageSize
	body := map[string]any{
		"ticket_events": page,
		"count":         len(page),
		"end_of_stream": endOfStream,
		"end_time":      endTime,
		"next_page":     fmt.Sprintf("%s/api/v2/incremental/ticket_events.json?start_time=%d&include=comment_events", s.URL, endTime),
	}
	if page == nil {
		body["ticket_events"] = []Event{}
	}
	writeJSON(w, body)
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	ids := strings.Split(r.URL.Query().Get("ids"), ",")
	if len(ids) > 100 {
		http.Error(w, `{"error":"too many ids"}`, http.StatusBadRequest)
		return
	}
	users := []map[string]any{}
	for _, id := range ids {
		if role, ok := s.roles[id]; ok {
			n, _ := strconv.ParseInt(id, 10, 64)
			name := s.Names[id]
			if name == "" {
				name = "User " + id
			}
			users = append(users, map[string]any{"id": n, "role": role, "name": name})
		}
	}
	writeJSON(w, map[string]any{"users": users, "count": len(users), "next_page": nil, "previous_page": nil})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
