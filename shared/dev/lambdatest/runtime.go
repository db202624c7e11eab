// Package lambdatest runs a function's real bootstrap the way Lambda does:
// a Runtime API server (httptest) hands it events and collects its answers,
// and the bootstrap runs as a child process built for the host with the
// Makefile's flags, with the function's environment and the per-service
// endpoints of local emulators or fakes.
//
//	paths, err := lambdatest.Build(ctx, root, dir, "ingest")
//	fn := lambdatest.Start(t, paths["ingest"], lambdatest.Options{Name: "ingest", Env: env})
//	res, err := fn.Invoke(ctx, payload) // res.Response, or res.Error for a function error
//
// A bootstrap that exits (or posts /runtime/init/error) before asking for
// its first event makes Invoke return a *RuntimeError with Init set, as
// Lambda reports an init error; nothing waits for an answer that cannot
// come. The process is killed when the test ends.
//
// Linux only (process groups, Pdeathsig).
package lambdatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// API paths, version 2018-06-01.
const (
	pathNext      = "/2018-06-01/runtime/invocation/next"
	pathInvoke    = "/2018-06-01/runtime/invocation/"
	pathInitError = "/2018-06-01/runtime/init/error"
)

// Runtime API headers.
const (
	HeaderRequestID   = "Lambda-Runtime-Aws-Request-Id"
	HeaderDeadline    = "Lambda-Runtime-Deadline-Ms"
	HeaderFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
	HeaderTraceID     = "Lambda-Runtime-Trace-Id"
	HeaderErrorType   = "Lambda-Runtime-Function-Error-Type"
)

// MaxResponse is Lambda's limit on a synchronous response payload.
const MaxResponse = 6 << 20

// Result is what the function answered to one event.
type Result struct {
	RequestID string
	// Response is the body posted to /response (JSON, e.g. null).
	Response json.RawMessage
	// Error is set when the function posted to /error instead.
	Error *FunctionError
}

// FunctionError is a handler error as the runtime reported it.
type FunctionError struct {
	Type       string `json:"errorType"`
	Message    string `json:"errorMessage"`
	StackTrace []any  `json:"stackTrace,omitempty"`
	Header     string `json:"-"` // Lambda-Runtime-Function-Error-Type
	Body       []byte `json:"-"`
}

func (e *FunctionError) Error() string {
	return fmt.Sprintf("function error %s: %s", e.Type, e.Message)
}

// RuntimeError is a failure of the runtime itself rather than of one
// handler call: an init error (posted to /runtime/init/error, or the
// process exiting before it asked for an event), the process exiting
// during an invocation, or a timeout.
type RuntimeError struct {
	// Init is true for failures before the runtime asked for its first
	// event: Lambda reports these as init errors.
	Init    bool
	Type    string // e.g. Runtime.ExitError, Sandbox.Timedout, or what the runtime posted
	Message string
	// Body is what the runtime posted to /runtime/init/error, if anything.
	Body []byte
	// Logs is the process's output so far.
	Logs string
}

func (e *RuntimeError) Error() string {
	phase := "invoke"
	if e.Init {
		phase = "init"
	}
	msg := fmt.Sprintf("%s error %s: %s", phase, e.Type, e.Message)
	if e.Logs != "" {
		msg += "\nlogs:\n" + e.Logs
	}
	return msg
}

// Runtime is a Lambda Runtime API server for one function instance. Make it
// with NewRuntime; Close it when done (Start does both).
type Runtime struct {
	// FunctionARN is sent as Lambda-Runtime-Invoked-Function-Arn.
	FunctionARN string
	// Timeout is the function's timeout: it sets each event's deadline, and
	// Invoke gives up (Sandbox.Timedout) a second after it.
	Timeout time.Duration

	srv    *httptest.Server
	queue  chan *invocation
	closed chan struct{}
	failed chan struct{} // closed once failure is set

	mu        sync.Mutex
	inflight  map[string]*invocation
	asked     bool      // the runtime has called /next at least once
	firstNext time.Time // when it first did: its init was over
	failure   *RuntimeError
	closeOnce sync.Once
	logs      func() string
}

type invocation struct {
	id      string
	payload []byte
	taken   bool          // the runtime got it from /next; guarded by Runtime.mu
	settled bool          // the runtime answered it; guarded by Runtime.mu
	started chan struct{} // closed when the runtime takes it
	done    chan struct{} // closed when it is answered
	result  Result
}

// NewRuntime starts a Runtime API server for a function of that name.
func NewRuntime(functionName string, timeout time.Duration) *Runtime {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	r := &Runtime{
		FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:" + functionName,
		Timeout:     timeout,
		queue:       make(chan *invocation, 64),
		closed:      make(chan struct{}),
		failed:      make(chan struct{}),
		inflight:    map[string]*invocation{},
		logs:        func() string { return "" },
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+pathNext, r.next)
	mux.HandleFunc("POST "+pathInvoke+"{id}/response", r.response)
	mux.HandleFunc("POST "+pathInvoke+"{id}/error", r.invocationError)
	mux.HandleFunc("POST "+pathInitError, r.initError)
	r.srv = httptest.NewServer(mux)
	return r
}

// Addr is the host:port for AWS_LAMBDA_RUNTIME_API.
func (r *Runtime) Addr() string { return strings.TrimPrefix(r.srv.URL, "http://") }

// URL is the server's base URL.
func (r *Runtime) URL() string { return r.srv.URL }

// FirstNext is when the runtime first asked for an event, that is when its
// init was over (zero until then).
func (r *Runtime) FirstNext() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.firstNext
}

// Close stops the server; pending and later Invoke calls fail.
func (r *Runtime) Close() {
	r.closeOnce.Do(func() {
		close(r.closed)
		r.srv.Close()
	})
}

// Invoke hands payload to the runtime as the next event and waits for its
// answer. A handler error is a Result with Error set and a nil error; the
// error is a *RuntimeError when the runtime failed (init error, exit,
// timeout), or ctx's error.
func (r *Runtime) Invoke(ctx context.Context, payload []byte) (Result, error) {
	inv := &invocation{id: newRequestID(), payload: payload, started: make(chan struct{}), done: make(chan struct{})}
	r.mu.Lock()
	if r.failure != nil {
		err := r.failureLocked()
		r.mu.Unlock()
		return Result{}, err
	}
	r.inflight[inv.id] = inv
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.inflight, inv.id)
		r.mu.Unlock()
	}()
	select {
	case r.queue <- inv:
	case <-r.closed:
		return Result{}, errors.New("lambdatest: runtime closed")
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	// Lambda counts the timeout from when the runtime takes the event;
	// until then, waiting is bounded by ctx and the runtime failing.
	var timeout <-chan time.Time
	started := inv.started
	for {
		select {
		case <-started:
			started, timeout = nil, time.After(r.Timeout+time.Second)
		case <-inv.done:
			return inv.result, nil
		case <-r.failed:
			return Result{}, r.failureNow()
		case <-r.closed:
			return Result{}, errors.New("lambdatest: runtime closed")
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case <-timeout:
			return Result{}, &RuntimeError{Type: "Sandbox.Timedout", Message: fmt.Sprintf("Task timed out after %v", r.Timeout), Logs: r.logs()}
		}
	}
}

func (r *Runtime) failureNow() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failureLocked()
}

func (r *Runtime) failureLocked() error {
	e := *r.failure
	e.Logs = r.logs()
	return &e
}

// fail records a runtime failure once; Init is decided by whether the
// runtime had asked for an event yet.
func (r *Runtime) fail(e RuntimeError) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failure != nil {
		return
	}
	e.Init = !r.asked
	r.failure = &e
	close(r.failed)
}

// Failure returns the runtime's failure, or nil.
func (r *Runtime) Failure() *RuntimeError {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failure == nil {
		return nil
	}
	e := *r.failure
	return &e
}

func (r *Runtime) next(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	if !r.asked {
		r.firstNext = time.Now()
	}
	r.asked = true
	r.mu.Unlock()
	for {
		select {
		case inv := <-r.queue:
			r.mu.Lock()
			_, live := r.inflight[inv.id] // its Invoke may have given up
			inv.taken = live
			r.mu.Unlock()
			if !live {
				continue
			}
			close(inv.started)
			h := w.Header()
			h.Set("Content-Type", "application/json")
			h.Set(HeaderRequestID, inv.id)
			h.Set(HeaderDeadline, strconv.FormatInt(time.Now().Add(r.Timeout).UnixMilli(), 10))
			h.Set(HeaderFunctionARN, r.FunctionARN)
			h.Set(HeaderTraceID, newTraceID())
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(inv.payload)
			return
		case <-req.Context().Done():
			return
		case <-r.closed:
			http.Error(w, "runtime closed", http.StatusGone)
			return
		}
	}
}

// take finds an invocation that the runtime has been given and not yet
// answered, and marks it answered; otherwise it writes the Runtime API's
// 400. The caller sets its result and closes done.
func (r *Runtime) take(w http.ResponseWriter, req *http.Request) *invocation {
	id := req.PathValue("id")
	r.mu.Lock()
	defer r.mu.Unlock()
	inv, ok := r.inflight[id]
	if !ok || !inv.taken {
		apiError(w, http.StatusBadRequest, "InvalidRequestID", "unknown or not yet started request id "+id)
		return nil
	}
	if inv.settled {
		apiError(w, http.StatusBadRequest, "InvalidStateTransition", "request "+id+" was already answered")
		return nil
	}
	inv.settled = true
	return inv
}

func (r *Runtime) response(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, MaxResponse+1))
	if err != nil {
		apiError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	inv := r.take(w, req)
	if inv == nil {
		return
	}
	if len(body) > MaxResponse {
		inv.result = Result{RequestID: inv.id, Error: &FunctionError{Type: "Function.ResponseSizeTooLarge",
			Message: fmt.Sprintf("response payload exceeds %d bytes", MaxResponse)}}
		close(inv.done)
		apiError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "response too large")
		return
	}
	inv.result = Result{RequestID: inv.id, Response: body}
	close(inv.done)
	accepted(w)
}

func (r *Runtime) invocationError(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, MaxResponse))
	if err != nil {
		apiError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	inv := r.take(w, req)
	if inv == nil {
		return
	}
	fe := &FunctionError{Header: req.Header.Get(HeaderErrorType), Body: body}
	if err := json.Unmarshal(body, fe); err != nil || fe.Type == "" {
		fe.Type, fe.Message = fe.Header, string(body)
	}
	// aws-lambda-go reports a failed response stream in trailers.
	if t := req.Trailer.Get(HeaderErrorType); t != "" {
		fe.Type = t
	}
	inv.result = Result{RequestID: inv.id, Error: fe}
	close(inv.done)
	accepted(w)
}

func (r *Runtime) initError(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	e := RuntimeError{Type: req.Header.Get(HeaderErrorType), Body: body}
	var posted FunctionError
	if json.Unmarshal(body, &posted) == nil {
		e.Message = posted.Message
		if e.Type == "" {
			e.Type = posted.Type
		}
	}
	if e.Type == "" {
		e.Type = "Runtime.Unknown"
	}
	r.mu.Lock()
	asked := r.asked
	r.mu.Unlock()
	if asked {
		apiError(w, http.StatusForbidden, "InvalidStateTransition", "init error after the runtime asked for an event")
		return
	}
	r.fail(e)
	accepted(w)
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newRequestID is a UUID like Lambda's request ids.
func newRequestID() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// newTraceID is an X-Ray trace header, not sampled.
func newTraceID() string {
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), randomHex(12), randomHex(8))
}
