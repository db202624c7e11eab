package zendesk_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// The test vector was computed outside Go, so a bug shared by Sign and
// Authenticate cannot hide:
//
//	printf '%s%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
//
// The secret is the fixed one Zendesk uses for test sends from the webhook
// builder; it is used as its ASCII bytes, not base64-decoded.
const (
	vectorSecret    = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
	vectorTimestamp = "2026-11-30T09:00:01Z"
	vectorBody      = `{"type":"zen:event-type:ticket.status_changed","id":"4d5e6f7a","event":{"current":"SOLVED"}}`
	vectorSignature = "fYrf1JJABhO3fGbk0MEe3s94aZ0pcOZhtpt9udgqVWI="
	// An empty body is signed over the timestamp alone.
	vectorEmptyBodySignature = "TMbTVT42GQH4WyKlTOUbEvL5eo0nNQtTjTD02qB6amA="
)

var vectorNow = time.Date(2026, 11, 30, 9, 0, 30, 0, time.UTC)

func TestSignMatchesTheIndependentlyComputedVector(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"a body is signed over the timestamp followed by the body", vectorBody, vectorSignature},
		{"an empty body is signed over the timestamp alone", "", vectorEmptyBodySignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := zendesk.Sign([]byte(vectorSecret), vectorTimestamp, []byte(tc.body)); got != tc.want {
				t.Errorf("Sign = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	secret := care.Secret(vectorSecret)
	signed := func(sig, ts string) http.Header {
		h := http.Header{}
		if sig != "" {
			h.Set(zendesk.HeaderSignature, sig)
		}
		if ts != "" {
			h.Set(zendesk.HeaderTimestamp, ts)
		}
		return h
	}
	// resigned signs the vector body at another time, as Zendesk would.
	resigned := func(ts string) http.Header {
		return signed(zendesk.Sign([]byte(vectorSecret), ts, []byte(vectorBody)), ts)
	}
	lowerCased := http.Header{
		"x-zendesk-webhook-signature":           {vectorSignature},
		"x-zendesk-webhook-signature-timestamp": {vectorTimestamp},
	}
	tests := []struct {
		name    string
		secret  care.Secret
		header  http.Header
		body    string
		now     time.Time
		wantErr string // "" means accepted
	}{
		{"the known test vector is accepted", secret, signed(vectorSignature, vectorTimestamp), vectorBody, vectorNow, ""},
		{"headers copied from API Gateway in lower case are found", secret, lowerCased, vectorBody, vectorNow, ""},
		{"a timestamp exactly five minutes old is accepted", secret, resigned("2026-11-30T08:55:30Z"), vectorBody, vectorNow, ""},
		{"a timestamp exactly five minutes ahead is accepted", secret, resigned("2026-11-30T09:05:30Z"), vectorBody, vectorNow, ""},
		{"a timestamp with a zone offset is accepted", secret, resigned("2026-11-30T10:00:01+01:00"), vectorBody, vectorNow, ""},
		{"a wrong signature is rejected", secret, signed(zendesk.Sign([]byte("other secret"), vectorTimestamp, []byte(vectorBody)), vectorTimestamp), vectorBody, vectorNow, "signature does not match"},
		{"a tampered body is rejected", secret, signed(vectorSignature, vectorTimestamp), strings.Replace(vectorBody, "SOLVED", "OPEN", 1), vectorNow, "signature does not match"},
		{"a signature over a different timestamp is rejected", secret, signed(vectorSignature, "2026-11-30T09:00:02Z"), vectorBody, vectorNow, "signature does not match"},
		{"a body signed timestamp-last is rejected", secret, signed(zendesk.Sign([]byte(vectorSecret), "", []byte(vectorBody+vectorTimestamp)), vectorTimestamp), vectorBody, vectorNow, "signature does not match"},
		{"a missing signature header is rejected", secret, signed("", vectorTimestamp), vectorBody, vectorNow, "missing X-Zendesk-Webhook-Signature header"},
		{"a missing timestamp header is rejected", secret, signed(vectorSignature, ""), vectorBody, vectorNow, "missing X-Zendesk-Webhook-Signature-Timestamp header"},
		{"a signature that is not base64 is rejected", secret, signed("not*base64", vectorTimestamp), vectorBody, vectorNow, "X-Zendesk-Webhook-Signature is not base64"},
		{"a timestamp one second past five minutes old is rejected", secret, resigned("2026-11-30T08:55:29Z"), vectorBody, vectorNow, "signature timestamp is 5m1s away from server time (tolerance 5m0s)"},
		{"a timestamp one second past five minutes ahead is rejected", secret, resigned("2026-11-30T09:05:31Z"), vectorBody, vectorNow, "signature timestamp is 5m1s away from server time (tolerance 5m0s)"},
		{"a stale timestamp is rejected with how far off it is", secret, resigned("2026-11-30T08:51:30Z"), vectorBody, vectorNow, "signature timestamp is 9m0s away from server time (tolerance 5m0s)"},
		{"a timestamp that is not RFC 3339 is rejected", secret, resigned("1796029201"), vectorBody, vectorNow, `signature timestamp "1796029201" is not an RFC 3339 time`},
		{"an empty secret never verifies, even a body signed with it", care.Secret(""), signed(zendesk.Sign(nil, vectorTimestamp, []byte(vectorBody)), vectorTimestamp), vectorBody, vectorNow, "no signing secret is configured for this connection"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := zendesk.Helpdesk{}.Authenticate(tc.secret, tc.header, []byte(tc.body), tc.now)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Authenticate: %v, want accepted", err)
				}
				return
			}
			var ce *care.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Authenticate error = %v (%T), want *care.Error", err, err)
			}
			if ce.Code != care.EUnauthorized || ce.Message != tc.wantErr {
				t.Errorf("Authenticate error = %s: %q, want unauthorized: %q", ce.Code, ce.Message, tc.wantErr)
			}
			for _, secretish := range []string{vectorSecret, vectorSignature, zendesk.Sign(tc.secret, header(tc.header, zendesk.HeaderTimestamp), []byte(tc.body))} {
				if strings.Contains(ce.Message, secretish) {
					t.Errorf("message %q reveals a secret or the expected signature", ce.Message)
				}
			}
		})
	}
}

func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	return strings.Join(h[strings.ToLower(name)], "")
}
