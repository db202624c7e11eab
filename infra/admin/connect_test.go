package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/lambdatest"
	"github.com/carecoach/carecoach/shared/dev/zendesktest"
)

const (
	agent      = "lead@acme-support.example"
	token      = "zd-api-token-never-printed"
	tokenParam = "/carecoach/prod/helpdesk-tokens/acme-zendesk"
	stackURL   = "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/zendesk/<connection>"
	hookURL    = "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/zendesk/acme-zendesk"
)

// connectWorld is a deployed stack's table on DynamoDB Local, a fake SSM
// holding the Zendesk API token, a fake Zendesk account and a copy of the
// demo team file.
type connectWorld struct {
	table, teamFile string
	ssm             *lambdatest.SSM
	zd              *zendesktest.WebhooksAPI
	store           *dynamo.Store
}

func newConnectWorld(t *testing.T) *connectWorld {
	t.Helper()
	_, table, _ := world(t)
	w := &connectWorld{table: table, ssm: lambdatest.NewSSM(t), zd: zendesktest.NewWebhooksAPI(t, agent, token)}
	t.Setenv("AWS_ENDPOINT_URL_SSM", w.ssm.URL)
	w.ssm.Put(tokenParam, token)
	data, err := os.ReadFile("../dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w.teamFile = filepath.Join(t.TempDir(), "team.yaml")
	if err := os.WriteFile(w.teamFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	w.store = dynamo.New(dynamo.NewClient(dynamotest.LocalConfig(), stack.DynamoEndpoint), table, time.Now)
	return w
}

// aws is the flags every connect and disconnect on this world takes.
func (w *connectWorld) aws(kind string, extra ...string) []string {
	return append([]string{kind, "-team-file", w.teamFile, "-table", w.table, "-endpoint", stack.DynamoEndpoint, "-stage", "prod"}, extra...)
}

func (w *connectWorld) connectZendesk(t *testing.T) string {
	t.Helper()
	out, err := admin(t, append([]string{"connect"}, w.aws("zendesk", "-subdomain", "acme", "-email", agent, "-token-param", tokenParam,
		"-webhook-url", stackURL, "-api-url", w.zd.URL)...)...)
	if err != nil {
		t.Fatalf("connect zendesk: %v\n%s", err, out)
	}
	return out
}

func (w *connectWorld) teamConnection(t *testing.T, id string) (care.Connection, bool) {
	t.Helper()
	team, err := teamconfig.Load(w.teamFile)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(team.Connections, func(c care.Connection) bool { return c.ID == id })
	if i < 0 {
		return care.Connection{}, false
	}
	return team.Connections[i], true
}

func TestConnectZendeskMakesTheWebhookStoresItsSecretAndRegistersTheConnection(t *testing.T) {
	w := newConnectWorld(t)
	out := w.connectZendesk(t)

	hooks := w.zd.Webhooks()
	if len(hooks) != 1 {
		t.Fatalf("%d webhooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.Name != "carecoach acme-zendesk" || h.Endpoint != hookURL || h.Status != "active" || !slices.Equal(h.Subscriptions, zendesk.Subscriptions()) {
		t.Errorf("webhook %+v", h)
	}
	secret, typ, ok := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-zendesk")
	if !ok || secret != h.Secret || typ != "SecureString" {
		t.Errorf("SSM holds %q as %q (%v), want the webhook's signing secret as a SecureString", secret, typ, ok)
	}
	// What Zendesk signs with that secret, ingest accepts with the stored one.
	ts, body := "2026-12-01T09:00:00Z", []byte(`{"type":"zen:event-type:ticket.created"}`)
	hdr := http.Header{"X-Zendesk-Webhook-Signature": {zendesk.Sign([]byte(h.Secret), ts, body)}, "X-Zendesk-Webhook-Signature-Timestamp": {ts}}
	if err := (zendesk.Helpdesk{}).Authenticate(care.Secret(secret), hdr, body, time.Date(2026, 12, 1, 9, 0, 1, 0, time.UTC)); err != nil {
		t.Errorf("a delivery signed by the webhook is refused with the stored secret: %v", err)
	}
	c, ok := w.teamConnection(t, "acme-zendesk")
	if !ok || c.API == nil || c.API.Email != agent || c.API.TokenParam != tokenParam || c.BaseURL != "https://acme.zendesk.com" {
		t.Errorf("team file connection %+v (%v)", c, ok)
	}
	stored, err := w.store.Connection(context.Background(), "acme-zendesk")
	if err != nil || stored.API == nil || stored.API.TokenParam != tokenParam || stored.Team != "support" {
		t.Errorf("stored connection %+v: %v", stored, err)
	}
	if strings.Contains(out, token) || strings.Contains(out, h.Secret) {
		t.Errorf("the output shows the token or the signing secret:\n%s", out)
	}
	if !strings.Contains(out, "created") || !strings.Contains(out, "/carecoach/prod/webhook-secrets/acme-zendesk") {
		t.Errorf("output:\n%s", out)
	}

	t.Run("connecting again makes no second webhook and leaves the file as it is", func(t *testing.T) {
		before, _ := os.ReadFile(w.teamFile)
		out := w.connectZendesk(t)
		after, _ := os.ReadFile(w.teamFile)
		if n := len(w.zd.Webhooks()); n != 1 || !strings.Contains(out, "unchanged") {
			t.Errorf("%d webhooks after a second connect, want 1:\n%s", n, out)
		}
		if string(before) != string(after) {
			t.Errorf("the second connect changed the team file:\n%s", after)
		}
		if v, _, _ := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-zendesk"); v != h.Secret {
			t.Errorf("secret %q after the second connect", v)
		}
	})
}

func TestConnectZendeskStopsBeforeChangingAnythingWhenTheTokenIsMissing(t *testing.T) {
	w := newConnectWorld(t)
	before, _ := os.ReadFile(w.teamFile)
	_, err := admin(t, append([]string{"connect"}, w.aws("zendesk", "-subdomain", "acme", "-email", agent, "-token-param", "/carecoach/prod/helpdesk-tokens/nope",
		"-webhook-url", stackURL, "-api-url", w.zd.URL)...)...)
	if err == nil || !strings.Contains(err.Error(), "-token-param /carecoach/prod/helpdesk-tokens/nope: no such SSM parameter") {
		t.Errorf("err %v, want one naming the missing parameter", err)
	}
	after, _ := os.ReadFile(w.teamFile)
	if len(w.zd.Calls()) != 0 || string(before) != string(after) {
		t.Errorf("calls %v, file changed %v: want nothing done", w.zd.Calls(), string(before) != string(after))
	}
	if _, _, ok := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-zendesk"); ok {
		t.Error("a webhook secret was stored")
	}
}

func TestDisconnectZendeskUndoesConnect(t *testing.T) {
	w := newConnectWorld(t)
	w.connectZendesk(t)
	// The team file knows the account, the agent and the token parameter.
	out, err := admin(t, append([]string{"disconnect"}, w.aws("zendesk", "-connection", "acme-zendesk", "-api-url", w.zd.URL)...)...)
	if err != nil {
		t.Fatalf("disconnect: %v\n%s", err, out)
	}
	if hooks := w.zd.Webhooks(); len(hooks) != 0 {
		t.Errorf("webhooks left: %+v", hooks)
	}
	if _, _, ok := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-zendesk"); ok {
		t.Error("the webhook secret is still in SSM")
	}
	if _, _, ok := w.ssm.Param(tokenParam); !ok {
		t.Error("the API token was deleted; it is the admin's, not connect's")
	}
	if _, ok := w.teamConnection(t, "acme-zendesk"); ok {
		t.Error("the team file still lists acme-zendesk")
	}
	ctx := context.Background()
	if _, err := w.store.Connection(ctx, "acme-zendesk"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("stored connection after disconnect: %v, want not found", err)
	}
	if _, err := w.store.MemberByHelpdeskID(ctx, "acme-zendesk", "1001"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("member by the disconnected id: %v, want not found", err)
	}
	if m, err := w.store.MemberByEmail(ctx, "ana.silva@acme-support.example"); err != nil || len(m.HelpdeskIDs) != 0 {
		t.Errorf("the member stays, without the id: %+v %v", m, err)
	}

	t.Run("disconnecting again finds everything gone and says so", func(t *testing.T) {
		out, err := admin(t, append([]string{"disconnect"}, w.aws("zendesk", "-subdomain", "acme", "-email", agent, "-token-param", tokenParam, "-api-url", w.zd.URL)...)...)
		if err != nil {
			t.Fatalf("second disconnect: %v\n%s", err, out)
		}
		for _, want := range []string{"no Zendesk webhook", "already gone", "was not in"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestDisconnectToleratesAWebhookDeletedByHand(t *testing.T) {
	w := newConnectWorld(t)
	w.connectZendesk(t)
	api := w.zd.Webhooks()[0] // deleted by hand: the secret and the registration stay
	req, _ := http.NewRequest(http.MethodDelete, w.zd.URL+"/api/v2/webhooks/"+api.ID, nil)
	req.SetBasicAuth(agent+"/token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("deleting by hand: %v %v", err, resp)
	}
	out, err := admin(t, append([]string{"disconnect"}, w.aws("zendesk", "-connection", "acme-zendesk", "-api-url", w.zd.URL)...)...)
	if err != nil || !strings.Contains(out, "no Zendesk webhook") || !strings.Contains(out, "webhook secret /carecoach/prod/webhook-secrets/acme-zendesk deleted") {
		t.Errorf("disconnect: %v\n%s", err, out)
	}
}

func TestConnectFreshdeskPrintsTheRulesWithTheURLAndTheSecret(t *testing.T) {
	w := newConnectWorld(t)
	w.ssm.Put("/carecoach/prod/helpdesk-tokens/acme-freshdesk", "fd-api-key")
	args := append([]string{"connect"}, w.aws("freshdesk", "-subdomain", "acme", "-token-param", "/carecoach/prod/helpdesk-tokens/acme-freshdesk",
		"-webhook-url", "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/freshdesk/<connection>")...)
	out, err := admin(t, args...)
	if err != nil {
		t.Fatalf("connect freshdesk: %v\n%s", err, out)
	}
	secret, typ, ok := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-freshdesk")
	if !ok || len(secret) != 64 || typ != "SecureString" {
		t.Fatalf("secret %q as %q (%v), want 32 random bytes in hex as a SecureString", secret, typ, ok)
	}
	for _, want := range []string{
		"URL:                 https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/freshdesk/acme-freshdesk",
		"X-Carecoach-Secret: " + secret,
		`"event": "ticket_created"`, `"event": "feedback_received"`, `"carecoach: private note", tab Ticket Updates, performer Agent, event Note is added`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, `"carecoach": "freshdesk/v1"`); n != 10 {
		t.Errorf("%d rule bodies printed, want 10", n)
	}
	if strings.Contains(out, "fd-api-key") {
		t.Error("the output shows the API key")
	}
	c, ok := w.teamConnection(t, "acme-freshdesk")
	if !ok || c.API == nil || c.API.TokenParam != "/carecoach/prod/helpdesk-tokens/acme-freshdesk" {
		t.Errorf("team file connection %+v", c)
	}

	t.Run("connecting again keeps the secret, so rules already pasted keep working", func(t *testing.T) {
		out, err := admin(t, args...)
		if v, _, _ := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-freshdesk"); err != nil || v != secret || !strings.Contains(out, "X-Carecoach-Secret: "+secret) {
			t.Errorf("second connect: %v, secret %q, want %q", err, v, secret)
		}
	})
	t.Run("disconnect removes the secret and the registration and names the rules to delete", func(t *testing.T) {
		out, err := admin(t, append([]string{"disconnect"}, w.aws("freshdesk", "-connection", "acme-freshdesk")...)...)
		if err != nil || !strings.Contains(out, `start with "carecoach:"`) {
			t.Fatalf("disconnect: %v\n%s", err, out)
		}
		if _, _, ok := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-freshdesk"); ok {
			t.Error("the secret is still in SSM")
		}
		if _, ok := w.teamConnection(t, "acme-freshdesk"); ok {
			t.Error("the team file still lists acme-freshdesk")
		}
		if _, err := w.store.Connection(context.Background(), "acme-freshdesk"); care.ErrorCode(err) != care.ENotFound {
			t.Errorf("stored connection: %v, want not found", err)
		}
	})
}

func TestBadConnectFlagsAreNamedBeforeAnythingIsCalled(t *testing.T) {
	w := newConnectWorld(t)
	good := map[string]string{"-subdomain": "acme", "-email": agent, "-token-param": tokenParam, "-webhook-url": stackURL, "-api-url": w.zd.URL}
	with := func(kind string, changes ...string) []string {
		flags := map[string]string{}
		for k, v := range good {
			flags[k] = v
		}
		for i := 0; i+1 < len(changes); i += 2 {
			if changes[i+1] == "" {
				delete(flags, changes[i])
			} else {
				flags[changes[i]] = changes[i+1]
			}
		}
		args := append([]string{"connect"}, w.aws(kind)...)
		for k, v := range flags {
			args = append(args, k, v)
		}
		return args
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a help desk carecoach does not know is named", []string{"connect", "intercom"}, `"intercom" is not a help desk`},
		{"a missing help desk is asked for", []string{"connect", "-subdomain", "acme"}, "say which help desk"},
		{"a webhook URL of another connection is refused", with("zendesk", "-webhook-url", "https://abc.example/webhooks/zendesk/other"), "-webhook-url: "},
		{"a webhook URL over http is refused", with("zendesk", "-webhook-url", "http://abc.example/webhooks/zendesk/<connection>"), "is not an https URL"},
		{"a Freshdesk URL for a Zendesk connection is refused", with("zendesk", "-webhook-url", "https://abc.example/webhooks/freshdesk/<connection>"), "must end in /webhooks/zendesk/acme-zendesk"},
		{"a token on the command line is refused", with("zendesk", "-token-param", "zd-api-token-never-printed"), "-token-param: "},
		{"a Zendesk connection needs the agent's email", with("zendesk", "-email", ""), "-email: required"},
		{"a full host name is not a subdomain", with("zendesk", "-subdomain", "acme.zendesk.com"), "-subdomain: "},
		{"an API URL over http to another machine is refused", with("zendesk", "-api-url", "http://api.example"), "-api-url: "},
		{"a stage is required", []string{"connect", "zendesk", "-team-file", w.teamFile, "-table", w.table, "-subdomain", "acme", "-email", agent, "-token-param", tokenParam, "-webhook-url", stackURL}, "-stage: "},
		{"the team file is required", []string{"connect", "zendesk", "-table", w.table, "-stage", "prod", "-subdomain", "acme", "-email", agent, "-token-param", tokenParam, "-webhook-url", stackURL}, "-team-file: required"},
		{"a connection id of another kind in the team file is refused", with("zendesk", "-connection", "acme-freshdesk"), "is a freshdesk connection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := admin(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want one containing %q", err, tc.want)
			}
		})
	}
	if calls := w.zd.Calls(); len(calls) != 0 {
		t.Errorf("Zendesk was called: %v", calls)
	}
	if _, _, ok := w.ssm.Param("/carecoach/prod/webhook-secrets/acme-zendesk"); ok {
		t.Error("a secret was stored")
	}
}
