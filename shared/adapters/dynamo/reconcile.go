package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// What reconcile keeps (see shared/reconcile): which connections can be read
// through their help desk's API, and how far each has been read.
//
//	APICONNS / <connection>      one item per connection with api: set,
//	                             written by PutTeam; one query lists them
//	CURSOR#<connection> / CURSOR where the next run resumes; advanced only
//	                             after a page is durably applied
const (
	typeAPIConnection = "api_connection"
	typeCursor        = "cursor"
	apiConnsPK        = "APICONNS"
)

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
	var out []string
	err := s.query(ctx, apiConnsPK, func(item map[string]types.AttributeValue) error {
		var it apiConnItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.Connection)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list API connections: %w", err)
	}
	return out, nil
}

// Cursor reads where a connection's reconcile resumes; ok is false when it
// never ran (a new connection: backfill).
func (s *Store) Cursor(ctx context.Context, connection string) (position string, ok bool, err error) {
	var it cursorItem
	err = s.get(ctx, "CURSOR#"+connection, "CURSOR", &it)
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
	it := cursorItem{keys: keys{PK: "CURSOR#" + connection, SK: "CURSOR", Type: typeCursor},
		Cursor: Cursor{Connection: connection, Position: position, At: s.now().UTC()}}
	if err := s.put(ctx, it); err != nil {
		return fmt.Errorf("save cursor of %s: %w", connection, err)
	}
	return nil
}

// apiConnWrite is PutTeam's registration of a connection with api: set.
func apiConnWrite(c care.Connection) (map[string]types.AttributeValue, error) {
	return attributevalue.MarshalMap(apiConnItem{keys: keys{PK: apiConnsPK, SK: c.ID, Type: typeAPIConnection}, Connection: c.ID})
}

// reconcileDeletes forget a removed connection for reconcile: its listing
// and its cursor (a connection added again backfills again).
func reconcileDeletes(id string) []types.WriteRequest {
	return []types.WriteRequest{
		{DeleteRequest: &types.DeleteRequest{Key: key(apiConnsPK, id)}},
		{DeleteRequest: &types.DeleteRequest{Key: key("CURSOR#"+id, "CURSOR")}},
	}
}
