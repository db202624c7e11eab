package emf

import (
	"context"
	"fmt"
	"io"
	"os"
)

// stderr receives flush errors from the handler wrappers; tests replace it.
var stderr io.Writer = os.Stderr

// Handler wraps a Lambda handler: it puts rec in the context, calls h, and
// flushes rec when h returns (or panics), so each invocation writes its own
// counts. h's result and error pass through unchanged; a flush error never
// fails the invocation and is written to stderr instead. With a nil rec, h
// runs with counting turned off.
func Handler[E, R any](rec *Recorder, h func(context.Context, E) (R, error)) func(context.Context, E) (R, error) {
	return func(ctx context.Context, event E) (R, error) {
		defer flush(rec)
		return h(WithRecorder(ctx, rec), event)
	}
}

// HandlerNoResult is Handler for a handler that returns only an error.
func HandlerNoResult[E any](rec *Recorder, h func(context.Context, E) error) func(context.Context, E) error {
	return func(ctx context.Context, event E) error {
		defer flush(rec)
		return h(WithRecorder(ctx, rec), event)
	}
}

func flush(rec *Recorder) {
	if err := rec.Flush(); err != nil {
		fmt.Fprintf(stderr, "emf: flush after invocation: %v\n", err)
	}
}
