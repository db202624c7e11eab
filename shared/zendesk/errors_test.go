package zendesk_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/zendesk"
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
		{"an event whose id is a number", `{"type":"zen:event-type:ticket.created","id":42}`, "event id must be a string, not a number"},
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
		{"an event whose detail is a string", `{"type":"zen:event-type:ticket.created","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","detail":"x"}`, "detail must be an object, not a string"},
		{"an event whose requester id is an object", strings.Replace(customer, `"requester_id": "9001"`, `"requester_id": {"id": 9001}`, 1), "detail.requester_id must be a string or a number, not an object"},
		{"an event whose requester id is a fraction", strings.Replace(customer, `"requester_id": "9001"`, `"requester_id": 9001.5`, 1), "detail.requester_id must be an integer, not 9001.5"},
		{"an event whose tags are not a list", strings.Replace(customer, `"tags": [`, `"tags": "printer", "x": [`, 1), "detail.tags must be an array of strings, not a string"},
		{"a comment without is_public", strings.Replace(customer, `"is_public": true,
      "author"`, `"author"`, 1), "zen:event-type:ticket.comment_added: event.comment.is_public is missing; cannot tell a reply from a note"},
		{"a public comment without author.is_staff", strings.Replace(customer, `"is_staff": false,`, ``, 1), "zen:event-type:ticket.comment_added: event.comment.author.is_staff is missing; cannot tell an agent from a customer"},
		{"a comment whose is_public is a number", strings.Replace(customer, `"is_public": true,
      "author"`, `"is_public": 1, "author"`, 1), "zen:event-type:ticket.comment_added: event.comment.is_public must be a boolean, not a number"},
		{"a comment_added event without a comment", `{"type":"zen:event-type:ticket.comment_added","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{}}`, "zen:event-type:ticket.comment_added: event.comment is missing"},
		{"a status change to a status carecoach does not know", `{"type":"zen:event-type:ticket.status_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{"current":"ARCHIVED"}}`, `zen:event-type:ticket.status_changed: event.current "ARCHIVED" is not a ticket status carecoach knows`},
		{"a due date that is not RFC 3339", `{"type":"zen:event-type:ticket.task_due_at_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{"current":"tomorrow"}}`, `zen:event-type:ticket.task_due_at_changed: event.current "tomorrow" is not an RFC 3339 time`},
		{"a due date change without event.current", `{"type":"zen:event-type:ticket.task_due_at_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{}}`, "zen:event-type:ticket.task_due_at_changed: event.current is missing"},
		{"a tags change with no resulting list", `{"type":"zen:event-type:ticket.tags_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{"tags_added":["a"]}}`, "zen:event-type:ticket.tags_changed: no resulting tag list: event.current, detail.tags and event.previous are all missing"},
		{"a CSAT event without a score", `{"type":"zen:event-type:ticket.csat_received","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{}}`, "zen:event-type:ticket.csat_received: no satisfaction score in event"},
		{"the template with its placeholders unrendered", string(readSample(t, "zendesk-trigger-body.liquid.json")), "ticket.id is empty or was not rendered"},
		{"a trigger body with another marker version", strings.Replace(trigger, "zendesk-trigger/v1", "zendesk-trigger/v9", 1), `carecoach marker is "zendesk-trigger/v9"; this receiver understands "zendesk-trigger/v1"`},
		{"a trigger body with an unknown purpose", strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "priority"`, 1), `trigger "priority" is not one of "comment", "satisfaction" or "status"`},
		{"a trigger body whose ticket id was not rendered", strings.Replace(trigger, `"id": "5158"`, `"id": "{{ticket.id}}"`, 1), "ticket.id is empty or was not rendered"},
		{"a trigger body without updated_at", strings.Replace(trigger, `"updated_at": "2026-11-30T09:00:00Z"`, `"updated_at": ""`, 1), "ticket.updated_at is missing"},
		{"a trigger comment whose is_public did not render", strings.Replace(trigger, `"is_public": "true"`, `"is_public": ""`, 1), "trigger comment: latest_comment.is_public is empty; cannot tell a reply from a note"},
		{"a trigger comment whose is_public is not a boolean", strings.Replace(trigger, `"is_public": "true"`, `"is_public": "yes"`, 1), `trigger comment: latest_comment.is_public must be true or false, not "yes"`},
		{"a trigger comment without a role", strings.Replace(trigger, `"role": "End-user"`, `"role": ""`, 1), "trigger comment: current_user.role is empty; cannot tell an agent from a customer"},
		{"a trigger comment without a comment id", strings.Replace(trigger, `"id": "7001"`, `"id": ""`, 1), "trigger comment: latest_comment.id is empty"},
		{"a trigger satisfaction without a rating", strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "satisfaction"`, 1), "trigger satisfaction: satisfaction.rating is empty"},
		{"a trigger status with an unknown status", strings.Replace(strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "status"`, 1), `"status": "Open"`, `"status": "Archived"`, 1), `trigger status: ticket.status "Archived" is not a ticket status carecoach knows`},
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
