package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/httpapi"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/wire"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var (
	now    = time.Date(2026, 11, 30, 9, 0, 5, 0, time.UTC)
	secret = "test-webhook-secret"
)

type secrets struct{}

func (secrets) WebhookSecret(context.Context, string) (care.Secret, error) {
	return care.Secret(secret), nil
}

func server(t testing.TB) (http.Handler, *dynamodb.Client, string) {
	t.Helper()
	store, db, table := dynamotest.NewStore(t, stack.DynamoEndpoint, func() time.Time { return now })
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	ingest, err := wire.Ingest(wire.Base{Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, store, secrets{})
	if err != nil {
		t.Fatal(err)
	}
	return httpapi.Handler(ingest, ingest.Log), db, table
}

type request struct {
	method, path, contentType string
	body                      []byte
	sign                      func(h http.Header, body []byte)
}

func zendeskSigned(h http.Header, body []byte) {
	ts := now.Format(time.RFC3339)
	h.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
	h.Set("X-Zendesk-Webhook-Signature", zendesk.Sign([]byte(secret), ts, body))
}

func freshdeskSigned(h http.Header, _ []byte) { h.Set(freshdesk.SecretHeader, secret) }

func sample(t testing.TB, name string) []byte {
	b, err := events.Sample(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTheIngestContract(t *testing.T) {
	comment := sample(t, "zendesk-ticket-comment-added-customer")
	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantError  string // substring of the error message; "" for success
	}{
		{"a signed Zendesk event is accepted",
			request{"POST", "/webhooks/zendesk/acme-zendesk", "application/json", comment, zendeskSigned}, 202, ""},
		{"a Freshdesk rule body with the secret header is accepted",
			request{"POST", "/webhooks/freshdesk/acme-freshdesk", "application/json; charset=utf-8", sample(t, "freshdesk-reply-customer"), freshdeskSigned}, 202, ""},
		{"a body over the limit is refused as too large",
			request{"POST", "/webhooks/zendesk/acme-zendesk", "application/json", bytes.Repeat([]byte(" "), httpapi.MaxBody+1), zendeskSigned}, 413, "limit is 393216 bytes (384 KiB)"},
		{"a form post is refused as the wrong content type",
			request{"POST", "/webhooks/zendesk/acme-zendesk", "application/x-www-form-urlencoded", comment, zendeskSigned}, 415, "Content-Type must be application/json"},
		{"malformed JSON is refused naming the problem",
			request{"POST", "/webhooks/zendesk/acme-zendesk", "application/json", []byte(`{"type":`), zendeskSigned}, 400, "not valid JSON"},
		{"an empty body is refused",
			request{"POST", "/webhooks/zendesk/acme-zendesk", "application/json", nil, zendeskSigned}, 400, "body is empty"},
		{"a wrong signature is refused",
			request{"POST", "/webhooks/zendesk/acme-zendesk", "application/json", comment, func(h http.Header, b []byte) {
				zendeskSigned(h, append([]byte("x"), b...))
			}}, 401, "signature does not match"},
		{"a missing signature is refused",
			request{"POST", "/webhooks/zendesk/acme-zendesk", "application/json", comment, nil}, 401, "missing X-Zendesk-Webhook-Signature"},
		{"a Freshdesk body without the secret header is refused",
			request{"POST", "/webhooks/freshdesk/acme-freshdesk", "application/json", sample(t, "freshdesk-reply-customer"), nil}, 401, "X-Carecoach-Secret"},
		{"an unknown connection is not found",
			request{"POST", "/webhooks/zendesk/nobody", "application/json", comment, zendeskSigned}, 404, `unknown zendesk connection "nobody"`},
		{"a connection posted under the wrong help desk is not found",
			request{"POST", "/webhooks/freshdesk/acme-zendesk", "application/json", comment, freshdeskSigned}, 404, `unknown freshdesk connection "acme-zendesk"`},
		{"an unknown help desk is not found",
			request{"POST", "/webhooks/jira/acme-zendesk", "application/json", comment, zendeskSigned}, 404, `unknown help desk "jira"`},
		{"a GET is refused with the method to use",
			request{"GET", "/webhooks/zendesk/acme-zendesk", "", nil, nil}, 405, "use POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, db, table := server(t)
			before := dynamotest.Count(t, db, table)
			req := httptest.NewRequest(tt.req.method, tt.req.path, bytes.NewReader(tt.req.body))
			if tt.req.contentType != "" {
				req.Header.Set("Content-Type", tt.req.contentType)
			}
			if tt.req.sign != nil {
				tt.req.sign(req.Header, tt.req.body)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d (%s), want %d", rec.Code, rec.Body, tt.wantStatus)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("answer is not JSON: %s", rec.Body)
			}
			after := dynamotest.Count(t, db, table)
			if tt.wantError == "" {
				if after != before+1 {
					t.Errorf("items %d → %d, want exactly one raw delivery written", before, after)
				}
				return
			}
			if msg, _ := body["error"].(string); !strings.Contains(msg, tt.wantError) {
				t.Errorf("error = %q, want it to say %q", msg, tt.wantError)
			}
			if after != before {
				t.Errorf("items %d → %d, want nothing written", before, after)
			}
		})
	}
}

func TestInternalErrorsDoNotLeakDetails(t *testing.T) {
	failing := httpapi.Handler(acceptFunc(func() error { return errSecret }), slog.New(slog.NewTextHandler(io.Discard, nil)))
	req := httptest.NewRequest("POST", "/webhooks/zendesk/acme-zendesk", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	failing.ServeHTTP(rec, req)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "dynamodb") || !strings.Contains(rec.Body.String(), "internal error") {
		t.Errorf("got %d %s, want 500 with a generic message", rec.Code, rec.Body)
	}
}

var errSecret = &leakyError{}

type leakyError struct{}

func (*leakyError) Error() string {
	return "dynamodb: table arn:aws:dynamodb:eu-west-1:1234:table/x throttled"
}

type acceptFunc func() error

func (f acceptFunc) Accept(context.Context, app.Webhook) (app.Receipt, error) {
	return app.Receipt{}, f()
}

func TestIngestCountsWhatHappened(t *testing.T) {
	h, _, _ := server(t)
	var out bytes.Buffer
	rec := emf.New(&out, "CareCoach", map[string]string{"Function": "ingest"}, func() time.Time { return now })
	comment := sample(t, "zendesk-ticket-comment-added-customer")
	for _, sign := range []func(http.Header, []byte){zendeskSigned, zendeskSigned, nil} {
		req := httptest.NewRequest("POST", "/webhooks/zendesk/acme-zendesk", bytes.NewReader(comment))
		req = req.WithContext(emf.WithRecorder(req.Context(), rec))
		req.Header.Set("Content-Type", "application/json")
		if sign != nil {
			sign(req.Header, comment)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not one EMF document: %q", out.String())
	}
	for name, want := range map[string]float64{emf.Deliveries: 1, emf.Duplicates: 1, emf.Rejected: 1} {
		if doc[name] != want {
			t.Errorf("%s = %v, want %v (document %s)", name, doc[name], want, out.String())
		}
	}
}

// zendeskCommentOfSize is the sample ticket.comment_added event with the
// customer's comment replaced by a pasted printer log, grown until the
// whole JSON body is exactly size bytes (as Zendesk would send it).
func zendeskCommentOfSize(t *testing.T, size int) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(sample(t, "zendesk-ticket-comment-added-customer"), &e); err != nil {
		t.Fatal(err)
	}
	comment := e["event"].(map[string]any)["comment"].(map[string]any)
	var log strings.Builder
	log.WriteString("Here is the whole spooler log from this morning, the printer still says E-104:\n")
	for i := 0; log.Len() < size; i++ {
		fmt.Fprintf(&log, "2026-11-30T08:%02d:%02d.%03dZ spoolsv[4412]: job %d to LaserJet-400 (10.0.4.21:9100): E-104 connection refused, retry %d/20\n",
			i/60%60, i%60, i%1000, 1000+i, i%20+1)
	}
	text := log.String()
	for range 20 { // trim or pad the log until the JSON is exactly size
		comment["body"] = text
		body, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		switch diff := len(body) - size; {
		case diff == 0:
			return body
		case diff > 0:
			text = text[:len(text)-max(1, diff/2)]
		default:
			text += strings.Repeat(".", -diff)
		}
	}
	t.Fatalf("could not make a %d-byte event", size)
	return nil
}

func TestAWebhookTooBigForOneItemIsRefusedNamingTheLimit(t *testing.T) {
	h, db, table := server(t)
	post := func(body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/webhooks/zendesk/acme-zendesk", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		zendeskSigned(req.Header, body)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	// A customer pastes half a megabyte of log into a comment: a valid,
	// signed event whose item could never be written.
	big := zendeskCommentOfSize(t, 500_000)
	before := dynamotest.Count(t, db, table)
	rec := post(big)
	var answer struct{ Error, Code string }
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
		t.Fatalf("answer is not JSON: %s", rec.Body)
	}
	if rec.Code != http.StatusRequestEntityTooLarge || answer.Code != "too_large" {
		t.Errorf("answer %d %s, want 413 too_large", rec.Code, rec.Body)
	}
	for _, want := range []string{"500000 bytes", "limit is 393216 bytes (384 KiB)", "one DynamoDB item (400 KB)"} {
		if !strings.Contains(answer.Error, want) {
			t.Errorf("error %q does not say %q", answer.Error, want)
		}
	}
	if after := dynamotest.Count(t, db, table); after != before {
		t.Errorf("items %d → %d, want nothing written", before, after)
	}

	// The same event at exactly the limit is stored, whole.
	atLimit := zendeskCommentOfSize(t, httpapi.MaxBody)
	if rec := post(atLimit); rec.Code != http.StatusAccepted {
		t.Fatalf("a body of exactly %d bytes: %d %s, want 202", httpapi.MaxBody, rec.Code, rec.Body)
	}
	if after := dynamotest.Count(t, db, table); after != before+1 {
		t.Errorf("items %d → %d, want the delivery written", before, after)
	}
}
