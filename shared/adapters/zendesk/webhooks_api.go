package zendesk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/core/care"
)

// Subscriptions are the event types carecoach's event webhook subscribes
// to: exactly the ticket events the normalizer reads (eventKinds), so a new
// kind there is subscribed by the next `infra/admin connect`.
func Subscriptions() []string {
	out := make([]string, 0, len(eventKinds))
	for kind := range eventKinds {
		out = append(out, "zen:event-type:ticket."+kind)
	}
	sort.Strings(out)
	return out
}

// Webhook is a Zendesk webhook as carecoach manages it.
type Webhook struct {
	ID            string
	Name          string
	Endpoint      string
	Status        string // "active" or "inactive"
	Subscriptions []string
}

// WebhooksAPI manages webhooks through Zendesk's Webhooks API
// (/api/v2/webhooks). Shapes and their sources: testdata/README.md.
type WebhooksAPI struct{ Client *helpdeskapi.Client }

// wireWebhook is the API's webhook object.
type wireWebhook struct {
	ID            string   `json:"id,omitempty"`
	Name          string   `json:"name"`
	Endpoint      string   `json:"endpoint"`
	HTTPMethod    string   `json:"http_method"`
	RequestFormat string   `json:"request_format"`
	Status        string   `json:"status"`
	Subscriptions []string `json:"subscriptions"`
}

func (w wireWebhook) domain() Webhook {
	return Webhook{ID: w.ID, Name: w.Name, Endpoint: w.Endpoint, Status: w.Status, Subscriptions: w.Subscriptions}
}

// eventWebhook is the body of an event-subscribed webhook: Zendesk requires
// POST and JSON for those, and carecoach verifies the signature instead of
// asking for authentication.
func eventWebhook(w Webhook) wireWebhook {
	return wireWebhook{Name: w.Name, Endpoint: w.Endpoint, HTTPMethod: http.MethodPost, RequestFormat: "json", Status: "active", Subscriptions: w.Subscriptions}
}

// pageSize is the largest page the Webhooks API serves.
const pageSize = "100"

// List returns every webhook of the account, following the cursor pages.
func (a WebhooksAPI) List(ctx context.Context) ([]Webhook, error) {
	var out []Webhook
	target, query := "/api/v2/webhooks", url.Values{"page[size]": {pageSize}}
	for pages := 0; target != ""; pages++ {
		if pages >= 100 {
			return nil, fmt.Errorf("list Zendesk webhooks: more than 100 pages; stopped")
		}
		var page struct {
			Webhooks []wireWebhook `json:"webhooks"`
			Meta     struct {
				HasMore bool `json:"has_more"`
			} `json:"meta"`
			Links struct {
				Next string `json:"next"`
			} `json:"links"`
		}
		if _, err := a.Client.Do(ctx, http.MethodGet, target, query, nil, &page); err != nil {
			return nil, fmt.Errorf("list Zendesk webhooks: %w", err)
		}
		for _, w := range page.Webhooks {
			out = append(out, w.domain())
		}
		target, query = "", nil
		if page.Meta.HasMore && page.Links.Next != "" {
			target = page.Links.Next
		}
	}
	return out, nil
}

// Find is the webhook named name or, failing that, the one sending to
// endpoint (made by hand, following the manual steps): found is false when
// there is neither.
func (a WebhooksAPI) Find(ctx context.Context, name, endpoint string) (w Webhook, found bool, err error) {
	all, err := a.List(ctx)
	if err != nil {
		return Webhook{}, false, err
	}
	if i := slices.IndexFunc(all, func(w Webhook) bool { return w.Name == name }); i >= 0 {
		return all[i], true, nil
	}
	if i := slices.IndexFunc(all, func(w Webhook) bool { return endpoint != "" && w.Endpoint == endpoint }); i >= 0 {
		return all[i], true, nil
	}
	return Webhook{}, false, nil
}

// Ensured says what Ensure did.
type Ensured string

// What Ensure can do.
const (
	Created   Ensured = "created"
	Updated   Ensured = "updated"
	Unchanged Ensured = "unchanged"
)

// Ensure makes the account have exactly one carecoach event webhook named
// want.Name, sending to want.Endpoint with want.Subscriptions, active: it
// reuses the one it finds (by name, or by endpoint), updating it if it
// differs, and creates one otherwise. Running it twice changes nothing.
func (a WebhooksAPI) Ensure(ctx context.Context, want Webhook) (Webhook, Ensured, error) {
	got, found, err := a.Find(ctx, want.Name, want.Endpoint)
	if err != nil {
		return Webhook{}, "", err
	}
	if !found {
		var created struct {
			Webhook wireWebhook `json:"webhook"`
		}
		if _, err := a.Client.Do(ctx, http.MethodPost, "/api/v2/webhooks", nil, map[string]any{"webhook": eventWebhook(want)}, &created); err != nil {
			return Webhook{}, "", fmt.Errorf("create Zendesk webhook %q: %w", want.Name, err)
		}
		if created.Webhook.ID == "" {
			return Webhook{}, "", fmt.Errorf("create Zendesk webhook %q: the answer has no webhook id", want.Name)
		}
		return created.Webhook.domain(), Created, nil
	}
	if slices.Contains(got.Subscriptions, triggerConnected) {
		return Webhook{}, "", fmt.Errorf("webhook %q (%s) in Zendesk already sends to %s from triggers: %w", got.Name, got.ID, got.Endpoint, ErrTriggerConnected)
	}
	want.ID = got.ID
	if got.Name == want.Name && got.Endpoint == want.Endpoint && got.Status == "active" && sameSet(got.Subscriptions, want.Subscriptions) {
		return got, Unchanged, nil
	}
	if _, err := a.Client.Do(ctx, http.MethodPut, "/api/v2/webhooks/"+url.PathEscape(got.ID), nil, map[string]any{"webhook": eventWebhook(want)}, nil); err != nil {
		return Webhook{}, "", fmt.Errorf("update Zendesk webhook %s: %w", got.ID, err)
	}
	want.Status = "active"
	return want, Updated, nil
}

// SigningSecret reads the secret Zendesk signs the webhook's requests with.
func (a WebhooksAPI) SigningSecret(ctx context.Context, id string) (care.Secret, error) {
	var out struct {
		SigningSecret struct {
			Algorithm string `json:"algorithm"`
			Secret    string `json:"secret"`
		} `json:"signing_secret"`
	}
	if _, err := a.Client.Do(ctx, http.MethodGet, "/api/v2/webhooks/"+url.PathEscape(id)+"/signing_secret", nil, nil, &out); err != nil {
		return nil, fmt.Errorf("read the signing secret of Zendesk webhook %s: %w", id, err)
	}
	if out.SigningSecret.Secret == "" {
		return nil, fmt.Errorf("read the signing secret of Zendesk webhook %s: the answer has no secret", id)
	}
	if alg := out.SigningSecret.Algorithm; alg != "" && !strings.EqualFold(alg, "sha256") {
		return nil, fmt.Errorf("read the signing secret of Zendesk webhook %s: it signs with %q; carecoach verifies HMAC-SHA256 only", id, alg)
	}
	return care.Secret(out.SigningSecret.Secret), nil
}

// triggerConnected is the one subscription of a webhook that triggers and
// automations send to, with a body an admin wrote.
const triggerConnected = "conditional_ticket_events"

// ErrTriggerConnected is a webhook to the same endpoint that triggers use
// (the manual trigger-connected setup). It is not turned into an event
// webhook: its triggers would break, and the two kinds of body arriving
// together would record each change twice.
var ErrTriggerConnected = errors.New("it is connected to triggers (the manual setup); delete it and its triggers first, or keep the manual setup")

// ErrGone is a webhook that is not there (any more).
var ErrGone = errors.New("no such webhook")

// Delete removes a webhook; one that is already gone is ErrGone.
func (a WebhooksAPI) Delete(ctx context.Context, id string) error {
	_, err := a.Client.Do(ctx, http.MethodDelete, "/api/v2/webhooks/"+url.PathEscape(id), nil, nil, nil)
	if helpdeskapi.StatusOf(err) == http.StatusNotFound {
		return fmt.Errorf("delete Zendesk webhook %s: %w", id, ErrGone)
	}
	if err != nil {
		return fmt.Errorf("delete Zendesk webhook %s: %w", id, err)
	}
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
