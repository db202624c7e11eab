// Package dynamo is the DynamoDB storage adapter: one table, generic pk/sk
// keys, every read a key or index query. It speaks domain types (package care)
// and hides attribute values from everyone else.
//
// One file per item kind (delivery.go, ticket.go, task.go, moment.go,
// fact.go, prompt.go, feedback.go, claim.go, climate.go, team.go,
// reconcile.go); keys.go makes every key and lists each kind's keys, index
// and readers; item.go and query.go are the writes and the paged reads they
// share.
package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Retention is how long the store keeps what it holds about people: every
// item but the team configuration gets a DynamoDB TTL (attribute ttl), and
// DynamoDB deletes it some time (usually days) after that.
type Retention struct {
	// Records: ticket timelines (customers' and agents' messages), tasks,
	// moments, facts, feedback (managers' and teammates' words), climate
	// answers, skipped items and reply claims, each from the time it
	// happened. The digest reads a week back, the dashboard up to 366 days
	// and eight weeks of trends before that.
	Records time.Duration
	// Raw: raw webhook deliveries and dead letters (help desk bodies as
	// received), from when they were stored. Raw deliveries only need to
	// outlive the help desks' retries (Freshdesk gives up after 24 h) and a
	// reprocessing window; dead letters wait for a person (an alarm tells
	// one the same day).
	Raw time.Duration
}

// DefaultRetention is the template's default: 400 days of records (a year
// and its trends), 30 days of raw deliveries.
var DefaultRetention = Retention{Records: 400 * 24 * time.Hour, Raw: 30 * 24 * time.Hour}

// RetentionFromDays reads a retention from whole numbers of days (the
// template's RetentionDays and RawRetentionDays parameters).
func RetentionFromDays(records, raw string) (Retention, error) {
	var r Retention
	for _, f := range []struct {
		name, value string
		min         int
		into        *time.Duration
	}{{"records", records, 30, &r.Records}, {"raw deliveries", raw, 1, &r.Raw}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.value))
		if err != nil || n < f.min {
			return Retention{}, fmt.Errorf("retention of %s: %q is not a whole number of days of at least %d", f.name, f.value, f.min)
		}
		*f.into = time.Duration(n) * 24 * time.Hour
	}
	return r, nil
}

// NewClient builds a DynamoDB client; a non-empty endpoint points it at
// DynamoDB Local.
func NewClient(cfg aws.Config, endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			// DynamoDB Local's error responses fail the CRC check and make the
			// SDK log a warning on every conditional-check failure.
			o.DisableValidateResponseChecksum = true
		}
	})
}

// Store is the DynamoDB single-table store.
type Store struct {
	db     ops
	table  string
	now    func() time.Time
	retain Retention
}

// New returns a store on table that keeps items for DefaultRetention. now
// stamps TTLs of raw deliveries; nil means time.Now.
func New(db *dynamodb.Client, table string, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: ops{
		PutItem: db.PutItem, GetItem: db.GetItem, UpdateItem: db.UpdateItem,
		Query: db.Query, BatchWriteItem: db.BatchWriteItem, DeleteItem: db.DeleteItem,
	}, table: table, now: now, retain: DefaultRetention}
}

// Open is the store a Lambda uses: a client for cfg (at endpoint, when
// set), table, and the retention in days from the template's parameters.
func Open(cfg aws.Config, endpoint, table, retentionDays, rawRetentionDays string) (*Store, error) {
	r, err := RetentionFromDays(retentionDays, rawRetentionDays)
	if err != nil {
		return nil, err
	}
	return New(NewClient(cfg, endpoint), table, time.Now).WithRetention(r), nil
}

// WithRetention sets how long the store keeps what it writes from now on.
func (s *Store) WithRetention(r Retention) *Store {
	s.retain = r
	return s
}

// expires is the TTL of a record that happened at t.
func (s *Store) expires(t time.Time) int64 { return t.Add(s.retain.Records).Unix() }

type (
	putItem        = func(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	getItem        = func(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	updateItem     = func(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	query          = func(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	batchWriteItem = func(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	deleteItem     = func(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
)

// ops are the client operations the store uses, held as method values
// rather than the client itself: that keeps the client's type out of reach
// of reflection, so the linker can drop the ~60 operations we never call
// even when html/template (which calls methods by name) shares the binary.
// It saves about 2 MB per function.
type ops struct {
	PutItem        putItem
	GetItem        getItem
	UpdateItem     updateItem
	Query          query
	BatchWriteItem batchWriteItem
	DeleteItem     deleteItem
}
