package mail

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Alert is what a manager needs to debrief a bad rating on one ticket the
// same day: who owned it, what the customer said, how the ticket went.
type Alert struct {
	Manager care.Member // the recipient
	// Agent owned the ticket. Email may be empty when unknown; an empty Name
	// means the ticket was unassigned.
	Agent        care.Member
	Ticket       care.Ticket
	TicketURL    string
	CustomerName string
	Comment      string    // the customer's words with the rating (may be empty)
	RatedAt      time.Time // in the team's zone
	Timeline     []TimelineEntry
	// Debrief are the questions to work through; empty means DefaultDebrief.
	Debrief []string
	// Help is the reply grammar. When it is set the alert is answerable: it
	// opens with care.ReplyMarker, and its footer says that free text in a
	// reply is feedback on this moment, and shows Help.
	Help string
}

// TimelineEntry is one line of a ticket's story in an alert.
type TimelineEntry struct {
	At   time.Time // in the team's zone
	Who  string    // "Maria Lopez (customer)", "Ana Silva (agent)", "help desk"
	What string    // e.g. `wrote: "…"`, `replied publicly: "…"`, "added an internal note", "set status to solved"
}

// DefaultDebrief are the questions every bad-rating alert asks unless the
// team has its own.
var DefaultDebrief = []string{
	"What did the customer expect that we did not do?",
	"Where did the ticket wait, and why?",
	"What will we change so it does not happen again?",
	"Who contacts the customer today, and what do they say?",
}

type alertView struct {
	Alert
	Customer  string // the customer's name on one line, or ""
	AgentName string // the owner's name on one line, or "" when unassigned
	Debrief   []string
}

// SatisfactionAlert tells a manager at once that a customer rated one named
// ticket bad, with what a debrief needs.
func SatisfactionAlert(a Alert) (care.Email, error) {
	if a.Manager.Email == "" {
		return care.Email{}, fmt.Errorf("satisfaction alert: manager has no email address")
	}
	v := alertViewOf(a)
	h, t := alertHTML(v), alertText(v)
	owner := v.AgentName
	if owner == "" {
		owner = "unassigned"
	}
	subject := fmt.Sprintf("Bad rating on ticket #%s (%s): %s", a.Ticket.Ref.TicketID, owner, oneLine(a.Ticket.Subject))
	return care.Email{
		To:      []string{a.Manager.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    map[string]string{"kind": "satisfaction_alert", "connection": a.Ticket.Ref.Connection},
	}, nil
}

func alertViewOf(a Alert) alertView {
	v := alertView{Alert: a, Customer: person(a.CustomerName), AgentName: person(a.Agent.Name), Debrief: a.Debrief}
	if len(v.Debrief) == 0 {
		v.Debrief = slices.Clone(DefaultDebrief)
	}
	return v
}

// The most a timeline says: enough to see where the ticket waited.
const (
	timelineMax = 12
	quoteMax    = 200
)

// TimelineOf turns a ticket's interactions into readable entries, most
// recent last and at most the last 12, at times in loc (UTC when nil).
// People are named by name (help desk user id → display name, "" when
// unknown; may be nil), then by the interaction's ActorName, then by their
// role ("customer" or "agent"). Bodies are quoted shortened; internal notes
// are mentioned, not quoted; unrecognized events are skipped.
func TimelineOf(timeline []care.Interaction, loc *time.Location, name func(id string) string) []TimelineEntry {
	if loc == nil {
		loc = time.UTC
	}
	lookup := func(id string) string {
		if name == nil || id == "" {
			return ""
		}
		return person(name(id))
	}
	ins := make([]care.Interaction, 0, len(timeline))
	for _, in := range timeline {
		if in.Kind != care.Unrecognized && in.Kind != care.ChangeUnread && in.Kind != "" {
			ins = append(ins, in)
		}
	}
	slices.SortStableFunc(ins, func(a, b care.Interaction) int { return a.At.Compare(b.At) })
	if len(ins) > timelineMax {
		ins = ins[len(ins)-timelineMax:]
	}
	out := make([]TimelineEntry, 0, len(ins))
	for _, in := range ins {
		out = append(out, TimelineEntry{
			At:   in.At.In(loc),
			Who:  who(in, lookup),
			What: what(in, lookup, loc),
		})
	}
	return out
}

// who names the person behind an interaction with their role.
func who(in care.Interaction, lookup func(string) string) string {
	n := lookup(in.ActorID)
	if n == "" {
		n = person(in.ActorName)
	}
	role := "agent"
	switch {
	case in.Kind == care.CustomerMessage || in.Kind == care.Satisfaction:
		role = "customer"
	case in.ActorID != "" && in.ActorID == in.Snapshot.RequesterID:
		role = "customer"
	case in.Kind == care.TicketCreated && (in.FromRequester || in.ActorID == ""):
		role = "customer"
	case in.Kind != care.AgentReply && in.Kind != care.InternalNote && in.Kind != care.TicketCreated && n == "":
		// A change nobody is named for: a trigger, an automation or the
		// help desk itself.
		return "help desk"
	}
	if n == "" {
		return role
	}
	return n + " (" + role + ")"
}

// what says what happened, quoting what people wrote publicly.
func what(in care.Interaction, lookup func(string) string, loc *time.Location) string {
	switch in.Kind {
	case care.TicketCreated:
		return said("opened the ticket", in.Body)
	case care.CustomerMessage:
		return said("wrote", in.Body)
	case care.AgentReply:
		return said("replied publicly", in.Body)
	case care.InternalNote:
		return "added an internal note"
	case care.StatusChanged:
		if in.Status == "" {
			return "changed the status"
		}
		return "set status to " + strings.ReplaceAll(string(in.Status), "_", " ")
	case care.AssigneeChanged:
		if in.AssigneeID == "" {
			return "unassigned the ticket"
		}
		if n := lookup(in.AssigneeID); n != "" {
			return "assigned the ticket to " + n
		}
		return "reassigned the ticket"
	case care.GroupChanged:
		return "moved the ticket to another group"
	case care.PriorityChanged:
		if in.Priority == "" {
			return "cleared the priority"
		}
		return "set priority to " + person(in.Priority)
	case care.TagsChanged:
		if len(in.Tags) == 0 {
			return "removed all tags"
		}
		return "set tags to " + person(strings.Join(in.Tags, ", "))
	case care.DueDateChanged:
		if in.DueAt.IsZero() {
			return "removed the due date"
		}
		return "set the due date to " + when(in.DueAt.In(loc))
	case care.Satisfaction:
		rating := person(in.Rating)
		if rating == "" {
			return said("rated the service", in.Body)
		}
		return said("rated the service "+rating, in.Body)
	case care.TicketMerged:
		if in.MergedInto == "" {
			return "merged the ticket into another"
		}
		return "merged the ticket into #" + person(in.MergedInto)
	case care.TicketDeleted:
		return "deleted the ticket"
	default:
		return strings.ReplaceAll(string(in.Kind), "_", " ")
	}
}

// said is an action with the words that went with it, shortened, on one line.
func said(action, body string) string {
	q := person(excerpt(body))
	if q == "" {
		return action
	}
	return action + ": “" + clip(q, quoteMax) + "”"
}
