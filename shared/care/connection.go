package care

import (
	"log/slog"
	"time"
)

// Connection is one configured help desk account. Each has its own webhook URL
// (/webhooks/<kind>/<id>) and its own secret.
type Connection struct {
	ID   string `json:"id" yaml:"id"`
	Kind Source `json:"kind" yaml:"kind"`
	Team string `json:"team" yaml:"team"`
	// BaseURL is the help desk's agent URL, e.g. https://acme.zendesk.com,
	// used to link tickets in emails.
	BaseURL string `json:"baseUrl" yaml:"baseUrl"`
	// TimeZone is the IANA zone the help desk account renders times in
	// (Freshdesk's dates often name no offset); "" means the team's.
	TimeZone string `json:"timezone,omitempty" yaml:"timezone,omitempty"`
	// Secret verifies deliveries: the Zendesk signing secret or the Freshdesk
	// shared header value. It is never logged (see LogValue).
	Secret Secret `json:"-" yaml:"-"`
}

// TicketURL is where an agent opens the ticket in the help desk.
func (c Connection) TicketURL(ticketID string) string {
	if c.BaseURL == "" {
		return ""
	}
	switch c.Kind {
	case Freshdesk:
		return c.BaseURL + "/a/tickets/" + ticketID
	default:
		return c.BaseURL + "/agent/tickets/" + ticketID
	}
}

// Secret holds key material. Its String and LogValue never reveal it.
type Secret []byte

func (Secret) String() string { return "[redacted]" }

// LogValue keeps secrets out of structured logs.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// TokenKeys makes one secret a key ring of one: it is the current key and
// there is no previous key (see app.TokenKeys).
func (s Secret) TokenKeys() (current, previous Secret) { return s, nil }

// MaxDeliveryBody is the largest webhook body carecoach accepts: 384 KiB
// (393,216 bytes). A delivery is stored whole, body and all, in one
// DynamoDB item, and an item holds at most 400 KB (409,600 bytes) counting
// attribute names and the other attributes; the 16 KiB left over is far
// more than the keys, the connection id and the dedupe key take. Real help
// desk events are a few KB; a bigger body is refused with 413 and this
// limit, rather than failing the write and being retried for ever.
const MaxDeliveryBody = 384 << 10

// Delivery is one webhook request exactly as received, stored before anything
// else happens to it. Processing reads it back from storage.
type Delivery struct {
	Connection string    `json:"connection" dynamodbav:"connection"`
	Source     Source    `json:"source" dynamodbav:"source"`
	DedupeKey  string    `json:"dedupeKey" dynamodbav:"dedupeKey"`
	ReceivedAt time.Time `json:"receivedAt" dynamodbav:"receivedAt"`
	Body       []byte    `json:"body" dynamodbav:"body"`
}

// DeadLetter is a delivery that could not be processed, kept with the
// reason until a person replays it after a fix (or it expires).
type DeadLetter struct {
	Delivery Delivery
	Reason   string
	At       time.Time // when it was set aside
}

// Member is a person on a team: an agent or a manager.
type Member struct {
	Team  string `json:"team" yaml:"-" dynamodbav:"team"`
	Name  string `json:"name" yaml:"name" dynamodbav:"name"`
	Email string `json:"email" yaml:"email" dynamodbav:"email"`
	// HelpdeskIDs maps a connection id to this person's user id there.
	HelpdeskIDs map[string]string `json:"helpdeskIds" yaml:"helpdeskIds" dynamodbav:"helpdeskIds"`
	Manager     string            `json:"manager,omitempty" yaml:"manager,omitempty" dynamodbav:"manager,omitempty"`
}

// Email is a message carecoach sends: always about specific instances.
type Email struct {
	To      []string
	ReplyTo []string
	Subject string
	Text    string
	HTML    string
	// Tags label the message for delivery events (e.g. kind=respond_reminder).
	Tags map[string]string
}
