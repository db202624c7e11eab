package dynamo_test

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/goldenfile"
)

// The domain structs are marshalled as they are, so renaming a field or a
// tag in package care would silently change what is stored and make what
// was stored before unreadable. This test writes one item of every kind,
// with every field set, and pins the attribute names of each kind in
// testdata/schema.golden: a change to the stored shape shows up as a diff
// to review (go test ./shared/adapters/dynamo -run Schema -update).
func TestTheStoredShapeOfEveryItemKindIsPinned(t *testing.T) {
	store, db, table := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	at := t0.Add(-time.Hour)
	d := filled[care.Delivery]()
	d.ReceivedAt = t0
	_, err := store.PutDelivery(ctx, d)
	must("delivery", err)
	must("dead letter", store.DeadLetter(ctx, d, "a reason"))

	in := filled[care.Interaction]()
	in.Ticket, in.At = ref, at
	// An agent's reply too: it is stored like any other interaction, with
	// no index attributes (an entry per agent on gsi1 cost write units and
	// nothing read it).
	reply := filled[care.Interaction]()
	reply.ID, reply.Ticket, reply.At, reply.Kind = "reply", ref, at, care.AgentReply
	must("interaction", store.SaveInteractions(ctx, []care.Interaction{in, reply}))

	task := filled[care.Task]()
	task.Ticket, task.DueAt = ref, t0.Add(time.Hour)
	_, err = store.PutTask(ctx, task)
	must("task", err)

	m := filled[care.Moment]()
	m.Ticket, m.At = ref, at
	_, err = store.SaveMoments(ctx, []care.Moment{m})
	must("moment", err)
	f := filled[care.Fact]()
	f.Ticket, f.At = ref, at
	_, err = store.SaveFacts(ctx, []care.Fact{f})
	must("fact", err)

	p := filled[care.Prompt]()
	p.ID, p.SentAt, p.ExpiresAt = "p-1", t0, t0.Add(24*time.Hour)
	_, err = store.PutPrompt(ctx, p)
	must("prompt", err)
	fb := filled[care.Feedback]()
	fb.At = at
	_, err = store.SaveFeedback(ctx, fb)
	must("feedback", err)
	must("skip", store.SkipItem(ctx, "p-1", 2, t0))
	ag := filled[care.AgendaSent]()
	ag.PromptID, ag.SentAt = "p-1", t0
	_, err = store.PutAgenda(ctx, ag)
	must("agenda", err)
	_, err = store.ClaimMessage(ctx, "<m-1@mail.example>")
	must("inbound message", err)

	team := filled[care.Team]()
	team.ID = "support"
	must("team", store.PutTeam(ctx, team))
	ca := filled[care.ClimateAnswer]()
	ca.At = at
	_, err = store.SaveClimateAnswer(ctx, ca)
	must("climate answer", err)
	must("cursor", store.SaveCursor(ctx, "acme-zendesk", "1796000000"))
	cb := filled[care.CheckBack]()
	cb.SaidAt, cb.DueAt = at, t0
	_, err = store.PutCheckBack(ctx, cb) // sent: off the due index
	must("check-back", err)
	cb.ID, cb.Status, cb.SentAt = "cb-due", care.CheckBackPending, time.Time{}
	_, err = store.PutCheckBack(ctx, cb) // still to send: on the due index
	must("due check-back", err)

	fr := filled[care.FeedbackRequest]()
	fr.AskedAt = at
	_, err = store.PutFeedbackRequest(ctx, fr)
	must("feedback request", err)

	ua := filled[care.UpwardAnswer]()
	ua.Month, ua.Score = "2026-12", 4
	_, err = store.SaveUpwardAnswer(ctx, ua)
	must("upward answer", err)
	_, err = store.ClaimUpwardThanks(ctx, ua.UpwardRef, t0)
	must("upward thanks", err)

	golden := schema(t, db, table)
	for _, kind := range []string{"raw", "dead", "interaction", "task", "moment", "fact", "prompt", "feedback", "last_feedback", "skip", "agenda", "inbound_message", "team", "connection", "member", "climate_answer", "api_connection", "cursor", "check_back", "feedback_request", "upward_answer", "upward_thanks"} {
		if !strings.Contains(golden, "\n"+kind+":") && !strings.HasPrefix(golden, kind+":") {
			t.Errorf("no %s item was written: the test no longer covers every kind", kind)
		}
	}
	goldenfile.Check(t, "testdata/schema.golden", []byte(golden))
}

// schema lists each item type's attribute paths, sorted: a map's keys as
// name.key, a list's elements as name[].
func schema(t *testing.T, db *dynamodb.Client, table string) string {
	t.Helper()
	kinds := map[string]map[string]bool{}
	p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: &table})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Items {
			kind := "?"
			if v, ok := item["type"].(*types.AttributeValueMemberS); ok {
				kind = v.Value
			}
			if kinds[kind] == nil {
				kinds[kind] = map[string]bool{}
			}
			for name, v := range item {
				paths(kinds[kind], name, v)
			}
		}
	}
	var b strings.Builder
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		attrs := make([]string, 0, len(kinds[k]))
		for a := range kinds[k] {
			attrs = append(attrs, a)
		}
		slices.Sort(attrs)
		fmt.Fprintf(&b, "%s:\n  %s\n", k, strings.Join(attrs, "\n  "))
	}
	return b.String()
}

func paths(out map[string]bool, name string, v types.AttributeValue) {
	switch v := v.(type) {
	case *types.AttributeValueMemberM:
		out[name+" (map)"] = true
		for k, sub := range v.Value {
			paths(out, name+"."+k, sub)
		}
	case *types.AttributeValueMemberL:
		out[name+" (list)"] = true
		for _, sub := range v.Value {
			paths(out, name+"[]", sub)
		}
	default:
		out[fmt.Sprintf("%s (%s)", name, strings.TrimPrefix(reflect.TypeOf(v).Elem().Name(), "AttributeValueMember"))] = true
	}
}

// filled is a T with every exported field set to something non-zero, so
// that no attribute is left out by omitempty.
func filled[T any]() T {
	var v T
	fill(reflect.ValueOf(&v).Elem(), 0)
	return v
}

var fillTime = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

func fill(v reflect.Value, depth int) {
	if depth > 6 || !v.CanSet() {
		return
	}
	if v.Type() == reflect.TypeOf(time.Time{}) {
		v.Set(reflect.ValueOf(fillTime))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}

// A webhook secret lives in SSM only: never in the table, whatever the
// caller put in the connection.
func TestNoSecretIsStored(t *testing.T) {
	store, db, table := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	team := filled[care.Team]()
	team.ID = "support"
	team.Connections[0].Secret = care.Secret("the-webhook-secret-value")
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	stored := schema(t, db, table)
	if !strings.Contains(stored, "connection:") || strings.Contains(stored, "Secret") {
		t.Errorf("a connection's secret is stored (or no connection was):\n%s", stored)
	}
}
