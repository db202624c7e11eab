// Package zendesktest is a fake of the parts of Zendesk's REST API that
// carecoach calls, for wire tests: it checks each request the way the API
// documents it (method, path, basic auth with an API token, JSON body) and
// answers in the documented shapes, so an adapter tested against it sends
// what Zendesk expects. Which shapes are documented and which assumed:
// shared/adapters/zendesk/testdata/README.md.
package zendesktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Webhook is a webhook the fake holds, with its signing secret.
type Webhook struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Endpoint      string   `json:"endpoint"`
	HTTPMethod    string   `json:"http_method"`
	RequestFormat string   `json:"request_format"`
	Status        string   `json:"status"`
	Subscriptions []string `json:"subscriptions"`
	CreatedAt     string   `json:"created_at"`
	CreatedBy     string   `json:"created_by"`
	Secret        string   `json:"-"`
}

// WebhooksAPI is a fake Zendesk account's Webhooks API: list
// (GET /api/v2/webhooks, cursor pages), create (POST), update (PUT
// /api/v2/webhooks/{id}), delete (DELETE) and the signing secret
// (GET /api/v2/webhooks/{id}/signing_secret).
type WebhooksAPI struct {
	URL string
	// Email and Token are the credentials it accepts ("<Email>/token").
	Email, Token string
	// PageSize caps a list page (Zendesk's own cap is 100); small values
	// make tests page.
	PageSize int

	mu       sync.Mutex
	webhooks []Webhook
	next     int
	calls    []string
}

// NewWebhooksAPI starts a fake, closed when the test ends.
func NewWebhooksAPI(tb testing.TB, email, token string) *WebhooksAPI {
	f := &WebhooksAPI{Email: email, Token: token, PageSize: 100, next: 1}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/webhooks", f.list)
	mux.HandleFunc("POST /api/v2/webhooks", f.create)
	mux.HandleFunc("PUT /api/v2/webhooks/{id}", f.update)
	mux.HandleFunc("DELETE /api/v2/webhooks/{id}", f.delete)
	mux.HandleFunc("GET /api/v2/webhooks/{id}/signing_secret", f.secret)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "InvalidEndpoint", r.Method+" "+r.URL.Path+" is not an endpoint of this fake")
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls = append(f.calls, r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		if user, pass, ok := r.BasicAuth(); !ok || user != f.Email+"/token" || pass != f.Token {
			w.Header().Set("WWW-Authenticate", `Basic realm="Web Password"`)
			apiError(w, http.StatusUnauthorized, "Couldn't authenticate you", "")
			return
		}
		mux.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Add puts a webhook in the account, as an admin would by hand; it returns
// its id.
func (f *WebhooksAPI) Add(w Webhook) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.add(w).ID
}

func (f *WebhooksAPI) add(w Webhook) Webhook {
	w.ID = fmt.Sprintf("01HZK%020d", f.next)
	w.Secret = fmt.Sprintf("signing-secret-%d-of-the-fake", f.next)
	w.CreatedAt = "2026-12-01T09:00:00Z"
	w.CreatedBy = "1900000000001"
	f.next++
	f.webhooks = append(f.webhooks, w)
	return w
}

// Webhooks lists the webhooks the account has.
func (f *WebhooksAPI) Webhooks() []Webhook {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.webhooks)
}

// Calls lists "METHOD /path" of every request, in order.
func (f *WebhooksAPI) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// apiError answers in Zendesk's error shape.
func apiError(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"code": strings.ReplaceAll(http.StatusText(status), " ", ""), "title": title, "detail": detail}}})
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *WebhooksAPI) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, err := strconv.Atoi(q.Get("page[size]"))
	if q.Has("page[size]") && (err != nil || size < 1 || size > 100) {
		apiError(w, http.StatusBadRequest, "Invalid page size", "page[size] must be 1 to 100")
		return
	}
	if size == 0 || size > f.PageSize {
		size = f.PageSize
	}
	f.mu.Lock()
	var matching []Webhook
	for _, h := range f.webhooks {
		if c := q.Get("filter[name_contains]"); c == "" || strings.Contains(h.Name, c) {
			matching = append(matching, h)
		}
	}
	f.mu.Unlock()
	start := 0
	if after := q.Get("page[after]"); after != "" {
		start = slices.IndexFunc(matching, func(h Webhook) bool { return h.ID == after }) + 1
		if start == 0 {
			apiError(w, http.StatusBadRequest, "Invalid cursor", after)
			return
		}
	}
	end := min(start+size, len(matching))
	page := matching[start:end]
	more := end < len(matching)
	links := map[string]any{"next": nil, "prev": nil}
	meta := map[string]any{"has_more": more, "after_cursor": nil, "before_cursor": nil}
	if more {
		last := page[len(page)-1].ID
		meta["after_cursor"] = last
		next := url.Values{"page[size]": {strconv.Itoa(size)}, "page[after]": {last}}
		links["next"] = "http://" + r.Host + "/api/v2/webhooks?" + next.Encode()
	}
	answer(w, http.StatusOK, map[string]any{"webhooks": nonNil(page), "meta": meta, "links": links})
}

func nonNil(ws []Webhook) []Webhook {
	if ws == nil {
		return []Webhook{}
	}
	return ws
}

// readWebhook reads and checks a create or update body: an
// event-subscribed webhook must be POST and JSON, and name ticket event
// types.
func readWebhook(w http.ResponseWriter, r *http.Request) (Webhook, bool) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		apiError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json", r.Header.Get("Content-Type"))
		return Webhook{}, false
	}
	var body struct{ Webhook *Webhook }
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil || body.Webhook == nil {
		apiError(w, http.StatusBadRequest, "Invalid body", fmt.Sprintf("want {\"webhook\": {...}}: %v", err))
		return Webhook{}, false
	}
	h := *body.Webhook
	var problems []string
	if h.Name == "" {
		problems = append(problems, "name is required")
	}
	if u, err := url.Parse(h.Endpoint); err != nil || u.Scheme != "https" || u.Host == "" {
		problems = append(problems, "endpoint must be an https URL")
	}
	if h.HTTPMethod != "POST" || h.RequestFormat != "json" {
		problems = append(problems, "webhooks subscribed to events must use http_method POST and request_format json")
	}
	if h.Status != "active" && h.Status != "inactive" {
		problems = append(problems, "status must be active or inactive")
	}
	if len(h.Subscriptions) == 0 {
		problems = append(problems, "subscriptions is required")
	}
	for _, s := range h.Subscriptions {
		if !strings.HasPrefix(s, "zen:event-type:ticket.") {
			problems = append(problems, "subscription "+s+" is not a ticket event type")
		}
	}
	if len(problems) > 0 {
		apiError(w, http.StatusBadRequest, "Invalid webhook", strings.Join(problems, "; "))
		return Webhook{}, false
	}
	return h, true
}

func (f *WebhooksAPI) create(w http.ResponseWriter, r *http.Request) {
	h, ok := readWebhook(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	h = f.add(h)
	f.mu.Unlock()
	answer(w, http.StatusCreated, map[string]any{"webhook": h})
}

func (f *WebhooksAPI) find(id string) int {
	return slices.IndexFunc(f.webhooks, func(h Webhook) bool { return h.ID == id })
}

func (f *WebhooksAPI) update(w http.ResponseWriter, r *http.Request) {
	h, ok := readWebhook(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(r.PathValue("id"))
	if i < 0 {
		apiError(w, http.StatusNotFound, "Webhook not found", r.PathValue("id"))
		return
	}
	old := f.webhooks[i]
	h.ID, h.Secret, h.CreatedAt, h.CreatedBy = old.ID, old.Secret, old.CreatedAt, old.CreatedBy
	f.webhooks[i] = h
	w.WriteHeader(http.StatusNoContent)
}

func (f *WebhooksAPI) delete(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(r.PathValue("id"))
	if i < 0 {
		apiError(w, http.StatusNotFound, "Webhook not found", r.PathValue("id"))
		return
	}
	f.webhooks = slices.Delete(f.webhooks, i, i+1)
	w.WriteHeader(http.StatusNoContent)
}

func (f *WebhooksAPI) secret(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	i := f.find(r.PathValue("id"))
	var secret string
	if i >= 0 {
		secret = f.webhooks[i].Secret
	}
	f.mu.Unlock()
	if i < 0 {
		apiError(w, http.StatusNotFound, "Webhook not found", r.PathValue("id"))
		return
	}
	answer(w, http.StatusOK, map[string]any{"signing_secret": map[string]string{"algorithm": "sha256", "secret": secret}})
}
