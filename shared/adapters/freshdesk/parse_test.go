package freshdesk_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// normalizeOne normalizes an edited sample that must yield one interaction.
func normalizeOne(t *testing.T, sample string, change map[string]any) care.Interaction {
	t.Helper()
	ins, err := freshdesk.Helpdesk{}.Normalize(delivery(edit(t, sample, change)))
	if err != nil {
		t.Fatalf("Normalize: %v", err)
	}
	if len(ins) != 1 {
		t.Fatalf("Normalize gave %d interactions, want 1", len(ins))
	}
	if err := ins[0].Validate(); err != nil {
		t.Fatalf("interaction does not validate: %v", err)
	}
	return ins[0]
}

func TestStatusesAreReadAsLabelsOrCodesInAnyCase(t *testing.T) {
	tests := []struct {
		rendered any
		want     care.Status
	}{
		{"Open", care.StatusOpen}, {"open", care.StatusOpen}, {"2", care.StatusOpen}, {2, care.StatusOpen},
		{"Pending", care.StatusPending}, {"3", care.StatusPending},
		{"Resolved", care.StatusSolved}, {"RESOLVED", care.StatusSolved}, {"4", care.StatusSolved}, {4, care.StatusSolved},
		{"Closed", care.StatusClosed}, {"5", care.StatusClosed},
		{"Waiting on Customer", care.StatusPending}, {"waiting  on customer", care.StatusPending}, {"6", care.StatusPending},
		{"Waiting on Third Party", care.StatusOnHold}, {" 7 ", care.StatusOnHold},
	}
	for _, tc := range tests {
		in := normalizeOne(t, "freshdesk-status-changed-resolved.json", map[string]any{"status": tc.rendered})
		if in.Status != tc.want || in.Snapshot.Status != tc.want {
			t.Errorf("status %#v = %q (snapshot %q), want %q", tc.rendered, in.Status, in.Snapshot.Status, tc.want)
		}
	}
}

func TestACustomStatusInAnotherEventsSnapshotIsLeftUnknown(t *testing.T) {
	in := normalizeOne(t, "freshdesk-reply-agent.json", map[string]any{"status": "Escalated to payments"})
	if in.Kind != care.AgentReply || in.Snapshot.Status != "" {
		t.Errorf("kind %s, snapshot status %q; want an agent reply with no status", in.Kind, in.Snapshot.Status)
	}
}

func TestPrioritiesAreReadAsLabelsOrCodes(t *testing.T) {
	tests := []struct {
		rendered any
		want     string
	}{
		{"Low", "low"}, {"1", "low"}, {"Medium", "medium"}, {2, "medium"},
		{"HIGH", "high"}, {"3", "high"}, {"Urgent", "urgent"}, {4, "urgent"},
	}
	for _, tc := range tests {
		in := normalizeOne(t, "freshdesk-priority-changed.json", map[string]any{"priority": tc.rendered})
		if in.Priority != tc.want || in.Snapshot.Priority != tc.want {
			t.Errorf("priority %#v = %q (snapshot %q), want %q", tc.rendered, in.Priority, in.Snapshot.Priority, tc.want)
		}
	}
}

func TestRatingsMapToGoodBadOrNone(t *testing.T) {
	tests := []struct {
		rendered any
		want     string
	}{
		{"good", "good"}, {"Bad", "bad"},
		{"Extremely Happy", "good"}, {"very happy", "good"}, {"Happy", "good"}, {"Awesome", "good"},
		{"Neutral", ""}, {"Just Okay", ""},
		{"Unhappy", "bad"}, {"Very Unhappy", "bad"}, {"Extremely  Unhappy", "bad"}, {"Not Good", "bad"},
		{103, "good"}, {"102", "good"}, {101, "good"}, {100, ""}, {-101, "bad"}, {"-102", "bad"}, {-103, "bad"},
		{5, "good"}, {"4", "good"}, {3, ""}, {2, "bad"}, {"1", "bad"},
		{"", ""}, {nil, ""}, {"Meh", ""}, {0, ""}, {6, ""}, {104, ""},
	}
	for _, tc := range tests {
		in := normalizeOne(t, "freshdesk-feedback-received.json", map[string]any{"rating": tc.rendered})
		if in.Kind != care.Satisfaction || in.Rating != tc.want {
			t.Errorf("rating %#v = %s %q, want satisfaction %q", tc.rendered, in.Kind, in.Rating, tc.want)
		}
	}
}

func TestDueDatesAreReadInTheFormatsFreshdeskRenders(t *testing.T) {
	want := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	tests := []struct {
		name, updatedAt, dueBy string
	}{
		{"strftime with a space-padded day and zone", "2026-11-30 16:50:00 +0100", "December  1 2026 at 06:00 PM CET"},
		{"strftime with a single-spaced day", "2026-11-30 16:50:00 +0100", "December 1 2026 at 06:00 PM CET"},
		{"strftime without a zone, placed by modified_on", "2026-11-30 16:50:00 +0100", "December  1 2026 at 06:00 PM"},
		{"the agent UI style without a zone", "2026-11-30 16:50:00 +0100", "Tue, 1 Dec, 2026 6:00 PM"},
		{"the agent UI style with a comma after the weekday and month", "2026-11-30 16:50:00 +0100", "Tue, Dec 1, 2026 at 6:00 PM"},
		{"lower-case pm", "2026-11-30 16:50:00 +0100", "December 1 2026 at 6:00 pm CET"},
		{"ISO 8601 with Z", "2026-11-30 16:50:00 +0100", "2026-12-01T17:00:00Z"},
		{"ISO 8601 with an offset", "2026-11-30 16:50:00 +0100", "2026-12-01T18:00:00+01:00"},
		{"Ruby's time format", "2026-11-30 16:50:00 +0100", "2026-12-01 18:00:00 +0100"},
		{"UTC spelled out", "2026-11-30 15:50:00 UTC", "December  1 2026 at 05:00 PM UTC"},
		{"a numeric zone without a name", "2026-11-30 23:50:00 +0800", "December  2 2026 at 01:00 AM +08"},
		{"India's IST, settled by modified_on", "2026-11-30 21:20:00 +0530", "December  1 2026 at 10:30 PM IST"},
		{"Ireland's IST, settled by modified_on", "2026-06-30 16:50:00 +0100", "December  1 2026 at 06:00 PM IST"},
		{"a US zone", "2026-11-30 10:50:00 -0500", "December  1 2026 at 12:00 PM EST"},
		{"a half-hour zone", "2026-12-01 03:20:00 +1030", "December  2 2026 at 03:30 AM ACDT"},
		{"a summer zone for a winter date is taken at its word", "2026-11-30 16:50:00 +0100", "December  1 2026 at 07:00 PM CEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := normalizeOne(t, "freshdesk-due-date-changed.json", map[string]any{"updated_at": tc.updatedAt, "due_by": tc.dueBy})
			if !in.DueAt.Equal(want) || in.DueAt.Location() != time.UTC {
				t.Errorf("due %q = %v, want %v", tc.dueBy, in.DueAt, want)
			}
		})
	}
}

func TestEventTimesAreReadFromModifiedOn(t *testing.T) {
	want := time.Date(2026, 11, 30, 10, 5, 0, 0, time.UTC)
	for _, rendered := range []string{
		"2026-11-30 11:05:00 +0100",
		"2026-11-30 10:05:00 UTC",
		"2026-11-30T10:05:00Z",
		"2026-11-30T11:05:00+01:00",
		" 2026-11-30  11:05:00  +01:00 ",
	} {
		in := normalizeOne(t, "freshdesk-assigned.json", map[string]any{"updated_at": rendered})
		if !in.At.Equal(want) || in.At.Location() != time.UTC {
			t.Errorf("updated_at %q = %v, want %v", rendered, in.At, want)
		}
	}
}

func TestWithoutAnEventTimeTheReceiveTimeStandsInAndTheIDStaysStable(t *testing.T) {
	for _, missing := range []any{"", nil, remove, "{{ticket.updated_at}}"} {
		body := edit(t, "freshdesk-assigned.json", map[string]any{"updated_at": missing})
		first, err := freshdesk.Helpdesk{}.Normalize(delivery(body))
		if err != nil {
			t.Fatalf("updated_at %#v: %v", missing, err)
		}
		if !first[0].At.Equal(receivedAt) {
			t.Errorf("updated_at %#v: at = %v, want the receive time %v", missing, first[0].At, receivedAt)
		}
		retry := delivery(body)
		retry.ReceivedAt = receivedAt.Add(30 * time.Minute)
		second, err := freshdesk.Helpdesk{}.Normalize(retry)
		if err != nil {
			t.Fatal(err)
		}
		if first[0].ID != second[0].ID {
			t.Errorf("updated_at %#v: a retry got id %s, the first delivery %s", missing, second[0].ID, first[0].ID)
		}
	}
}

func TestAReplyBySomeoneOtherThanTheAssignedAgentIsNotCreditedToThem(t *testing.T) {
	in := normalizeOne(t, "freshdesk-reply-agent.json", map[string]any{"comment": "Sam Okafor : <p>Covering for Priya today.</p>"})
	if in.ActorName != "Sam Okafor" || in.ActorID != "" || in.Body != "Covering for Priya today." {
		t.Errorf("actor %q <%s>, body %q; want Sam Okafor with no id", in.ActorName, in.ActorID, in.Body)
	}
}

func TestAReplyByTheAssignedAgentIsCreditedToTheirEmailWhateverTheCase(t *testing.T) {
	in := normalizeOne(t, "freshdesk-reply-agent.json", map[string]any{
		"agent":   map[string]any{"name": "Priya Natarajan", "email": " Priya@ACME-support.example "},
		"comment": "priya  natarajan : Done.",
	})
	if in.ActorID != "priya@acme-support.example" || in.Snapshot.AssigneeID != "priya@acme-support.example" {
		t.Errorf("actor id %q, assignee %q; want the lower-cased email", in.ActorID, in.Snapshot.AssigneeID)
	}
}

func TestACustomerReplyByACCIsNotFromTheRequester(t *testing.T) {
	in := normalizeOne(t, "freshdesk-reply-customer.json", map[string]any{"comment": "Anna Becker : <div>Any news? Tom is travelling.</div>"})
	if in.Kind != care.CustomerMessage || in.FromRequester || in.ActorID != "" || in.ActorName != "Anna Becker" {
		t.Errorf("got %s from requester %v, actor %q <%s>; want a customer message by Anna, not the requester", in.Kind, in.FromRequester, in.ActorName, in.ActorID)
	}
}

func TestACommentWithoutTheAuthorPrefixIsKeptWhole(t *testing.T) {
	in := normalizeOne(t, "freshdesk-reply-customer.json", map[string]any{"comment": "<p>No prefix here: just text</p>"})
	if in.Body != "No prefix here: just text" || !in.FromRequester || in.ActorID != "tom.becker@example.net" || in.ActorName != "Tom Becker" {
		t.Errorf("body %q, from requester %v, actor %q <%s>", in.Body, in.FromRequester, in.ActorName, in.ActorID)
	}
}

func TestAnOutboundTicketHasNoCustomerWaiting(t *testing.T) {
	ins, err := freshdesk.Helpdesk{}.Normalize(delivery(edit(t, "freshdesk-ticket-created.json", map[string]any{
		"source": "Outbound Email",
		"agent":  map[string]any{"name": "Priya Natarajan", "email": "priya@acme-support.example"},
	})))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kinds(ins), []care.Kind{care.TicketCreated}) || ins[0].ActorID != "priya@acme-support.example" {
		t.Errorf("got %v by %q, want only a creation by the agent", kinds(ins), ins[0].ActorID)
	}
}

func TestUnassigningIsAnAssigneeChangeToNobody(t *testing.T) {
	in := normalizeOne(t, "freshdesk-assigned.json", map[string]any{"agent": map[string]any{"name": "", "email": ""}})
	if in.Kind != care.AssigneeChanged || in.AssigneeID != "" {
		t.Errorf("got %s to %q, want an assignee change to nobody", in.Kind, in.AssigneeID)
	}
	other := normalizeOne(t, "freshdesk-assigned.json", nil)
	if other.ID == in.ID {
		t.Errorf("assigning and unassigning at the same time share id %s", in.ID)
	}
}

func TestSnapshotLabelsAreTrimmedDecodedAndSplit(t *testing.T) {
	in := normalizeOne(t, "freshdesk-group-changed.json", map[string]any{
		"subject": "  Refund &amp; return  for order #8812 ",
		"group":   "Billing &amp; Payments",
		"tags":    "refund,  order-8812, ,refund, VIP &amp; co",
	})
	s := in.Snapshot
	if s.Subject != "Refund & return for order #8812" || s.GroupID != "Billing & Payments" || in.GroupID != "Billing & Payments" {
		t.Errorf("subject %q, group %q", s.Subject, s.GroupID)
	}
	if want := []string{"refund", "order-8812", "VIP & co"}; !slices.Equal(s.Tags, want) {
		t.Errorf("tags = %q, want %q", s.Tags, want)
	}
	empty := normalizeOne(t, "freshdesk-group-changed.json", map[string]any{"tags": ""})
	if empty.Snapshot.Tags != nil {
		t.Errorf("empty tags = %#v, want nil (unknown)", empty.Snapshot.Tags)
	}
}

func TestUnknownEventsAreKeptWithoutReadingTheirFields(t *testing.T) {
	in := normalizeOne(t, "freshdesk-unknown-event.json", map[string]any{"event": "ticket_merged", "status": []any{"not", "read"}})
	if in.Kind != care.Unrecognized || in.SourceID != "ticket_merged" {
		t.Errorf("got %s %q, want unrecognized ticket_merged", in.Kind, in.SourceID)
	}
}

func TestANumericTicketIDNamesTheSameTicket(t *testing.T) {
	for _, id := range []any{42, "42", " 42 ", "0042", map[string]any{"id": 42}, map[string]any{"id": "42", "subject": "x"}} {
		in := normalizeOne(t, "freshdesk-assigned.json", map[string]any{"ticket_id": id})
		if in.Ticket.TicketID != "42" {
			t.Errorf("ticket_id %#v = %q, want 42", id, in.Ticket.TicketID)
		}
	}
}

// TestTimesWithoutAnOffsetAreReadInTheConnectionsTimeZone: Freshdesk renders
// modified_on and due_by_time in the account's format and zone, sometimes
// with no offset at all or with an abbreviation that means several zones.
func TestTimesWithoutAnOffsetAreReadInTheConnectionsTimeZone(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name, zone, updatedAt, dueBy string
		wantAt, wantDue              string // "" for the receive time / an unread due date
	}{
		{"India's IST in the account's own format, settled by the connection's zone", "Asia/Kolkata",
			"December  3 2026 at 07:55 PM IST", "December  3 2026 at 08:00 PM IST", "2026-12-03T14:25:00Z", "2026-12-03T14:30:00Z"},
		{"Ireland's IST in summer, settled by the connection's zone", "Europe/Dublin",
			"June  3 2026 at 07:55 PM IST", "June  3 2026 at 08:00 PM IST", "2026-06-03T18:55:00Z", "2026-06-03T19:00:00Z"},
		{"Israel's IST, settled by the connection's zone", "Asia/Jerusalem",
			"December  3 2026 at 07:55 PM IST", "December  3 2026 at 08:00 PM IST", "2026-12-03T17:55:00Z", "2026-12-03T18:00:00Z"},
		{"an IST the connection's zone does not print is settled by modified_on's offset", "Europe/London",
			"2026-12-03 19:55:00 +0530", "December  3 2026 at 08:00 PM IST", "2026-12-03T14:25:00Z", "2026-12-03T14:30:00Z"},
		{"an IST that neither the zone nor modified_on settles is not guessed", "Europe/London",
			"December  3 2026 at 07:55 PM IST", "December  3 2026 at 08:00 PM IST", "", ""},
		{"no zone at all is the connection's zone, summer time included", "America/New_York",
			"Wed, 3 Jun 2026 at 09:55 AM", "June  3 2026 at 10:00 AM", "2026-06-03T13:55:00Z", "2026-06-03T14:00:00Z"},
		{"no zone at all is the connection's zone, winter time included", "America/New_York",
			"Thu, 3 Dec 2026 at 09:55 AM", "December  3 2026 at 10:00 AM", "2026-12-03T14:55:00Z", "2026-12-03T15:00:00Z"},
		{"a due date without a zone is read in the zone even across a change to summer time", "Europe/Berlin",
			"2026-03-27 09:00:00 +0100", "March 30 2026 at 09:00 AM", "2026-03-27T08:00:00Z", "2026-03-30T07:00:00Z"},
		{"an unambiguous abbreviation wins over the connection's zone", "Asia/Kolkata",
			"2026-12-03 19:55:00 +0530", "December  3 2026 at 08:00 PM CET", "2026-12-03T14:25:00Z", "2026-12-03T19:00:00Z"},
		{"an abbreviation only the connection's zone knows is read in it", "America/Sao_Paulo",
			"2026-12-03 10:00:00 -0300", "December  3 2026 at 11:00 AM -03", "2026-12-03T13:00:00Z", "2026-12-03T14:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			ins, err := freshdesk.Helpdesk{}.NormalizeIn(delivery(edit(t, "freshdesk-due-date-changed.json", map[string]any{"updated_at": tc.updatedAt, "due_by": tc.dueBy})), loc)
			if err != nil {
				t.Fatalf("Normalize: %v", err)
			}
			in := ins[0]
			wantAt := receivedAt
			if tc.wantAt != "" {
				wantAt = utc(tc.wantAt)
			}
			if !in.At.Equal(wantAt) {
				t.Errorf("at = %v, want %v (unread %q)", in.At, wantAt, in.Unread)
			}
			switch {
			case tc.wantDue == "" && in.Kind != care.ChangeUnread:
				t.Errorf("kind %s due %v, want the due date left unread", in.Kind, in.DueAt)
			case tc.wantDue != "" && (in.Kind != care.DueDateChanged || !in.DueAt.Equal(utc(tc.wantDue))):
				t.Errorf("kind %s due %v, want %s (unread %q)", in.Kind, in.DueAt, tc.wantDue, in.Unread)
			}
		})
	}
}

func TestWithoutAConnectionZoneATimeWithoutOffsetIsPlacedByModifiedOn(t *testing.T) {
	ins, err := freshdesk.Helpdesk{}.Normalize(delivery(edit(t, "freshdesk-due-date-changed.json", map[string]any{
		"updated_at": "2026-11-30 16:50:00 +0100", "due_by": "December  1 2026 at 06:00 PM"})))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC); !ins[0].DueAt.Equal(want) {
		t.Errorf("due %v, want %v", ins[0].DueAt, want)
	}
}

func TestEventNamesAreReadInAnyCase(t *testing.T) {
	in := normalizeOne(t, "freshdesk-reply-agent.json", map[string]any{"event": " Agent_Reply "})
	if in.Kind != care.AgentReply {
		t.Errorf("kind %s, want an agent reply", in.Kind)
	}
}
