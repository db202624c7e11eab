//go:build bench

package bench_test

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carecoach/carecoach/events/synth"
	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/localsched"
	"github.com/carecoach/carecoach/shared/wire"
)

const (
	weekAgents = 12
	weekEvents = 2400
)

// phase is one function's share of the week: its own DynamoDB client
// behind its own counting proxy, and its handler time.
type phase struct {
	name    string
	proxy   *ddbproxy.Proxy
	store   *dynamo.Store
	log     *slog.Logger  // JSON, as in Lambda; only its size is kept
	metrics *emf.Recorder // EMF, flushed after each call as in Lambda
	logged  *byteCount
	calls   int
	elapsed time.Duration
}

// byteCount is a writer that counts what is written to it.
type byteCount struct{ n atomic.Int64 }

func (b *byteCount) Write(p []byte) (int, error) { b.n.Add(int64(len(p))); return len(p), nil }

func newPhase(t *testing.T, name, table string, now func() time.Time) *phase {
	p, err := ddbproxy.Start(stack.DynamoEndpoint, ddbproxy.Options{ConsumedCapacity: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	cfg := dynamotest.LocalConfig()
	cfg.HTTPClient = &http.Client{Transport: transport(t)}
	logged := &byteCount{}
	return &phase{name: name, proxy: p, store: dynamo.New(dynamo.NewClient(cfg, p.URL()), table, now),
		log: slog.New(slog.NewJSONHandler(logged, nil)), logged: logged,
		metrics: emf.New(logged, "CareCoach", map[string]string{"Function": name, "Stage": "bench"}, time.Now)}
}

// time runs one invocation's work, with the phase's metrics in its
// context as the Lambda handler has them.
func (p *phase) time(f func(ctx context.Context) error) error {
	t0 := time.Now()
	err := f(emf.WithRecorder(ctx, p.metrics))
	if ferr := p.metrics.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	p.elapsed += time.Since(t0)
	p.calls++
	return err
}

// weekTeam is the demo team with the synthetic week's agents on it.
func weekTeam(t *testing.T, agents int, o synth.Options) care.Team {
	team, err := teamconfig.Load("../dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range agents {
		team.Members = append(team.Members, care.Member{
			Name: fmt.Sprintf("Agent %d", i), Email: fmt.Sprintf("agent%d@acme-support.example", i),
			HelpdeskIDs: map[string]string{"acme-zendesk": o.AgentID(i)}, Manager: "jordan.reyes@acme-support.example",
		})
	}
	return team
}

// measureProcessing runs a synthetic week as it would happen: the clock
// moves to each delivery's time, due tasks fire first, then the delivery
// goes through ingest and process; at the end the clock moves on ten days
// so that follow-ups come due. Ingest, process and fire each have their
// own client behind a counting proxy that asks DynamoDB for the capacity
// each request consumed.
func measureProcessing(t *testing.T, r *report) {
	o := synth.Options{Seed: 5, Agents: weekAgents, Events: weekEvents, Start: monday, FirstAgentID: 3001}
	week, err := synth.Week(o)
	if err != nil {
		t.Fatal(err)
	}
	direct, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	clock := localsched.FixedClock(monday)
	ingestP, processP, fireP := newPhase(t, "ingest", table, clock.Now), newPhase(t, "process", table, clock.Now), newPhase(t, "fire", table, clock.Now)
	if err := ingestP.store.PutTeam(ctx, weekTeam(t, weekAgents, o)); err != nil {
		t.Fatal(err)
	}
	ingestP.proxy.Reset()

	// Each function wired as its Lambda wires it, with its own client.
	sched := &countingScheduler{Scheduler: localsched.New(clock, quiet)}
	ingest, err := wire.Ingest(wire.Base{Now: clock.Now, Log: ingestP.log}, ingestP.store, oneSecret{})
	if err != nil {
		t.Fatal(err)
	}
	process, err := wire.Process(wire.Base{Now: clock.Now, Log: processP.log}, processP.store, sched, apihistory.Opener{Tokens: noTokens{}})
	if err != nil {
		t.Fatal(err)
	}
	mailer := sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach@acme-support.example", "")
	fire, err := wire.Fire(wire.Base{Now: clock.Now, Log: fireP.log}, fireP.store, wire.Mail{Mailer: mailer,
		From: "carecoach@acme-support.example", Keys: care.Secret(tokenKey), ReplyDomain: "reply.acme-support.example"})
	if err != nil {
		t.Fatal(err)
	}
	sched.SetFire(func(_ context.Context, ref care.TaskRef) error {
		return fireP.time(func(c context.Context) error { return fire.Task(c, ref) })
	})
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}

	tickets := map[string]bool{}
	interactions := 0
	for _, d := range week {
		if d.At.After(clock.Now()) {
			clock.Advance(d.At.Sub(clock.Now()))
		}
		sched.RunDue(ctx)
		ts := clock.Now().UTC().Format(time.RFC3339)
		h := http.Header{}
		h.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
		h.Set("X-Zendesk-Webhook-Signature", zendesk.Sign([]byte(secret), ts, d.Body))
		var rc app.Receipt
		if err := ingestP.time(func(ctx context.Context) (err error) {
			rc, err = ingest.Accept(ctx, app.Webhook{Source: "zendesk", Connection: "acme-zendesk", Header: h, Body: d.Body})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		ins, err := zendesk.Helpdesk{}.Normalize(rc.Delivery)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			tickets[in.Ticket.TicketID] = true
		}
		interactions += len(ins)
		if err := processP.time(func(ctx context.Context) error { return process.Delivery(ctx, rc.Delivery) }); err != nil {
			t.Fatal(err)
		}
	}
	for range 10 * 24 {
		clock.Advance(time.Hour)
		sched.RunDue(ctx)
	}
	if desc, err := direct.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &table}); err == nil && desc.Table.TableSizeBytes != nil {
		r.tableBytes = *desc.Table.TableSizeBytes
	}
	r.partitions = partitionLoad(t, direct, table)
	emails, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fireP.proxy.Snapshot().Ops); n == 0 || fireP.calls == 0 {
		t.Fatalf("no task fired in the week (%d fire calls)", fireP.calls)
	}

	var rows strings.Builder
	var wu, ru float64
	scans := 0
	r.phases = map[string]phaseCost{}
	for _, p := range []*phase{ingestP, processP, fireP} {
		st := p.proxy.Snapshot()
		tot := st.Total()
		for op, s := range st.Ops {
			t.Logf("%s %s: %d requests, %.0f WU, %.0f RU, outcomes %v", p.name, op, s.Requests, s.WriteUnits, s.ReadUnits, s.Outcomes)
		}
		wu, ru = wu+tot.WriteUnits, ru+tot.ReadUnits
		scans += st.Ops["Scan"].Requests
		ops := map[string]int{}
		for op, s := range st.Ops {
			ops[op] = s.Requests
			if s.WriteUnits > 0 {
				ops[op+" write units"] = int(s.WriteUnits + 0.5)
			}
		}
		fmt.Fprintf(&rows, "| %s | %d | %.2f | %.2f | %.2f | %s | %s |\n", p.name, p.calls,
			float64(tot.Requests)/float64(p.calls), tot.WriteUnits/float64(interactions), tot.ReadUnits/float64(interactions),
			ms(p.elapsed/time.Duration(max(1, p.calls))), opCounts(ops))
		failed := 0
		for _, op := range []string{"PutItem", "UpdateItem", "DeleteItem"} {
			failed += st.Ops[op].Outcomes["ConditionalCheckFailedException"]
		}
		r.phases[p.name] = phaseCost{invocations: float64(p.calls), requests: float64(tot.Requests), writeUnits: tot.WriteUnits,
			failedWrites: float64(failed), readUnits: tot.ReadUnits, handler: p.elapsed / time.Duration(max(1, p.calls)),
			logBytes: float64(p.logged.n.Load())}
	}
	r.tickets, r.deliveries, r.interactions = len(tickets), len(week), interactions
	r.schedules, r.emails = sched.scheduled, len(emails)
	perInteraction := wu / float64(interactions)
	var failed float64
	for _, pc := range r.phases {
		failed += pc.failedWrites
	}
	pp := r.phases["process"]
	processing := (pp.writeUnits + pp.failedWrites) / float64(interactions)
	r.target("Write units per interaction, processing (the process function), synthetic week", "≤ 3 on average", fmt.Sprintf("%.2f", processing), processing <= 3)
	all := (wu + failed) / float64(interactions)
	r.target("Write units per interaction, all functions (ingest 1 + process + fire)", "≤ 2.5", fmt.Sprintf("%.2f", all), all <= 2.5)
	fp := r.phases["fire"]
	timeline := processP.proxy.Snapshot().Ops["BatchWriteItem"].WriteUnits / float64(interactions)
	r.missed(fmt.Sprintf("Over by %.2f. Ingest's raw delivery is %.2f of it; process %.2f: the timeline item %.2f, then tasks, and facts and moments, which cost two units each because the team's weekly gsi1 partitions that digests and dashboards read copy them; fire %.2f (tasks' transitions, prompts, sent marks). "+
		"What would meet it, not done yet: ingest writing the delivery as the ticket's timeline item itself (the stream then carries interactions, not raw bodies: about one unit less), and facts kept once, in the team's weekly partition on the table rather than under the ticket and again on gsi1 (the ticket's facts re-derived by folding its timeline).",
		all-2.5, r.phases["ingest"].writeUnits/float64(interactions), processing, timeline, (fp.writeUnits+fp.failedWrites)/float64(interactions)))
	r.section(`## Processing: capacity consumed over a synthetic week

A deterministic week of %d Zendesk deliveries (%d interactions on %d tickets, %d agents) run as it would happen: the clock moves to each delivery's time, due tasks fire first, then the delivery goes through ingest and process; at the end the clock moves ten more days so that follow-ups come due. Each function has its own DynamoDB client behind a counting proxy (shared/dev/ddbproxy) that adds ReturnConsumedCapacity=TOTAL to every request, so the capacity is DynamoDB Local's own accounting. The scheduler is the local one (%d schedules created, %d cancelled); %d emails went to the local SES.

**%.2f write units and %.2f read units per interaction**, ingest, process and fire together, as DynamoDB Local reports them (they include the gsi1 index writes: an item on the index costs two). Conditional writes whose condition failed add %d more (%.3f per interaction): DynamoDB charges them, DynamoDB Local reports nothing for them, so they are counted here at one unit each. Scan requests: %d.

| function | invocations | requests per invocation | write units per interaction | read units per interaction | handler time, mean (local, for scale) | requests |
|---|---|---|---|---|---|---|
%s`,
		len(week), interactions, len(tickets), weekAgents, sched.scheduled, sched.cancelled, len(emails),
		perInteraction, ru/float64(interactions), int(failed), failed/float64(interactions), scans, rows.String())
	if scans != 0 {
		t.Errorf("the week made %d Scan requests", scans)
	}
}

// countingScheduler counts what process asks of the scheduler.
type countingScheduler struct {
	*localsched.Scheduler
	scheduled, cancelled int
}

func (s *countingScheduler) Schedule(c context.Context, t care.Task) error {
	s.scheduled++
	return s.Scheduler.Schedule(c, t)
}

func (s *countingScheduler) Cancel(c context.Context, t care.Task) error {
	s.cancelled++
	return s.Scheduler.Cancel(c, t)
}

// phaseCost is what the cost estimate takes from one function's share.
type phaseCost struct {
	invocations, requests, writeUnits, readUnits float64
	// failedWrites are conditional writes whose condition failed: DynamoDB
	// charges them (at least one write unit each), DynamoDB Local reports
	// no capacity for them.
	failedWrites float64
	handler      time.Duration
	logBytes     float64
}

// partitionLoad counts, after the week, the items in each partition of the
// table and of gsi1 (a bench-only Scan), for the scale model: which
// partitions a team's work lands on, and how much of it.
func partitionLoad(t *testing.T, db *dynamodb.Client, table string) partitions {
	t.Helper()
	base, index := map[string]int{}, map[string]int{}
	p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: &table, ProjectionExpression: aws.String("pk, gsi1pk")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("scan for the scale model: %v", err)
		}
		for _, it := range page.Items {
			if pk, ok := it["pk"].(*types.AttributeValueMemberS); ok {
				base[pk.Value]++
			}
			if pk, ok := it["gsi1pk"].(*types.AttributeValueMemberS); ok {
				index[pk.Value]++
			}
		}
	}
	var out partitions
	for pk, n := range base {
		if strings.HasPrefix(pk, "TICKET#") {
			out.ticketItems += n
			if n > out.busiestTicket {
				out.busiestTicket = n
			}
		}
	}
	for pk, n := range index {
		out.indexItems += n
		// A team's week: MOMENTS#<team>#w<monday> and FACTS#<team>#w<monday>.
		if !strings.HasPrefix(pk, "MOMENTS#") && !strings.HasPrefix(pk, "FACTS#") {
			continue
		}
		if n > out.hottestIndex {
			out.hottestIndex, out.hottestIndexKey = n, pk
		}
	}
	return out
}

// partitions is where the synthetic week's items landed.
type partitions struct {
	ticketItems, busiestTicket int // items on ticket partitions: all, and the busiest ticket's
	indexItems, hottestIndex   int // gsi1 entries: all, and the hottest gsi1 partition's
	hottestIndexKey            string
}
