package zendesk

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// object is one decoded JSON object whose fields are still raw. Decoding
// field by field, with the field's path at hand, lets every error name the
// exact field that is wrong ("detail.requester_id must be a string or a
// number, not an object") instead of a Go type.
type object map[string]json.RawMessage

// parseBody decodes a webhook body into its top-level object.
func parseBody(body []byte) (object, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, invalid("body is empty")
	}
	var o object
	if err := json.Unmarshal(body, &o); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// The offset is what a person fixing a trigger body needs.
			return nil, invalid("body is not valid JSON: %s at offset %d", se.Error(), se.Offset)
		}
		return nil, invalid("body must be a JSON object, not %s", kindOf(trimmed))
	}
	if o == nil {
		return nil, invalid("body must be a JSON object, not null")
	}
	return o, nil
}

// kindOf names the JSON type of a raw value for error messages.
func kindOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// isNull reports whether a field is absent or JSON null; both mean "unknown".
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// obj returns the nested object at key; absent or null gives a nil object.
func (o object) obj(key, path string) (object, error) {
	raw := o[key]
	if isNull(raw) {
		return nil, nil
	}
	var sub object
	if err := json.Unmarshal(raw, &sub); err != nil || sub == nil {
		return nil, invalid("%s must be an object, not %s", path, kindOf(raw))
	}
	return sub, nil
}

// has reports whether key is present with a non-null value.
func (o object) has(key string) bool { return !isNull(o[key]) }

// str returns the string at key; absent or null gives "".
func (o object) str(key, path string) (string, error) {
	raw := o[key]
	if isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", invalid("%s must be a string, not %s", path, kindOf(raw))
	}
	return s, nil
}

// id returns an identifier at key. Zendesk's own examples send ids as
// strings, numbers and objects with an "id" (an assignee as {"id": …,
// "name": …}) in different places, and hand-written trigger bodies use any
// of them, so all three are read; numbers must be integers so "1e3" cannot
// pose as an id.
func (o object) id(key, path string) (string, error) {
	return readID(o[key], path, 0)
}

func readID(raw json.RawMessage, path string, depth int) (string, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return "", nil
	}
	switch kindOf(raw) {
	case "a string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", invalid("%s is not a valid JSON string", path)
		}
		return strings.TrimSpace(s), nil
	case "a number":
		if !isInteger(string(raw)) {
			return "", invalid("%s must be an integer, not %s", path, clip(string(raw), 40))
		}
		return string(raw), nil
	case "an object":
		var o object
		if depth == 0 && json.Unmarshal(raw, &o) == nil && o.has("id") {
			return readID(o["id"], path+".id", depth+1)
		}
	}
	return "", invalid("%s must be a string, a number or an object with an id, not %s", path, kindOf(raw))
}

func isInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// boolean returns the boolean at key and whether it was given at all.
// Trigger placeholders render as text, and hand-written bodies say it in
// other ways, so besides JSON booleans it reads "true"/"false",
// "yes"/"no" and "1"/"0" (any case) and the numbers 1 and 0; an empty
// string counts as not given.
func (o object) boolean(key, path string) (value, set bool, err error) {
	raw := bytes.TrimSpace(o[key])
	if isNull(raw) {
		return false, false, nil
	}
	var word string
	switch kindOf(raw) {
	case "a boolean":
		err := json.Unmarshal(raw, &value)
		return value, err == nil, err
	case "a number":
		word = string(raw)
	case "a string":
		word, _ = o.str(key, path)
	default:
		return false, false, invalid("%s must be a boolean, not %s", path, kindOf(raw))
	}
	switch strings.ToLower(strings.TrimSpace(word)) {
	case "true", "yes", "1":
		return true, true, nil
	case "false", "no", "0":
		return false, true, nil
	case "":
		return false, false, nil
	}
	return false, false, invalid("%s must be true or false, not %q", path, clip(word, 40))
}

// strs returns the string array at key and whether it was given at all, so
// an empty list (all tags removed) differs from an absent one (unknown).
func (o object) strs(key, path string) (list []string, set bool, err error) {
	raw := o[key]
	if isNull(raw) {
		return nil, false, nil
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, false, invalid("%s must be an array of strings, not %s", path, kindOf(raw))
	}
	if list == nil {
		list = []string{}
	}
	return list, true, nil
}

func invalid(format string, args ...any) error {
	return care.Errorf(care.EInvalid, format, args...)
}
