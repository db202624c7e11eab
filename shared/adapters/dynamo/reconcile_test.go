package dynamo_test

import (
	"slices"
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
)

func TestConnectionsWithAnAPIAreListedWithTheirCursorUntilRemoved(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	api := &care.ConnectionAPI{TokenParam: "/carecoach/test/helpdesk-tokens/x"}
	team := care.Team{ID: "support", Name: "Support", Connections: []care.Connection{
		{ID: "acme-zendesk", Kind: care.Zendesk, API: api}, {ID: "acme-freshdesk", Kind: care.Freshdesk, API: api}, {ID: "plain", Kind: care.Zendesk},
	}}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	ids, err := store.APIConnections(ctx)
	if slices.Sort(ids); err != nil || !slices.Equal(ids, []string{"acme-freshdesk", "acme-zendesk"}) {
		t.Fatalf("APIConnections = %v, %v; want the two with api:", ids, err)
	}
	if _, ok, err := store.Cursor(ctx, "acme-zendesk"); ok || err != nil {
		t.Errorf("a new connection has a cursor (%v, %v): it would never backfill", ok, err)
	}
	if err := store.SaveCursor(ctx, "acme-zendesk", "1796000000"); err != nil {
		t.Fatal(err)
	}
	if pos, ok, err := store.Cursor(ctx, "acme-zendesk"); !ok || err != nil || pos != "1796000000" {
		t.Errorf("Cursor = %q, %v, %v", pos, ok, err)
	}
	team.Connections = team.Connections[1:]
	if err := store.RemoveConnection(ctx, team, "acme-zendesk", nil); err != nil {
		t.Fatal(err)
	}
	if ids, _ := store.APIConnections(ctx); !slices.Equal(ids, []string{"acme-freshdesk"}) {
		t.Errorf("after removing acme-zendesk, APIConnections = %v", ids)
	}
	if _, ok, _ := store.Cursor(ctx, "acme-zendesk"); ok {
		t.Errorf("a removed connection kept its cursor: connected again, it would not backfill")
	}
}
