package zendesk_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/goldenfile"
)

// eventsDir holds the sample bodies shared with the local sender and other
// packages' tests.
const eventsDir = "../../../events"

// connection is the connection id every golden delivery arrives on.
const connection = "acme-zendesk"

// samples lists every sample, what it must become, and why, so a reader sees
// the intent without opening the golden file. The golden file then pins every
// field.
var samples = []struct {
	name   string
	sample string
	want   care.Kind
}{
	{"a new ticket is a ticket created interaction carrying the description", "zendesk-ticket-created.json", care.TicketCreated},
	{"routing the ticket to a group is a group change", "zendesk-ticket-group-assignment-changed.json", care.GroupChanged},
	{"an agent taking the ticket is an assignee change", "zendesk-ticket-agent-assignment-changed.json", care.AssigneeChanged},
	{"a public comment by the requester is a customer message from the requester", "zendesk-ticket-comment-added-customer.json", care.CustomerMessage},
	{"a private comment by an agent is an internal note", "zendesk-ticket-comment-added-internal-note.json", care.InternalNote},
	{"a public comment by an agent is an agent reply", "zendesk-ticket-comment-added-agent-public.json", care.AgentReply},
	{"a priority change carries the new priority in lower case", "zendesk-ticket-priority-changed.json", care.PriorityChanged},
	{"a tags change carries the whole tag list after the change", "zendesk-ticket-tags-changed.json", care.TagsChanged},
	{"a task due date change carries the new due time", "zendesk-ticket-task-due-at-changed.json", care.DueDateChanged},
	{"a public comment by a CC is a customer message not from the requester", "zendesk-ticket-comment-added-cc.json", care.CustomerMessage},
	{"solving the ticket is a status change to solved", "zendesk-ticket-status-changed-solved.json", care.StatusChanged},
	{"a good CSAT rating is a satisfaction interaction with the customer's comment", "zendesk-ticket-csat-received.json", care.Satisfaction},
	{"an event type carecoach does not model is kept as unrecognized", "zendesk-ticket-unknown-event.json", care.Unrecognized},
	{"merging the ticket records the ticket it was merged into", "zendesk-ticket-merged.json", care.TicketMerged},
	{"soft deleting the ticket is a ticket deleted interaction", "zendesk-ticket-soft-deleted.json", care.TicketDeleted},
	{"a trigger body for a customer's comment is a customer message", "zendesk-trigger-comment-customer.json", care.CustomerMessage},
	{"a trigger body for an agent's public comment is an agent reply", "zendesk-trigger-comment-agent.json", care.AgentReply},
	{"a trigger body for a status change to solved is a status change", "zendesk-trigger-status-solved.json", care.StatusChanged},
	{"a trigger body for a good rating with a comment is a satisfaction interaction", "zendesk-trigger-satisfaction-good.json", care.Satisfaction},
	// The shapes Zendesk's examples do not all show (see testdata/README.md).
	{"assignee ids given as objects with an id are read from the object", "zendesk-ticket-agent-assignment-changed-object-ids.json", care.AssigneeChanged},
	{"group ids given as objects with a numeric id are read from the object", "zendesk-ticket-group-assignment-changed-object-ids.json", care.GroupChanged},
	{"numeric ids, an upper-case type and booleans written as words still make a customer message", "zendesk-ticket-comment-added-loose-types.json", care.CustomerMessage},
	{"statuses and priorities in any case are read", "zendesk-ticket-status-changed-mixed-case.json", care.StatusChanged},
	{"a comment with fields that cannot be read is a partial customer message, not a dead letter", "zendesk-ticket-comment-added-partial.json", care.CustomerMessage},
	{"a due date that cannot be read keeps the snapshot and changes no due date", "zendesk-ticket-task-due-at-changed-unreadable.json", care.ChangeUnread},
	{"an end user's trigger comment whose is_public did not render is a customer message", "zendesk-trigger-comment-customer-flag-unrendered.json", care.CustomerMessage},
	{"a customer's reply by email keeps their words, not the quoted history, the footer or the sign-off", "zendesk-ticket-comment-added-customer-email-reply.json", care.CustomerMessage},
}

func TestSamplesNormalizeToTheirGoldenInteractions(t *testing.T) {
	for _, tc := range samples {
		t.Run(tc.name, func(t *testing.T) {
			body := readSample(t, tc.sample)
			got, err := zendesk.Helpdesk{}.Normalize(delivery(body))
			if err != nil {
				t.Fatalf("Normalize(%s): %v", tc.sample, err)
			}
			if len(got) != 1 || got[0].Kind != tc.want {
				t.Fatalf("Normalize(%s) kinds = %v, want one %s", tc.sample, kinds(got), tc.want)
			}
			for _, in := range got {
				if err := in.Validate(); err != nil {
					t.Errorf("interaction does not validate: %v", err)
				}
			}
			compareGolden(t, tc.sample, got)
		})
	}
}

func TestEverySampleHasAGoldenCaseAndEveryGoldenASample(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(eventsDir, "zendesk-*.json"))
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
			continue // the template, not a delivery
		}
		if !covered[name] {
			t.Errorf("sample %s has no row in samples; add one with the kind it must become", name)
		}
	}
	goldens, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		if !covered[filepath.Base(g)] {
			t.Errorf("golden %s belongs to no sample; delete it", g)
		}
	}
}

func TestNormalizingTheSameDeliveryTwiceGivesTheSameIDs(t *testing.T) {
	for _, tc := range samples {
		t.Run(tc.sample, func(t *testing.T) {
			body := readSample(t, tc.sample)
			first, err1 := zendesk.Helpdesk{}.Normalize(delivery(body))
			later := delivery(body)
			later.ReceivedAt = later.ReceivedAt.Add(time.Hour) // a retry arrives later
			second, err2 := zendesk.Helpdesk{}.Normalize(later)
			if err1 != nil || err2 != nil {
				t.Fatalf("Normalize: %v, %v", err1, err2)
			}
			if len(first) != len(second) || first[0].ID != second[0].ID {
				t.Fatalf("ids differ across duplicates: %v vs %v", ids(first), ids(second))
			}
		})
	}
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
		Source:     care.Zendesk,
		DedupeKey:  "k",
		ReceivedAt: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
		Body:       body,
	}
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
