package freshdesk_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
)

// templates maps each automation rule's body template to its event name.
var templates = map[string]string{
	"freshdesk-ticket-created.liquid.json":    "ticket_created",
	"freshdesk-reply-agent.liquid.json":       "agent_reply",
	"freshdesk-reply-customer.liquid.json":    "customer_reply",
	"freshdesk-note-added.liquid.json":        "note_added",
	"freshdesk-status-changed.liquid.json":    "status_changed",
	"freshdesk-assigned.liquid.json":          "assigned",
	"freshdesk-group-changed.liquid.json":     "group_changed",
	"freshdesk-priority-changed.liquid.json":  "priority_changed",
	"freshdesk-due-date-changed.liquid.json":  "due_date_changed",
	"freshdesk-feedback-received.liquid.json": "feedback_received",
}

// placeholders are the Freshdesk placeholders the templates may use: the
// documented ones, plus ticket.modified_on, which Freshdesk's ticket drop
// exposes without listing it (see SETUP.md).
var placeholders = []string{
	"{{ticket.id}}", "{{ticket.modified_on}}", "{{ticket.subject}}", "{{ticket.status}}",
	"{{ticket.priority}}", "{{ticket.tags}}", "{{ticket.due_by_time}}", "{{ticket.url}}",
	"{{ticket.group.name}}", "{{ticket.agent.name}}", "{{ticket.agent.email}}",
	"{{ticket.requester.name}}", "{{ticket.requester.email}}", "{{ticket.source}}",
	"{{ticket.description}}", "{{ticket.latest_public_comment}}", "{{ticket.latest_private_comment}}",
}

var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

func TestEveryRuleTemplateIsAValidBodyWithItsEventAndKnownPlaceholders(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(eventsDir, "freshdesk-*.liquid.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(templates) {
		t.Errorf("found %d templates, want %d: %v", len(files), len(templates), files)
	}
	for name, event := range templates {
		t.Run(name, func(t *testing.T) {
			raw := readSample(t, name)
			var body map[string]any
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("template is not JSON, so Freshdesk would send invalid bodies: %v", err)
			}
			if body["carecoach"] != "freshdesk/v1" || body["event"] != event {
				t.Errorf("carecoach = %v, event = %v; want freshdesk/v1, %s", body["carecoach"], body["event"], event)
			}
			for _, p := range placeholder.FindAllString(string(raw), -1) {
				if !slices.Contains(placeholders, p) {
					t.Errorf("template uses %s, which is not a placeholder we rely on", p)
				}
			}
			// The quoted ticket id placeholder renders as a numeric
			// string, so the template's shape must pass the envelope
			// checks once rendered.
			rendered := strings.ReplaceAll(string(raw), "{{ticket.id}}", "42")
			if _, err := (freshdesk.Helpdesk{}).DedupeKey(http.Header{}, []byte(rendered)); err != nil {
				t.Errorf("rendered template is refused: %v", err)
			}
		})
	}
}

func TestSetupGuideQuotesEveryTemplateVerbatim(t *testing.T) {
	guide, err := os.ReadFile("SETUP.md")
	if err != nil {
		t.Fatal(err)
	}
	for name := range templates {
		raw := strings.TrimSpace(string(readSample(t, name)))
		if !strings.Contains(string(guide), "```json\n"+raw+"\n```") {
			t.Errorf("SETUP.md does not contain %s verbatim; copy the template into its rule's section", name)
		}
	}
}

func TestEverySampleCameFromATemplateWithTheSameFields(t *testing.T) {
	byEvent := map[string]map[string]any{}
	for name, event := range templates {
		var body map[string]any
		if err := json.Unmarshal(readSample(t, name), &body); err != nil {
			t.Fatal(err)
		}
		byEvent[event] = body
	}
	for _, tc := range samples {
		var body map[string]any
		if err := json.Unmarshal(readSample(t, tc.sample), &body); err != nil {
			t.Fatal(err)
		}
		tmpl, ok := byEvent[body["event"].(string)]
		if !ok {
			continue // the unknown-event sample has no template, on purpose
		}
		if got, want := keys(body), keys(tmpl); !slices.Equal(got, want) {
			t.Errorf("%s has fields %v, its template %v", tc.sample, got, want)
		}
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k, v := range m {
		out = append(out, k)
		if nested, ok := v.(map[string]any); ok {
			for _, nk := range keys(nested) {
				out = append(out, k+"."+nk)
			}
		}
	}
	slices.Sort(out)
	return out
}
