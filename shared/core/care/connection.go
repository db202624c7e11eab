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
	// API, when set, lets carecoach read the help desk's REST API with a
	// token: to reconcile what webhooks missed, backfill a new connection's
	// history and fetch what a webhook cannot carry.
	API *ConnectionAPI `json:"api,omitempty" yaml:"api,omitempty"`
	// Secret verifies deliveries: the Zendesk signing secret or the Freshdesk
	// shared header value. It is never logged (see LogValue).
	Secret Secret `json:"-" yaml:"-" dynamodbav:"-"`
}

// ConnectionAPI is how carecoach reaches a help desk's REST API. The token
// itself is never in configuration: it is an SSM SecureString parameter.
type ConnectionAPI struct {
	// Email is the Zendesk agent the API token acts as ("<email>/token");
	// Freshdesk's API key needs none.
	Email string `json:"email,omitempty" yaml:"email,omitempty"`
	// TokenParam names the SSM parameter holding the API token or key,
	// e.g. /carecoach/prod/helpdesk-tokens/acme-zendesk.
	TokenParam string `json:"tokenParam" yaml:"tokenParam"`
	// BackfillDays is how much history a new connection imports (default
	// DefaultBackfillDays).
	BackfillDays int `json:"backfillDays,omitempty" yaml:"backfillDays,omitempty"`
}

// DefaultBackfillDays is how far back a new connection's history is
// imported when its configuration does not say.
const DefaultBackfillDays = 30

// Backfill is how much history a new connection imports.
func (a ConnectionAPI) Backfill() time.Duration {
	days := a.BackfillDays
	if days <= 0 {
		days = DefaultBackfillDays
	}
	return time.Duration(days) * 24 * time.Hour
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
