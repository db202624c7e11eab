package freshdesk_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/goldenfile"
)

// eventsDir holds the sample bodies shared with the local sender and other
// packages' tests.
const eventsDir = "../../../events"

// connection is the connection id every test delivery arrives on.
const connection = "fd-acme"

// receivedAt is when every test delivery arrived, later than any sample's
// own time so that a fallback to it would show in the goldens.
var receivedAt = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// samples lists every rendered sample, the kinds it must become, and why,
// so a reader sees the intent without opening the golden file; the golden
// file then pins every field.
var samples = []struct {
	name   string
	sample string
	want   []care.Kind
	zone   string // the connection's time zone, "" for none
}{
	{"a ticket a customer emailed in is a creation and the customer's first message", "freshdesk-ticket-created.json", []care.Kind{care.TicketCreated, care.CustomerMessage}, ""},
	{"routing the ticket to a group is a group change naming the group", "freshdesk-group-changed.json", []care.Kind{care.GroupChanged}, ""},
	{"an agent taking the ticket is an assignee change to the agent's email", "freshdesk-assigned.json", []care.Kind{care.AssigneeChanged}, ""},
	{"raising the priority is a priority change in lower case", "freshdesk-priority-changed.json", []care.Kind{care.PriorityChanged}, ""},
	{"a public reply by the agent is an agent reply in plain text without the author prefix", "freshdesk-reply-agent.json", []care.Kind{care.AgentReply}, ""},
	{"a private note is an internal note", "freshdesk-note-added.json", []care.Kind{care.InternalNote}, ""},
	{"an event name carecoach does not model is kept as unrecognized", "freshdesk-unknown-event.json", []care.Kind{care.Unrecognized}, ""},
	{"a reply by the requester is a customer message from the requester with entities decoded", "freshdesk-reply-customer.json", []care.Kind{care.CustomerMessage}, ""},
	{"moving the due date is a due date change placed in the account's time zone", "freshdesk-due-date-changed.json", []care.Kind{care.DueDateChanged}, ""},
	{"resolving the ticket is a status change to solved", "freshdesk-status-changed-resolved.json", []care.Kind{care.StatusChanged}, ""},
	{"a status rendered as the numeric code 4 is the same change to solved", "freshdesk-status-changed-numeric.json", []care.Kind{care.StatusChanged}, ""},
	{"feedback with a rating the admin typed is a good satisfaction rating", "freshdesk-feedback-received.json", []care.Kind{care.Satisfaction}, ""},
	// Ticket 43, in an account in India (see testdata/README.md).
	{"times rendered in the account's format with an ambiguous IST are read in the connection's zone", "freshdesk-due-date-changed-account-format.json", []care.Kind{care.DueDateChanged}, "Asia/Kolkata"},
	{"a ticket id, status and priority sent as bare numbers are read as codes", "freshdesk-priority-changed-codes.json", []care.Kind{care.PriorityChanged}, ""},
	{"a change to a custom status carecoach cannot place keeps the snapshot and changes no status", "freshdesk-status-changed-custom.json", []care.Kind{care.ChangeUnread}, ""},
	{"a customer's reply by email keeps their words, not the quoted history or the signature", "freshdesk-reply-customer-email-quote.json", []care.Kind{care.CustomerMessage}, ""},
}

func TestSamplesNormalizeToTheirGoldenInteractions(t *testing.T) {
	for _, tc := range samples {
		t.Run(tc.name, func(t *testing.T) {
			got, err := freshdesk.Helpdesk{}.NormalizeIn(delivery(readSample(t, tc.sample)), zone(t, tc.zone))
			if err != nil {
				t.Fatalf("Normalize(%s): %v", tc.sample, err)
			}
			if !slices.Equal(kinds(got), tc.want) {
				t.Fatalf("Normalize(%s) kinds = %v, want %v", tc.sample, kinds(got), tc.want)
			}
			for _, in := range got {
				if err := in.Validate(); err != nil {
					t.Errorf("interaction does not validate: %v", err)
				}
				if in.Ticket.Connection != connection || in.Ticket.TicketID != "42" && in.Ticket.TicketID != "43" {
					t.Errorf("ticket = %v, want %s/42 or 43", in.Ticket, connection)
				}
			}
			compareGolden(t, tc.sample, got)
		})
	}
}

func TestEverySampleHasAGoldenRow(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(eventsDir, "freshdesk-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, tc := range samples {
		covered[tc.sample] = true
	}
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasSuffix(name, ".liquid.json") {
			continue // a template, not a delivery
		}
		if !covered[name] {
			t.Errorf("sample %s has no row in samples; add one with the kinds it must become", name)
		}
	}
}

func TestNormalizingTheSameDeliveryTwiceGivesTheSameInteractions(t *testing.T) {
	for _, tc := range samples {
		t.Run(tc.sample, func(t *testing.T) {
			body := readSample(t, tc.sample)
			first, err1 := freshdesk.Helpdesk{}.NormalizeIn(delivery(body), zone(t, tc.zone))
			retry := delivery(body)
			retry.ReceivedAt = retry.ReceivedAt.Add(time.Hour) // Freshdesk retries up to an hour later
			second, err2 := freshdesk.Helpdesk{}.NormalizeIn(retry, zone(t, tc.zone))
			if err1 != nil || err2 != nil {
				t.Fatalf("Normalize: %v, %v", err1, err2)
			}
			if !slices.EqualFunc(first, second, sameInteraction) {
				t.Fatalf("duplicates differ: ids %v vs %v", ids(first), ids(second))
			}
		})
	}
}

func TestAStatusRenderedAsALabelOrACodeGivesTheSameInteraction(t *testing.T) {
	label, err1 := freshdesk.Helpdesk{}.Normalize(delivery(readSample(t, "freshdesk-status-changed-resolved.json")))
	code, err2 := freshdesk.Helpdesk{}.Normalize(delivery(readSample(t, "freshdesk-status-changed-numeric.json")))
	if err1 != nil || err2 != nil {
		t.Fatalf("Normalize: %v, %v", err1, err2)
	}
	if !slices.EqualFunc(label, code, sameInteraction) {
		t.Errorf("label and code differ:\n%+v\n%+v", label, code)
	}
}

func TestInteractionsFromDifferentSamplesHaveDifferentIDs(t *testing.T) {
	seen := map[string]string{}
	for _, tc := range samples {
		if tc.sample == "freshdesk-status-changed-numeric.json" {
			continue // the same event as the resolved sample, on purpose
		}
		got, err := freshdesk.Helpdesk{}.NormalizeIn(delivery(readSample(t, tc.sample)), zone(t, tc.zone))
		if err != nil {
			t.Fatalf("Normalize(%s): %v", tc.sample, err)
		}
		for _, in := range got {
			if prev, dup := seen[in.ID]; dup {
				t.Errorf("%s and %s share id %s", prev, tc.sample, in.ID)
			}
			seen[in.ID] = tc.sample
		}
	}
}

func TestTheSampleTimelineFoldsIntoTheStoryItTells(t *testing.T) {
	var timeline []care.Interaction
	for _, tc := range samples {
		got, err := freshdesk.Helpdesk{}.NormalizeIn(delivery(readSample(t, tc.sample)), zone(t, tc.zone))
		if err != nil {
			t.Fatalf("Normalize(%s): %v", tc.sample, err)
		}
		for _, in := range got {
			if in.Ticket.TicketID == "42" { // the story; 43 holds the variants
				timeline = append(timeline, in)
			}
		}
	}
	ref := care.TicketRef{Connection: connection, TicketID: "42"}
	got := care.Fold(ref, timeline)

	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"subject", got.Subject, "Refund not received for order #8812"},
		{"status", got.Status, care.StatusSolved},
		{"requester", got.RequesterID, "tom.becker@example.net"},
		{"assignee", got.AssigneeID, "priya@acme-support.example"},
		{"group", got.GroupID, "Billing"},
		{"priority", got.Priority, "high"},
		{"created", got.CreatedAt, at("2026-11-30T10:00:00Z")},
		{"first reply", got.FirstReplyAt, at("2026-11-30T10:20:00Z")},
		{"last customer message", got.LastCustomerMessageAt, at("2026-11-30T15:40:00Z")},
		{"solved", got.SolvedAt, at("2026-12-01T09:30:00Z")},
		{"due", got.DueAt, at("2026-12-01T11:00:00Z")},
		{"rating", got.Rating, "good"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}

	// Before the ticket was resolved, Tom's second message had no public
	// answer, so he was waiting from then on.
	var open []care.Interaction
	for _, in := range timeline {
		if in.At.Before(at("2026-12-01T00:00:00Z")) {
			open = append(open, in)
		}
	}
	if got := care.Fold(ref, open).AwaitingSince; !got.Equal(at("2026-11-30T15:40:00Z")) {
		t.Errorf("awaiting since = %v before the resolution, want 2026-11-30T15:40:00Z", got)
	}
}

// zone loads a sample row's time zone; "" is none.
func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	if name == "" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func compareGolden(t *testing.T, sample string, got []care.Interaction) {
	t.Helper()
	goldenfile.CheckJSON(t, filepath.Join("testdata", "golden", sample), got)
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(eventsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func delivery(body []byte) care.Delivery {
	return care.Delivery{
		Connection: connection,
		Source:     care.Freshdesk,
		DedupeKey:  "k",
		ReceivedAt: receivedAt,
		Body:       body,
	}
}

// sameInteraction compares interactions field by field; times are
// compared as instants.
func sameInteraction(a, b care.Interaction) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func kinds(ins []care.Interaction) []care.Kind {
	var out []care.Kind
	for _, in := range ins {
		out = append(out, in.Kind)
	}
	return out
}

func ids(ins []care.Interaction) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.ID)
	}
	return out
}
