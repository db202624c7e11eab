package resilience_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/events/synth"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var (
	ctx    = context.Background()
	quiet  = slog.New(slog.NewTextHandler(io.Discard, nil))
	secret = care.Secret("resilience-secret")
	monday = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
)

// faultRate is the share of DynamoDB requests that meet a fault.
const faultRate = 0.10

// soak tells whether this is a `make soak` run, and for how long.
func soak(t *testing.T) (on bool, d time.Duration) {
	t.Helper()
	if os.Getenv("SOAK") == "" {
		return false, 0
	}
	d = 5 * time.Minute
	if s := os.Getenv("SOAK_DURATION"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			t.Fatalf("SOAK_DURATION=%q: %v", s, err)
		}
	}
	return true, d
}

// rounds runs round once with seed 1 and size small, or, in a soak run,
// with seeds 1, 2, 3... and size big until the soak's share of time is up
// (each soaking test gets share of SOAK_DURATION).
func rounds(t *testing.T, small, big int, share float64, round func(t *testing.T, seed uint64, n int)) {
	on, d := soak(t)
	if !on {
		round(t, 1, small)
		return
	}
	deadline := time.Now().Add(time.Duration(float64(d) * share))
	for seed := uint64(1); seed == 1 || time.Now().Before(deadline); seed++ {
		ok := t.Run("seed "+strconv.FormatUint(seed, 10), func(t *testing.T) { round(t, seed, big) })
		if !ok {
			return
		}
	}
}

// world is one table with a store whose requests go through a
// fault-injecting proxy, and a direct store for setting up and checking.
type world struct {
	proxy  *ddbproxy.Proxy
	store  *dynamo.Store // through the proxy
	direct *dynamo.Store // straight to DynamoDB Local: setup and checks
	db     *dynamodb.Client
	table  string
	now    *clock
}

// newWorld makes a table with the dev team on it. The proxy starts with
// faults off; turn them on with w.proxy.SetFaultRate.
func newWorld(t *testing.T, seed uint64) *world {
	t.Helper()
	p, err := ddbproxy.Start(stack.DynamoEndpoint, ddbproxy.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	db, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	now := &clock{t: monday}
	w := &world{
		proxy:  p,
		store:  dynamo.New(quickRetries(dynamo.NewClient(dynamotest.LocalConfig(), p.URL())), table, now.Now),
		direct: dynamo.New(db, table, now.Now),
		db:     db, table: table, now: now,
	}
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.direct.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	return w
}

// quickRetries keeps the client's retry policy (4 attempts, the retry
// quota) but caps the backoff between attempts at 100 ms, so that the short
// tests meet hundreds of faults in seconds. Only the waiting differs from
// production.
func quickRetries(db *dynamodb.Client) *dynamodb.Client {
	return dynamodb.New(db.Options(), func(o *dynamodb.Options) {
		o.Retryer = retry.AddWithMaxBackoffDelay(o.Retryer, 100*time.Millisecond)
	})
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// week is a synthetic week of Zendesk deliveries for the dev team's two
// Zendesk agents (Ana 1001, Jordan 1002), so that reminders have someone
// to go to.
func week(t *testing.T, seed uint64, n int) []synth.Delivery {
	t.Helper()
	w, err := synth.Week(synth.Options{Seed: seed, Agents: 2, Events: n, Start: monday, FirstAgentID: 1001})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// poisonBody is a well-formed, correctly signed delivery that can never be
// processed: a comment event without a ticket.
var poisonBody = []byte(`{"type":"zen:event-type:ticket.comment_added","id":"broken","time":"2026-11-24T09:01:00Z","subject":"zen:ticket:","detail":{},"event":{}}`)

// storeRaw stores deliveries straight into w's table, as ingest would.
func storeRaw(t *testing.T, w *world, bodies [][]byte, at func(i int) time.Time) {
	t.Helper()
	for i, b := range bodies {
		key, err := zendesk.Helpdesk{}.DedupeKey(nil, b)
		if err != nil {
			t.Fatalf("dedupe key of delivery %d: %v", i, err)
		}
		d := care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, DedupeKey: key, ReceivedAt: at(i), Body: b}
		if _, err := w.direct.PutDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
}

// rawItems lists the raw delivery items of w's table in the order they
// were received (one stream shard). Tests only: it scans.
func rawItems(t *testing.T, w *world) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	var start map[string]types.AttributeValue
	for {
		page, err := w.db.Scan(ctx, &dynamodb.ScanInput{
			TableName: &w.table, FilterExpression: aws.String("#t = :raw"), ExclusiveStartKey: start, ConsistentRead: aws.Bool(true),
			ExpressionAttributeNames:  map[string]string{"#t": "type"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":raw": &types.AttributeValueMemberS{Value: "raw"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if len(page.LastEvaluatedKey) == 0 {
			break
		}
		start = page.LastEvaluatedKey
	}
	slices.SortFunc(out, func(a, b map[string]types.AttributeValue) int {
		if c := compareStrings(attrString(a, "receivedAt"), attrString(b, "receivedAt")); c != 0 {
			return c
		}
		return compareStrings(attrString(a, "pk"), attrString(b, "pk"))
	})
	return out
}

// attrString is an item's string attribute k, or "".
func attrString(item map[string]types.AttributeValue, k string) string {
	if v, ok := item[k].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// streamRecords turns items into DynamoDB stream records (INSERT,
// NEW_IMAGE), numbered in order.
func streamRecords(t *testing.T, items []map[string]types.AttributeValue) []events.DynamoDBEventRecord {
	t.Helper()
	out := make([]events.DynamoDBEventRecord, len(items))
	for i, it := range items {
		img, err := imageOf(it)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = events.DynamoDBEventRecord{
			EventID: fmt.Sprint("evt-", i), EventName: "INSERT", EventSource: "aws:dynamodb",
			Change: events.DynamoDBStreamRecord{
				NewImage: img, SequenceNumber: fmt.Sprintf("%021d", i+1), StreamViewType: "NEW_IMAGE",
				Keys: map[string]events.DynamoDBAttributeValue{"pk": img["pk"], "sk": img["sk"]},
			},
		}
	}
	return out
}

func imageOf(item map[string]types.AttributeValue) (map[string]events.DynamoDBAttributeValue, error) {
	out := make(map[string]events.DynamoDBAttributeValue, len(item))
	for k, v := range item {
		ev, err := eventValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", k, err)
		}
		out[k] = ev
	}
	return out, nil
}

func eventValue(v types.AttributeValue) (events.DynamoDBAttributeValue, error) {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value), nil
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value), nil
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value), nil
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value), nil
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute(), nil
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value), nil
	case *types.AttributeValueMemberL:
		l := make([]events.DynamoDBAttributeValue, len(v.Value))
		for i, e := range v.Value {
			ev, err := eventValue(e)
			if err != nil {
				return events.DynamoDBAttributeValue{}, err
			}
			l[i] = ev
		}
		return events.NewListAttribute(l), nil
	case *types.AttributeValueMemberM:
		m, err := imageOf(v.Value)
		if err != nil {
			return events.DynamoDBAttributeValue{}, err
		}
		return events.NewMapAttribute(m), nil
	}
	return events.DynamoDBAttributeValue{}, fmt.Errorf("unsupported attribute value %T", v)
}

// scheduler stands in for EventBridge Scheduler: it keeps one-time
// schedules and, when the test fires them, retries a failing invocation
// like the template's retry policy (10 retries) and then dead-letters it
// with its error, like the schedule's DLQ.
type scheduler struct {
	mu    sync.Mutex
	tasks map[string]care.Task
	dlq   []deadFire
}

type deadFire struct {
	task   care.TaskRef
	reason string
}

// maxFireAttempts is one invocation and the template's 10 retries.
const maxFireAttempts = 11

func newScheduler() *scheduler { return &scheduler{tasks: map[string]care.Task{}} }

func (s *scheduler) Schedule(_ context.Context, t care.Task) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tasks[t.ID]; !ok {
		s.tasks[t.ID] = t
	}
	return nil
}

func (s *scheduler) Cancel(_ context.Context, t care.Task) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tasks, t.ID)
	return nil
}

// pending lists the scheduled tasks by due time, then id.
func (s *scheduler) pending() []care.Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]care.Task, 0, len(s.tasks))
	for _, t := range s.tasks {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b care.Task) int {
		if c := a.DueAt.Compare(b.DueAt); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
	return out
}

// fireAll fires every scheduled task in due order, each with the clock set
// just past its due time, retrying failures and dead-lettering a task that
// fails every attempt. It returns how many invocations failed.
func (s *scheduler) fireAll(now *clock, fire func(context.Context, care.TaskRef) error) (failures int) {
	for _, t := range s.pending() {
		now.Set(t.DueAt.Add(time.Minute))
		ref := care.TaskRef{Ticket: t.Ticket, ID: t.ID}
		var err error
		for range maxFireAttempts {
			if err = fire(ctx, ref); err == nil {
				break
			}
			failures++
		}
		if err != nil {
			s.mu.Lock()
			s.dlq = append(s.dlq, deadFire{task: ref, reason: err.Error()})
			s.mu.Unlock()
		}
		_ = s.Cancel(ctx, t)
	}
	return failures
}

// ticketRefs lists the tickets a week touches.
func ticketRefs(t *testing.T, bodies [][]byte) []care.TicketRef {
	t.Helper()
	seen := map[care.TicketRef]bool{}
	var out []care.TicketRef
	for _, b := range bodies {
		ins, err := zendesk.Helpdesk{}.Normalize(care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, Body: b})
		if err != nil {
			continue // the poison delivery
		}
		for _, in := range ins {
			if !seen[in.Ticket] {
				seen[in.Ticket] = true
				out = append(out, in.Ticket)
			}
		}
	}
	return out
}

// compareTicket reports every way got differs from want: state field by
// field (folded from each timeline, as process and fire fold it), timeline,
// tasks, moments and facts, and duplicates in any of them.
func compareTicket(t *testing.T, ref care.TicketRef, got, want care.TicketRecord) {
	t.Helper()
	gv, wv := reflect.ValueOf(care.Fold(ref, got.Timeline)), reflect.ValueOf(care.Fold(ref, want.Timeline))
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("ticket %s: %s = %v, want %v", ref, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
	if !reflect.DeepEqual(got.Timeline, want.Timeline) {
		t.Errorf("ticket %s: timelines differ (%d vs %d interactions)", ref, len(got.Timeline), len(want.Timeline))
	}
	taskKeys := func(ts []care.Task) []string {
		var out []string
		for _, x := range ts {
			out = append(out, fmt.Sprintf("%s %s due %s", x.ID, x.Status, x.DueAt.Format(time.RFC3339)))
		}
		slices.Sort(out)
		return out
	}
	if g, w := taskKeys(got.Tasks), taskKeys(want.Tasks); !slices.Equal(g, w) {
		t.Errorf("ticket %s: tasks\n got %q\nwant %q", ref, g, w)
	}
	momentIDs := func(ms []care.Moment) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		slices.Sort(out)
		return out
	}
	if g, w := momentIDs(got.Moments), momentIDs(want.Moments); !slices.Equal(g, w) {
		t.Errorf("ticket %s: moments %q, want %q", ref, g, w)
	}
	factIDs := func(fs []care.Fact) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.ID)
		}
		slices.Sort(out)
		return out
	}
	if g, w := factIDs(got.Facts), factIDs(want.Facts); !slices.Equal(g, w) {
		t.Errorf("ticket %s: facts %q, want %q", ref, g, w)
	}
}
