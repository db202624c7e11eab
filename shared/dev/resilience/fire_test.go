package resilience_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/wire"
)

// failingSES stands in front of the SES emulator and fails a share of the
// SendEmail calls before they reach it: HTTP 500, 503, or a reset
// connection. With refuse set it refuses every send, as SES does an
// unverified address (400 MessageRejected).
type failingSES struct {
	mu     sync.Mutex
	r      *rand.Rand
	rate   float64
	refuse bool
	faults map[string]int
}

func (f *failingSES) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/outbound-emails") {
		return http.DefaultTransport.RoundTrip(req)
	}
	f.mu.Lock()
	kind := ""
	switch {
	case f.refuse:
		kind = "refused"
	case f.r.Float64() < f.rate:
		kind = []string{"500", "503", "reset"}[f.r.IntN(3)]
	}
	if kind != "" {
		f.faults[kind]++
	}
	f.mu.Unlock()
	answer := func(status int, typ, msg string) (*http.Response, error) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		body := fmt.Sprintf(`{"message":%q}`, msg)
		return &http.Response{
			StatusCode: status, Status: fmt.Sprint(status, " ", http.StatusText(status)), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:        http.Header{"Content-Type": {"application/json"}, "X-Amzn-Errortype": {typ}, "X-Amzn-Requestid": {"failing-ses"}},
			Body:          io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: req,
		}, nil
	}
	switch kind {
	case "refused":
		return answer(http.StatusBadRequest, "MessageRejected", "Email address is not verified. The following identities failed the check: "+req.URL.Host)
	case "500":
		return answer(http.StatusInternalServerError, "InternalFailure", "Internal failure")
	case "503":
		return answer(http.StatusServiceUnavailable, "ServiceUnavailable", "Service unavailable")
	case "reset":
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, errors.New("read tcp 127.0.0.1:0->" + req.URL.Host + ": read: connection reset by peer")
	}
	return http.DefaultTransport.RoundTrip(req)
}

// fireWorld is a world whose week has been processed, ready to fire.
type fireWorld struct {
	*world
	sched *scheduler
	from  string
	fire  *app.Fire
}

// processedWorlds makes one world per entry of ses, stores and processes
// the same week in each without faults (the worlds side by side), then wires
// fire with a mailer whose SES calls go through ses[i] (nil: straight).
func processedWorlds(t *testing.T, seed uint64, bodies [][]byte, ses ...http.RoundTripper) []*fireWorld {
	t.Helper()
	out := make([]*fireWorld, len(ses))
	errs := make([]error, len(ses))
	var wg sync.WaitGroup
	for i, rt := range ses {
		w := newWorld(t, seed)
		fw := &fireWorld{world: w, sched: newScheduler(), from: fmt.Sprintf("carecoach-%s@acme-support.example", w.table)}
		cfg := dynamotest.LocalConfig()
		if rt != nil {
			cfg.HTTPClient = &http.Client{Transport: rt}
			cfg.RetryMaxAttempts = 1 // every failure reaches fire
		}
		fire, err := wire.Fire(wire.Base{Now: w.now.Now, Log: quiet}, w.store, wire.Mail{
			Mailer: sesmail.New(sesmail.NewClient(cfg, stack.SESEndpoint), fw.from, ""),
			From:   fw.from, Keys: care.Secret("resilience-token-key-0123456789"), ReplyDomain: "reply.carecoach.test",
		})
		if err != nil {
			t.Fatal(err)
		}
		fw.fire = fire
		storeRaw(t, w, bodies, func(i int) time.Time { return monday.Add(time.Duration(i) * time.Second) })
		items := rawItems(t, w)
		out[i] = fw
		wg.Go(func() {
			process := newProcess(t, w, w.store, fw.sched)
			for _, it := range items {
				d, _, err := dynamo.DeliveryFromImage(it) // as the stream hands it over
				if err == nil {
					err = process.Delivery(ctx, d)
				}
				if err != nil {
					errs[i] = fmt.Errorf("process %s: %w", attrString(it, "dedupeKey"), err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return out
}

// emails counts the emails a world sent, by recipient and subject.
func (fw *fireWorld) emails(t *testing.T) map[string]int {
	t.Helper()
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range sent {
		if strings.Contains(e.From, fw.from) {
			out[strings.Join(e.To, ",")+" | "+e.Subject]++
		}
	}
	return out
}

// TestFailedSendsAreRetriedAndNoEmailGoesTwice fires a processed week's
// tasks twice: once cleanly, and once with 10% of DynamoDB requests and 30%
// of SES sends failing (the sends before reaching SES), retried as the
// Scheduler retries. The same emails go out, each exactly once; nothing is
// dead-lettered, and every task ends as in the clean run.
func TestFailedSendsAreRetriedAndNoEmailGoesTwice(t *testing.T) {
	rounds(t, 60, 800, 0.3, func(t *testing.T, seed uint64, n int) {
		var bodies [][]byte
		for _, d := range week(t, seed, n) {
			bodies = append(bodies, d.Body)
		}
		ses := &failingSES{r: rand.New(rand.NewPCG(seed, 5)), rate: 0.3, faults: map[string]int{}}
		worlds := processedWorlds(t, seed, bodies, nil, ses)
		clean, faulty := worlds[0], worlds[1]

		if f := clean.sched.fireAll(clean.now, clean.fire.Task); f != 0 || len(clean.sched.dlq) != 0 {
			t.Fatalf("the clean run had %d failed invocations and dead letters %v", f, clean.sched.dlq)
		}
		// For certain: the first updates (claims among them) are applied
		// but their answers lost.
		for range 3 {
			faulty.proxy.InjectNext("UpdateItem", ddbproxy.Fault{Kind: ddbproxy.Reset, After: true})
		}
		faulty.proxy.SetFaultRate(faultRate)
		failures := faulty.sched.fireAll(faulty.now, faulty.fire.Task)
		faulty.proxy.SetFaultRate(0)

		want, got := clean.emails(t), faulty.emails(t)
		if len(want) == 0 {
			t.Fatalf("the clean run sent no email: nothing was tested")
		}
		for k, n := range got {
			if n > 1 {
				t.Errorf("sent %d times: %s", n, k)
			}
			if want[k] == 0 {
				t.Errorf("sent, but not in the clean run: %s", k)
			}
		}
		for k := range want {
			if got[k] == 0 {
				t.Errorf("never sent: %s", k)
			}
		}
		for _, d := range faulty.sched.dlq {
			t.Errorf("dead-lettered after %d attempts: %s: %s", maxFireAttempts, d.task.ID, d.reason)
		}
		st := faulty.proxy.Snapshot()
		t.Logf("%d emails; %d failed fire invocations retried; SES faults %v; DynamoDB faults %v", len(want), failures, ses.faults, st.Faults)
		if ses.faults["500"]+ses.faults["503"]+ses.faults["reset"] == 0 || failures == 0 {
			t.Errorf("no send failed (SES faults %v, failed invocations %d): nothing was tested", ses.faults, failures)
		}

		for _, ref := range ticketRefs(t, bodies) {
			w, err := clean.direct.LoadTicket(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			g, err := faulty.direct.LoadTicket(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			compareTicket(t, ref, g, w)
			outcomes := func(ts []care.Task) []string {
				var out []string
				for _, x := range ts {
					out = append(out, x.ID+": "+x.Outcome)
				}
				slices.Sort(out)
				return out
			}
			if g, w := outcomes(g.Tasks), outcomes(w.Tasks); !slices.Equal(g, w) {
				t.Errorf("ticket %s: task outcomes\n got %q\nwant %q", ref, g, w)
			}
		}
	})
}

// TestASendSESAlwaysRefusesIsDeadLetteredWithItsReason fires tasks whose
// every send SES refuses. Each invocation fails and releases its task, the
// Scheduler retries it to the end and dead-letters it with SES's reason,
// and the task is left pending, marked for retry: nothing is lost silently
// and nothing is sent.
func TestASendSESAlwaysRefusesIsDeadLetteredWithItsReason(t *testing.T) {
	var bodies [][]byte
	for _, d := range week(t, 1, 30) {
		bodies = append(bodies, d.Body)
	}
	ses := &failingSES{r: rand.New(rand.NewPCG(1, 5)), refuse: true, faults: map[string]int{}}
	fw := processedWorlds(t, 1, bodies, ses)[0]
	fw.sched.fireAll(fw.now, fw.fire.Task)

	if n := len(fw.emails(t)); n != 0 {
		t.Errorf("%d emails went out past a refusing SES", n)
	}
	if ses.faults["refused"] == 0 || len(fw.sched.dlq) == 0 {
		t.Fatalf("no send was refused (%v) or nothing dead-lettered (%v): nothing was tested", ses.faults, fw.sched.dlq)
	}
	if got, want := ses.faults["refused"], len(fw.sched.dlq)*maxFireAttempts; got != want {
		t.Errorf("SES refused %d sends, want %d: %d attempts for each of %d dead-lettered tasks", got, want, maxFireAttempts, len(fw.sched.dlq))
	}
	for _, d := range fw.sched.dlq {
		if !strings.Contains(d.reason, "MessageRejected") || !strings.Contains(d.reason, d.task.ID) {
			t.Errorf("dead letter of %s has reason %q, want SES's MessageRejected and the task", d.task.ID, d.reason)
		}
		task, err := fw.direct.Task(ctx, d.task.Ticket, d.task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if task.Status != care.TaskPending || task.Outcome != "send failed, will retry" {
			t.Errorf("task %s is %s (%q), want pending, marked for retry", task.ID, task.Status, task.Outcome)
		}
	}
}
