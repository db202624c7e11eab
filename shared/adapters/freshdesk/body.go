package freshdesk

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/core/care"
)

// marker is the value of the "carecoach" field in every body carecoach
// designed. A body without it was not pasted from our templates, and a
// future incompatible template set would change the version.
const marker = "freshdesk/v1"

// maxEventName bounds the event name, which is stored as SourceID.
const maxEventName = 100

// object is one decoded JSON object. Members are kept raw so that each
// field's absence, type and value can be reported precisely: the admin
// typed these bodies by hand, and "subject must be a string, not number"
// helps them far more than a generic decoding error.
type object struct {
	path    string // "" for the body, "agent." for a nested object
	members map[string]json.RawMessage
}

// decodeBody parses the raw body into its top-level object.
func decodeBody(body []byte) (object, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return object{}, care.Errorf(care.EInvalid, "body is empty")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return object{}, care.Errorf(care.EInvalid, "body is not valid JSON: %s at offset %d", syn.Error(), syn.Offset)
		case errors.As(err, &typ):
			return object{}, care.Errorf(care.EInvalid, "body must be a JSON object, not %s", withArticle(typ.Value))
		default:
			return object{}, care.Errorf(care.EInvalid, "body is not valid JSON: %s", err.Error())
		}
	}
	if members == nil {
		return object{}, care.Errorf(care.EInvalid, "body must be a JSON object, not null")
	}
	return object{members: members}, nil
}

// has reports whether the field is present and not null.
func (o object) has(name string) bool {
	raw, ok := o.members[name]
	return ok && jsonKind(raw) != "null"
}

// str returns a string field. Absent and null read as "", because a
// placeholder that renders nothing is the same as one that is not there.
func (o object) str(name string) (string, error) {
	raw, ok := o.members[name]
	if !ok {
		return "", nil
	}
	switch kind := jsonKind(raw); kind {
	case "null":
		return "", nil
	case "string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", care.Errorf(care.EInvalid, "%s%s is not a valid JSON string", o.path, name)
		}
		return s, nil
	default:
		return "", care.Errorf(care.EInvalid, "%s%s must be a string, not %s", o.path, name, withArticle(kind))
	}
}

// scalar returns a string or number field as text. Status, priority,
// rating and ticket id accept both because some guides paste their
// placeholders unquoted, and then Freshdesk sends a bare number.
func (o object) scalar(name string) (string, error) {
	raw, ok := o.members[name]
	if !ok {
		return "", nil
	}
	if jsonKind(raw) == "number" {
		return string(bytes.TrimSpace(raw)), nil
	}
	s, err := o.str(name)
	if err != nil {
		return "", care.Errorf(care.EInvalid, "%s%s must be a string or number, not %s", o.path, name, withArticle(jsonKind(raw)))
	}
	return s, nil
}

// object returns a nested object field; absent and null read as empty.
func (o object) object(name string) (object, error) {
	nested := object{path: o.path + name + "."}
	raw, ok := o.members[name]
	if !ok {
		return nested, nil
	}
	switch kind := jsonKind(raw); kind {
	case "null":
		return nested, nil
	case "object":
		if err := json.Unmarshal(raw, &nested.members); err != nil {
			return nested, care.Errorf(care.EInvalid, "%s%s is not a valid JSON object", o.path, name)
		}
		return nested, nil
	default:
		return nested, care.Errorf(care.EInvalid, "%s%s must be an object, not %s", o.path, name, withArticle(kind))
	}
}

// jsonKind names the JSON type of a raw value that json.Unmarshal accepted.
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// withArticle turns a JSON type name into a phrase: "a string", "an
// object", "null".
func withArticle(kind string) string {
	if kind == "bool" { // json.UnmarshalTypeError's word for it
		kind = "boolean"
	}
	switch kind {
	case "null":
		return kind
	case "object", "array":
		return "an " + kind
	default:
		return "a " + kind
	}
}

// envelope is what every body must carry, whatever its event.
type envelope struct {
	body     object
	event    string
	ticketID string
}

// parseEnvelope checks that the body is one of our documented shapes.
func parseEnvelope(body []byte) (envelope, error) {
	obj, err := decodeBody(body)
	if err != nil {
		return envelope{}, err
	}
	if !obj.has("carecoach") {
		return envelope{}, care.Errorf(care.EInvalid, "missing field %q: the body was not pasted from a carecoach template", "carecoach")
	}
	m, err := obj.str("carecoach")
	if err != nil {
		return envelope{}, err
	}
	if m != marker {
		return envelope{}, care.Errorf(care.EInvalid, "carecoach is %s, want %q", clip(m), marker)
	}

	if !obj.has("event") {
		return envelope{}, care.Errorf(care.EInvalid, "missing field %q", "event")
	}
	event, err := obj.str("event")
	switch {
	case err != nil:
		return envelope{}, err
	case strings.TrimSpace(event) == "":
		return envelope{}, care.Errorf(care.EInvalid, "event is empty")
	case len(event) > maxEventName:
		return envelope{}, care.Errorf(care.EInvalid, "event is longer than %d bytes", maxEventName)
	}

	if !obj.has("ticket_id") {
		return envelope{}, care.Errorf(care.EInvalid, "missing field %q", "ticket_id")
	}
	id, err := ticketID(obj)
	if err != nil {
		return envelope{}, err
	}
	return envelope{body: obj, event: event, ticketID: id}, nil
}

// ticketID reads ticket_id as a positive integer, from a number, a numeric
// string or an object with an id (like every id carecoach reads), and
// returns it in canonical decimal form so that "42", " 42", 42 and
// {"id": 42} name the same ticket.
func ticketID(obj object) (string, error) {
	raw := obj.members["ticket_id"]
	kind := jsonKind(raw)
	if kind == "object" {
		nested, err := obj.object("ticket_id")
		if err == nil && nested.has("id") {
			raw, kind = nested.members["id"], jsonKind(nested.members["id"])
			obj = object{members: map[string]json.RawMessage{"ticket_id": raw}}
		}
	}
	var text string
	switch kind {
	case "number":
		text = string(bytes.TrimSpace(raw))
	case "string":
		s, err := obj.str("ticket_id")
		if err != nil {
			return "", err
		}
		text = strings.TrimSpace(s)
	default:
		return "", care.Errorf(care.EInvalid, "ticket_id must be a number, a numeric string or an object with an id, not %s", withArticle(kind))
	}
	n, err := strconv.ParseUint(text, 10, 64)
	if err != nil || n == 0 {
		return "", care.Errorf(care.EInvalid, "ticket_id must be a number or numeric string, got %s", clip(text))
	}
	return strconv.FormatUint(n, 10), nil
}

// clip quotes a value for an error message, cut short so that a pasted
// comment cannot turn into a page-long message.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	r := []rune(s)
	return strconv.Quote(string(r[:max])) + "…"
}
