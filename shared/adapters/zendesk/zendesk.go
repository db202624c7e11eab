// Package zendesk adapts Zendesk webhooks to carecoach's canonical model: it
// verifies signed deliveries, derives a dedupe key that survives retries, and
// normalizes the two body shapes Zendesk can send into care.Interactions.
//
// Zendesk has two kinds of webhook and a connection may use either:
//
//   - Event-subscribed webhooks ("zen:event-type:ticket.*") carry Zendesk's own
//     envelope: type, id, time, subject, a ticket snapshot in detail and the
//     change in event.
//   - Trigger-connected webhooks carry whatever JSON an admin typed into the
//     trigger action. carecoach ships one template for it
//     (events/zendesk-trigger-body.liquid.json) with a fixed marker field,
//     "carecoach": "zendesk-trigger/v1", so the two shapes can never be
//     confused.
//
// Every id is read from a string, a number or an object with an id, every
// boolean from true or "true" (and yes/no, 1/0), every enum in any case; a
// field that cannot be read makes the event partial, not dead (see
// Normalize). testdata/README.md says which shapes Zendesk documents and
// which are assumed.
//
// The package is pure: no network, no AWS, no clock except the one passed in.
package zendesk

// Helpdesk implements verification and normalization of Zendesk webhooks.
// It has no state; the zero value is ready to use.
type Helpdesk struct{}

// Header names Zendesk sets on webhook requests.
const (
	HeaderSignature    = "X-Zendesk-Webhook-Signature"
	HeaderTimestamp    = "X-Zendesk-Webhook-Signature-Timestamp"
	HeaderInvocationID = "X-Zendesk-Webhook-Invocation-Id"
	HeaderWebhookID    = "X-Zendesk-Webhook-Id"
)

// TriggerMarker is the value of the "carecoach" field in trigger bodies built
// from carecoach's template. A new, incompatible template gets a new version.
const TriggerMarker = "zendesk-trigger/v1"

// eventTypePrefix starts every event-subscribed ticket event type.
const eventTypePrefix = "zen:event-type:ticket."
