// Package dynamotest gives tests a store on a fresh table in DynamoDB Local,
// created from template.yaml like every other table.
package dynamotest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/carecoach/carecoach"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotable"
)

var tables atomic.Int64

// LocalConfig is an AWS config for the local emulators: fixed region, dummy
// static credentials, no shared config files read.
func LocalConfig() aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}
}

// NewTable creates a uniquely named table from the template and returns a
// client for it and its name. The table is deleted when the test ends:
// DynamoDB Local keeps every table in memory and sweeps their TTLs, so
// tables left behind slow down the tests that come after.
func NewTable(tb testing.TB, endpoint string) (*dynamodb.Client, string) {
	tb.Helper()
	db := dynamo.NewClient(LocalConfig(), endpoint)
	name := fmt.Sprintf("test-%d-%d", time.Now().UnixNano(), tables.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := dynamotable.FromTemplate(ctx, db, carecoach.Template, "Table", name); err != nil {
		tb.Fatalf("create table: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: &name}); err != nil {
			tb.Logf("delete table %s: %v", name, err)
		}
	})
	return db, name
}

// NewStore is a store on a fresh table.
func NewStore(tb testing.TB, endpoint string, now func() time.Time) (*dynamo.Store, *dynamodb.Client, string) {
	tb.Helper()
	db, name := NewTable(tb, endpoint)
	return dynamo.New(db, name, now), db, name
}

// Count returns the number of items in a table. Tests only: it scans.
func Count(tb testing.TB, db *dynamodb.Client, table string) int {
	tb.Helper()
	n := 0
	p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: &table})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			tb.Fatalf("scan %s: %v", table, err)
		}
		n += int(page.Count)
	}
	return n
}

// Delivery reads back a stored raw delivery the way the process function
// gets it: the item's image decoded by dynamo.DeliveryFromImage. ok is false
// when no raw delivery of that connection and dedupe key is stored. Tests
// only: it scans.
func Delivery(tb testing.TB, db *dynamodb.Client, table, connection, dedupeKey string) (d care.Delivery, ok bool) {
	tb.Helper()
	p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: &table})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			tb.Fatalf("scan %s: %v", table, err)
		}
		for _, item := range page.Items {
			d, raw, err := dynamo.DeliveryFromImage(item)
			if err != nil {
				tb.Fatalf("decode an item of %s: %v", table, err)
			}
			if raw && d.Connection == connection && d.DedupeKey == dedupeKey {
				return d, true
			}
		}
	}
	return care.Delivery{}, false
}

// FeedbackWindow is how far either side of a test's time MemberFeedback
// looks: the team's feedback index has one partition a month.
const FeedbackWindow = 366 * 24 * time.Hour

// MemberFeedback is the feedback a member received within FeedbackWindow
// of around, oldest first, read as the digests and scorecards read it: the
// team's feedback (Store.TeamFeedback), then the member's by address.
func MemberFeedback(tb testing.TB, store *dynamo.Store, team, email string, around time.Time) []care.Feedback {
	tb.Helper()
	all, err := store.TeamFeedback(context.Background(), team, around.Add(-FeedbackWindow), around.Add(FeedbackWindow))
	if err != nil {
		tb.Fatalf("feedback of team %s: %v", team, err)
	}
	var out []care.Feedback
	for _, f := range all {
		if strings.EqualFold(f.AgentEmail, email) {
			out = append(out, f)
		}
	}
	return out
}
