package zendesk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Tolerance is how far the signed timestamp may be from the server clock.
// Zendesk documents no replay window; five minutes is the common choice and
// leaves room for Zendesk's own retries, which are re-signed when resent.
const Tolerance = 5 * time.Minute

// Sign returns the X-Zendesk-Webhook-Signature value for body signed at
// timestamp: base64(HMAC-SHA256(secret, timestamp+body)). The secret's bytes
// are used as they are; Zendesk secrets look like base64 but are not decoded.
func Sign(secret []byte, timestamp string, body []byte) string {
	return base64.StdEncoding.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret []byte, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write(body)
	return m.Sum(nil)
}

// Authenticate verifies that body was signed by Zendesk with secret, at a time
// within Tolerance of now. Every failure is a *care.Error with code
// care.EUnauthorized whose message says what is wrong without revealing the
// secret or the expected signature.
//
// The signature is checked before the time window so that only genuine but
// late (or replayed) deliveries are told about clock skew; everybody else
// learns only that the signature does not match.
func (Helpdesk) Authenticate(secret care.Secret, h http.Header, body []byte, now time.Time) error {
	if len(secret) == 0 {
		// An empty HMAC key is still a key; accepting it would let anyone sign.
		return unauthorized("no signing secret is configured for this connection")
	}
	sig := header(h, HeaderSignature)
	if sig == "" {
		return unauthorized("missing %s header", HeaderSignature)
	}
	ts := header(h, HeaderTimestamp)
	if ts == "" {
		return unauthorized("missing %s header", HeaderTimestamp)
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return unauthorized("%s is not base64", HeaderSignature)
	}
	if !hmac.Equal(got, mac(secret, ts, body)) {
		return unauthorized("signature does not match")
	}
	return checkWindow(ts, now)
}

// checkWindow rejects timestamps that are unreadable or too far from now.
func checkWindow(ts string, now time.Time) error {
	signedAt, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return unauthorized("signature timestamp %q is not an RFC 3339 time", clip(ts, 40))
	}
	skew := now.Sub(signedAt)
	if skew < 0 {
		skew = -skew
	}
	if skew > Tolerance {
		return unauthorized("signature timestamp is %s away from server time (tolerance %s)", ceilSecond(skew), Tolerance)
	}
	return nil
}

// ceilSecond rounds up so that a rejected skew never prints as exactly the
// tolerance ("5m0s away (tolerance 5m0s)" would read as a bug).
func ceilSecond(d time.Duration) time.Duration {
	if r := d % time.Second; r != 0 {
		return d - r + time.Second
	}
	return d
}

// header reads a header by name. Callers usually pass a canonical
// http.Header, but Lambda adapters often copy API Gateway's lower-cased map
// as it is, so fall back to a case-insensitive scan.
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return strings.TrimSpace(v)
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
	}
	return ""
}

func unauthorized(format string, args ...any) error {
	return care.Errorf(care.EUnauthorized, format, args...)
}

// clip shortens caller-supplied text quoted in messages so a hostile header
// cannot blow up logs.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return truncate(s, n) + "…"
}
