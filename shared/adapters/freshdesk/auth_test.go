package freshdesk_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

const testSecret = "s3cr3t-Vq9xT2mLr8KdW4nZ"

func header(values ...string) http.Header {
	h := http.Header{}
	for _, v := range values {
		h.Add(freshdesk.SecretHeader, v)
	}
	return h
}

func lowerCaseHeader(v string) http.Header {
	h := http.Header{}
	h.Set(strings.ToLower(freshdesk.SecretHeader), v)
	return h
}

func TestAuthenticate(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"carecoach":"freshdesk/v1"}`)
	tests := []struct {
		name   string
		secret care.Secret
		header http.Header
		want   string // "" when the delivery must be accepted
	}{
		{"the right secret is accepted", care.Secret(testSecret), header(testSecret), ""},
		{"a header named in lower case is read all the same", care.Secret(testSecret), lowerCaseHeader(testSecret), ""},
		{"a wrong secret of the same length is refused", care.Secret(testSecret), header(strings.Repeat("x", len(testSecret))), "X-Carecoach-Secret header does not match this connection's secret"},
		{"a shorter secret is refused", care.Secret(testSecret), header(testSecret[:10]), "X-Carecoach-Secret header does not match this connection's secret"},
		{"a longer secret that starts with the right one is refused", care.Secret(testSecret), header(testSecret + "x"), "X-Carecoach-Secret header does not match this connection's secret"},
		{"a secret differing only in case is refused", care.Secret(testSecret), header(strings.ToUpper(testSecret)), "X-Carecoach-Secret header does not match this connection's secret"},
		{"a missing header is refused", care.Secret(testSecret), http.Header{}, "missing X-Carecoach-Secret header"},
		{"an empty header is refused", care.Secret(testSecret), header(""), "missing X-Carecoach-Secret header"},
		{"a header given twice is refused", care.Secret(testSecret), header(testSecret, testSecret), "X-Carecoach-Secret header is given more than once"},
		{"an empty configured secret never authenticates, even an empty header", nil, header(""), "this connection has no secret configured, so no delivery can be authenticated"},
		{"an empty configured secret never authenticates a missing header", care.Secret{}, http.Header{}, "this connection has no secret configured, so no delivery can be authenticated"},
		{"an empty configured secret never authenticates any header", care.Secret(""), header("anything"), "this connection has no secret configured, so no delivery can be authenticated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := freshdesk.Helpdesk{}.Authenticate(tc.secret, tc.header, body, now)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Authenticate: %v, want nil", err)
				}
				return
			}
			if code := care.ErrorCode(err); code != care.EUnauthorized {
				t.Fatalf("Authenticate code = %q (%v), want %q", code, err, care.EUnauthorized)
			}
			if msg := care.ErrorMessage(err); msg != tc.want {
				t.Errorf("Authenticate message = %q, want %q", msg, tc.want)
			}
			if len(tc.secret) > 0 && strings.Contains(err.Error(), string(tc.secret)) {
				t.Errorf("error %q echoes the secret", err)
			}
			if v := tc.header.Get(freshdesk.SecretHeader); v != "" && strings.Contains(err.Error(), v) {
				t.Errorf("error %q echoes the header value", err)
			}
		})
	}
}
