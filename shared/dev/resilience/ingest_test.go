package resilience_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/adapters/httpapi"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/wire"
)

type oneSecret struct{}

func (oneSecret) WebhookSecret(context.Context, string) (care.Secret, error) { return secret, nil }

// helpDesk delivers webhooks the way Zendesk does: signed, several at a
// time, and again after any 5xx or broken connection until acknowledged.
type helpDesk struct {
	url    string
	client *http.Client
	mu     sync.Mutex
	acks   map[string]int // dedupe key → 2xx answers
	sends  int
	failed int      // 5xx answers and broken connections, each resent
	errors []string // answers a help desk would not retry (4xx)
}

// maxSends bounds the resends of one delivery. Zendesk retries for hours;
// here a delivery still refused after this many tries fails the test.
const maxSends = 30

func (h *helpDesk) deliver(body []byte) {
	key, _ := zendesk.Helpdesk{}.DedupeKey(nil, body)
	for try := 1; try <= maxSends; try++ {
		ts := time.Now().UTC().Format(time.RFC3339)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url+"/webhooks/zendesk/acme-zendesk", bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
		req.Header.Set("X-Zendesk-Webhook-Signature", zendesk.Sign(secret, ts, body))
		resp, err := h.client.Do(req)
		h.mu.Lock()
		h.sends++
		h.mu.Unlock()
		if err != nil {
			h.mu.Lock()
			h.failed++
			h.mu.Unlock()
			continue // a broken connection: send again
		}
		msg, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		switch {
		case resp.StatusCode/100 == 2:
			h.mu.Lock()
			h.acks[key]++
			h.mu.Unlock()
			return
		case resp.StatusCode >= 500:
			h.mu.Lock()
			h.failed++
			h.mu.Unlock()
			continue
		default:
			h.mu.Lock()
			h.errors = append(h.errors, fmt.Sprintf("%s: HTTP %d: %s", key, resp.StatusCode, msg))
			h.mu.Unlock()
			return
		}
	}
	h.mu.Lock()
	h.errors = append(h.errors, fmt.Sprintf("%s: not acknowledged after %d sends", key, maxSends))
	h.mu.Unlock()
}

// TestEveryAcknowledgedDeliveryIsStoredExactlyOnce sends a week of webhooks
// with 30% resends, 8 at a time, through the real HTTP handler and ingest,
// while 10% of DynamoDB requests meet latency, throttling, 5xx errors or
// resets, some of them after the write was applied. The help desk resends
// whatever got a 5xx. In the end every delivery is acknowledged and stored
// exactly once, and nothing else is stored.
func TestEveryAcknowledgedDeliveryIsStoredExactlyOnce(t *testing.T) {
	rounds(t, 150, 2000, 0.4, func(t *testing.T, seed uint64, n int) {
		w := newWorld(t, seed)
		ingest, err := wire.Ingest(wire.Base{Now: time.Now, Log: quiet}, w.store, oneSecret{})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(httpapi.Handler(ingest, quiet))
		defer srv.Close()

		var bodies [][]byte
		unique := map[string]bool{}
		for _, d := range week(t, seed, n) {
			bodies = append(bodies, d.Body)
		}
		bodies = append(bodies, poisonBody) // stored like any other; process dead-letters it
		for _, b := range bodies {
			key, err := zendesk.Helpdesk{}.DedupeKey(nil, b)
			if err != nil {
				t.Fatal(err)
			}
			unique[key] = true
		}
		r := rand.New(rand.NewPCG(seed, 99))
		for range len(bodies) * 3 / 10 {
			bodies = append(bodies, bodies[r.IntN(len(bodies))])
		}
		r.Shuffle(len(bodies), func(i, j int) { bodies[i], bodies[j] = bodies[j], bodies[i] })

		hd := &helpDesk{url: srv.URL, client: &http.Client{Timeout: time.Minute}, acks: map[string]int{}}

		// For certain, one at a time: a delivery whose every SDK attempt
		// fails before reaching DynamoDB (ingest answers 5xx, the help desk
		// resends), and one whose first attempt is applied but every answer
		// is lost (5xx too; the resend finds it stored).
		for i, seq := range [][]ddbproxy.Fault{
			{{Kind: ddbproxy.Unavailable}, {Kind: ddbproxy.Throttle}, {Kind: ddbproxy.Reset}, {Kind: ddbproxy.InternalError}},
			{{Kind: ddbproxy.InternalError, After: true}, {Kind: ddbproxy.Reset, After: true}, {Kind: ddbproxy.InternalError, After: true}, {Kind: ddbproxy.Reset, After: true}},
		} {
			for _, f := range seq {
				w.proxy.InjectNext("PutItem", f)
			}
			hd.deliver(bodies[i])
		}
		if hd.failed < 2 {
			t.Errorf("the help desk resent %d times after exhausted SDK retries, want at least 2", hd.failed)
		}
		// And at random: lost answers to single attempts.
		for _, f := range []ddbproxy.Fault{{Kind: ddbproxy.InternalError, After: true}, {Kind: ddbproxy.Reset, After: true}} {
			for range 3 {
				w.proxy.InjectNext("PutItem", f)
			}
		}
		w.proxy.SetFaultRate(faultRate)
		work := make(chan []byte)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for b := range work {
					hd.deliver(b)
				}
			})
		}
		for _, b := range bodies {
			work <- b
		}
		close(work)
		wg.Wait()
		w.proxy.SetFaultRate(0)

		for _, e := range hd.errors {
			t.Errorf("help desk: %s", e)
		}
		stored := map[string]int{}
		for _, it := range rawItems(t, w) {
			key, _ := it["dedupeKey"].(*types.AttributeValueMemberS)
			if key == nil {
				t.Fatalf("raw item without a dedupe key: %v", it)
			}
			stored[key.Value]++
		}
		for key := range unique {
			if hd.acks[key] == 0 {
				t.Errorf("delivery %s was never acknowledged", key)
			}
			if stored[key] != 1 {
				t.Errorf("delivery %s is stored %d times, want exactly 1", key, stored[key])
			}
		}
		if len(stored) != len(unique) {
			t.Errorf("%d deliveries stored, want %d", len(stored), len(unique))
		}

		st := w.proxy.Snapshot()
		put := st.Ops["PutItem"]
		t.Logf("%d unique deliveries, %d sent, %d sends incl. %d resends after a 5xx or a broken connection; DynamoDB: %d requests, faults %v; PutItem answers %v",
			len(unique), len(bodies)+2, hd.sends, hd.failed, st.Total().Requests, st.Faults, put.Outcomes)
		if st.Faults["after:500"]+st.Faults["after:reset"] < 10 {
			t.Errorf("only %v faults after forwarding: the lost-answer case was not exercised", st.Faults)
		}
		if st.FaultCount() < 10 {
			t.Errorf("only %d faults injected: the test did not test much", st.FaultCount())
		}
	})
}
