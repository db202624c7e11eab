package zendesk_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/dev/zendesktest"
)

const (
	agentEmail = "lead@acme.example"
	apiToken   = "zd-api-token-123"
	endpoint   = "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/zendesk/acme-zendesk"
)

func webhooksAPI(t *testing.T) (*zendesktest.WebhooksAPI, zendesk.WebhooksAPI) {
	t.Helper()
	fake := zendesktest.NewWebhooksAPI(t, agentEmail, apiToken)
	return fake, zendesk.WebhooksAPI{Client: &helpdeskapi.Client{BaseURL: fake.URL, User: agentEmail + "/token", Password: []byte(apiToken)}}
}

func carecoachWebhook() zendesk.Webhook {
	return zendesk.Webhook{Name: "carecoach acme-zendesk", Endpoint: endpoint, Subscriptions: zendesk.Subscriptions()}
}

func TestTheWebhookSubscribesToEveryTicketEventTheNormalizerReads(t *testing.T) {
	subs := zendesk.Subscriptions()
	for _, want := range []string{"created", "status_changed", "comment_added", "agent_assignment_changed", "group_assignment_changed",
		"priority_changed", "tags_changed", "task_due_at_changed", "merged", "soft_deleted", "csat_received"} {
		if !slices.Contains(subs, "zen:event-type:ticket."+want) {
			t.Errorf("subscriptions %v lack ticket.%s", subs, want)
		}
	}
}

func TestEnsureCreatesOneEventWebhookThenReusesIt(t *testing.T) {
	fake, api := webhooksAPI(t)
	ctx := context.Background()
	got, did, err := api.Ensure(ctx, carecoachWebhook())
	if err != nil || did != zendesk.Created || got.ID == "" {
		t.Fatalf("first Ensure: %v %v %+v", err, did, got)
	}
	hooks := fake.Webhooks()
	if len(hooks) != 1 {
		t.Fatalf("%d webhooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.Name != "carecoach acme-zendesk" || h.Endpoint != endpoint || h.HTTPMethod != "POST" || h.RequestFormat != "json" || h.Status != "active" ||
		!slices.Equal(h.Subscriptions, zendesk.Subscriptions()) {
		t.Errorf("created %+v", h)
	}
	before := len(fake.Calls())
	again, did, err := api.Ensure(ctx, carecoachWebhook())
	if err != nil || did != zendesk.Unchanged || again.ID != got.ID || len(fake.Webhooks()) != 1 {
		t.Errorf("second Ensure: %v %v %+v; %d webhooks, want the same one", err, did, again, len(fake.Webhooks()))
	}
	if calls := fake.Calls()[before:]; !slices.Equal(calls, []string{"GET /api/v2/webhooks"}) {
		t.Errorf("calls %v: want the second Ensure only to look", calls)
	}
}

func TestEnsureRepairsAWebhookThatDrifted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		found zendesktest.Webhook
	}{
		{"a deactivated webhook is turned back on", zendesktest.Webhook{Name: "carecoach acme-zendesk", Endpoint: endpoint, Status: "inactive", Subscriptions: zendesk.Subscriptions()}},
		{"a webhook pointing at an old stack is pointed at the new one", zendesktest.Webhook{Name: "carecoach acme-zendesk", Endpoint: "https://old.example/webhooks/zendesk/acme-zendesk", Status: "active", Subscriptions: zendesk.Subscriptions()}},
		{"a webhook missing subscriptions gets them all", zendesktest.Webhook{Name: "carecoach acme-zendesk", Endpoint: endpoint, Status: "active", Subscriptions: []string{"zen:event-type:ticket.created"}}},
		{"a webhook made by hand is found by its endpoint and renamed", zendesktest.Webhook{Name: "CareCoach (manual)", Endpoint: endpoint, Status: "active", Subscriptions: zendesk.Subscriptions()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, api := webhooksAPI(t)
			tc.found.HTTPMethod, tc.found.RequestFormat = "POST", "json"
			id := fake.Add(tc.found)
			got, did, err := api.Ensure(context.Background(), carecoachWebhook())
			if err != nil || did != zendesk.Updated || got.ID != id {
				t.Fatalf("Ensure: %v %v %+v, want webhook %s updated", err, did, got, id)
			}
			hooks := fake.Webhooks()
			if len(hooks) != 1 || hooks[0].Status != "active" || hooks[0].Endpoint != endpoint || hooks[0].Name != "carecoach acme-zendesk" ||
				!slices.Equal(hooks[0].Subscriptions, zendesk.Subscriptions()) {
				t.Errorf("webhooks %+v", hooks)
			}
		})
	}
}

func TestFindFollowsTheCursorPages(t *testing.T) {
	fake, api := webhooksAPI(t)
	fake.PageSize = 2
	for _, name := range []string{"slack", "jira", "pagerduty", "crm", "carecoach acme-zendesk"} {
		fake.Add(zendesktest.Webhook{Name: name, Endpoint: "https://" + strings.ReplaceAll(name, " ", "-") + ".example/hook", Status: "active"})
	}
	got, found, err := api.Find(context.Background(), "carecoach acme-zendesk", endpoint)
	if err != nil || !found || got.Name != "carecoach acme-zendesk" {
		t.Fatalf("Find: %v %v %+v", err, found, got)
	}
	if n := strings.Count(strings.Join(fake.Calls(), "\n"), "GET /api/v2/webhooks"); n != 3 {
		t.Errorf("%d list calls for 5 webhooks in pages of 2, want 3", n)
	}
	if _, found, _ := api.Find(context.Background(), "carecoach other", "https://nowhere.example/x"); found {
		t.Error("found a webhook that is not there")
	}
}

func TestTheSigningSecretIsReadFromItsEndpoint(t *testing.T) {
	fake, api := webhooksAPI(t)
	got, _, err := api.Ensure(context.Background(), carecoachWebhook())
	if err != nil {
		t.Fatal(err)
	}
	secret, err := api.SigningSecret(context.Background(), got.ID)
	if err != nil || string(secret) != fake.Webhooks()[0].Secret {
		t.Errorf("secret %q, %v; want the webhook's", secret, err)
	}
	if _, err := api.SigningSecret(context.Background(), "01HNOSUCH"); helpdeskapi.StatusOf(err) != 404 {
		t.Errorf("secret of a missing webhook: %v, want a 404", err)
	}
}

func TestDeleteRemovesTheWebhookAndSaysWhenItIsAlreadyGone(t *testing.T) {
	fake, api := webhooksAPI(t)
	got, _, err := api.Ensure(context.Background(), carecoachWebhook())
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Delete(context.Background(), got.ID); err != nil || len(fake.Webhooks()) != 0 {
		t.Fatalf("Delete: %v; webhooks left %+v", err, fake.Webhooks())
	}
	if err := api.Delete(context.Background(), got.ID); !errors.Is(err, zendesk.ErrGone) {
		t.Errorf("deleting it again: %v, want ErrGone", err)
	}
}

func TestAWrongTokenIsRefusedWithoutShowingIt(t *testing.T) {
	fake, _ := webhooksAPI(t)
	api := zendesk.WebhooksAPI{Client: &helpdeskapi.Client{BaseURL: fake.URL, User: agentEmail + "/token", Password: []byte("wrong-token-456")}}
	_, _, err := api.Ensure(context.Background(), carecoachWebhook())
	if helpdeskapi.StatusOf(err) != 401 || strings.Contains(err.Error(), "wrong-token-456") {
		t.Errorf("err %v, want a 401 that does not show the token", err)
	}
}

func TestATriggerConnectedWebhookToTheSameEndpointIsLeftAlone(t *testing.T) {
	fake, api := webhooksAPI(t)
	fake.Add(zendesktest.Webhook{Name: "carecoach (triggers)", Endpoint: endpoint, HTTPMethod: "POST", RequestFormat: "json", Status: "active",
		Subscriptions: []string{"conditional_ticket_events"}})
	_, _, err := api.Ensure(context.Background(), carecoachWebhook())
	if !errors.Is(err, zendesk.ErrTriggerConnected) {
		t.Errorf("err %v, want ErrTriggerConnected", err)
	}
	if hooks := fake.Webhooks(); len(hooks) != 1 || hooks[0].Subscriptions[0] != "conditional_ticket_events" {
		t.Errorf("webhooks %+v, want the trigger webhook untouched and no other", hooks)
	}
}
