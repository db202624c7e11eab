package emf_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/dev/goldenfile"
)

var (
	clockTime = time.Date(2026, 11, 30, 8, 0, 0, 123_000_000, time.UTC)
	clock     = func() time.Time { return clockTime }
	ingest    = map[string]string{"Stage": "prod", "Function": "ingest"}
)

// document is an EMF document that parseDocument found to follow the
// specification.
type document struct {
	timestamp int64
	namespace string
	dims      map[string]string
	values    map[string]int64
	names     []string // metric definitions, in document order
}

// parseDocument decodes one output line and fails t unless it is exactly what
// the EMF specification asks for: an _aws member holding only Timestamp (an
// integer in ms) and one directive {Namespace, Dimensions: [[keys]], Metrics:
// [{Name, Unit: "Count"}]}, every dimension key a top-level string, every
// metric a top-level number, and no other members.
func parseDocument(t *testing.T, line string) document {
	t.Helper()
	if !strings.HasSuffix(line, "}") || strings.Contains(line, "\n") {
		t.Fatalf("not one JSON object on one line: %q", line)
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, line)
	}
	if dec.More() {
		t.Fatalf("data after the object: %s", line)
	}
	aws := object(t, root["_aws"], "_aws", "Timestamp", "CloudWatchMetrics")
	ts, err := aws["Timestamp"].(json.Number).Int64()
	if err != nil {
		t.Fatalf("Timestamp %v is not an integer: %v", aws["Timestamp"], err)
	}
	directives, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(directives) != 1 {
		t.Fatalf("CloudWatchMetrics = %v, want one directive", aws["CloudWatchMetrics"])
	}
	dir := object(t, directives[0], "directive", "Namespace", "Dimensions", "Metrics")
	d := document{timestamp: ts, dims: map[string]string{}, values: map[string]int64{}}
	if d.namespace, ok = dir["Namespace"].(string); !ok || d.namespace == "" {
		t.Fatalf("Namespace = %v, want a non-empty string", dir["Namespace"])
	}
	sets, ok := dir["Dimensions"].([]any)
	if !ok || len(sets) != 1 {
		t.Fatalf("Dimensions = %v, want one dimension set", dir["Dimensions"])
	}
	keys, ok := sets[0].([]any)
	if !ok || len(keys) > emf.MaxDimensions {
		t.Fatalf("dimension set = %v, want an array of at most %d keys", sets[0], emf.MaxDimensions)
	}
	for _, k := range keys {
		key, ok := k.(string)
		if !ok {
			t.Fatalf("dimension key %v is not a string", k)
		}
		value, ok := root[key].(string)
		if !ok {
			t.Fatalf("dimension %q: top-level value %v is not a string", key, root[key])
		}
		d.dims[key] = value
	}
	metrics, ok := dir["Metrics"].([]any)
	if !ok || len(metrics) == 0 || len(metrics) > emf.MaxMetrics {
		t.Fatalf("Metrics has %d definitions, want 1 to %d", len(metrics), emf.MaxMetrics)
	}
	for _, m := range metrics {
		def := object(t, m, "metric definition", "Name", "Unit")
		name, _ := def["Name"].(string)
		if name == "" || def["Unit"] != "Count" {
			t.Fatalf("metric definition %v, want a name and Unit Count", def)
		}
		if _, dup := d.values[name]; dup {
			t.Fatalf("metric %q defined twice", name)
		}
		num, ok := root[name].(json.Number)
		if !ok {
			t.Fatalf("metric %q: top-level value %v is not a number", name, root[name])
		}
		if d.values[name], err = num.Int64(); err != nil {
			t.Fatalf("metric %q: %v", name, err)
		}
		d.names = append(d.names, name)
	}
	if !slices.IsSorted(d.names) {
		t.Errorf("metric names not sorted: %v", d.names)
	}
	if want := 1 + len(d.dims) + len(d.values); len(root) != want {
		t.Errorf("document has %d top-level members, want %d (_aws, dimensions, metrics): %s", len(root), want, line)
	}
	return d
}

// object checks that v is a JSON object with exactly the members keys.
func object(t *testing.T, v any, what string, keys ...string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s = %v, want an object", what, v)
	}
	if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, slices.Sorted(slices.Values(keys))) {
		t.Fatalf("%s has members %v, want exactly %v", what, got, keys)
	}
	return m
}

// lines splits output into its lines, failing t on a missing final newline.
func lines(t *testing.T, out string) []string {
	t.Helper()
	if out == "" {
		return nil
	}
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("output does not end in a newline: %q", out)
	}
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

// flushed flushes r and returns the documents written to out.
func flushed(t *testing.T, r *emf.Recorder, out *bytes.Buffer) []document {
	t.Helper()
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	var docs []document
	for _, l := range lines(t, out.String()) {
		docs = append(docs, parseDocument(t, l))
	}
	out.Reset()
	return docs
}

func TestDocumentMatchesGolden(t *testing.T) {
	var out bytes.Buffer
	r := emf.New(&out, "CareCoach", ingest, clock)
	r.Add(emf.Duplicates, 1)
	r.Add(emf.Deliveries, 2)
	r.Add(emf.Rejected, 0)
	r.Add(emf.Deliveries, 1)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "document.golden")
	goldenfile.Check(t, golden, out.Bytes())
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	// The golden document itself follows the specification.
	ls := lines(t, string(want))
	if len(ls) != 1 {
		t.Fatalf("golden file has %d lines, want 1", len(ls))
	}
	d := parseDocument(t, ls[0])
	if d.timestamp != 1796025600123 || d.namespace != "CareCoach" || !maps.Equal(d.dims, ingest) ||
		!maps.Equal(d.values, map[string]int64{emf.Deliveries: 3, emf.Duplicates: 1, emf.Rejected: 0}) {
		t.Errorf("golden document decodes to %+v", d)
	}
}

func TestDocumentFollowsSpec(t *testing.T) {
	thirty := map[string]string{}
	for i := range emf.MaxDimensions {
		thirty[fmt.Sprintf("D%02d", i)] = strconv.Itoa(i)
	}
	tests := []struct {
		name      string
		namespace string
		dims      map[string]string
		add       map[string]int
	}{
		{"fixed dimensions become the dimension set and top-level strings", "CareCoach", ingest,
			map[string]int{emf.Deliveries: 3, emf.Duplicates: 1}},
		{"no dimensions make one empty dimension set", "CareCoach", nil,
			map[string]int{emf.EmailsSent: 2}},
		{"thirty dimensions are allowed", "CareCoach", thirty,
			map[string]int{emf.Moments: 5}},
		{"names and values that need escaping stay valid JSON", `Care"Coach\Ns`,
			map[string]string{"Fn\u00e9": "a\"b\n<c>&"},
			map[string]int{"with \"quotes\"": 1, "tab\there": 2, "<html>&": 3, "\u2028line": 4}},
		{"negative and large counts are written as integers", "CareCoach", ingest,
			map[string]int{"Down": -7, "Big": 1 << 40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			r := emf.New(&out, tt.namespace, tt.dims, clock)
			for name, n := range tt.add {
				r.Add(name, n)
			}
			docs := flushed(t, r, &out)
			if len(docs) != 1 {
				t.Fatalf("%d documents, want 1", len(docs))
			}
			d := docs[0]
			if d.timestamp != clockTime.UnixMilli() {
				t.Errorf("Timestamp = %d, want %d (ms)", d.timestamp, clockTime.UnixMilli())
			}
			if d.namespace != tt.namespace {
				t.Errorf("Namespace = %q, want %q", d.namespace, tt.namespace)
			}
			if !maps.Equal(d.dims, tt.dims) {
				t.Errorf("dimensions = %v, want %v", d.dims, tt.dims)
			}
			want := map[string]int64{}
			for name, n := range tt.add {
				want[name] = int64(n)
			}
			if !maps.Equal(d.values, want) {
				t.Errorf("values = %v, want %v", d.values, want)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name   string
		rounds [][]struct {
			metric string
			n      int
		}
		want []map[string]int64 // per flush; nil = nothing written
	}{
		{
			name: "adds to one name accumulate until the flush",
			rounds: [][]struct {
				metric string
				n      int
			}{{{emf.Moments, 1}, {emf.Moments, 2}, {emf.Moments, 4}}},
			want: []map[string]int64{{emf.Moments: 7}},
		},
		{
			name: "a flush resets, so the next flush has only what came after",
			rounds: [][]struct {
				metric string
				n      int
			}{{{emf.TasksFired, 3}, {emf.EmailsSent, 1}}, {{emf.TasksFired, 1}}},
			want: []map[string]int64{{emf.TasksFired: 3, emf.EmailsSent: 1}, {emf.TasksFired: 1}},
		},
		{
			name: "nothing counted writes nothing",
			rounds: [][]struct {
				metric string
				n      int
			}{{}},
			want: []map[string]int64{nil},
		},
		{
			name: "a second flush with nothing new writes nothing",
			rounds: [][]struct {
				metric string
				n      int
			}{{{emf.DigestsSent, 1}}, {}},
			want: []map[string]int64{{emf.DigestsSent: 1}, nil},
		},
		{
			name: "adding zero still reports the metric, as 0",
			rounds: [][]struct {
				metric string
				n      int
			}{{{emf.DeadLettered, 0}}},
			want: []map[string]int64{{emf.DeadLettered: 0}},
		},
		{
			name: "negative adds subtract",
			rounds: [][]struct {
				metric string
				n      int
			}{{{emf.TasksScheduled, 5}, {emf.TasksScheduled, -2}}},
			want: []map[string]int64{{emf.TasksScheduled: 3}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			r := emf.New(&out, "CareCoach", ingest, clock)
			for i, round := range tt.rounds {
				for _, a := range round {
					r.Add(a.metric, a.n)
				}
				docs := flushed(t, r, &out)
				if tt.want[i] == nil {
					if len(docs) != 0 {
						t.Errorf("flush %d wrote %d documents, want none", i+1, len(docs))
					}
					continue
				}
				if len(docs) != 1 || !maps.Equal(docs[0].values, tt.want[i]) {
					t.Errorf("flush %d wrote %v, want one document with %v", i+1, docs, tt.want[i])
				}
			}
		})
	}
}

func TestSplitsAtOneHundredMetrics(t *testing.T) {
	tests := []struct {
		name    string
		metrics int
		sizes   []int
	}{
		{"one metric makes one document", 1, []int{1}},
		{"exactly one hundred metrics make one document", 100, []int{100}},
		{"one hundred and one metrics make two documents", 101, []int{100, 1}},
		{"two hundred and fifty metrics make three documents", 250, []int{100, 100, 50}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			r := emf.New(&out, "CareCoach", ingest, clock)
			want := map[string]int64{}
			for i := range tt.metrics {
				name := fmt.Sprintf("M%03d", i)
				r.Add(name, i+1)
				want[name] = int64(i + 1)
			}
			docs := flushed(t, r, &out)
			got := map[string]int64{}
			var sizes, all []string
			for _, d := range docs {
				sizes = append(sizes, strconv.Itoa(len(d.values)))
				all = append(all, d.names...)
				if !maps.Equal(d.dims, ingest) || d.timestamp != clockTime.UnixMilli() {
					t.Errorf("a split document lost its dimensions or timestamp: %+v", d)
				}
				maps.Copy(got, d.values)
			}
			if wantSizes := fmt.Sprint(tt.sizes); "["+strings.Join(sizes, " ")+"]" != wantSizes {
				t.Errorf("document sizes = %v, want %s", sizes, wantSizes)
			}
			if !slices.IsSorted(all) {
				t.Errorf("names are not sorted across documents")
			}
			if !maps.Equal(got, want) {
				t.Errorf("the documents together hold %d metrics, want all %d with their values", len(got), len(want))
			}
		})
	}
}

func TestConcurrentAddsSumCorrectly(t *testing.T) {
	tests := []struct {
		name       string
		goroutines int
		adds       int
		flushing   bool
	}{
		{"many goroutines adding, one flush at the end", 64, 1000, false},
		{"many goroutines adding while another flushes loses nothing", 64, 1000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			r := emf.New(&out, "CareCoach", ingest, clock)
			names := []string{emf.Deliveries, emf.Duplicates, emf.Moments}
			var wg sync.WaitGroup
			for g := range tt.goroutines {
				wg.Go(func() {
					for i := range tt.adds {
						r.Add(names[(g+i)%len(names)], 1)
					}
				})
			}
			stop := make(chan struct{})
			flusher := sync.WaitGroup{}
			if tt.flushing {
				flusher.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
							if err := r.Flush(); err != nil {
								t.Error(err)
							}
						}
					}
				})
			}
			wg.Wait()
			close(stop)
			flusher.Wait()
			if err := r.Flush(); err != nil {
				t.Fatal(err)
			}
			var total int64
			for _, l := range lines(t, out.String()) {
				for _, v := range parseDocument(t, l).values {
					total += v
				}
			}
			if want := int64(tt.goroutines * tt.adds); total != want {
				t.Errorf("flushed counts sum to %d, want %d", total, want)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent test's reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestNoRecorderIsANoOp(t *testing.T) {
	var out bytes.Buffer
	tests := []struct {
		name string
		run  func() error
	}{
		{"a nil recorder ignores Add and flushes nothing", func() error {
			var r *emf.Recorder
			r.Add(emf.Moments, 1)
			return r.Flush()
		}},
		{"Count on a context without a recorder does nothing", func() error {
			emf.Count(context.Background(), emf.Moments, 1)
			return nil
		}},
		{"Count on a context given a nil recorder does nothing", func() error {
			emf.Count(emf.WithRecorder(context.Background(), nil), emf.Moments, 1)
			return nil
		}},
		{"a nil recorder hides an outer one", func() error {
			outer := emf.New(&out, "CareCoach", ingest, clock)
			ctx := emf.WithRecorder(emf.WithRecorder(context.Background(), outer), nil)
			emf.Count(ctx, emf.Moments, 1)
			return outer.Flush()
		}},
		{"FromContext without a recorder is nil", func() error {
			if r := emf.FromContext(context.Background()); r != nil {
				return fmt.Errorf("FromContext = %p, want nil", r)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out.Reset()
			if err := tt.run(); err != nil {
				t.Fatal(err)
			}
			if out.Len() != 0 {
				t.Errorf("wrote %q, want nothing", out.String())
			}
		})
	}
}

func TestCountReachesTheContextRecorder(t *testing.T) {
	var out bytes.Buffer
	r := emf.New(&out, "CareCoach", ingest, clock)
	ctx := emf.WithRecorder(context.Background(), r)
	if emf.FromContext(ctx) != r {
		t.Fatal("FromContext does not return the recorder")
	}
	emf.Count(ctx, emf.RepliesAccepted, 2)
	emf.Count(ctx, emf.RepliesRejected, 1)
	docs := flushed(t, r, &out)
	want := map[string]int64{emf.RepliesAccepted: 2, emf.RepliesRejected: 1}
	if len(docs) != 1 || !maps.Equal(docs[0].values, want) {
		t.Errorf("wrote %v, want %v", docs, want)
	}
}

func TestUnwritableNamesAreLeftOut(t *testing.T) {
	tests := []struct {
		name string
		bad  string
	}{
		{"an empty name", ""},
		{"a name equal to a dimension key", "Function"},
		{"the reserved _aws member", "_aws"},
		{"a name longer than 1024 bytes", strings.Repeat("x", emf.MaxNameLength+1)},
		{"a name that is not UTF-8", "Mom\xffents"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is left out and reported, the rest written", func(t *testing.T) {
			var out bytes.Buffer
			r := emf.New(&out, "CareCoach", ingest, clock)
			r.Add(tt.bad, 1)
			r.Add(emf.Moments, 2)
			err := r.Flush()
			if err == nil || !strings.Contains(err.Error(), "left out") {
				t.Errorf("Flush error = %v, want one naming the left-out metric", err)
			}
			ls := lines(t, out.String())
			if len(ls) != 1 {
				t.Fatalf("%d documents, want 1", len(ls))
			}
			d := parseDocument(t, ls[0])
			if want := map[string]int64{emf.Moments: 2}; !maps.Equal(d.values, want) {
				t.Errorf("values = %v, want %v", d.values, want)
			}
			if d.dims["Function"] != "ingest" {
				t.Errorf("dimension Function = %q, want ingest", d.dims["Function"])
			}
		})
	}
	t.Run("only unwritable names write nothing", func(t *testing.T) {
		var out bytes.Buffer
		r := emf.New(&out, "CareCoach", ingest, clock)
		r.Add("", 1)
		if err := r.Flush(); err == nil {
			t.Error("Flush error = nil, want one")
		}
		if out.Len() != 0 {
			t.Errorf("wrote %q, want nothing", out.String())
		}
	})
}

func TestWriteErrorsAreReturned(t *testing.T) {
	boom := errors.New("stdout closed")
	r := emf.New(failingWriter{boom}, "CareCoach", ingest, clock)
	for i := range 150 {
		r.Add(fmt.Sprintf("M%03d", i), 1)
	}
	err := r.Flush()
	if !errors.Is(err, boom) {
		t.Fatalf("Flush error = %v, want %v", err, boom)
	}
	if err := r.Flush(); err != nil {
		t.Errorf("second Flush = %v, want nil: the counts were reset", err)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestNewPanicsOnInvalidConfiguration(t *testing.T) {
	tooMany := map[string]string{}
	for i := range emf.MaxDimensions + 1 {
		tooMany[fmt.Sprintf("D%02d", i)] = "x"
	}
	tests := []struct {
		name      string
		namespace string
		dims      map[string]string
	}{
		{"an empty namespace", "", ingest},
		{"a namespace longer than 1024 bytes", strings.Repeat("n", emf.MaxNameLength+1), ingest},
		{"thirty-one dimensions", "CareCoach", tooMany},
		{"an empty dimension key", "CareCoach", map[string]string{"": "x"}},
		{"a dimension key _aws", "CareCoach", map[string]string{"_aws": "x"}},
		{"a dimension key that is not UTF-8", "CareCoach", map[string]string{"Fn\xff": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" panics", func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			emf.New(io.Discard, tt.namespace, tt.dims, clock)
		})
	}
}

func TestNewDefaults(t *testing.T) {
	// A nil writer means stdout and a nil clock means time.Now; only the
	// clock is observable without capturing stdout.
	var out bytes.Buffer
	r := emf.New(&out, "CareCoach", nil, nil)
	before := time.Now().UnixMilli()
	r.Add(emf.Moments, 1)
	docs := flushed(t, r, &out)
	if len(docs) != 1 || docs[0].timestamp < before || docs[0].timestamp > time.Now().UnixMilli() {
		t.Errorf("timestamp %v not taken from time.Now", docs)
	}
	if emf.New(nil, "CareCoach", nil, nil) == nil {
		t.Error("New with a nil writer returned nil")
	}
}
