package zendesk_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

func TestDedupeKey(t *testing.T) {
	withInvocation := http.Header{}
	withInvocation.Set(zendesk.HeaderInvocationID, "01KBX9Q5RZ3T8M6W2Y4C7N1P0A")
	longID := strings.Repeat("a", 300)
	tests := []struct {
		name      string
		header    http.Header
		body      string
		want      string // exact key, or
		wantAHash string // the prefix of a hashed key
	}{
		{name: "an event-subscribed body is keyed by its event id, whatever the headers say", header: withInvocation, body: `{"type":"zen:event-type:ticket.created","id":"cbe4028c-7239-495d-b020-f22348516046"}`, want: "zd-evt-cbe4028c-7239-495d-b020-f22348516046"},
		{name: "a trigger body is keyed by the invocation id header", header: withInvocation, body: `{"carecoach":"zendesk-trigger/v1","ticket":{"id":"5158"}}`, want: "zd-inv-01KBX9Q5RZ3T8M6W2Y4C7N1P0A"},
		// printf '%s' '{"carecoach":"zendesk-trigger/v1"}' | sha256sum
		{name: "a trigger body without an invocation id is keyed by the sha256 of the body", header: http.Header{}, body: `{"carecoach":"zendesk-trigger/v1"}`, want: "zd-body-069afc3fc5647dc5aa4e55769b6e87835f7c02a8b8c72f9439920e8b9c7a42b7"},
		{name: "an event id too long for a key is hashed", header: http.Header{}, body: `{"type":"zen:event-type:ticket.created","id":"` + longID + `"}`, wantAHash: "zd-evt-h-"},
		{name: "an event id with characters unsafe in keys is hashed", header: http.Header{}, body: `{"type":"zen:event-type:ticket.created","id":"a/b c#d"}`, wantAHash: "zd-evt-h-"},
		{name: "a numeric event id is read like a string one", header: http.Header{}, body: `{"type":"zen:event-type:ticket.created","id":4242}`, want: "zd-evt-4242"},
		{name: "an event id given as an object with an id is read from it", header: http.Header{}, body: `{"type":"zen:event-type:ticket.created","id":{"id":"01KBX9"}}`, want: "zd-evt-01KBX9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zendesk.Helpdesk{}.DedupeKey(tc.header, []byte(tc.body))
			if err != nil {
				t.Fatalf("DedupeKey: %v", err)
			}
			switch {
			case tc.want != "" && got != tc.want:
				t.Errorf("DedupeKey = %q, want %q", got, tc.want)
			case tc.wantAHash != "" && (!strings.HasPrefix(got, tc.wantAHash) || len(got) != len(tc.wantAHash)+40):
				t.Errorf("DedupeKey = %q, want %q and 40 hex digits", got, tc.wantAHash)
			}
			if len(got) > 100 {
				t.Errorf("DedupeKey is %d characters, want at most 100", len(got))
			}
		})
	}
}

func TestDedupeKeyOfTheSameBodyIsStableAndDiffersForOtherBodies(t *testing.T) {
	a1, _ := zendesk.Helpdesk{}.DedupeKey(http.Header{}, []byte(`{"carecoach":"zendesk-trigger/v1","n":1}`))
	a2, _ := zendesk.Helpdesk{}.DedupeKey(http.Header{}, []byte(`{"carecoach":"zendesk-trigger/v1","n":1}`))
	b, _ := zendesk.Helpdesk{}.DedupeKey(http.Header{}, []byte(`{"carecoach":"zendesk-trigger/v1","n":2}`))
	if a1 != a2 || a1 == b || !strings.HasPrefix(a1, "zd-body-") {
		t.Errorf("body keys: %q, %q, %q; want the first two equal, the third different", a1, a2, b)
	}
}

func TestDedupeKeyRejectsMalformedBodies(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"an empty body", ``, "body is empty"},
		{"a truncated body", `{"type":"zen:event-type:ticket.created","id":"x"`, "body is not valid JSON: unexpected end of JSON input at offset 48"},
		{"a body with a syntax error", `{"type": zen}`, "body is not valid JSON: invalid character 'z' looking for beginning of value at offset 10"},
		{"a body that is an array", `[1,2]`, "body must be a JSON object, not an array"},
		{"a body that is null", `null`, "body must be a JSON object, not null"},
		{"an event whose id is a fraction", `{"type":"zen:event-type:ticket.created","id":4.2}`, "event id must be an integer, not 4.2"},
		{"an event whose id is a list", `{"type":"zen:event-type:ticket.created","id":["e"]}`, "event id must be a string, a number or an object with an id, not an array"},
		{"an event with no id", `{"type":"zen:event-type:ticket.created"}`, "event id is missing"},
		{"an event with an empty id", `{"type":"zen:event-type:ticket.created","id":" "}`, "event id is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is invalid", func(t *testing.T) {
			_, err := zendesk.Helpdesk{}.DedupeKey(http.Header{}, []byte(tc.body))
			wantInvalid(t, err, tc.want)
		})
	}
}

func TestNormalizeRejectsDeliveriesItCannotNormalize(t *testing.T) {
	customer := string(readSample(t, "zendesk-ticket-comment-added-customer.json"))
	trigger := string(readSample(t, "zendesk-trigger-comment-customer.json"))
	tests := []struct {
		name string
		body string
		want string
	}{
		{"a body that is not JSON", `{"type":`, "body is not valid JSON: unexpected end of JSON input at offset 8"},
		{"a body that is neither shape", `{"hello":"world"}`, `body is neither a Zendesk event (no "type") nor a carecoach trigger body (no "carecoach" marker)`},
		{"an event whose type is a number", `{"type":1}`, "event type must be a string, not a number"},
		{"an event with no ticket id", `{"type":"zen:event-type:ticket.created","id":"e1","time":"2026-11-30T09:00:00Z","subject":"","detail":{}}`, `event names no ticket: subject is "" and detail.id is missing`},
		{"an event whose subject and detail disagree", `{"type":"zen:event-type:ticket.created","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:1","detail":{"id":"2"}}`, `subject names ticket "1" but detail.id is "2"`},
		{"an event whose ticket id has unsafe characters", `{"type":"zen:event-type:ticket.created","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:51/58"}`, `ticket id "51/58" is not a Zendesk ticket id`},
		{"an event with no time", `{"type":"zen:event-type:ticket.created","id":"e1","subject":"zen:ticket:5158"}`, "event time is missing"},
		{"an event with a time that is not RFC 3339", strings.Replace(customer, "2026-11-30T09:00:00Z", "30/11/2026 09:00", 1), `event time "30/11/2026 09:00" is not an RFC 3339 time`},
		{"an event at the zero time", `{"type":"zen:event-type:ticket.created","id":"e1","time":"0001-01-01T00:00:00Z","subject":"zen:ticket:5158"}`, `event time "0001-01-01T00:00:00Z" is the zero time`},
		{"the template with its placeholders unrendered", string(readSample(t, "zendesk-trigger-body.liquid.json")), "ticket.id is empty or was not rendered"},
		{"a trigger body with another marker version", strings.Replace(trigger, "zendesk-trigger/v1", "zendesk-trigger/v9", 1), `carecoach marker is "zendesk-trigger/v9"; this receiver understands "zendesk-trigger/v1"`},
		{"a trigger body with an unknown purpose", strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "priority"`, 1), `trigger "priority" is not one of "comment", "satisfaction" or "status"`},
		{"a trigger body whose ticket id was not rendered", strings.Replace(trigger, `"id": "5158"`, `"id": "{{ticket.id}}"`, 1), "ticket.id is empty or was not rendered"},
		{"a trigger body without updated_at", strings.Replace(trigger, `"updated_at": "2026-11-30T09:00:00Z"`, `"updated_at": ""`, 1), "ticket.updated_at is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is invalid", func(t *testing.T) {
			_, err := zendesk.Helpdesk{}.Normalize(delivery([]byte(tc.body)))
			wantInvalid(t, err, tc.want)
		})
	}
}

func TestNormalizeRejectsDeliveriesNotMeantForIt(t *testing.T) {
	body := readSample(t, "zendesk-ticket-created.json")
	fromFreshdesk := delivery(body)
	fromFreshdesk.Source = care.Freshdesk
	noConnection := delivery(body)
	noConnection.Connection = ""
	wantInvalid(t, second(zendesk.Helpdesk{}.Normalize(fromFreshdesk)), `delivery comes from "freshdesk", not "zendesk"`)
	wantInvalid(t, second(zendesk.Helpdesk{}.Normalize(noConnection)), "delivery names no connection")
}

func wantInvalid(t *testing.T, err error, message string) {
	t.Helper()
	var ce *care.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v (%T), want *care.Error %q", err, err, message)
	}
	if ce.Code != care.EInvalid || ce.Message != message {
		t.Errorf("error = %s: %q\nwant   invalid: %q", ce.Code, ce.Message, message)
	}
}

func second[T any](_ T, err error) error { return err }
