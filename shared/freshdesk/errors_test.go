package freshdesk_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/freshdesk"
)

// remove marks a field to delete in edit.
type removeField struct{}

var remove = removeField{}

// edit returns a sample with top-level fields replaced (or removed), so
// that each error test changes one thing in an otherwise valid body.
func edit(t testing.TB, sample string, changes map[string]any) []byte {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(readSample(t, sample), &body); err != nil {
		t.Fatal(err)
	}
	for k, v := range changes {
		if v == remove {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	out, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantInvalid(t *testing.T, err error, want string) {
	t.Helper()
	if code := care.ErrorCode(err); code != care.EInvalid {
		t.Fatalf("code = %q (%v), want %q", code, err, care.EInvalid)
	}
	if msg := care.ErrorMessage(err); msg != want {
		t.Errorf("message = %q\nwant      %q", msg, want)
	}
}

func TestDedupeKeyIsTheHexSHA256OfTheBody(t *testing.T) {
	body := readSample(t, "freshdesk-reply-agent.json")
	got, err := freshdesk.Helpdesk{}.DedupeKey(http.Header{}, body)
	if err != nil {
		t.Fatalf("DedupeKey: %v", err)
	}
	sum := sha256.Sum256(body)
	if want := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("DedupeKey = %q, want %q", got, want)
	}
	other, _ := freshdesk.Helpdesk{}.DedupeKey(http.Header{}, readSample(t, "freshdesk-reply-customer.json"))
	if other == got {
		t.Errorf("two different bodies share the key %q", got)
	}
}

func TestDedupeKeyAcceptsAnUnknownEventAndANumericTicketID(t *testing.T) {
	for name, body := range map[string][]byte{
		"unknown event":     readSample(t, "freshdesk-unknown-event.json"),
		"numeric ticket id": edit(t, "freshdesk-assigned.json", map[string]any{"ticket_id": 42}),
	} {
		if _, err := (freshdesk.Helpdesk{}).DedupeKey(http.Header{}, body); err != nil {
			t.Errorf("%s: DedupeKey: %v", name, err)
		}
	}
}

// envelopeErrors are bodies that are not one of our shapes. DedupeKey
// refuses them at the door, and Normalize refuses them the same way.
var envelopeErrors = []struct {
	name string
	body func(t testing.TB) []byte
	want string
}{
	{"an empty body", raw(``), "body is empty"},
	{"a truncated body", raw(`{"carecoach":"freshdesk/v1","event":"assigned"`), "body is not valid JSON: unexpected end of JSON input at offset 46"},
	{"a body with a syntax error", raw(`{"carecoach": freshdesk}`), "body is not valid JSON: invalid character 'r' in literal false (expecting 'a') at offset 16"},
	{"a comment with an unescaped quote", raw(`{"carecoach":"freshdesk/v1","comment":"Tom : <div style="x">hi</div>"}`), "body is not valid JSON: invalid character 'x' after object key:value pair at offset 58"},
	{"a body that is an array", raw(`[1,2]`), "body must be a JSON object, not an array"},
	{"a body that is a string", raw(`"hello"`), "body must be a JSON object, not a string"},
	{"a body that is null", raw(`null`), "body must be a JSON object, not null"},
	{"a body without the carecoach marker", editing("freshdesk-assigned.json", map[string]any{"carecoach": remove}), `missing field "carecoach": the body was not pasted from a carecoach template`},
	{"a body with another template version", editing("freshdesk-assigned.json", map[string]any{"carecoach": "freshdesk/v2"}), `carecoach is "freshdesk/v2", want "freshdesk/v1"`},
	{"a marker that is a number", editing("freshdesk-assigned.json", map[string]any{"carecoach": 1}), "carecoach must be a string, not a number"},
	{"a body without an event", editing("freshdesk-assigned.json", map[string]any{"event": remove}), `missing field "event"`},
	{"an event that is null", editing("freshdesk-assigned.json", map[string]any{"event": nil}), `missing field "event"`},
	{"an empty event", editing("freshdesk-assigned.json", map[string]any{"event": " "}), "event is empty"},
	{"an event that is an object", editing("freshdesk-assigned.json", map[string]any{"event": map[string]any{"name": "assigned"}}), "event must be a string, not an object"},
	{"a body without a ticket id", editing("freshdesk-assigned.json", map[string]any{"ticket_id": remove}), `missing field "ticket_id"`},
	{"a ticket id the placeholder left empty", editing("freshdesk-assigned.json", map[string]any{"ticket_id": ""}), `ticket_id must be a number or numeric string, got ""`},
	{"a ticket id that was not rendered", editing("freshdesk-assigned.json", map[string]any{"ticket_id": "{{ticket.id}}"}), `ticket_id must be a number or numeric string, got "{{ticket.id}}"`},
	{"a ticket id with a fraction", editing("freshdesk-assigned.json", map[string]any{"ticket_id": 42.5}), `ticket_id must be a number or numeric string, got "42.5"`},
	{"a negative ticket id", editing("freshdesk-assigned.json", map[string]any{"ticket_id": "-42"}), `ticket_id must be a number or numeric string, got "-42"`},
	{"a ticket id of zero", editing("freshdesk-assigned.json", map[string]any{"ticket_id": 0}), `ticket_id must be a number or numeric string, got "0"`},
	{"a ticket id that is a boolean", editing("freshdesk-assigned.json", map[string]any{"ticket_id": true}), "ticket_id must be a number or numeric string, not a boolean"},
}

func raw(s string) func(testing.TB) []byte {
	return func(testing.TB) []byte { return []byte(s) }
}

func editing(sample string, changes map[string]any) func(testing.TB) []byte {
	return func(t testing.TB) []byte { return edit(t, sample, changes) }
}

func TestDedupeKeyRejectsBodiesThatAreNotOurs(t *testing.T) {
	for _, tc := range envelopeErrors {
		t.Run(tc.name+" is invalid", func(t *testing.T) {
			key, err := freshdesk.Helpdesk{}.DedupeKey(http.Header{}, tc.body(t))
			if key != "" {
				t.Errorf("DedupeKey = %q alongside an error, want \"\"", key)
			}
			wantInvalid(t, err, tc.want)
		})
	}
}

func TestNormalizeRejectsBodiesThatAreNotOurs(t *testing.T) {
	for _, tc := range envelopeErrors {
		t.Run(tc.name+" is invalid", func(t *testing.T) {
			ins, err := freshdesk.Helpdesk{}.Normalize(delivery(tc.body(t)))
			if ins != nil {
				t.Errorf("Normalize returned %d interactions alongside an error", len(ins))
			}
			wantInvalid(t, err, tc.want)
		})
	}
}

func TestNormalizeRejectsValuesItCannotUse(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		change map[string]any
		want   string
	}{
		{"a status change to a garbage status", "freshdesk-status-changed-resolved.json", map[string]any{"status": "Escalated!!"},
			`status "Escalated!!" is not a Freshdesk status carecoach knows (Open, Pending, Resolved, Closed, Waiting on Customer, Waiting on Third Party, or 2 to 7)`},
		{"a status change to an unknown code", "freshdesk-status-changed-resolved.json", map[string]any{"status": 9},
			`status "9" is not a Freshdesk status carecoach knows (Open, Pending, Resolved, Closed, Waiting on Customer, Waiting on Third Party, or 2 to 7)`},
		{"a status change with no status", "freshdesk-status-changed-resolved.json", map[string]any{"status": ""},
			`status "" is not a Freshdesk status carecoach knows (Open, Pending, Resolved, Closed, Waiting on Customer, Waiting on Third Party, or 2 to 7)`},
		{"a status that is an array", "freshdesk-status-changed-resolved.json", map[string]any{"status": []any{"Open"}},
			"status must be a string or number, not an array"},
		{"a priority change to a garbage priority", "freshdesk-priority-changed.json", map[string]any{"priority": "Critical"},
			`priority "Critical" is not a Freshdesk priority (Low, Medium, High, Urgent, or 1 to 4)`},
		{"a subject that is a number", "freshdesk-reply-agent.json", map[string]any{"subject": 8812},
			"subject must be a string, not a number"},
		{"a comment that is an object", "freshdesk-reply-agent.json", map[string]any{"comment": map[string]any{}},
			"comment must be a string, not an object"},
		{"an agent that is a string", "freshdesk-assigned.json", map[string]any{"agent": "Priya Natarajan"},
			"agent must be an object, not a string"},
		{"an agent email that is a boolean", "freshdesk-assigned.json", map[string]any{"agent": map[string]any{"name": "Priya", "email": false}},
			"agent.email must be a string, not a boolean"},
		{"tags sent as an array", "freshdesk-assigned.json", map[string]any{"tags": []any{"refund"}},
			"tags must be a string, not an array"},
		{"an event time that is garbage", "freshdesk-assigned.json", map[string]any{"updated_at": "yesterday-ish"},
			`updated_at "yesterday-ish": it is not in a format Freshdesk renders`},
		{"an event time without a zone", "freshdesk-assigned.json", map[string]any{"updated_at": "2026-11-30 11:05:00"},
			`updated_at "2026-11-30 11:05:00": it names no time zone, and without modified_on the account's offset is unknown`},
		{"an event time in year one", "freshdesk-assigned.json", map[string]any{"updated_at": "0001-01-01T00:00:00Z"},
			`updated_at "0001-01-01T00:00:00Z": it is outside the years 2000 to 2099`},
		{"an event time that is a number", "freshdesk-assigned.json", map[string]any{"updated_at": 1764496800},
			"updated_at must be a string, not a number"},
		{"a due date that is garbage", "freshdesk-due-date-changed.json", map[string]any{"due_by": "soon"},
			`due_by "soon": it is not in a format Freshdesk renders`},
		{"a due date on the 31st of November", "freshdesk-due-date-changed.json", map[string]any{"due_by": "November 31 2026 at 06:00 PM CET"},
			`due_by "November 31 2026 at 06:00 PM CET": it is not in a format Freshdesk renders`},
		{"a due date in a zone we do not know", "freshdesk-due-date-changed.json", map[string]any{"due_by": "December  1 2026 at 12:00 PM XYZ"},
			`due_by "December  1 2026 at 12:00 PM XYZ": its time zone XYZ is not one we know`},
		{"a due date in an ambiguous zone the event time does not settle", "freshdesk-due-date-changed.json", map[string]any{"due_by": "December  1 2026 at 12:00 PM CST"},
			`due_by "December  1 2026 at 12:00 PM CST": its time zone CST is ambiguous and modified_on does not settle it`},
		{"a due date without a zone and without an event time", "freshdesk-due-date-changed.json", map[string]any{"due_by": "December  1 2026 at 12:00 PM", "updated_at": ""},
			`due_by "December  1 2026 at 12:00 PM": it names no time zone, and without modified_on the account's offset is unknown`},
		{"a due date the account does not render", "freshdesk-due-date-changed.json", map[string]any{"due_by": ""},
			"due_by is empty; Freshdesk fills it only with SLA management turned on"},
		{"a rating that is an object", "freshdesk-feedback-received.json", map[string]any{"rating": map[string]any{"score": 5}},
			"rating must be a string or number, not an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is invalid", func(t *testing.T) {
			_, err := freshdesk.Helpdesk{}.Normalize(delivery(edit(t, tc.sample, tc.change)))
			wantInvalid(t, err, tc.want)
		})
	}
}

func TestNormalizeSetsAsideDeliveriesItCouldNeverProcess(t *testing.T) {
	body := readSample(t, "freshdesk-assigned.json")
	noConnection := delivery(body)
	noConnection.Connection = ""
	_, err := freshdesk.Helpdesk{}.Normalize(noConnection)
	wantInvalid(t, err, "delivery names no connection")

	zendesk := delivery(body)
	zendesk.Source = care.Zendesk
	_, err = freshdesk.Helpdesk{}.Normalize(zendesk)
	wantInvalid(t, err, `delivery is from "zendesk", not freshdesk`)

	noTime := delivery(edit(t, "freshdesk-assigned.json", map[string]any{"updated_at": ""}))
	noTime.ReceivedAt = time.Time{}
	_, err = freshdesk.Helpdesk{}.Normalize(noTime)
	wantInvalid(t, err, "updated_at is empty and the delivery has no receive time")
}
