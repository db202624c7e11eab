package emf_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/emf"
)

type event struct{ Deliveries int }

func TestHandler(t *testing.T) {
	failed := errors.New("handler failed")
	count := func(ctx context.Context, e event) (string, error) {
		emf.Count(ctx, emf.Deliveries, e.Deliveries)
		if e.Deliveries < 0 {
			return "partial", failed
		}
		return "ok", nil
	}
	tests := []struct {
		name       string
		events     []event
		wantResult []string
		wantErr    []error
		wantDocs   []map[string]int64
	}{
		{"each invocation flushes its own counts once",
			[]event{{2}, {5}}, []string{"ok", "ok"}, []error{nil, nil},
			[]map[string]int64{{emf.Deliveries: 2}, {emf.Deliveries: 5}}},
		{"a failing invocation passes result and error through and still flushes",
			[]event{{-1}}, []string{"partial"}, []error{failed},
			[]map[string]int64{{emf.Deliveries: -1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			h := emf.Handler(emf.New(&out, "CareCoach", ingest, clock), count)
			for i, e := range tt.events {
				got, err := h(context.Background(), e)
				if got != tt.wantResult[i] || !errors.Is(err, tt.wantErr[i]) || (err == nil) != (tt.wantErr[i] == nil) {
					t.Errorf("invocation %d = %q, %v; want %q, %v", i+1, got, err, tt.wantResult[i], tt.wantErr[i])
				}
				ls := lines(t, out.String())
				if len(ls) != 1 {
					t.Fatalf("invocation %d wrote %d documents, want 1", i+1, len(ls))
				}
				if d := parseDocument(t, ls[0]); !maps.Equal(d.values, tt.wantDocs[i]) {
					t.Errorf("invocation %d flushed %v, want %v", i+1, d.values, tt.wantDocs[i])
				}
				out.Reset()
			}
		})
	}
}

func TestHandlerNoResult(t *testing.T) {
	failed := errors.New("handler failed")
	tests := []struct {
		name    string
		n       int
		err     error
		wantDoc bool
	}{
		{"a successful invocation flushes its counts", 3, nil, true},
		{"a failing invocation returns its error and still flushes", 1, failed, true},
		{"an invocation that counted nothing writes nothing", 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			h := emf.HandlerNoResult(emf.New(&out, "CareCoach", ingest, clock), func(ctx context.Context, e event) error {
				if tt.n > 0 {
					emf.Count(ctx, emf.TasksFired, tt.n)
				}
				return tt.err
			})
			if err := h(context.Background(), event{}); !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("error = %v, want %v", err, tt.err)
			}
			ls := lines(t, out.String())
			if !tt.wantDoc {
				if len(ls) != 0 {
					t.Errorf("wrote %d documents, want none", len(ls))
				}
				return
			}
			if len(ls) != 1 {
				t.Fatalf("wrote %d documents, want 1", len(ls))
			}
			if d := parseDocument(t, ls[0]); d.values[emf.TasksFired] != int64(tt.n) {
				t.Errorf("flushed %v, want %s=%d", d.values, emf.TasksFired, tt.n)
			}
		})
	}
}

func TestHandlerFlushFailures(t *testing.T) {
	boom := errors.New("stdout closed")
	tests := []struct {
		name string
		run  func(rec *emf.Recorder) error
	}{
		{"a flush error does not fail a Handler invocation", func(rec *emf.Recorder) error {
			got, err := emf.Handler(rec, func(ctx context.Context, _ event) (int, error) {
				emf.Count(ctx, emf.Moments, 1)
				return 42, nil
			})(context.Background(), event{})
			if got != 42 {
				return errors.New("result lost")
			}
			return err
		}},
		{"a flush error does not fail a HandlerNoResult invocation", func(rec *emf.Recorder) error {
			return emf.HandlerNoResult(rec, func(ctx context.Context, _ event) error {
				emf.Count(ctx, emf.Moments, 1)
				return nil
			})(context.Background(), event{})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"; it goes to stderr", func(t *testing.T) {
			var stderr bytes.Buffer
			defer emf.SetStderr(&stderr)()
			if err := tt.run(emf.New(failingWriter{boom}, "CareCoach", ingest, clock)); err != nil {
				t.Errorf("invocation error = %v, want nil", err)
			}
			if !strings.Contains(stderr.String(), boom.Error()) {
				t.Errorf("stderr = %q, want the flush error", stderr.String())
			}
		})
	}
}

func TestHandlerEdgeCases(t *testing.T) {
	t.Run("a panicking invocation still flushes what it counted", func(t *testing.T) {
		var out bytes.Buffer
		h := emf.HandlerNoResult(emf.New(&out, "CareCoach", ingest, clock), func(ctx context.Context, _ event) error {
			emf.Count(ctx, emf.Rejected, 1)
			panic("bug")
		})
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic did not propagate")
				}
			}()
			_ = h(context.Background(), event{})
		}()
		ls := lines(t, out.String())
		if len(ls) != 1 || parseDocument(t, ls[0]).values[emf.Rejected] != 1 {
			t.Errorf("wrote %q, want one document with Rejected=1", out.String())
		}
	})
	t.Run("a nil recorder runs the handler with counting off", func(t *testing.T) {
		got, err := emf.Handler(nil, func(ctx context.Context, e event) (int, error) {
			emf.Count(ctx, emf.Deliveries, 1)
			return e.Deliveries * 2, nil
		})(context.Background(), event{Deliveries: 21})
		if got != 42 || err != nil {
			t.Errorf("= %d, %v; want 42, nil", got, err)
		}
	})
}
