// Package emf counts events during a Lambda invocation and writes the counts
// as CloudWatch embedded metric format (EMF) documents: one JSON object per
// line on stdout, which CloudWatch Logs turns into metrics without any API
// call.
//
// A document has this shape (one line; wrapped here):
//
//	{"_aws":{"Timestamp":1796025600000,"CloudWatchMetrics":[{"Namespace":"CareCoach",
//	  "Dimensions":[["Function","Stage"]],"Metrics":[{"Name":"Deliveries","Unit":"Count"}]}]},
//	 "Function":"ingest","Stage":"prod","Deliveries":3}
//
// The _aws member says which top-level members are metrics and which are
// dimensions; the values themselves are top-level members. Per the
// specification a directive holds at most 100 metrics and a dimension set at
// most 30 keys, so Flush writes one document per 100 metrics.
//
// Services count through the context (Count), the Lambda entry point wraps its
// handler (Handler, HandlerNoResult), and the wrapper flushes after every
// invocation.
package emf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits of the embedded metric format specification.
const (
	// MaxMetrics is the most metric definitions one document (directive) may
	// hold; Flush splits larger sets over several documents.
	MaxMetrics = 100
	// MaxDimensions is the most keys one dimension set may hold.
	MaxDimensions = 30
	// MaxNameLength is the longest namespace or metric name, in bytes.
	MaxNameLength = 1024
)

// unitCount is the CloudWatch unit of every metric this package writes.
const unitCount = "Count"

// Recorder collects counts during one invocation and writes them as EMF JSON
// lines. It is safe for concurrent use. A nil *Recorder records nothing.
type Recorder struct {
	w   io.Writer
	now func() time.Time

	// Fixed parts of every document, encoded once by New.
	directive string          // `,"CloudWatchMetrics":[{"Namespace":…,"Dimensions":[[…]],"Metrics":[`
	dimValues string          // `,"Function":"ingest","Stage":"prod"`
	reserved  map[string]bool // top-level members a metric name must not take

	mu     sync.Mutex
	counts map[string]int64

	wmu sync.Mutex // serializes writes to w
}

// New returns a recorder that writes to w (os.Stdout in Lambda; nil means
// os.Stdout) under namespace, with the fixed dimensions dims (for example
// {"Function": "ingest", "Stage": "prod"}) on every metric. now gives the
// document timestamp; nil means time.Now.
//
// Dimension values should be non-empty ASCII: CloudWatch drops a document
// whose dimension value it rejects. New panics if namespace is empty or longer
// than MaxNameLength, if dims has more than MaxDimensions keys, or if a key is
// empty, "_aws" or not UTF-8: these are programming errors, and a panic at init fails the
// deployment loudly instead of losing every metric silently.
func New(w io.Writer, namespace string, dims map[string]string, now func() time.Time) *Recorder {
	if w == nil {
		w = os.Stdout
	}
	if now == nil {
		now = time.Now
	}
	if namespace == "" || len(namespace) > MaxNameLength {
		panic(fmt.Sprintf("emf: namespace must have 1 to %d bytes, has %d", MaxNameLength, len(namespace)))
	}
	if len(dims) > MaxDimensions {
		panic(fmt.Sprintf("emf: at most %d dimensions, got %d", MaxDimensions, len(dims)))
	}
	keys := make([]string, 0, len(dims))
	reserved := map[string]bool{"_aws": true}
	for k := range dims {
		if k == "" || k == "_aws" || !utf8.ValidString(k) {
			panic(fmt.Sprintf("emf: invalid dimension key %q", k))
		}
		keys = append(keys, k)
		reserved[k] = true
	}
	slices.Sort(keys)

	var d, v []byte
	d = append(d, `,"CloudWatchMetrics":[{"Namespace":`...)
	d = appendString(d, namespace)
	d = append(d, `,"Dimensions":[[`...)
	for i, k := range keys {
		if i > 0 {
			d = append(d, ',')
		}
		d = appendString(d, k)
		v = append(v, ',')
		v = appendString(v, k)
		v = append(v, ':')
		v = appendString(v, dims[k])
	}
	d = append(d, `]],"Metrics":[`...)

	return &Recorder{
		w:         w,
		now:       now,
		directive: string(d),
		dimValues: string(v),
		reserved:  reserved,
		counts:    make(map[string]int64),
	}
}

// Add increments the count metric name (unit Count) by n. Adding 0 still
// reports the metric, with value 0, at the next flush. Safe for concurrent
// use; a nil *Recorder does nothing, so code can call it unconditionally.
func (r *Recorder) Add(name string, n int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.counts[name] += int64(n)
	r.mu.Unlock()
}

// Flush writes every metric added since the last flush as EMF documents, one
// JSON object and newline per Write, and resets the counts. It writes nothing
// if nothing was added. Metric names are sorted, and a document holds at most
// MaxMetrics of them, so more metrics make several documents.
//
// A name CloudWatch would reject or misread (empty, longer than
// MaxNameLength, not UTF-8, "_aws", or equal to a dimension key) is left out and named in
// the returned error; the other metrics are still written. The counts are
// reset even when writing fails: EMF is best-effort, and writing them again
// could count twice. A nil *Recorder returns nil.
func (r *Recorder) Flush() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	counts := r.counts
	if len(counts) == 0 {
		r.mu.Unlock()
		return nil
	}
	r.counts = make(map[string]int64, len(counts))
	r.mu.Unlock()

	ts := r.now().UnixMilli()
	names := make([]string, 0, len(counts))
	var bad []string
	for name := range counts {
		if name == "" || len(name) > MaxNameLength || r.reserved[name] || !utf8.ValidString(name) {
			bad = append(bad, name)
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)

	var errs []error
	if len(bad) > 0 {
		slices.Sort(bad)
		quoted := make([]string, len(bad))
		for i, b := range bad {
			if len(b) > 40 {
				b = b[:40] + "…"
			}
			quoted[i] = strconv.Quote(b)
		}
		errs = append(errs, fmt.Errorf("emf: metric names left out (empty, too long, not UTF-8, or a reserved member): %s", strings.Join(quoted, ", ")))
	}

	r.wmu.Lock()
	defer r.wmu.Unlock()
	var buf []byte
	for chunk := range slices.Chunk(names, MaxMetrics) {
		buf = r.appendDocument(buf[:0], ts, chunk, counts)
		if _, err := r.w.Write(buf); err != nil {
			errs = append(errs, fmt.Errorf("emf: write: %w", err))
		}
	}
	return errors.Join(errs...)
}

// appendDocument appends one EMF document for names (sorted, at most
// MaxMetrics) and a newline.
func (r *Recorder) appendDocument(b []byte, ts int64, names []string, counts map[string]int64) []byte {
	b = append(b, `{"_aws":{"Timestamp":`...)
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, r.directive...)
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Name":`...)
		b = appendString(b, name)
		b = append(b, `,"Unit":"`+unitCount+`"}`...)
	}
	b = append(b, "]}]}"...)
	b = append(b, r.dimValues...)
	for _, name := range names {
		b = append(b, ',')
		b = appendString(b, name)
		b = append(b, ':')
		b = strconv.AppendInt(b, counts[name], 10)
	}
	return append(b, "}\n"...)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	plain := true // printable ASCII without '"' or '\\' needs no escaping
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, err := json.Marshal(s)
	if err != nil { // a string always marshals
		panic(err)
	}
	return append(b, q...)
}

type ctxKey struct{}

// WithRecorder returns a context that carries r, for Count and FromContext.
// Passing nil turns counting off for that context.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the recorder ctx carries, or nil.
func FromContext(ctx context.Context) *Recorder {
	r, _ := ctx.Value(ctxKey{}).(*Recorder)
	return r
}

// Count adds n to the count metric name on the recorder ctx carries, so
// services can count without knowing the recorder. It does nothing when ctx
// carries none.
func Count(ctx context.Context, name string, n int) {
	FromContext(ctx).Add(name, n)
}
