// Package ddbproxy is an HTTP proxy between an AWS SDK DynamoDB client and
// DynamoDB Local, for tests and benchmarks. It counts what goes through it
// (requests and outcomes per operation, consumed capacity) and can inject
// faults at a seeded rate: added latency, throttling, 500 and 503 errors and
// connection resets, either before the request reaches DynamoDB (nothing is
// applied) or after it (the request is applied but its response is lost).
//
//	p, err := ddbproxy.Start(stack.DynamoEndpoint, ddbproxy.Options{ConsumedCapacity: true})
//	defer p.Close()
//	db := dynamo.NewClient(cfg, p.URL())
//	... use db ...
//	st := p.Snapshot()
//	fmt.Println(st.Ops["PutItem"].Requests, st.Total().WriteUnits)
//
// Every request goes through unchanged except, with ConsumedCapacity, for
// "ReturnConsumedCapacity":"TOTAL" added to the operations that accept it.
// Response bodies are never changed, so the SDK's X-Amz-Crc32 check still
// holds; injected error responses carry no CRC header.
package ddbproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is a kind of injected fault.
type Kind string

const (
	// Latency delays the request by Options.Latency, then serves it normally.
	Latency Kind = "latency"
	// Throttle answers HTTP 400 ProvisionedThroughputExceededException,
	// which the SDK retries with backoff.
	Throttle Kind = "throttle"
	// InternalError answers HTTP 500 InternalServerError.
	InternalError Kind = "500"
	// Unavailable answers HTTP 503 ServiceUnavailable.
	Unavailable Kind = "503"
	// Reset closes the client's connection with a TCP RST and no response.
	Reset Kind = "reset"
)

// Fault is one injected fault: its kind and whether it happens after the
// request was forwarded to DynamoDB (applied there, response lost) or
// before (never reaches DynamoDB).
type Fault struct {
	Kind  Kind
	After bool
}

func (f Fault) String() string {
	if f.After {
		return "after:" + string(f.Kind)
	}
	return "before:" + string(f.Kind)
}

// DefaultFaults is the mix of faults chosen from, uniformly, when
// Options.Faults is empty. Throttling and 503 only happen before: DynamoDB
// does not apply a throttled request. A 500 or a reset can happen after the
// write was applied, which is the case idempotent code must survive.
var DefaultFaults = []Fault{
	{Kind: Latency}, {Kind: Throttle}, {Kind: InternalError}, {Kind: Unavailable}, {Kind: Reset},
	{Kind: InternalError, After: true}, {Kind: Reset, After: true},
}

// Options configures Start. The zero value forwards everything and counts it.
type Options struct {
	// ConsumedCapacity adds "ReturnConsumedCapacity":"TOTAL" to every request
	// of an operation that accepts it (unless it already asks for
	// capacity), and sums the consumed capacity from the responses.
	ConsumedCapacity bool
	// FaultRate is the probability, from 0 to 1, that a request gets a
	// fault. It can be changed later with SetFaultRate.
	FaultRate float64
	// Seed seeds the fault RNG, so that a run's faults can be replayed
	// (given the same order of requests).
	Seed uint64
	// Faults is the mix chosen from uniformly; empty means DefaultFaults.
	Faults []Fault
	// Operations limits random faults to these operations (e.g. "PutItem");
	// empty means every operation.
	Operations []string
	// Latency is the delay of a Latency fault; 0 means 50 ms.
	Latency time.Duration
}

// Proxy is a running proxy. Close it when done.
type Proxy struct {
	target    *url.URL
	opts      Options
	srv       *http.Server
	ln        net.Listener
	transport *http.Transport
	faultOps  map[string]bool
	rate      atomic.Uint64 // math.Float64bits of the fault rate

	mu       sync.Mutex // guards rng, queued and stats
	rng      *rand.Rand
	queued   map[string][]Fault
	ops      map[string]*OpStats
	faultsBy map[string]int
}

// Start starts a proxy to target (e.g. DynamoDB Local's
// http://127.0.0.1:8000) listening on a free port of 127.0.0.1.
func Start(target string, opts Options) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("ddbproxy: target %q is not an absolute URL", target)
	}
	if opts.FaultRate < 0 || opts.FaultRate > 1 {
		return nil, fmt.Errorf("ddbproxy: fault rate %v is not between 0 and 1", opts.FaultRate)
	}
	if len(opts.Faults) == 0 {
		opts.Faults = DefaultFaults
	}
	if opts.Latency == 0 {
		opts.Latency = 50 * time.Millisecond
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("ddbproxy: listen: %w", err)
	}
	p := &Proxy{
		target: u,
		opts:   opts,
		ln:     ln,
		transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     30 * time.Second,
			// Forward the bytes as they are: DynamoDB's CRC32 covers them.
			DisableCompression: true,
		},
		rng:      rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		queued:   map[string][]Fault{},
		ops:      map[string]*OpStats{},
		faultsBy: map[string]int{},
	}
	if len(opts.Operations) > 0 {
		p.faultOps = map[string]bool{}
		for _, op := range opts.Operations {
			p.faultOps[op] = true
		}
	}
	p.SetFaultRate(opts.FaultRate)
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// URL is the proxy's base URL, for the SDK client's BaseEndpoint.
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// Close stops the proxy at once, closing open connections.
func (p *Proxy) Close() error {
	err := p.srv.Close()
	p.transport.CloseIdleConnections()
	if err != nil {
		return fmt.Errorf("ddbproxy: close: %w", err)
	}
	return nil
}

// SetFaultRate changes the probability of a random fault (0 turns random
// faults off; queued ones still happen).
func (p *Proxy) SetFaultRate(rate float64) {
	p.rate.Store(math.Float64bits(rate))
}

// InjectNext makes the next request of operation op get fault f, whatever
// the fault rate. Calls queue up in order.
func (p *Proxy) InjectNext(op string, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queued[op] = append(p.queued[op], f)
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := operation(r.Header.Get("X-Amz-Target"))
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "ddbproxy: read request: "+err.Error(), http.StatusBadRequest)
		return
	}
	fault, faulty := p.begin(op)
	if faulty && fault.Kind == Latency {
		if !sleep(r.Context(), p.opts.Latency) {
			return
		}
	}
	if faulty && !fault.After && fault.Kind != Latency {
		p.inject(w, fault)
		return
	}
	if p.opts.ConsumedCapacity && capacityOps[op] {
		body = withConsumedCapacity(body)
	}
	resp, respBody, err := p.forward(r, body)
	if err != nil {
		p.record(op, func(o *OpStats) { o.Forwarded++; o.Outcomes["UpstreamError"]++ })
		http.Error(w, "ddbproxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	outcome := outcomeOf(resp.StatusCode, respBody)
	var read, write float64
	if p.opts.ConsumedCapacity && resp.StatusCode == http.StatusOK {
		read, write = consumed(op, resp.Header.Get("Content-Encoding"), respBody)
	}
	p.record(op, func(o *OpStats) {
		o.Forwarded++
		o.Outcomes[outcome]++
		o.ReadUnits += read
		o.WriteUnits += write
	})
	if faulty && fault.After && fault.Kind != Latency {
		p.inject(w, fault)
		return
	}
	h := w.Header()
	for k, vs := range resp.Header {
		if hopByHop[http.CanonicalHeaderKey(k)] {
			continue
		}
		h[k] = vs
	}
	h.Set("Content-Length", strconv.Itoa(len(respBody)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(respBody)
}

// begin counts a request and decides its fault.
func (p *Proxy) begin(op string) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o := p.opLocked(op)
	o.Requests++
	var f Fault
	if q := p.queued[op]; len(q) > 0 {
		f, p.queued[op] = q[0], q[1:]
	} else {
		rate := math.Float64frombits(p.rate.Load())
		if rate <= 0 || (p.faultOps != nil && !p.faultOps[op]) || p.rng.Float64() >= rate {
			return Fault{}, false
		}
		f = p.opts.Faults[p.rng.IntN(len(p.opts.Faults))]
	}
	o.Faults[f.String()]++
	p.faultsBy[f.String()]++
	return f, true
}

func (p *Proxy) record(op string, update func(*OpStats)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	update(p.opLocked(op))
}

func (p *Proxy) opLocked(op string) *OpStats {
	o := p.ops[op]
	if o == nil {
		o = &OpStats{Outcomes: map[string]int{}, Faults: map[string]int{}}
		p.ops[op] = o
	}
	return o
}

func (p *Proxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	u := *p.target
	u.Path = singleSlash(p.target.Path, r.URL.Path)
	u.RawQuery = r.URL.RawQuery
	out, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range r.Header {
		if hopByHop[k] || k == "Content-Length" {
			continue
		}
		out.Header[k] = vs
	}
	out.ContentLength = int64(len(body))
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		return nil, nil, fmt.Errorf("forward %s: %w", r.Header.Get("X-Amz-Target"), err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, fmt.Errorf("read response: %w", err)
	}
	return resp, respBody, nil
}

// inject answers with fault f (never Latency).
func (p *Proxy) inject(w http.ResponseWriter, f Fault) {
	switch f.Kind {
	case Throttle:
		writeError(w, http.StatusBadRequest, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
			"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.")
	case InternalError:
		writeError(w, http.StatusInternalServerError, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error")
	case Unavailable:
		writeError(w, http.StatusServiceUnavailable, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable", "Service unavailable")
	case Reset:
		reset(w)
	default:
		writeError(w, http.StatusInternalServerError, "com.amazonaws.dynamodb.v20120810#InternalServerError", "ddbproxy: unknown fault "+string(f.Kind))
	}
}

var requestIDs atomic.Uint64

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{typ, msg})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("DDBPROXY%016d", requestIDs.Add(1)))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// reset closes the client's connection with an RST and no response.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		writeError(w, http.StatusInternalServerError, "com.amazonaws.dynamodb.v20120810#InternalServerError", "ddbproxy: cannot hijack to reset")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close sends RST
	}
	_ = conn.Close()
}

// operation is the operation name in an X-Amz-Target header
// ("DynamoDB_20120810.PutItem" → "PutItem").
func operation(target string) string {
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		return target[i+1:]
	}
	if target == "" {
		return "unknown"
	}
	return target
}

// capacityOps accept ReturnConsumedCapacity.
var capacityOps = map[string]bool{
	"GetItem": true, "PutItem": true, "UpdateItem": true, "DeleteItem": true,
	"Query": true, "Scan": true, "BatchGetItem": true, "BatchWriteItem": true,
	"TransactGetItems": true, "TransactWriteItems": true,
	"ExecuteStatement": true, "BatchExecuteStatement": true, "ExecuteTransaction": true,
}

// writeOps consume write capacity.
var writeOps = map[string]bool{
	"PutItem": true, "UpdateItem": true, "DeleteItem": true, "BatchWriteItem": true, "TransactWriteItems": true,
}

var hopByHop = map[string]bool{
	"Connection": true, "Proxy-Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true,
	"Proxy-Authorization": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

func singleSlash(a, b string) string {
	switch {
	case a == "":
		return b
	case strings.HasSuffix(a, "/") && strings.HasPrefix(b, "/"):
		return a + b[1:]
	case !strings.HasSuffix(a, "/") && !strings.HasPrefix(b, "/"):
		return a + "/" + b
	}
	return a + b
}

// sleep waits d unless ctx ends first; it tells whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func copyMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
