package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// What reconcile keeps (see shared/app/reconcile.go): which connections can
// be read through their help desk's API (type api_connection, one item per
// connection with api: set, written by PutTeam; one query lists them), and
// how far each has been read (type cursor; advanced only after a page is
// durably applied). RemoveConnection (team.go) deletes both.

type apiConnItem struct {
	keys
	Connection string `dynamodbav:"connection"`
}

// Cursor is how far a connection's history has been read from its help
// desk's API: an opaque position the help desk's reader understands.
type Cursor struct {
	Connection string    `dynamodbav:"connection"`
	Position   string    `dynamodbav:"position"`
	At         time.Time `dynamodbav:"at"` // when it was stored
}

type cursorItem struct {
	keys
	Cursor
}

// APIConnections lists the connections whose help desk API carecoach may
// read (a connection whose api: was removed since is still listed; its
// configuration says so).
func (s *Store) APIConnections(ctx context.Context) ([]string, error) {
	items, err := queryAll[apiConnItem](ctx, s, partition(apiConnsPK))
	if err != nil {
		return nil, fmt.Errorf("list API connections: %w", err)
	}
	return unwrap(items, func(it apiConnItem) string { return it.Connection }), nil
}

// Cursor reads where a connection's reconcile resumes; ok is false when it
// never ran (a new connection: backfill).
func (s *Store) Cursor(ctx context.Context, connection string) (position string, ok bool, err error) {
	var it cursorItem
	err = s.get(ctx, cursorKeys(connection), &it)
	if care.ErrorCode(err) == care.ENotFound {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get cursor of %s: %w", connection, err)
	}
	return it.Position, true, nil
}

// SaveCursor stores where a connection's reconcile resumes.
func (s *Store) SaveCursor(ctx context.Context, connection, position string) error {
	it := cursorItem{keys: cursorKeys(connection), Cursor: Cursor{Connection: connection, Position: position, At: s.now().UTC()}}
	if err := s.put(ctx, it); err != nil {
		return fmt.Errorf("save cursor of %s: %w", connection, err)
	}
	return nil
}
