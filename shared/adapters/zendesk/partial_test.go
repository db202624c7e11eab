package zendesk_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// TestAFieldThatCannotBeReadMakesTheEventPartialNotDead: what can be read is
// used, the rest is listed in Unread, and a change whose own value cannot
// be read is care.ChangeUnread (its snapshot still folds, nothing guessed).
func TestAFieldThatCannotBeReadMakesTheEventPartialNotDead(t *testing.T) {
	customer := string(readSample(t, "zendesk-ticket-comment-added-customer.json"))
	trigger := string(readSample(t, "zendesk-trigger-comment-customer.json"))
	tests := []struct {
		name       string
		body       string
		wantKind   care.Kind
		wantUnread []string
		check      func(t *testing.T, in care.Interaction)
	}{
		{"a detail that is not an object leaves the snapshot unknown and keeps the comment",
			strings.Replace(customer, `"detail": {`, `"detail": "5158", "unused": {`, 1), care.CustomerMessage,
			[]string{"detail must be an object, not a string"},
			func(t *testing.T, in care.Interaction) {
				if in.Snapshot.Subject != "" || in.FromRequester || in.Body == "" {
					t.Errorf("got %+v", in)
				}
			}},
		{"a requester id that is a fraction is left unknown",
			strings.Replace(customer, `"requester_id": "9001"`, `"requester_id": 9001.5`, 1), care.CustomerMessage,
			[]string{"detail.requester_id must be an integer, not 9001.5"},
			func(t *testing.T, in care.Interaction) {
				if in.Snapshot.RequesterID != "" || in.Snapshot.AssigneeID != "1001" {
					t.Errorf("snapshot %+v", in.Snapshot)
				}
			}},
		{"a comment without is_public by someone who is not staff is a customer's public comment",
			strings.Replace(customer, `"is_public": true,
      "author"`, `"author"`, 1), care.CustomerMessage, nil, nil},
		{"a public comment without is_staff by the requester is the customer's",
			strings.Replace(customer, `"is_staff": false,`, ``, 1), care.CustomerMessage, nil,
			func(t *testing.T, in care.Interaction) {
				if !in.FromRequester {
					t.Error("want it from the requester")
				}
			}},
		{"a public comment without is_staff by someone else cannot be told apart and is not guessed",
			strings.Replace(strings.Replace(customer, `"id": "9001",
        "is_staff"`, `"id": "9002",
        "is_staff"`, 1), `"is_staff": false,`, ``, 1), care.ChangeUnread,
			[]string{"event.comment.author.is_staff is missing or unreadable; cannot tell an agent from a customer"},
			func(t *testing.T, in care.Interaction) {
				if in.SourceID != "zen:event-type:ticket.comment_added" || in.Snapshot.Subject == "" {
					t.Errorf("got %+v", in)
				}
			}},
		{"a staff comment whose is_public cannot be read is not guessed",
			strings.Replace(strings.Replace(customer, `"is_public": true,
      "author"`, `"is_public": 7, "author"`, 1), `"is_staff": false`, `"is_staff": true`, 1), care.ChangeUnread,
			[]string{`event.comment.is_public must be true or false, not "7"`, "event.comment.is_public is missing or unreadable; cannot tell a reply from a note"}, nil},
		{"a comment_added event without a comment changes nothing but its snapshot",
			`{"type":"zen:event-type:ticket.comment_added","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","detail":{"status":"PENDING"},"event":{}}`, care.ChangeUnread,
			[]string{"event.comment is missing"},
			func(t *testing.T, in care.Interaction) {
				if in.Snapshot.Status != care.StatusPending {
					t.Errorf("snapshot status %q", in.Snapshot.Status)
				}
			}},
		{"a status change to a status carecoach does not know takes the snapshot's status",
			`{"type":"zen:event-type:ticket.status_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","detail":{"status":"SOLVED"},"event":{"current":"ESCALATED"}}`, care.StatusChanged,
			[]string{`event.current "ESCALATED" is not a ticket status carecoach knows; detail.status is used`},
			func(t *testing.T, in care.Interaction) {
				if in.Status != care.StatusSolved {
					t.Errorf("status %q", in.Status)
				}
			}},
		{"a status change to a status nobody knows is not guessed",
			`{"type":"zen:event-type:ticket.status_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{"current":"ESCALATED"}}`, care.ChangeUnread,
			[]string{`event.current "ESCALATED" is not a ticket status carecoach knows`}, nil},
		{"archiving a ticket is read and kept as unrecognized, nothing unread",
			`{"type":"zen:event-type:ticket.status_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","detail":{"status":"ARCHIVED"},"event":{"current":"ARCHIVED"}}`, care.Unrecognized, nil,
			func(t *testing.T, in care.Interaction) {
				if in.SourceID != "zen:event-type:ticket.status_changed:archived" {
					t.Errorf("source %q", in.SourceID)
				}
			}},
		{"a due date change without event.current does not clear the due date",
			`{"type":"zen:event-type:ticket.task_due_at_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{}}`, care.ChangeUnread,
			[]string{"event.current is missing"}, nil},
		{"a tags change with no resulting list is not guessed",
			`{"type":"zen:event-type:ticket.tags_changed","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{"tags_added":["a"]}}`, care.ChangeUnread,
			[]string{"no resulting tag list: event.current, detail.tags and event.previous are all missing or unreadable"}, nil},
		{"an assignee that cannot be read falls back to the snapshot's",
			envelope("agent_assignment_changed", `{"assignee_id":"1001"}`, `{"current":[1001]}`), care.AssigneeChanged,
			[]string{"event.current must be a string, a number or an object with an id, not an array"},
			func(t *testing.T, in care.Interaction) {
				if in.AssigneeID != "1001" {
					t.Errorf("assignee %q", in.AssigneeID)
				}
			}},
		{"an assignee that cannot be read with no snapshot to fall back on is not guessed as unassigned",
			envelope("agent_assignment_changed", `{"assignee_id":null}`, `{"current":[1001]}`), care.ChangeUnread,
			[]string{"event.current must be a string, a number or an object with an id, not an array", "no readable assignee in event.current or detail.assignee_id"}, nil},
		{"a CSAT event without a score is not guessed",
			`{"type":"zen:event-type:ticket.csat_received","id":"e1","time":"2026-11-30T09:00:00Z","subject":"zen:ticket:5158","event":{}}`, care.ChangeUnread,
			[]string{"no satisfaction score in event"}, nil},
		{"a trigger comment without a comment id is known by the update time",
			strings.Replace(trigger, `"id": "7001"`, `"id": ""`, 1), care.CustomerMessage,
			[]string{"latest_comment.id is empty; the comment is known by the ticket's update time"},
			func(t *testing.T, in care.Interaction) {
				if in.ID != "zdt-5158-customer_message-20261130T090000Z" {
					t.Errorf("id %q", in.ID)
				}
			}},
		{"an agent's trigger comment whose is_public did not render is not guessed",
			strings.Replace(strings.Replace(trigger, `"is_public": "true"`, `"is_public": ""`, 1), `"role": "End-user"`, `"role": "Agent"`, 1), care.ChangeUnread,
			[]string{"latest_comment.is_public is empty or unreadable; cannot tell a reply from a note"}, nil},
		{"a public trigger comment without a role is not guessed",
			strings.Replace(trigger, `"role": "End-user"`, `"role": ""`, 1), care.ChangeUnread,
			[]string{"current_user.role is empty; cannot tell an agent from a customer"}, nil},
		{"a trigger satisfaction without a rating is not guessed",
			strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "satisfaction"`, 1), care.ChangeUnread,
			[]string{"satisfaction.rating is empty"}, nil},
		{"a trigger status carecoach does not know is not guessed",
			strings.Replace(strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "status"`, 1), `"status": "Open"`, `"status": "Escalated"`, 1), care.ChangeUnread,
			[]string{`ticket.status "Escalated" is not a ticket status carecoach knows`}, nil},
		{"an archived trigger status is read and kept as unrecognized",
			strings.Replace(strings.Replace(trigger, `"trigger": "comment"`, `"trigger": "status"`, 1), `"status": "Open"`, `"status": "Archived"`, 1), care.Unrecognized, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zendesk.Helpdesk{}.Normalize(delivery([]byte(tc.body)))
			if err != nil {
				t.Fatalf("Normalize: %v; want a partial interaction", err)
			}
			if len(got) != 1 {
				t.Fatalf("Normalize gave %d interactions, want 1", len(got))
			}
			in := got[0]
			if err := in.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if in.Kind != tc.wantKind || !slices.Equal(in.Unread, tc.wantUnread) {
				t.Errorf("kind %s unread %q\nwant %s unread %q", in.Kind, in.Unread, tc.wantKind, tc.wantUnread)
			}
			if tc.check != nil {
				tc.check(t, in)
			}
		})
	}
}
