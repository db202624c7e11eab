package helpdeskapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
)

func client(srv *httptest.Server, waits *[]time.Duration) *helpdeskapi.Client {
	return &helpdeskapi.Client{BaseURL: srv.URL, User: "lead@acme.example/token", Password: []byte("tok-123"), HTTP: srv.Client(),
		Sleep: func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }}
}

func TestARequestCarriesBasicAuthJSONAndTheQuery(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		var in map[string]string
		_ = json.NewDecoder(r.Body).Decode(&in)
		if !ok || user != "lead@acme.example/token" || pass != "tok-123" || r.Method != http.MethodPost ||
			r.URL.Path != "/api/v2/webhooks" || r.URL.Query().Get("x") != "1" || r.Header.Get("Content-Type") != "application/json" || in["name"] != "carecoach" {
			http.Error(w, "bad request "+r.URL.String(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"webhook":{"id":"01H"}}`))
	}))
	defer srv.Close()
	var waits []time.Duration
	var out struct{ Webhook struct{ ID string } }
	if _, err := client(srv, &waits).Do(context.Background(), http.MethodPost, "/api/v2/webhooks", url.Values{"x": {"1"}}, map[string]string{"name": "carecoach"}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Webhook.ID != "01H" {
		t.Errorf("decoded %+v", out)
	}
}

func TestARateLimitIsWaitedOutAsTheAPIAsks(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	var waits []time.Duration
	if _, err := client(srv, &waits).Do(context.Background(), http.MethodGet, "/api/v2/x", nil, nil, &struct{}{}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 || len(waits) != 2 || waits[0] != 7*time.Second {
		t.Errorf("%d calls, waits %v; want 3 calls after two 7 s waits", calls.Load(), waits)
	}
}

func TestAWaitLongerThanTheLimitIsHandedBackToTheCaller(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	var waits []time.Duration
	_, err := client(srv, &waits).Do(context.Background(), http.MethodGet, "/api/v2/x", nil, nil, nil)
	wait, limited := helpdeskapi.RateLimited(err)
	if !limited || wait != time.Hour || len(waits) != 0 {
		t.Errorf("err %v (wait %v, limited %v), waits %v", err, wait, limited, waits)
	}
}

func TestAFailureNamesTheCallAndTheAnswerButNotTheCredentials(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"Couldn't authenticate you"}`, http.StatusUnauthorized)
	}))
	defer srv.Close()
	var waits []time.Duration
	_, err := client(srv, &waits).Do(context.Background(), http.MethodGet, "/api/v2/webhooks", nil, nil, nil)
	if helpdeskapi.StatusOf(err) != http.StatusUnauthorized || !strings.Contains(err.Error(), "GET /api/v2/webhooks: 401") ||
		!strings.Contains(err.Error(), "Couldn't authenticate") || strings.Contains(err.Error(), "tok-123") {
		t.Errorf("err %v", err)
	}
}

func TestCredentialsAreNeverSentToAnotherHost(t *testing.T) {
	var hit atomic.Bool
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit.Store(true) }))
	defer other.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	var waits []time.Duration
	_, err := client(srv, &waits).Do(context.Background(), http.MethodGet, other.URL+"/api/v2/tickets?page=2", nil, nil, nil)
	if err == nil || hit.Load() {
		t.Errorf("err %v, other host called %v", err, hit.Load())
	}
}

func TestNextLinkReadsRelNextFromALinkHeader(t *testing.T) {
	for _, tc := range []struct{ name, header, want string }{
		{"Freshdesk's form", `<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=100>; rel="next"`, "https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=100"},
		{"among other relations", `<https://a.example/p1>; rel="prev", <https://a.example/p3>; rel=next`, "https://a.example/p3"},
		{"no next", `<https://a.example/p1>; rel="prev"`, ""},
		{"none", ``, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.header != "" {
				h.Set("Link", tc.header)
			}
			if got := helpdeskapi.NextLink(h); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
