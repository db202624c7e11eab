package app

import (
	"context"
	"sync"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// ConnectionTTL is how long ingest trusts a connection it has read, or
// that it found missing. A connection changes when an admin edits the team
// (rarely); without the cache, every webhook would pay a GetItem before its
// one write.
const ConnectionTTL = time.Minute

// MaxMisses bounds how many unknown connection ids CachedConnections
// remembers, so that a flood of made-up ids cannot grow it without end.
const MaxMisses = 1024

// CachedConnections remembers the connections found by Next for TTL, and
// the ids Next did not find (misses) for TTL too, up to MaxMisses of them.
// A help desk that keeps posting to a deleted or mistyped connection then
// costs one read per id and TTL, not one per request; a connection added
// for an id that was just refused works within TTL. An id that cannot be a
// connection id (care.ValidID) is refused without a read. Other errors are
// not cached. Safe for concurrent use.
type CachedConnections struct {
	Next Connections
	TTL  time.Duration
	Now  func() time.Time

	mu     sync.Mutex
	seen   map[string]cachedConnection
	misses map[string]time.Time // id -> until
}

type cachedConnection struct {
	conn  care.Connection
	until time.Time
}

// Connection returns the cached connection, or reads and caches it.
func (c *CachedConnections) Connection(ctx context.Context, id string) (care.Connection, error) {
	if !care.ValidID(id) {
		return care.Connection{}, care.Errorf(care.ENotFound, "no connection %q: ids are lower-case letters, digits and dashes", id)
	}
	now := c.Now()
	c.mu.Lock()
	hit, ok := c.seen[id]
	missUntil, missed := c.misses[id]
	c.mu.Unlock()
	if ok && now.Before(hit.until) {
		return hit.conn, nil
	}
	if missed && now.Before(missUntil) {
		return care.Connection{}, care.Errorf(care.ENotFound, "no connection %q", id)
	}
	conn, err := c.Next.Connection(ctx, id)
	if care.ErrorCode(err) == care.ENotFound {
		c.remember(func() {
			if len(c.misses) >= MaxMisses {
				c.misses = nil // start over rather than scan: misses are cheap to learn again
			}
			if c.misses == nil {
				c.misses = map[string]time.Time{}
			}
			c.misses[id] = now.Add(c.TTL)
		})
		return care.Connection{}, err
	}
	if err != nil {
		return care.Connection{}, err
	}
	c.remember(func() {
		if c.seen == nil {
			c.seen = map[string]cachedConnection{}
		}
		c.seen[id] = cachedConnection{conn: conn, until: now.Add(c.TTL)}
		delete(c.misses, id)
	})
	return conn, nil
}

func (c *CachedConnections) remember(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f()
}
