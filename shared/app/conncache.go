package app

import (
	"context"
	"sync"
	"time"

	"github.com/carecoach/carecoach/shared/care"
)

// ConnectionTTL is how long ingest trusts a connection it has read. A
// connection changes when an admin edits the team (rarely); without the
// cache, every webhook would pay a GetItem before its one write.
const ConnectionTTL = time.Minute

// CachedConnections remembers connections found by Next for TTL. Only
// found connections are kept: an unknown connection is asked for again
// every time, so a new one works at once. Safe for concurrent use.
type CachedConnections struct {
	Next Connections
	TTL  time.Duration
	Now  func() time.Time

	mu   sync.Mutex
	seen map[string]cachedConnection
}

type cachedConnection struct {
	conn  care.Connection
	until time.Time
}

// Connection returns the cached connection, or reads and caches it.
func (c *CachedConnections) Connection(ctx context.Context, id string) (care.Connection, error) {
	now := c.Now()
	c.mu.Lock()
	hit, ok := c.seen[id]
	c.mu.Unlock()
	if ok && now.Before(hit.until) {
		return hit.conn, nil
	}
	conn, err := c.Next.Connection(ctx, id)
	if err != nil {
		return care.Connection{}, err
	}
	c.mu.Lock()
	if c.seen == nil {
		c.seen = map[string]cachedConnection{}
	}
	c.seen[id] = cachedConnection{conn: conn, until: now.Add(c.TTL)}
	c.mu.Unlock()
	return conn, nil
}
