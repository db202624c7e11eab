package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/events/synth"
	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/localsched"
	"github.com/carecoach/carecoach/shared/wire"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var (
	ctx    = context.Background()
	quiet  = slog.New(slog.NewTextHandler(io.Discard, nil))
	secret = care.Secret("week-secret")
	monday = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
)

type oneSecret struct{}

func (oneSecret) WebhookSecret(context.Context, string) (care.Secret, error) { return secret, nil }

// pipeline is ingest and process on one fresh table, driven in-process the
// way the dev server drives them (one stream shard).
type pipeline struct {
	store   *dynamo.Store
	db      *dynamodb.Client
	table   string
	ingest  *app.Ingest
	process *app.Process
	sched   *localsched.Scheduler
	now     time.Time
}

func newPipeline(t *testing.T) *pipeline {
	t.Helper()
	now := monday.Add(8 * 24 * time.Hour)
	store, db, table := dynamotest.NewStore(t, stack.DynamoEndpoint, func() time.Time { return now })
	team, err := teamconfig.Load("../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	sched := localsched.New(localsched.FixedClock(now), quiet)
	base := wire.Base{Now: func() time.Time { return now }, Log: quiet}
	ingest, err := wire.Ingest(base, store, oneSecret{})
	if err != nil {
		t.Fatal(err)
	}
	process, err := wire.Process(base, store, sched, apihistory.Opener{Tokens: noTokens{}})
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline{store: store, db: db, table: table, sched: sched, now: now, ingest: ingest, process: process}
}

// noTokens: the pipeline's connections have no help desk API until a
// test gives them one (and its own way to read it).
type noTokens struct{}

func (noTokens) Get(_ context.Context, name string) (care.Secret, error) {
	return nil, fmt.Errorf("no API token %s in this test", name)
}

// deliver sends one body through ingest and, when it is new, through process.
func (p *pipeline) deliver(body []byte) error {
	ts := p.now.Format(time.RFC3339)
	h := http.Header{}
	h.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
	h.Set("X-Zendesk-Webhook-Signature", zendesk.Sign(secret, ts, body))
	r, err := p.ingest.Accept(ctx, app.Webhook{Source: "zendesk", Connection: "acme-zendesk", Header: h, Body: body})
	if err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if r.Duplicate {
		return nil
	}
	return p.process.Delivery(ctx, r.Delivery)
}

func TestAShuffledWeekWithDuplicatesEndsInTheSameStateAsACleanRun(t *testing.T) {
	week, err := synth.Week(synth.Options{Seed: 7, Agents: 6, Events: 1400, Start: monday, FirstAgentID: 2000})
	if err != nil {
		t.Fatal(err)
	}
	// 600 duplicates (30% of the 2,000 deliveries), then shuffle everything.
	r := rand.New(rand.NewPCG(11, 13))
	var messy [][]byte
	for _, d := range week {
		messy = append(messy, d.Body)
	}
	for range 600 {
		messy = append(messy, week[r.IntN(len(week))].Body)
	}
	r.Shuffle(len(messy), func(i, j int) { messy[i], messy[j] = messy[j], messy[i] })
	if len(messy) != 2000 {
		t.Fatalf("built %d deliveries, want 2000", len(messy))
	}

	clean, shuffled := newPipeline(t), newPipeline(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, d := range week {
			if err := clean.deliver(d.Body); err != nil {
				errs[0] = err
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for _, b := range messy {
			if err := shuffled.deliver(b); err != nil {
				errs[1] = err
				return
			}
		}
	}()
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("clean run: %v; shuffled run: %v", errs[0], errs[1])
	}

	for name, p := range map[string]*pipeline{"clean": clean, "shuffled": shuffled} {
		if n := countRaw(t, p); n != len(week) {
			t.Errorf("%s run stored %d raw deliveries, want one per unique delivery (%d)", name, n, len(week))
		}
		if dead, _ := p.store.DeadLetters(ctx, "acme-zendesk"); len(dead) != 0 {
			t.Errorf("%s run dead-lettered %d deliveries: %+v", name, len(dead), dead[0].Reason)
		}
	}

	tickets := ticketsOf(t, week)
	compared := 0
	for _, ref := range tickets {
		want, err := clean.store.LoadTicket(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		got, err := shuffled.store.LoadTicket(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		// Each state as process and fire fold it from the loaded timeline.
		gotState, wantState := care.Fold(ref, got.Timeline), care.Fold(ref, want.Timeline)
		if wantState.Interactions == 0 {
			t.Fatalf("ticket %s has no state in the clean run", ref)
		}
		compareFields(t, ref, gotState, wantState)
		if !reflect.DeepEqual(got.Timeline, want.Timeline) {
			t.Errorf("ticket %s: timelines differ (%d vs %d interactions)", ref, len(got.Timeline), len(want.Timeline))
		}
		if g, w := pending(got.Tasks), pending(want.Tasks); !slices.Equal(g, w) {
			t.Errorf("ticket %s: pending tasks %v, want %v", ref, g, w)
		}
		compared++
	}
	if g, w := shuffled.sched.Pending(), clean.sched.Pending(); !sameRefs(g, w) {
		t.Errorf("scheduled tasks differ: %d vs %d", len(g), len(w))
	}
	t.Logf("compared %d tickets, %d unique deliveries, %d pending tasks", compared, len(week), len(clean.sched.Pending()))
}

// compareFields reports every differing field by name.
func compareFields(t *testing.T, ref care.TicketRef, got, want care.Ticket) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("ticket %s: %s = %v, want %v", ref, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func pending(tasks []care.Task) []string {
	var out []string
	for _, t := range tasks {
		if t.Status == care.TaskPending {
			out = append(out, t.ID+"@"+t.DueAt.String())
		}
	}
	slices.Sort(out)
	return out
}

func sameRefs(a, b []care.TaskRef) bool {
	key := func(rs []care.TaskRef) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

func ticketsOf(t *testing.T, week []synth.Delivery) []care.TicketRef {
	t.Helper()
	seen := map[care.TicketRef]bool{}
	var out []care.TicketRef
	for _, d := range week {
		ins, err := zendesk.Helpdesk{}.Normalize(care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, Body: d.Body})
		if err != nil {
			t.Fatalf("synthetic delivery does not normalize: %v", err)
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

// countRaw counts raw delivery items. Tests only: it scans.
func countRaw(t *testing.T, p *pipeline) int {
	t.Helper()
	n := 0
	var start map[string]types.AttributeValue
	for {
		out, err := p.db.Scan(ctx, &dynamodb.ScanInput{
			TableName: &p.table, FilterExpression: aws.String("#t = :raw"), ExclusiveStartKey: start,
			ExpressionAttributeNames:  map[string]string{"#t": "type"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":raw": &types.AttributeValueMemberS{Value: "raw"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		n += int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			return n
		}
		start = out.LastEvaluatedKey
	}
}
