package freshdesk_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/core/care"
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
	{"a ticket id that is a boolean", editing("freshdesk-assigned.json", map[string]any{"ticket_id": true}), "ticket_id must be a number, a numeric string or an object with an id, not a boolean"},
	{"a ticket id that is an object without an id", editing("freshdesk-assigned.json", map[string]any{"ticket_id": map[string]any{"number": 42}}), "ticket_id must be a number, a numeric string or an object with an id, not an object"},
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

// TestAValueThatCannotBeUsedMakesTheEventPartialNotDead: Freshdesk has
// acknowledged the delivery (202) by the time it is read, so a value
// carecoach cannot use must not lose the rest of it. What can be read is
// used, the rest is listed in Unread, and a change whose own value cannot
// be used is care.ChangeUnread (its snapshot still folds).
func TestAValueThatCannotBeUsedMakesTheEventPartialNotDead(t *testing.T) {
	statusHelp := " is not a Freshdesk status carecoach knows (Open, Pending, Resolved, Closed, Waiting on Customer, Waiting on Third Party, or 2 to 7)"
	tests := []struct {
		name       string
		sample     string
		change     map[string]any
		wantKind   care.Kind
		wantUnread []string
	}{
		{"a status change to a garbage status is not guessed", "freshdesk-status-changed-resolved.json", map[string]any{"status": "Escalated!!"},
			care.ChangeUnread, []string{`status "Escalated!!"` + statusHelp}},
		{"a status change to an unknown code is not guessed", "freshdesk-status-changed-resolved.json", map[string]any{"status": 9},
			care.ChangeUnread, []string{`status "9"` + statusHelp}},
		{"a status change with no status is not guessed", "freshdesk-status-changed-resolved.json", map[string]any{"status": ""},
			care.ChangeUnread, []string{`status ""` + statusHelp}},
		{"a status that is an array is noted once", "freshdesk-status-changed-resolved.json", map[string]any{"status": []any{"Open"}},
			care.ChangeUnread, []string{"status must be a string or number, not an array"}},
		{"a priority change to a garbage priority is not guessed", "freshdesk-priority-changed.json", map[string]any{"priority": "Critical"},
			care.ChangeUnread, []string{`priority "Critical" is not a Freshdesk priority (Low, Medium, High, Urgent, or 1 to 4)`}},
		{"a subject that is a number leaves the subject unknown", "freshdesk-reply-agent.json", map[string]any{"subject": 8812},
			care.AgentReply, []string{"subject must be a string, not a number"}},
		{"a comment that is an object leaves the words unknown, not the reply", "freshdesk-reply-agent.json", map[string]any{"comment": map[string]any{}},
			care.AgentReply, []string{"comment must be a string, not an object"}},
		{"an agent that is a string leaves the assignee unknown", "freshdesk-assigned.json", map[string]any{"agent": "Priya Natarajan"},
			care.AssigneeChanged, []string{"agent must be an object, not a string"}},
		{"an agent email that is a boolean is left unknown", "freshdesk-assigned.json", map[string]any{"agent": map[string]any{"name": "Priya", "email": false}},
			care.AssigneeChanged, []string{"agent.email must be a string, not a boolean"}},
		{"tags sent as an array leave the tags unknown", "freshdesk-assigned.json", map[string]any{"tags": []any{"refund"}},
			care.AssigneeChanged, []string{"tags must be a string, not an array"}},
		{"an event time that is garbage gives way to the receive time", "freshdesk-assigned.json", map[string]any{"updated_at": "yesterday-ish"},
			care.AssigneeChanged, []string{`updated_at "yesterday-ish": it is not in a format Freshdesk renders; the receive time stands in`}},
		{"an event time in year one gives way to the receive time", "freshdesk-assigned.json", map[string]any{"updated_at": "0001-01-01T00:00:00Z"},
			care.AssigneeChanged, []string{`updated_at "0001-01-01T00:00:00Z": it is outside the years 2000 to 2099; the receive time stands in`}},
		{"an event time that is a number gives way to the receive time", "freshdesk-assigned.json", map[string]any{"updated_at": 1764496800},
			care.AssigneeChanged, []string{"updated_at must be a string, not a number"}},
		{"a due date that is garbage is not guessed", "freshdesk-due-date-changed.json", map[string]any{"due_by": "soon"},
			care.ChangeUnread, []string{`due_by "soon": it is not in a format Freshdesk renders`}},
		{"a due date on the 31st of November is not guessed", "freshdesk-due-date-changed.json", map[string]any{"due_by": "November 31 2026 at 06:00 PM CET"},
			care.ChangeUnread, []string{`due_by "November 31 2026 at 06:00 PM CET": it is not in a format Freshdesk renders`}},
		{"a due date in a zone we do not know is not guessed", "freshdesk-due-date-changed.json", map[string]any{"due_by": "December  1 2026 at 12:00 PM XYZ"},
			care.ChangeUnread, []string{`due_by "December  1 2026 at 12:00 PM XYZ": its time zone XYZ is not one we know`}},
		{"a due date in an ambiguous zone nothing settles is not guessed", "freshdesk-due-date-changed.json", map[string]any{"due_by": "December  1 2026 at 12:00 PM CST"},
			care.ChangeUnread, []string{`due_by "December  1 2026 at 12:00 PM CST": its time zone CST is ambiguous, and neither the connection's time zone nor modified_on settles it`}},
		{"a due date without a zone, an event time or a configured zone is not guessed", "freshdesk-due-date-changed.json", map[string]any{"due_by": "December  1 2026 at 12:00 PM", "updated_at": ""},
			care.ChangeUnread, []string{`due_by "December  1 2026 at 12:00 PM": it names no time zone, and neither the connection's time zone nor modified_on's offset is known`}},
		{"a due date the account does not render is not read as cleared", "freshdesk-due-date-changed.json", map[string]any{"due_by": ""},
			care.ChangeUnread, []string{"due_by is empty; Freshdesk fills it only with SLA management turned on"}},
		{"a rating that is an object is feedback without a rating", "freshdesk-feedback-received.json", map[string]any{"rating": map[string]any{"score": 5}},
			care.Satisfaction, []string{"rating must be a string or number, not an object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ins, err := freshdesk.Helpdesk{}.Normalize(delivery(edit(t, tc.sample, tc.change)))
			if err != nil {
				t.Fatalf("Normalize: %v; want a partial interaction", err)
			}
			if len(ins) != 1 {
				t.Fatalf("Normalize gave %d interactions, want 1", len(ins))
			}
			in := ins[0]
			if err := in.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if in.Kind != tc.wantKind || !slices.Equal(in.Unread, tc.wantUnread) {
				t.Errorf("kind %s unread %q\nwant %s unread %q", in.Kind, in.Unread, tc.wantKind, tc.wantUnread)
			}
			if in.Kind == care.ChangeUnread && in.SourceID == "" {
				t.Errorf("an unread change names no event")
			}
		})
	}
}

func TestAnUnreadableEventTimeKeysARetryTheSameWay(t *testing.T) {
	body := edit(t, "freshdesk-assigned.json", map[string]any{"updated_at": "sometime on Monday"})
	first, err1 := freshdesk.Helpdesk{}.Normalize(delivery(body))
	retry := delivery(body)
	retry.ReceivedAt = retry.ReceivedAt.Add(time.Hour)
	second, err2 := freshdesk.Helpdesk{}.Normalize(retry)
	other, err3 := freshdesk.Helpdesk{}.Normalize(delivery(edit(t, "freshdesk-assigned.json", map[string]any{"updated_at": "sometime on Tuesday"})))
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("Normalize: %v %v %v", err1, err2, err3)
	}
	if first[0].ID != second[0].ID || first[0].ID == other[0].ID {
		t.Errorf("ids %s, retry %s, another rendering %s: want the retry's equal and the other's different", first[0].ID, second[0].ID, other[0].ID)
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
	wantInvalid(t, err, "updated_at is empty or unreadable and the delivery has no receive time")
}
