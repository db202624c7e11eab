package zendesk

import (
	"github.com/carecoach/carecoach/shared/core/care"
)

// Normalize turns one stored delivery into canonical interactions.
//
// An event-subscribed ticket event gives exactly one interaction; event types
// carecoach does not model give one of kind care.Unrecognized so they are
// still stored and acknowledged. Events that are not about a ticket (user or
// organization events sent to the same webhook) give none, since an
// interaction must name a ticket. A trigger body gives exactly one.
//
// A field that cannot be read makes the interaction partial, not the
// delivery dead: what could be read is used, and each unreadable field is
// listed in the interaction's Unread ("field: why"). When the event's own
// change is what cannot be read, the interaction is care.ChangeUnread: its
// snapshot still counts, the change is not guessed. Only a delivery that
// cannot be placed at all (no ticket, no time, no event id, not one of the
// two shapes) gives a *care.Error with code care.EInvalid whose message
// names the field at fault; retrying it cannot help, so callers park it.
func (Helpdesk) Normalize(d care.Delivery) ([]care.Interaction, error) {
	if d.Source != "" && d.Source != care.Zendesk {
		return nil, invalid("delivery comes from %q, not %q", clip(string(d.Source), 40), care.Zendesk)
	}
	if d.Connection == "" {
		return nil, invalid("delivery names no connection")
	}
	o, err := parseBody(d.Body)
	if err != nil {
		return nil, err
	}
	switch {
	case isTrigger(o):
		return normalizeTrigger(d.Connection, o)
	case o.has("type"):
		return normalizeEvent(d.Connection, o)
	}
	return nil, invalid(`body is neither a Zendesk event (no "type") nor a carecoach trigger body (no "carecoach" marker)`)
}

// snapshotOf reads the ticket snapshot Zendesk sends in detail. Statuses
// carecoach does not track are left empty, which care reads as "unknown";
// so are fields that cannot be read (noted in f).
func snapshotOf(f *fields, detail object) care.Snapshot {
	raw := f.str(detail, "status", "detail.status")
	status, ok := parseStatus(raw)
	if !ok && raw != "" && !untracked(raw) {
		f.notef("detail.status %q is not a ticket status carecoach knows", clip(raw, 40))
	}
	tags, set := f.strs(detail, "tags", "detail.tags")
	s := care.Snapshot{
		Subject:     f.str(detail, "subject", "detail.subject"),
		Status:      status,
		RequesterID: f.id(detail, "requester_id", "detail.requester_id"),
		AssigneeID:  f.id(detail, "assignee_id", "detail.assignee_id"),
		GroupID:     f.id(detail, "group_id", "detail.group_id"),
		Priority:    normPriority(f.str(detail, "priority", "detail.priority")),
	}
	if set {
		s.Tags = cleanTags(tags)
	}
	return s
}
