package ddbproxy_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var ctx = context.Background()

// start runs a proxy to DynamoDB Local, a fresh table, and an SDK client
// through the proxy that makes at most attempts attempts per call (0: the
// SDK's default).
func start(t *testing.T, o ddbproxy.Options, attempts int) (*ddbproxy.Proxy, *dynamodb.Client, string) {
	t.Helper()
	p, err := ddbproxy.Start(stack.DynamoEndpoint, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	db := dynamo.NewClient(dynamotest.LocalConfig(), p.URL())
	if attempts > 0 {
		db = dynamodb.New(db.Options(), func(o *dynamodb.Options) { o.RetryMaxAttempts = attempts })
	}
	return p, db, table
}

func item(pk string, extra ...string) map[string]types.AttributeValue {
	m := map[string]types.AttributeValue{
		"pk":   &types.AttributeValueMemberS{Value: pk},
		"sk":   &types.AttributeValueMemberS{Value: "X"},
		"type": &types.AttributeValueMemberS{Value: "test"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = &types.AttributeValueMemberS{Value: extra[i+1]}
	}
	return m
}

func putOnce(db *dynamodb.Client, table, pk string) error {
	_, err := db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &table, Item: item(pk), ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	return err
}

func exists(t *testing.T, db *dynamodb.Client, table, pk string) bool {
	t.Helper()
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: "X"},
	}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("get %s: %v", pk, err)
	}
	return out.Item != nil
}

func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

func TestASmallPutItemConsumesOneWriteUnit(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{ConsumedCapacity: true}, 0)
	p.Reset()
	if err := putOnce(db, table, "small"); err != nil {
		t.Fatal(err)
	}
	got := p.Snapshot().Ops["PutItem"]
	if got.Requests != 1 || got.Forwarded != 1 || got.Outcomes["OK"] != 1 {
		t.Errorf("PutItem counts = %+v, want 1 request, 1 forwarded, 1 OK", got)
	}
	if got.WriteUnits != 1 || got.ReadUnits != 0 {
		t.Errorf("PutItem consumed %v write and %v read units, want 1 and 0", got.WriteUnits, got.ReadUnits)
	}
}

func TestAddingReturnConsumedCapacityLeavesRequestsAndAnswersIntact(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{ConsumedCapacity: true}, 0)
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item("a", "note", "héllo \"quoted\" \u2603")}); err != nil {
		t.Fatal(err)
	}
	p.Reset()
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "a"}, "sk": &types.AttributeValueMemberS{Value: "X"},
	}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := out.Item["note"].(*types.AttributeValueMemberS); v == nil || v.Value != "héllo \"quoted\" \u2603" {
		t.Errorf("note read back = %#v, want the written string", out.Item["note"])
	}
	if out.ConsumedCapacity == nil {
		t.Errorf("GetItem answer has no ConsumedCapacity: the proxy did not ask for it")
	}
	if got := p.Snapshot().Ops["GetItem"]; got.ReadUnits != 1 || got.WriteUnits != 0 {
		t.Errorf("consistent GetItem consumed %v read and %v write units, want 1 and 0", got.ReadUnits, got.WriteUnits)
	}
}

func TestWithoutTheOptionNoCapacityIsAskedFor(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{}, 0)
	out, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item("a")})
	if err != nil {
		t.Fatal(err)
	}
	if out.ConsumedCapacity != nil {
		t.Errorf("ConsumedCapacity = %+v, want none", out.ConsumedCapacity)
	}
	if got := p.Snapshot().Ops["PutItem"]; got.WriteUnits != 0 || got.Requests != 1 {
		t.Errorf("PutItem = %+v, want 1 request and no units", got)
	}
}

func TestBatchAndTransactionCapacityIsSummedOverTheList(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{ConsumedCapacity: true}, 0)
	p.Reset()
	var writes []types.WriteRequest
	for i := range 3 {
		writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item(fmt.Sprint("b", i))}})
	}
	if _, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: writes}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &table, Item: item("t1")}},
		{Put: &types.Put{TableName: &table, Item: item("t2")}},
	}}); err != nil {
		t.Fatal(err)
	}
	s := p.Snapshot()
	if got := s.Ops["BatchWriteItem"].WriteUnits; got != 3 {
		t.Errorf("BatchWriteItem of 3 small items consumed %v write units, want 3", got)
	}
	// A transactional write costs two units per item.
	if got := s.Ops["TransactWriteItems"].WriteUnits; got != 4 {
		t.Errorf("TransactWriteItems of 2 small items consumed %v write units, want 4", got)
	}
	if got := s.Total().WriteUnits; got != 7 {
		t.Errorf("total write units = %v, want 7", got)
	}
}

func TestAThrottleIsTheErrorTheSDKRetriesAsThrottling(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{}, 1)
	p.InjectNext("PutItem", ddbproxy.Fault{Kind: ddbproxy.Throttle})
	err := putOnce(db, table, "a")
	if code := errorCode(err); code != "ProvisionedThroughputExceededException" {
		t.Fatalf("error = %v (code %q), want ProvisionedThroughputExceededException", err, code)
	}
	var pte *types.ProvisionedThroughputExceededException
	if !errors.As(err, &pte) {
		t.Errorf("error %T is not the modeled *types.ProvisionedThroughputExceededException", err)
	}
	if retry.DefaultThrottles[0].IsErrorThrottle(err) != aws.TrueTernary {
		t.Errorf("the SDK does not see %v as throttling", err)
	}
	if !retry.NewStandard().IsErrorRetryable(err) {
		t.Errorf("the SDK does not retry %v", err)
	}
	if exists(t, db, table, "a") {
		t.Errorf("a throttled put was applied")
	}
}

func TestFaultsBeforeForwardingAreRetriedAndApplyNothing(t *testing.T) {
	for _, kind := range []ddbproxy.Kind{ddbproxy.Throttle, ddbproxy.InternalError, ddbproxy.Unavailable, ddbproxy.Reset} {
		t.Run(string(kind), func(t *testing.T) {
			p, once, table := start(t, ddbproxy.Options{}, 1)
			p.InjectNext("PutItem", ddbproxy.Fault{Kind: kind})
			if err := putOnce(once, table, "one-attempt"); err == nil {
				t.Fatalf("a put that met %s succeeded", kind)
			}
			if exists(t, once, table, "one-attempt") {
				t.Errorf("a put that met %s before forwarding was applied", kind)
			}

			retrying := dynamodb.New(once.Options(), func(o *dynamodb.Options) { o.RetryMaxAttempts = 3 })
			p.Reset()
			p.InjectNext("PutItem", ddbproxy.Fault{Kind: kind})
			if err := putOnce(retrying, table, "retried"); err != nil {
				t.Fatalf("the SDK did not retry past %s: %v", kind, err)
			}
			got := p.Snapshot()
			if op := got.Ops["PutItem"]; op.Requests != 2 || op.Forwarded != 1 || op.Outcomes["OK"] != 1 {
				t.Errorf("PutItem = %+v, want 2 requests, 1 forwarded, 1 OK", op)
			}
			if got.Faults["before:"+string(kind)] != 1 || got.FaultCount() != 1 {
				t.Errorf("faults = %v, want one before:%s", got.Faults, kind)
			}
		})
	}
}

func TestAFaultAfterForwardingTurnsARetriedConditionalPutIntoAConditionFailure(t *testing.T) {
	for _, kind := range []ddbproxy.Kind{ddbproxy.InternalError, ddbproxy.Reset, ddbproxy.Throttle} {
		t.Run(string(kind), func(t *testing.T) {
			p, db, table := start(t, ddbproxy.Options{}, 3)
			p.InjectNext("PutItem", ddbproxy.Fault{Kind: kind, After: true})
			err := putOnce(db, table, "a")
			if code := errorCode(err); code != "ConditionalCheckFailedException" {
				t.Fatalf("error = %v, want ConditionalCheckFailedException from the retry", err)
			}
			if !exists(t, db, table, "a") {
				t.Errorf("the first attempt's write is missing")
			}
			op := p.Snapshot().Ops["PutItem"]
			if op.Forwarded != 2 || op.Outcomes["OK"] != 1 || op.Outcomes["ConditionalCheckFailedException"] != 1 {
				t.Errorf("PutItem = %+v, want 2 forwarded: 1 OK (response lost), 1 condition failure", op)
			}
		})
	}
}

func TestALatencyFaultStillAnswers(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{}, 1)
	p.InjectNext("PutItem", ddbproxy.Fault{Kind: ddbproxy.Latency})
	if err := putOnce(db, table, "a"); err != nil {
		t.Fatal(err)
	}
	if got := p.Snapshot().Faults["before:latency"]; got != 1 {
		t.Errorf("latency faults = %d, want 1", got)
	}
}

func TestRandomFaultsFollowTheRateTheMixAndTheOperationFilter(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{
		FaultRate: 0.3, Seed: 7, Operations: []string{"PutItem"},
		Faults: []ddbproxy.Fault{{Kind: ddbproxy.InternalError}, {Kind: ddbproxy.Reset, After: true}},
	}, 1)
	const n = 200
	failed := 0
	for i := range n {
		if putOnce(db, table, fmt.Sprint("k", i)) != nil {
			failed++
		}
		exists(t, db, table, fmt.Sprint("k", i)) // GetItem: never faulted
	}
	s := p.Snapshot()
	if s.FaultCount() != failed {
		t.Errorf("%d puts failed but %d faults were counted", failed, s.FaultCount())
	}
	if failed < n*15/100 || failed > n*45/100 {
		t.Errorf("%d of %d puts met a fault at rate 0.3", failed, n)
	}
	for k := range s.Faults {
		if k != "before:500" && k != "after:reset" {
			t.Errorf("fault %q is not in the configured mix", k)
		}
	}
	if g := s.Ops["GetItem"]; g.Requests != n || len(g.Faults) != 0 {
		t.Errorf("GetItem = %+v, want %d requests and no faults", g, n)
	}
	if put := s.Ops["PutItem"]; put.Forwarded != n-s.Faults["before:500"] {
		t.Errorf("PutItem forwarded %d, want %d requests less %d faults before forwarding", put.Forwarded, n, s.Faults["before:500"])
	}

	p.SetFaultRate(0)
	p.Reset()
	for i := range 20 {
		if err := putOnce(db, table, fmt.Sprint("z", i)); err != nil {
			t.Fatalf("with the rate set to 0 a put failed: %v", err)
		}
	}
	if s := p.Snapshot(); s.FaultCount() != 0 || s.Ops["PutItem"].Requests != 20 {
		t.Errorf("after Reset and rate 0: %+v", s)
	}
}

func TestCountersAreSafeForConcurrentUse(t *testing.T) {
	p, db, table := start(t, ddbproxy.Options{ConsumedCapacity: true, FaultRate: 0.1, Seed: 1}, 0)
	p.Reset()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 10 {
				_ = putOnce(db, table, fmt.Sprint(w, "-", i))
				_ = p.Snapshot()
			}
		})
	}
	wg.Wait()
	s := p.Snapshot()
	put := s.Ops["PutItem"]
	if put.Requests < 80 {
		t.Errorf("PutItem requests = %d, want at least 80", put.Requests)
	}
	if put.Requests != put.Forwarded+s.FaultCount()-s.Faults["before:latency"]-s.Faults["after:500"]-s.Faults["after:reset"] {
		t.Errorf("requests %d != forwarded %d + faults before forwarding (%v)", put.Requests, put.Forwarded, s.Faults)
	}
}

func TestStartRefusesABadTargetOrRate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		target string
		rate   float64
	}{
		{"a relative target", "127.0.0.1:8000", 0},
		{"a rate above one", "http://127.0.0.1:8000", 1.5},
		{"a negative rate", "http://127.0.0.1:8000", -0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p, err := ddbproxy.Start(tc.target, ddbproxy.Options{FaultRate: tc.rate}); err == nil {
				_ = p.Close()
				t.Errorf("Start(%q, rate %v) succeeded", tc.target, tc.rate)
			}
		})
	}
}

func TestTheSDKsResponseChecksumStillHoldsThroughTheProxy(t *testing.T) {
	_, db, table := start(t, ddbproxy.Options{ConsumedCapacity: true}, 1)
	checked := dynamodb.New(db.Options(), func(o *dynamodb.Options) { o.DisableValidateResponseChecksum = false })
	if _, err := checked.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item("a", "note", "x")}); err != nil {
		t.Fatalf("put with CRC32 validation: %v", err)
	}
	out, err := checked.Query(ctx, &dynamodb.QueryInput{
		TableName: &table, KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "a"}},
	})
	if err != nil {
		t.Fatalf("query with CRC32 validation: %v", err)
	}
	if out.Count != 1 {
		t.Errorf("query found %d items, want 1", out.Count)
	}
}
