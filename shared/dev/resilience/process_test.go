package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/awslambda"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/wire"
)

// errKilled is what every store call returns once the processor is dead.
var errKilled = errors.New("processor killed")

// killable is the process service's ticket store, which can die at its
// n-th call: that call is applied or not (a crash before or after the
// write), and every later call fails without touching DynamoDB. It stands
// for a Lambda invocation that crashes or times out mid-batch.
type killable struct {
	app.TicketStore
	mu     sync.Mutex
	calls  int
	killAt int  // 0: never
	apply  bool // whether the fatal call is applied
	dead   bool
}

func (k *killable) arm(at int, apply bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls, k.killAt, k.apply, k.dead = 0, at, apply, false
}

func (k *killable) died() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.dead
}

// step counts a call and says whether to apply it and whether to fail it.
func (k *killable) step() (apply bool, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.dead {
		return false, errKilled
	}
	k.calls++
	if k.killAt > 0 && k.calls == k.killAt {
		k.dead = true
		return k.apply, errKilled
	}
	return true, nil
}

func call[T any](k *killable, f func() (T, error)) (T, error) {
	var zero T
	apply, err := k.step()
	if apply {
		v, ferr := f()
		if err == nil {
			return v, ferr
		}
	}
	return zero, err
}

func (k *killable) SaveInteractions(ctx context.Context, ins []care.Interaction) error {
	_, err := call(k, func() (struct{}, error) { return struct{}{}, k.TicketStore.SaveInteractions(ctx, ins) })
	return err
}

func (k *killable) LoadTicket(ctx context.Context, ref care.TicketRef) (care.TicketRecord, error) {
	return call(k, func() (care.TicketRecord, error) { return k.TicketStore.LoadTicket(ctx, ref) })
}

func (k *killable) SaveMoments(ctx context.Context, ms []care.Moment) (int, error) {
	return call(k, func() (int, error) { return k.TicketStore.SaveMoments(ctx, ms) })
}

func (k *killable) SaveFacts(ctx context.Context, fs []care.Fact) (int, error) {
	return call(k, func() (int, error) { return k.TicketStore.SaveFacts(ctx, fs) })
}

func (k *killable) PutTask(ctx context.Context, t care.Task) (bool, error) {
	return call(k, func() (bool, error) { return k.TicketStore.PutTask(ctx, t) })
}

func (k *killable) TransitionTask(ctx context.Context, ref care.TicketRef, id string, from, to care.TaskStatus, outcome string) (bool, error) {
	return call(k, func() (bool, error) { return k.TicketStore.TransitionTask(ctx, ref, id, from, to, outcome) })
}

// lambdaStream feeds stream records to the process handler the way Lambda
// does for one shard: batches of batchSize; a batch whose invocation dies
// is retried whole; with ReportBatchItemFailures, a batch is retried from
// its first reported failure. After maxBatchRetries retries a batch goes to
// the on-failure queue, with the reason.
type lambdaStream struct {
	handler   func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error)
	store     *killable
	kill      *rand.Rand // nil: never kill
	batchSize int

	kills, partial int
	onFailure      []string
}

const maxBatchRetries = 10

func (l *lambdaStream) run(records []events.DynamoDBEventRecord) error {
	for pos := 0; pos < len(records); {
		batch := records[pos:min(pos+l.batchSize, len(records))]
		pos += len(batch)
		for retry := 0; len(batch) > 0; retry++ {
			if retry > maxBatchRetries {
				for _, r := range batch {
					l.onFailure = append(l.onFailure, r.EventID+": retries exhausted")
				}
				break
			}
			// Die at some point of the first invocation of every batch, and
			// of a third of the retries.
			if l.kill != nil && (retry == 0 || l.kill.IntN(3) == 0) {
				l.store.arm(1+l.kill.IntN(5*len(batch)), l.kill.IntN(2) == 0)
			} else {
				l.store.arm(0, false)
			}
			resp, err := l.handler(ctx, events.DynamoDBEvent{Records: batch})
			if l.store.died() {
				l.kills++
				continue // no answer from a dead invocation: the whole batch again
			}
			if err != nil {
				return fmt.Errorf("process handler failed the whole batch: %w", err)
			}
			if len(resp.BatchItemFailures) == 0 {
				break
			}
			l.partial++
			first := resp.BatchItemFailures[0].ItemIdentifier
			for i, r := range batch {
				if r.Change.SequenceNumber == first {
					batch = batch[i:]
					break
				}
			}
		}
	}
	return nil
}

// newProcess is process as the Lambda wires it, its tickets kept in
// tickets (a store the test can kill mid-batch).
func newProcess(t *testing.T, w *world, tickets app.TicketStore, sched app.Scheduler) *app.Process {
	t.Helper()
	p, err := wire.Process(wire.Base{Now: w.now.Now, Log: quiet}, w.store, sched, apihistory.Opener{Tokens: noTokens{}})
	if err != nil {
		t.Fatal(err)
	}
	p.Tickets = tickets
	return p
}

// noTokens: no connection in these weeks has a help desk API.
type noTokens struct{}

func (noTokens) Get(_ context.Context, name string) (care.Secret, error) {
	return nil, fmt.Errorf("no API token %s in this test", name)
}

// TestAProcessorKilledMidBatchAndRestartedEndsLikeACleanRun processes a
// week twice from the same stored deliveries: once cleanly, and once
// with 10% of DynamoDB requests failing and the processor killed at a
// random point of every batch (the fatal write applied or not), each
// batch then re-fed as Lambda re-feeds it. Every ticket ends in the same
// state, with the same tasks, moments and facts and no duplicates, the
// same tasks are scheduled, and the one delivery that can never be
// processed is dead-lettered once, with its reason.
func TestAProcessorKilledMidBatchAndRestartedEndsLikeACleanRun(t *testing.T) {
	rounds(t, 30, 1500, 0.3, func(t *testing.T, seed uint64, n int) {
		var bodies [][]byte
		for _, d := range week(t, seed, n) {
			bodies = append(bodies, d.Body)
		}
		bodies = append(bodies[:n/2], append([][]byte{poisonBody}, bodies[n/2:]...)...)
		at := func(i int) time.Time { return monday.Add(time.Duration(i) * time.Second) }
		end := monday.Add(8 * 24 * time.Hour)

		clean, faulty := newWorld(t, seed), newWorld(t, seed)
		storeRaw(t, clean, bodies, at)
		storeRaw(t, faulty, bodies, at)
		clean.now.Set(end)
		faulty.now.Set(end)

		cleanSched, faultySched := newScheduler(), newScheduler()
		cleanStore := &killable{TicketStore: clean.store}
		cs := &lambdaStream{handler: awslambda.ProcessHandler(newProcess(t, clean, cleanStore, cleanSched), dynamo.DeliveryFromImage, quiet), store: cleanStore, batchSize: 10}
		faultyStore := &killable{TicketStore: faulty.store}
		fs := &lambdaStream{
			handler: awslambda.ProcessHandler(newProcess(t, faulty, faultyStore, faultySched), dynamo.DeliveryFromImage, quiet), store: faultyStore,
			kill: rand.New(rand.NewPCG(seed, 7)), batchSize: 10,
		}
		cleanRecords, faultyRecords := streamRecords(t, rawItems(t, clean)), streamRecords(t, rawItems(t, faulty))
		// One LoadTicket fails all its SDK attempts: a record failure the
		// handler reports, so Lambda re-feeds the batch from that record.
		for range 4 {
			faulty.proxy.InjectNext("Query", ddbproxy.Fault{Kind: ddbproxy.Unavailable})
		}
		faulty.proxy.SetFaultRate(faultRate)
		var cleanErr, faultyErr error
		var wg sync.WaitGroup
		wg.Go(func() { cleanErr = cs.run(cleanRecords) })
		wg.Go(func() { faultyErr = fs.run(faultyRecords) })
		wg.Wait()
		faulty.proxy.SetFaultRate(0)
		if cleanErr != nil || faultyErr != nil {
			t.Fatalf("clean run: %v; faulty run: %v", cleanErr, faultyErr)
		}
		if cs.partial != 0 || len(cs.onFailure) != 0 {
			t.Fatalf("the clean run had %d partial batches and %v on the failure queue", cs.partial, cs.onFailure)
		}
		st := faulty.proxy.Snapshot()
		t.Logf("%d deliveries in %d batches: %d invocations killed, %d partial batches retried, faults %v",
			len(bodies), (len(bodies)+9)/10, fs.kills, fs.partial, st.Faults)
		if fs.partial == 0 {
			t.Errorf("no batch was re-fed from a reported failure")
		}
		if batches := (len(bodies) + 9) / 10; fs.kills < batches/2 {
			t.Errorf("only %d invocations were killed", fs.kills)
		}
		if st.FaultCount() < 10 {
			t.Errorf("only %d DynamoDB faults were injected", st.FaultCount())
		}
		for _, f := range fs.onFailure {
			t.Errorf("on the failure queue: %s", f)
		}

		for _, ref := range ticketRefs(t, bodies) {
			want, err := clean.direct.LoadTicket(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			got, err := faulty.direct.LoadTicket(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if care.Fold(ref, want.Timeline).Interactions == 0 {
				t.Fatalf("ticket %s has no state in the clean run", ref)
			}
			compareTicket(t, ref, got, want)
		}
		taskIDs := func(ts []care.Task) []string {
			var out []string
			for _, x := range ts {
				out = append(out, x.ID)
			}
			return out
		}
		if g, w := taskIDs(faultySched.pending()), taskIDs(cleanSched.pending()); strings.Join(g, " ") != strings.Join(w, " ") {
			t.Errorf("scheduled tasks differ:\n got %v\nwant %v", g, w)
		}
		for name, w := range map[string]*world{"clean": clean, "faulty": faulty} {
			dead, err := w.direct.DeadLetters(ctx, "acme-zendesk")
			if err != nil {
				t.Fatal(err)
			}
			if len(dead) != 1 || dead[0].Delivery.DedupeKey != "zd-evt-broken" || dead[0].Reason == "" {
				var got []string
				for _, d := range dead {
					got = append(got, d.Delivery.DedupeKey+": "+d.Reason)
				}
				t.Errorf("%s run dead letters = %q, want the poison delivery once, with its reason", name, got)
			}
		}
	})
}
