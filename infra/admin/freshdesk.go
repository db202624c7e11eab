package main

import (
	"fmt"
	"io"

	"github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/core/care"
)

// rule is one of the Freshdesk automation rules that send carecoach a
// ticket's changes (shared/adapters/freshdesk/SETUP.md, section 3). Their bodies are
// the events/freshdesk-*.liquid.json files the golden tests render.
type rule struct {
	name, tab, performer, event, note string
	body                              string // events/<body>.json
}

// freshdeskRules are the ten rules, in SETUP.md's order.
var freshdeskRules = []rule{
	{"carecoach: ticket created", "Ticket Creation", "", "", "no conditions, so it runs on every new ticket; set the tab to run all matching rules", "freshdesk-ticket-created.liquid"},
	{"carecoach: agent reply", "Ticket Updates", "Agent", "Reply is sent", "", "freshdesk-reply-agent.liquid"},
	{"carecoach: customer reply", "Ticket Updates", "Requester", "Reply is sent", "", "freshdesk-reply-customer.liquid"},
	{"carecoach: private note", "Ticket Updates", "Agent", "Note is added, type Private", "", "freshdesk-note-added.liquid"},
	{"carecoach: status changed", "Ticket Updates", "Anyone", "Status is changed, from Any status to Any status", "", "freshdesk-status-changed.liquid"},
	{"carecoach: agent changed", "Ticket Updates", "Anyone", "Agent is updated", "", "freshdesk-assigned.liquid"},
	{"carecoach: group changed", "Ticket Updates", "Anyone", "Group is updated", "", "freshdesk-group-changed.liquid"},
	{"carecoach: priority changed", "Ticket Updates", "Anyone", "Priority is changed, from Any priority to Any priority", "", "freshdesk-priority-changed.liquid"},
	{"carecoach: due date changed", "Ticket Updates", "Anyone", "Due date is changed", "only useful with SLA management on", "freshdesk-due-date-changed.liquid"},
	{"carecoach: feedback", "Ticket Updates", "Requester", "Customer feedback is received", `one copy per rating, that rating typed into "rating" (SETUP.md, rule 10)`, "freshdesk-feedback-received.liquid"},
}

// printRules prints every rule with the connection's URL and secret filled
// in, ready to paste. Freshdesk's API is not used to create them: see
// infra/admin/README.md for why.
func printRules(out io.Writer, webhookURL string, secret care.Secret) error {
	fmt.Fprintf(out, `
Now add these %d automation rules in Freshdesk (Admin → Workflows → Automations).
Every rule ends with the same action, Trigger Webhook:
  Request type:        POST
  URL:                 %s
  Requires auth:       off
  Custom headers:      on, X-Carecoach-Secret: %s
  Encoding:            JSON
  Content:             Advanced, the rule's body below, pasted exactly
(The header is the only proof a delivery comes from your account: keep it out of screenshots and tickets.
 More on each rule: shared/adapters/freshdesk/SETUP.md.)
`, len(freshdeskRules), webhookURL, string(secret))
	for i, r := range freshdeskRules {
		body, err := events.Sample(r.body)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n%d. %q, tab %s", i+1, r.name, r.tab)
		if r.performer != "" {
			fmt.Fprintf(out, ", performer %s, event %s", r.performer, r.event)
		}
		if r.note != "" {
			fmt.Fprintf(out, " (%s)", r.note)
		}
		fmt.Fprintf(out, "\n%s", body)
	}
	_, err := fmt.Fprintln(out)
	return err
}
