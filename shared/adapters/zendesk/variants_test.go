package zendesk_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// envelope builds a minimal event-subscribed body around detail and event.
func envelope(typ, detail, event string) string {
	return `{"type":"zen:event-type:ticket.` + typ + `","account_id":10001,"id":"e-1","time":"2026-11-30T09:00:00.5Z",` +
		`"subject":"zen:ticket:5158","detail":` + detail + `,"event":` + event + `}`
}

// TestPayloadVariantsNormalize covers shapes Zendesk's examples do not show
// but real payloads, older payloads or hand-edited trigger bodies may use.
func TestPayloadVariantsNormalize(t *testing.T) {
	customer := string(readSample(t, "zendesk-ticket-comment-added-customer.json"))
	trigger := string(readSample(t, "zendesk-trigger-comment-customer.json"))
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, in care.Interaction)
	}{
		{"numeric ids in detail are read as strings",
			envelope("priority_changed", `{"id":5158,"requester_id":9001,"assignee_id":1001,"group_id":360001,"priority":"LOW"}`, `{"current":"LOW","previous":"HIGH"}`),
			func(t *testing.T, in care.Interaction) {
				want := care.Snapshot{RequesterID: "9001", AssigneeID: "1001", GroupID: "360001", Priority: "low"}
				if !snapshotEqual(in.Snapshot, want) || in.Priority != "low" {
					t.Errorf("got snapshot %+v priority %q", in.Snapshot, in.Priority)
				}
			}},
		{"lower-case and hyphenated statuses map to care statuses",
			envelope("status_changed", `{"status":"on-hold"}`, `{"current":"hold","previous":"open"}`),
			func(t *testing.T, in care.Interaction) {
				if in.Status != care.StatusOnHold || in.Snapshot.Status != care.StatusOnHold {
					t.Errorf("status %q snapshot %q, want on_hold", in.Status, in.Snapshot.Status)
				}
			}},
		{"a status change without event.current takes the snapshot status",
			envelope("status_changed", `{"status":"PENDING"}`, `{}`),
			func(t *testing.T, in care.Interaction) {
				if in.Status != care.StatusPending {
					t.Errorf("status %q, want pending", in.Status)
				}
			}},
		{"numeric assignee ids in the event are read as strings",
			envelope("agent_assignment_changed", `{}`, `{"previous":8447388090494,"current":8447388090496}`),
			func(t *testing.T, in care.Interaction) {
				if in.AssigneeID != "8447388090496" {
					t.Errorf("assignee %q", in.AssigneeID)
				}
			}},
		{"unassigning a ticket gives an empty assignee",
			envelope("agent_assignment_changed", `{"assignee_id":null}`, `{"previous":"1001","current":null}`),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.AssigneeChanged || in.AssigneeID != "" {
					t.Errorf("kind %s assignee %q, want assignee_changed to none", in.Kind, in.AssigneeID)
				}
			}},
		{"tags as current and previous lists take the current list",
			envelope("tags_changed", `{"tags":["stale"]}`, `{"current":["a","b"],"previous":["a"]}`),
			func(t *testing.T, in care.Interaction) {
				if !slices.Equal(in.Tags, []string{"a", "b"}) {
					t.Errorf("tags %v", in.Tags)
				}
			}},
		{"a tags delta without detail.tags is applied to event.previous",
			envelope("tags_changed", `{}`, `{"previous":["printer","triage"],"tags":{"added":["firmware-4.2"],"removed":["triage"]}}`),
			func(t *testing.T, in care.Interaction) {
				if !slices.Equal(in.Tags, []string{"printer", "firmware-4.2"}) {
					t.Errorf("tags %v", in.Tags)
				}
			}},
		{"removing every tag gives an empty tag list",
			envelope("tags_changed", `{"tags":[]}`, `{"tags_added":[],"tags_removed":["printer"]}`),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.TagsChanged || len(in.Tags) != 0 {
					t.Errorf("kind %s tags %v", in.Kind, in.Tags)
				}
			}},
		{"clearing a due date gives a zero due time",
			envelope("task_due_at_changed", `{}`, `{"current":null,"previous":"2026-12-01T17:00:00Z"}`),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.DueDateChanged || !in.DueAt.IsZero() {
					t.Errorf("kind %s due %v", in.Kind, in.DueAt)
				}
			}},
		{"a comment with only html_body is reduced to plain text",
			envelope("comment_added", `{"requester_id":"9001"}`, `{"comment":{"id":"1","html_body":"<div class=\"zd-comment\"><p>Still <b>offline</b> &amp; blinking.</p><p>a &lt; b</p><script>alert(1)</script></div>","is_public":true,"author":{"id":"9001","is_staff":false}}}`),
			func(t *testing.T, in care.Interaction) {
				if in.Body != "Still offline & blinking.\n\na < b" {
					t.Errorf("body %q", in.Body)
				}
			}},
		{"a comment as boolean strings still tells a customer from an agent",
			strings.Replace(strings.Replace(customer, `"is_public": true`, `"is_public": "true"`, 1), `"is_staff": false`, `"is_staff": "false"`, 1),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.CustomerMessage || !in.FromRequester {
					t.Errorf("kind %s fromRequester %v", in.Kind, in.FromRequester)
				}
			}},
		{"a bad CSAT score under satisfaction_rating is a bad rating",
			envelope("csat_received", `{"requester_id":"9001"}`, `{"satisfaction_rating":{"score":"bad","comment":"Too slow."}}`),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.Satisfaction || in.Rating != "bad" || in.Body != "Too slow." || in.ActorID != "9001" {
					t.Errorf("got %+v", in)
				}
			}},
		{"a flat CSAT score on the event is read too",
			envelope("csat_received", `{}`, `{"score":"GOOD","comment":""}`),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.Satisfaction || in.Rating != "good" {
					t.Errorf("got %+v", in)
				}
			}},
		{"a CSAT score that is neither good nor bad is kept as unrecognized",
			envelope("csat_received", `{}`, `{"satisfaction_score":{"score":"OFFERED"}}`),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.Unrecognized || in.SourceID != "zen:event-type:ticket.csat_received" {
					t.Errorf("got %+v", in)
				}
			}},
		{"permanently deleting a ticket is a ticket deleted interaction",
			envelope("permanently_deleted", `{}`, `{}`),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.TicketDeleted {
					t.Errorf("kind %s", in.Kind)
				}
			}},
		{"an event without detail takes the ticket from the subject and has an empty snapshot",
			`{"type":"zen:event-type:ticket.soft_deleted","id":"e-1","time":"2026-11-30T12:00:00Z","subject":"zen:ticket:5158"}`,
			func(t *testing.T, in care.Interaction) {
				if in.Ticket.TicketID != "5158" || !snapshotEqual(in.Snapshot, care.Snapshot{}) {
					t.Errorf("got %+v", in)
				}
			}},
		{"an event without a subject takes the ticket from detail.id",
			`{"type":"zen:event-type:ticket.soft_deleted","id":"e-1","time":"2026-11-30T12:00:00Z","detail":{"id":"5158"}}`,
			func(t *testing.T, in care.Interaction) {
				if in.Ticket.TicketID != "5158" {
					t.Errorf("ticket %q", in.Ticket.TicketID)
				}
			}},
		{"an event time with a zone offset is stored in UTC",
			strings.Replace(customer, "2026-11-30T09:00:00Z", "2026-11-30T10:00:00+01:00", 1),
			func(t *testing.T, in care.Interaction) {
				if !in.At.Equal(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)) || in.At.Location() != time.UTC {
					t.Errorf("at %v", in.At)
				}
			}},
		{"an event id unsafe in keys gives a hashed interaction id",
			strings.Replace(customer, "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "a/b c", 1),
			func(t *testing.T, in care.Interaction) {
				if !strings.HasPrefix(in.ID, "zd-h-") || len(in.ID) != len("zd-h-")+40 {
					t.Errorf("id %q", in.ID)
				}
			}},
		{"a private trigger comment is an internal note",
			strings.Replace(strings.Replace(trigger, `"is_public": "true"`, `"is_public": "false"`, 1), `"role": "End-user"`, `"role": "Agent"`, 1),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.InternalNote {
					t.Errorf("kind %s", in.Kind)
				}
			}},
		{"a public trigger comment by an admin is an agent reply",
			strings.Replace(trigger, `"role": "End-user"`, `"role": "Admin"`, 1),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.AgentReply {
					t.Errorf("kind %s", in.Kind)
				}
			}},
		{"a public trigger comment by an end-user who is not the requester is not from the requester",
			strings.Replace(trigger, `"id": "9001",
    "name": "Maria Lopez"`, `"id": "9002",
    "name": "Jorge Lopez"`, 1),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.CustomerMessage || in.FromRequester || in.ActorID != "9002" {
					t.Errorf("got %+v", in)
				}
			}},
		{"an unquoted trigger body with numbers, booleans and a tag list is read the same",
			`{"carecoach":"zendesk-trigger/v1","trigger":"comment","ticket":{"id":5158,"status":"open","priority":"-","requester_id":9001,"assignee_id":"","group_id":"{{ticket.group.id}}","tags":["a","b"],"updated_at":"2026-11-30T09:00:00Z"},"current_user":{"id":9001,"role":"end-user"},"latest_comment":{"id":7001,"is_public":true,"value":"hi"}}`,
			func(t *testing.T, in care.Interaction) {
				want := care.Snapshot{Status: care.StatusOpen, RequesterID: "9001", Tags: []string{"a", "b"}}
				if in.ID != "zdt-5158-c-7001" || in.Kind != care.CustomerMessage || !in.FromRequester || !snapshotEqual(in.Snapshot, want) {
					t.Errorf("got %+v", in)
				}
			}},
		{"a trigger rating rendered as a label is a bad rating",
			strings.Replace(strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "satisfaction"`, 1), `"rating": ""`, `"rating": "Bad, I'm unsatisfied"`, 1),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.Satisfaction || in.Rating != "bad" || in.ID != "zdt-5158-satisfaction_rated-20261130T090000Z" {
					t.Errorf("got %+v", in)
				}
			}},
		{"a trigger rating that is only offered is kept as unrecognized",
			strings.Replace(strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "satisfaction"`, 1), `"rating": ""`, `"rating": "Offered"`, 1),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.Unrecognized || in.SourceID != "trigger:satisfaction:offered" {
					t.Errorf("got %+v", in)
				}
			}},
		{"an on-hold trigger status maps to on_hold",
			strings.Replace(strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "status"`, 1), `"status": "Open"`, `"status": "On-hold"`, 1),
			func(t *testing.T, in care.Interaction) {
				if in.Kind != care.StatusChanged || in.Status != care.StatusOnHold {
					t.Errorf("got %+v", in)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zendesk.Helpdesk{}.Normalize(delivery([]byte(tc.body)))
			if err != nil {
				t.Fatalf("Normalize: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("Normalize gave %d interactions, want 1", len(got))
			}
			if err := got[0].Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			tc.check(t, got[0])
		})
	}
}

func TestEventsAboutNoTicketGiveNoInteractions(t *testing.T) {
	body := `{"type":"zen:event-type:user.created","account_id":10001,"id":"e-2","time":"2026-11-30T09:00:00Z","subject":"zen:user:9003","detail":{"id":"9003"},"event":{}}`
	got, err := zendesk.Helpdesk{}.Normalize(delivery([]byte(body)))
	if err != nil || len(got) != 0 {
		t.Fatalf("Normalize = %v, %v; want no interactions and no error", got, err)
	}
}

func TestANonTicketEventTypeAboutATicketIsUnrecognized(t *testing.T) {
	body := `{"type":"zen:event-type:messaging_ticket.message_added","id":"e-3","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{}}`
	got, err := zendesk.Helpdesk{}.Normalize(delivery([]byte(body)))
	if err != nil || len(got) != 1 || got[0].Kind != care.Unrecognized || got[0].SourceID != "zen:event-type:messaging_ticket.message_added" {
		t.Fatalf("Normalize = %+v, %v; want one unrecognized interaction", got, err)
	}
}

func snapshotEqual(a, b care.Snapshot) bool {
	return a.Subject == b.Subject && a.Status == b.Status && a.RequesterID == b.RequesterID &&
		a.AssigneeID == b.AssigneeID && a.GroupID == b.GroupID && a.Priority == b.Priority &&
		slices.Equal(a.Tags, b.Tags)
}

func TestHTMLOnlyCommentsBecomePlainText(t *testing.T) {
	tests := []struct {
		name string
		html string
		want string
	}{
		{"tags are dropped and entities decoded once", `<p>Still <b>offline</b> &amp; blinking &lt;b&gt;</p>`, "Still offline & blinking <b>"},
		{"line breaks and paragraphs separate lines", `Line one<br>Line two<br/><p>Para</p>`, "Line one\nLine two\n\nPara"},
		{"script and style contents are dropped whatever their case", `a<SCRIPT type="x">evil()</Script>b<style>p{}</style>c`, "abc"},
		{"a less-than sign that opens no tag is text", `1 < 2 and 3 <= 4`, "1 < 2 and 3 <= 4"},
		{"comments are dropped", `a<!-- <b>hidden</b> -->b`, "ab"},
		{"an unterminated tag drops the rest", `visible<a href="x`, "visible"},
		{"an unclosed script drops the rest", `visible<script>never closed`, "visible"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := envelope("comment_added", `{}`, `{"comment":{"id":"1","body":"","html_body":`+jsonString(tc.html)+`,"is_public":false,"author":{"id":"1001","is_staff":true}}}`)
			got, err := zendesk.Helpdesk{}.Normalize(delivery([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Body != tc.want {
				t.Errorf("body = %q, want %q", got[0].Body, tc.want)
			}
		})
	}
}

func TestAVeryLongCommentIsCutWithoutSplittingACharacter(t *testing.T) {
	long := strings.Repeat("é", 40<<10) // 80 KiB of two-byte characters
	body := envelope("comment_added", `{}`, `{"comment":{"id":"1","body":`+jsonString(long)+`,"is_public":false,"author":{"id":"1001","is_staff":true}}}`)
	got, err := zendesk.Helpdesk{}.Normalize(delivery([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got[0].Body); n > 32<<10 || n < 32<<10-1 || !utf8.ValidString(got[0].Body) {
		t.Errorf("body is %d bytes (valid UTF-8: %v), want just under 32 KiB", n, utf8.ValidString(got[0].Body))
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
