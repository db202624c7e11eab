package zendesk_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// sampleBodies seeds the fuzzers with every sample, the template included:
// an unrendered template is exactly what a test send from Zendesk delivers.
func sampleBodies(f *testing.F) [][]byte {
	f.Helper()
	files, err := filepath.Glob(filepath.Join(eventsDir, "zendesk-*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no samples in %s: %v", eventsDir, err)
	}
	var bodies [][]byte
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	return bodies
}

// FuzzNormalize checks that no body makes DedupeKey or Normalize panic, that
// failures are always caller-safe EInvalid errors, and that whatever
// Normalize accepts is storable: every interaction validates, and the
// delivery also has a short dedupe key; a change left unread says why.
func FuzzNormalize(f *testing.F) {
	for _, body := range sampleBodies(f) {
		f.Add(body, "01KBX9Q5RZ3T8M6W2Y4C7N1P0A")
	}
	f.Add([]byte(`{"type":"zen:event-type:ticket.created","id":"e","time":"0001-01-01T00:00:00Z","subject":"zen:ticket:1"}`), "")
	f.Add([]byte(`{"carecoach":"zendesk-trigger/v1","trigger":"status","ticket":{"id":"1","status":"open","updated_at":"2026-11-30T09:00:00Z"}}`), "")
	f.Fuzz(func(t *testing.T, body []byte, invocation string) {
		h := http.Header{}
		h.Set(zendesk.HeaderInvocationID, invocation)
		key, keyErr := zendesk.Helpdesk{}.DedupeKey(h, body)
		if keyErr != nil {
			requireCode(t, keyErr, care.EInvalid)
		} else if len(key) == 0 || len(key) > 100 || !keySafe(key) {
			t.Fatalf("DedupeKey = %q: want 1..100 characters of [A-Za-z0-9._:-]", key)
		}
		ins, err := zendesk.Helpdesk{}.Normalize(delivery(body))
		if err != nil {
			requireCode(t, err, care.EInvalid)
			return
		}
		if keyErr != nil {
			t.Fatalf("Normalize accepted a body DedupeKey rejected (%v)", keyErr)
		}
		for _, in := range ins {
			if err := in.Validate(); err != nil {
				t.Fatalf("Normalize gave an invalid interaction: %v\n%+v", err, in)
			}
			if in.Ticket.Connection != connection {
				t.Fatalf("interaction names connection %q, want %q", in.Ticket.Connection, connection)
			}
			if in.Kind == care.ChangeUnread && len(in.Unread) == 0 {
				t.Fatalf("a change that could not be read says nothing about why: %+v", in)
			}
		}
	})
}

// FuzzAuthenticate checks that no input makes Authenticate panic or fail
// with anything but EUnauthorized, that a body signed with the right secret
// always verifies, and that flipping any single byte of it never does.
func FuzzAuthenticate(f *testing.F) {
	for i, body := range sampleBodies(f) {
		f.Add([]byte(vectorSecret), body, uint(i*37), byte(1<<(i%8)), vectorSignature, vectorTimestamp)
	}
	f.Add([]byte("s"), []byte{}, uint(0), byte(0), "", "")
	f.Fuzz(func(t *testing.T, secret, body []byte, pos uint, mask byte, sig, ts string) {
		h := http.Header{}
		h.Set(zendesk.HeaderSignature, sig)
		h.Set(zendesk.HeaderTimestamp, ts)
		if err := (zendesk.Helpdesk{}).Authenticate(secret, h, body, vectorNow); err != nil {
			requireCode(t, err, care.EUnauthorized)
		}
		if len(secret) == 0 {
			return // no secret never verifies; covered by TestAuthenticate
		}
		stamp := vectorNow.Add(-time.Minute).Format(time.RFC3339)
		signed := http.Header{}
		signed.Set(zendesk.HeaderSignature, zendesk.Sign(secret, stamp, body))
		signed.Set(zendesk.HeaderTimestamp, stamp)
		if err := (zendesk.Helpdesk{}).Authenticate(secret, signed, body, vectorNow); err != nil {
			t.Fatalf("a correctly signed body was rejected: %v", err)
		}
		if len(body) == 0 {
			return
		}
		if mask == 0 {
			mask = 0x01
		}
		flipped := bytes.Clone(body)
		flipped[pos%uint(len(flipped))] ^= mask
		if err := (zendesk.Helpdesk{}).Authenticate(secret, signed, flipped, vectorNow); err == nil {
			t.Fatalf("a body with byte %d flipped by %#x was accepted", pos%uint(len(flipped)), mask)
		}
	})
}

func requireCode(t *testing.T, err error, code care.Code) {
	t.Helper()
	var ce *care.Error
	if !errors.As(err, &ce) || ce.Code != code || ce.Message == "" {
		t.Fatalf("error = %v (%T), want a *care.Error with code %s", err, err, code)
	}
}

func keySafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}
