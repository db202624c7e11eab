// Package httpapi is carecoach's HTTP surface, in plain net/http: the
// webhook endpoints, the dashboard and its JSON, and the one place where
// error codes become HTTP statuses. The dev server serves these handlers
// directly; in Lambda, awslambda.HTTPHandler serves the very same ones
// from API Gateway events.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
)

// MaxBody caps a webhook body: the largest delivery that fits in one
// DynamoDB item (care.MaxDeliveryBody, 384 KiB).
const MaxBody = care.MaxDeliveryBody

// Acceptor is the ingest service as the handler sees it.
type Acceptor interface {
	Accept(ctx context.Context, w app.Webhook) (app.Receipt, error)
}

// Handler serves POST /webhooks/{source}/{connection}.
func Handler(ingest Acceptor, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/{source}/{connection}", webhook(ingest, log))
	mux.HandleFunc("/webhooks/{source}/{connection}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, r, log, care.Errorf(care.EMethod, "use POST to deliver webhooks"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, log, care.Errorf(care.ENotFound, "no such endpoint: webhooks go to POST /webhooks/{zendesk|freshdesk}/{connection}"))
	})
	return mux
}

func webhook(ingest Acceptor, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
			emf.Count(r.Context(), emf.Rejected, 1)
			writeError(w, r, log, err)
			return
		}
		body, err := readBody(w, r)
		if err != nil {
			emf.Count(r.Context(), emf.Rejected, 1)
			writeError(w, r, log, err)
			return
		}
		receipt, err := ingest.Accept(r.Context(), app.Webhook{
			Source: r.PathValue("source"), Connection: r.PathValue("connection"), Header: r.Header, Body: body,
		})
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"status": "accepted", "duplicate": receipt.Duplicate})
	}
}

func checkContentType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return care.Errorf(care.EUnsupported, "Content-Type must be application/json, got %q", ct)
	}
	return nil
}

// limitWhy says why MaxBody is what it is, in every 413.
const limitWhy = "(384 KiB), so that the delivery fits whole in one DynamoDB item (400 KB)"

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBody {
		return nil, care.Errorf(care.ETooLarge, "body is %d bytes; the limit is %d bytes %s", r.ContentLength, MaxBody, limitWhy)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, care.Errorf(care.ETooLarge, "body is over the limit of %d bytes %s", MaxBody, limitWhy)
	case err != nil:
		return nil, care.Errorf(care.EInvalid, "could not read the body")
	case len(body) == 0:
		return nil, care.Errorf(care.EInvalid, "body is empty; expected a JSON webhook payload")
	}
	return body, nil
}

// Status maps an error code to its HTTP status: the only such mapping.
func Status(code care.Code) int {
	switch code {
	case care.EInvalid:
		return http.StatusBadRequest
	case care.EUnauthorized:
		return http.StatusUnauthorized
	case care.EForbidden:
		return http.StatusForbidden
	case care.ENotFound:
		return http.StatusNotFound
	case care.EMethod:
		return http.StatusMethodNotAllowed
	case care.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case care.EUnsupported:
		return http.StatusUnsupportedMediaType
	case care.EConflict:
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}

// writeError answers with the status and caller-safe message of err;
// internal details go only to the log.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := care.ErrorCode(err)
	status := Status(code)
	logError(r, log, status, err)
	writeJSON(w, status, map[string]string{"error": care.ErrorMessage(err), "code": string(code)})
}

// logError logs a failure with its details, or a refusal with its
// caller-safe reason.
func logError(r *http.Request, log *slog.Logger, status int, err error) {
	if status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "error", err)
	} else {
		log.InfoContext(r.Context(), "request refused", "path", r.URL.Path, "status", status, "reason", care.ErrorMessage(err))
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
