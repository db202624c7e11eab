// Package freshdesk authenticates and normalizes Freshdesk automation-rule
// webhooks into carecoach's canonical interactions.
//
// Freshdesk has no event webhooks of its own for tickets: an admin adds a
// "Trigger webhook" action to one automation rule per kind of change and
// pastes a JSON body that carecoach designed (see SETUP.md and
// events/freshdesk-*.liquid.json). Every body carries the fixed marker
// "carecoach": "freshdesk/v1" and an "event" literal that says which rule
// fired, because nothing else in the request does.
//
// What Freshdesk does not give us, and what this package does instead:
//
//   - No signature. The admin adds a custom header holding the connection's
//     secret; Authenticate compares it in constant time.
//   - No delivery id. DedupeKey hashes the raw body.
//   - No documented event time. Bodies carry {{ticket.modified_on}}, which
//     Freshdesk's ticket drop exposes but does not list among its
//     placeholders ({{ticket.updated_at}} is not exposed at all and renders
//     empty). When it is empty the delivery's ReceivedAt is used instead.
//   - No numeric agent or requester id placeholder. People are identified by
//     their lower-cased email address, groups by their name.
//   - No rating placeholder. A feedback rule may carry a literal "rating"
//     the admin typed for that rule's rating condition.
package freshdesk

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Helpdesk implements authentication and normalization of Freshdesk
// automation-rule webhooks. It holds no state; the zero value is ready.
type Helpdesk struct{}

// SecretHeader is the custom header the admin adds to every webhook action.
const SecretHeader = "X-Carecoach-Secret"

// Authenticate compares the SecretHeader value with the connection's secret
// in constant time. Both are hashed first so that the comparison takes the
// same time whatever their lengths, and so that a length mismatch is not
// revealed by an early return.
//
// Freshdesk signs nothing and sends no timestamp, so body and now play no
// part: the header is the whole proof. Replays are caught by DedupeKey.
func (Helpdesk) Authenticate(secret care.Secret, h http.Header, body []byte, now time.Time) error {
	if len(secret) == 0 {
		// An empty configured secret would let an empty header match.
		return care.Errorf(care.EUnauthorized, "this connection has no secret configured, so no delivery can be authenticated")
	}
	values := h.Values(SecretHeader)
	switch {
	case len(values) == 0 || values[0] == "":
		return care.Errorf(care.EUnauthorized, "missing %s header", SecretHeader)
	case len(values) > 1:
		// Proxies disagree about which of several values wins; refuse to guess.
		return care.Errorf(care.EUnauthorized, "%s header is given more than once", SecretHeader)
	}
	got := sha256.Sum256([]byte(values[0]))
	want := sha256.Sum256(secret)
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return care.Errorf(care.EUnauthorized, "%s header does not match this connection's secret", SecretHeader)
	}
	return nil
}

// DedupeKey returns the hex SHA-256 of the raw body. Freshdesk has no
// delivery id, and a retry re-sends the body it rendered, so identical bytes
// are the only sign of a duplicate. The caller scopes the key to the
// connection. The body must be one of our documented shapes: valid JSON
// with the carecoach marker, an event name and a numeric ticket id.
//
// Headers carry nothing Freshdesk-specific, so h is unused.
func (Helpdesk) DedupeKey(h http.Header, body []byte) (string, error) {
	if _, err := parseEnvelope(body); err != nil {
		return "", fmt.Errorf("freshdesk dedupe key: %w", err)
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:]), nil
}

// Normalize is NormalizeIn without a configured time zone: times that name
// no zone are placed by modified_on's offset alone.
func (h Helpdesk) Normalize(d care.Delivery) ([]care.Interaction, error) {
	return h.NormalizeIn(d, nil)
}

// NormalizeIn turns one stored delivery into canonical interactions, most
// often exactly one. A ticket_created body from a customer yields two: the
// creation and the customer's first message, which starts the response
// clock. Unknown event names are not errors: they yield one interaction of
// kind care.Unrecognized whose SourceID is the event name.
//
// zone is the time zone the connection's Freshdesk account renders times
// in (the connection's timezone, by default its team's); it places times
// that name no offset or an ambiguous abbreviation (see times.go).
//
// Only a body that is not one of our shapes (no marker, event or ticket
// id) gives a *care.Error with code care.EInvalid. Any other field that
// cannot be read is listed in the interactions' Unread and left unknown;
// a change whose own value cannot be used (an unknown status, an
// unreadable due date) is care.ChangeUnread.
func (Helpdesk) NormalizeIn(d care.Delivery, zone *time.Location) ([]care.Interaction, error) {
	// Neither can happen through the ingest path; if one does, retrying
	// cannot help, so they are invalid (set aside) rather than internal.
	if d.Source != "" && d.Source != care.Freshdesk {
		return nil, care.Errorf(care.EInvalid, "delivery is from %s, not freshdesk", clip(string(d.Source)))
	}
	if d.Connection == "" {
		return nil, care.Errorf(care.EInvalid, "delivery names no connection")
	}
	ins, err := normalize(d, zone)
	if err != nil {
		return nil, fmt.Errorf("freshdesk normalize: %w", err)
	}
	return ins, nil
}
