package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

// cachedWorld is the connection cache in front of the real store on
// DynamoDB Local, through a proxy that counts the requests.
type cachedWorld struct {
	store *dynamo.Store
	proxy *ddbproxy.Proxy
	cache *app.CachedConnections
	now   time.Time
}

func newCachedWorld(t *testing.T) *cachedWorld {
	t.Helper()
	p, err := ddbproxy.Start(stack.DynamoEndpoint, ddbproxy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	w := &cachedWorld{proxy: p, now: monday}
	w.store, _, _ = dynamotest.NewStore(t, p.URL(), func() time.Time { return w.now })
	team, err := teamconfig.Load("../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	w.cache = &app.CachedConnections{Next: w.store, TTL: app.ConnectionTTL, Now: func() time.Time { return w.now }}
	p.Reset()
	return w
}

// reads is how many GetItem requests reached the proxy.
func (w *cachedWorld) reads() int { return w.proxy.Snapshot().Ops["GetItem"].Requests }

func TestAKnownConnectionIsReadOncePerTTL(t *testing.T) {
	w := newCachedWorld(t)
	for i := range 100 {
		c, err := w.cache.Connection(ctx, "acme-zendesk")
		if err != nil || c.ID != "acme-zendesk" || c.Kind != care.Zendesk {
			t.Fatalf("ask %d: %+v, %v", i, c, err)
		}
		w.now = w.now.Add(app.ConnectionTTL / 200)
	}
	if got := w.reads(); got != 1 {
		t.Errorf("100 asks within the TTL made %d reads, want 1", got)
	}
	w.now = monday.Add(app.ConnectionTTL)
	if _, err := w.cache.Connection(ctx, "acme-zendesk"); err != nil {
		t.Fatal(err)
	}
	if got := w.reads(); got != 2 {
		t.Errorf("after the TTL: %d reads, want 2", got)
	}
}

func TestAFloodOfWebhooksToAnUnknownConnectionCostsOneRead(t *testing.T) {
	w := newCachedWorld(t)
	ingest := &app.Ingest{
		Helpdesks:   map[care.Source]app.Helpdesk{care.Zendesk: zendesk.Helpdesk{}, care.Freshdesk: freshdesk.Helpdesk{}},
		Connections: w.cache, Secrets: oneSecret{}, Deliveries: w.store,
		Now: func() time.Time { return w.now }, Log: quiet,
	}
	body := []byte(`{"type":"zen:event-type:ticket.created","id":"e1"}`)
	for i := range 1000 {
		_, err := ingest.Accept(ctx, app.Webhook{Source: "zendesk", Connection: "acme-zendesk-old", Body: body})
		if care.ErrorCode(err) != care.ENotFound {
			t.Fatalf("webhook %d: %v, want not found", i, err)
		}
		w.now = w.now.Add(time.Millisecond)
	}
	if got := w.reads(); got != 1 {
		t.Errorf("1000 webhooks to an unknown connection made %d reads, want 1", got)
	}
	if st := w.proxy.Snapshot(); st.Total().Requests != 1 {
		t.Errorf("requests %+v, want the one read and nothing else", st.Ops)
	}
}

func TestAConnectionAddedAfterAMissWorksWithinTheTTL(t *testing.T) {
	w := newCachedWorld(t)
	if _, err := w.cache.Connection(ctx, "late-zendesk"); care.ErrorCode(err) != care.ENotFound {
		t.Fatalf("before it is added: %v, want not found", err)
	}
	team, err := teamconfig.Load("../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	team.Connections = append(team.Connections, care.Connection{ID: "late-zendesk", Kind: care.Zendesk, BaseURL: "https://late.zendesk.com"})
	if err := w.store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(app.ConnectionTTL - time.Second)
	if _, err := w.cache.Connection(ctx, "late-zendesk"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("within the TTL of the miss: %v, want still not found (cached)", err)
	}
	w.now = monday.Add(app.ConnectionTTL)
	if c, err := w.cache.Connection(ctx, "late-zendesk"); err != nil || c.Kind != care.Zendesk {
		t.Errorf("after the TTL: %+v, %v, want the new connection", c, err)
	}
	if got := w.reads(); got != 2 {
		t.Errorf("%d reads, want 2 (the miss, then the find)", got)
	}
}

func TestIdsThatCannotBeConnectionsAreNotLookedUp(t *testing.T) {
	w := newCachedWorld(t)
	for _, id := range []string{"", "ACME", "../../etc/passwd", "acme zendesk", "-acme", strings.Repeat("a", 64), "acme%00"} {
		_, err := w.cache.Connection(ctx, id)
		if care.ErrorCode(err) != care.ENotFound {
			t.Errorf("%q: %v, want not found", id, err)
		}
	}
	if st := w.proxy.Snapshot(); st.Total().Requests != 0 {
		t.Errorf("requests %+v, want none", st.Ops)
	}
}

func TestTheMissCacheIsBounded(t *testing.T) {
	w := newCachedWorld(t)
	for i := range app.MaxMisses + 1 {
		if _, err := w.cache.Connection(ctx, fmt.Sprintf("made-up-%d", i)); care.ErrorCode(err) != care.ENotFound {
			t.Fatalf("made-up-%d: %v", i, err)
		}
	}
	// Remembering one more than MaxMisses started the misses over, so the
	// first made-up id is read again.
	if _, err := w.cache.Connection(ctx, "made-up-0"); care.ErrorCode(err) != care.ENotFound {
		t.Fatal(err)
	}
	if got, want := w.reads(), app.MaxMisses+2; got != want {
		t.Errorf("%d reads, want %d", got, want)
	}
}

// A failed read is not a miss: the next webhook asks again.
func TestAFailedReadIsNotCached(t *testing.T) {
	w := newCachedWorld(t)
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := w.cache.Connection(ctx, "acme-zendesk"); err == nil || care.ErrorCode(err) == care.ENotFound {
		t.Fatalf("with a cancelled context: %v, want a failure that is not not-found", err)
	}
	if c, err := w.cache.Connection(context.Background(), "acme-zendesk"); err != nil || c.ID != "acme-zendesk" {
		t.Errorf("the next ask: %+v, %v, want the connection", c, err)
	}
}
