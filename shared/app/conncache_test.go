package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/care"
)

// countedConnections answers from a map and counts the reads.
type countedConnections struct {
	conns map[string]care.Connection
	reads int
}

func (c *countedConnections) Connection(_ context.Context, id string) (care.Connection, error) {
	c.reads++
	conn, ok := c.conns[id]
	if !ok {
		return care.Connection{}, care.Errorf(care.ENotFound, "no connection %s", id)
	}
	return conn, nil
}

func TestCachedConnections(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		asks      []string        // connection ids, in order
		at        []time.Duration // when each ask happens, after start
		wantReads int
		wantErr   []bool
	}{
		{name: "a connection asked for twice within the TTL is read once",
			asks: []string{"acme", "acme"}, at: []time.Duration{0, 30 * time.Second}, wantReads: 1, wantErr: []bool{false, false}},
		{name: "a connection asked for again after the TTL is read again",
			asks: []string{"acme", "acme"}, at: []time.Duration{0, time.Minute}, wantReads: 2, wantErr: []bool{false, false}},
		{name: "an unknown connection is not cached so that a new one works at once",
			asks: []string{"nope", "nope"}, at: []time.Duration{0, time.Second}, wantReads: 2, wantErr: []bool{true, true}},
		{name: "each connection has its own entry",
			asks: []string{"acme", "other", "acme", "other"}, at: []time.Duration{0, 0, time.Second, time.Second}, wantReads: 2, wantErr: []bool{false, false, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next := &countedConnections{conns: map[string]care.Connection{
				"acme": {ID: "acme", Kind: care.Zendesk}, "other": {ID: "other", Kind: care.Freshdesk},
			}}
			now := start
			c := &app.CachedConnections{Next: next, TTL: app.ConnectionTTL, Now: func() time.Time { return now }}
			for i, id := range tc.asks {
				now = start.Add(tc.at[i])
				got, err := c.Connection(context.Background(), id)
				if (err != nil) != tc.wantErr[i] {
					t.Fatalf("ask %d for %s: err = %v, want error %v", i, id, err, tc.wantErr[i])
				}
				if err == nil && got.ID != id {
					t.Fatalf("ask %d for %s returned connection %s", i, id, got.ID)
				}
				if care.ErrorCode(err) != "" && care.ErrorCode(err) != care.ENotFound {
					t.Fatalf("ask %d: error code %q, want the store's not-found to pass through", i, care.ErrorCode(err))
				}
			}
			if next.reads != tc.wantReads {
				t.Errorf("store read %d times, want %d", next.reads, tc.wantReads)
			}
		})
	}
}
