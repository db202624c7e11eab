package zendesk

import (
	"net/http"
)

// DedupeKey returns the key that identifies this delivery across retries:
//
//   - "zd-evt-<id>" for event-subscribed webhooks, from the event's own id,
//     which Zendesk keeps for every attempt;
//   - "zd-inv-<id>" for other bodies (trigger webhooks), from the
//     X-Zendesk-Webhook-Invocation-Id header, which names the invocation and
//     not the attempt;
//   - "zd-body-<sha256>" when neither exists, so identical bodies collapse.
//
// Ids that are long or contain unusual characters are replaced by a hash, so
// the key is always at most 80 characters of [A-Za-z0-9._:-] and safe as a
// DynamoDB key. The key is unique per Zendesk account; callers scope it by
// connection. Malformed bodies give a *care.Error with code care.EInvalid.
func (Helpdesk) DedupeKey(h http.Header, body []byte) (string, error) {
	o, err := parseBody(body)
	if err != nil {
		return "", err
	}
	if !isTrigger(o) && o.has("type") {
		id, err := eventID(o)
		if err != nil {
			return "", err
		}
		return "zd-evt-" + keyPart(id), nil
	}
	if inv := header(h, HeaderInvocationID); inv != "" {
		return "zd-inv-" + keyPart(inv), nil
	}
	return "zd-body-" + hashHex(body, 32), nil
}

// isTrigger reports whether the body was built from carecoach's trigger
// template; the marker wins over anything else in the body.
func isTrigger(o object) bool { return o.has("carecoach") }

// eventID reads the required event id of an event-subscribed body: a
// string as documented, or a number or an object with an id, like every
// other id.
func eventID(o object) (string, error) {
	if isNull(o["id"]) {
		return "", invalid("event id is missing")
	}
	id, err := o.id("id", "event id")
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", invalid("event id is empty")
	}
	return id, nil
}
