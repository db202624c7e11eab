package zendesk

import (
	"strconv"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Trigger bodies come from carecoach's template,
// events/zendesk-trigger-body.liquid.json. An admin pastes it into the
// "Notify active webhook" action of one trigger per purpose and sets its
// "trigger" field to that purpose:
//
//   - "comment": fires when a comment is added (condition "Comment is
//     present"); the latest comment is the new one.
//   - "satisfaction": fires when the rating changes to good or bad.
//   - "status": fires when the status changes.
//
// The purpose has to be spelled out because placeholders only render the
// ticket's current state: {{satisfaction.current_rating}} and
// {{ticket.latest_comment.*}} stay filled long after the rating or comment
// happened, so the body alone cannot say what just changed.
//
// Placeholders render as text, so every value may arrive as a string: ids as
// "5158", booleans as "true", tags space-separated. A value still holding
// "{{" was not rendered (for example a test send from the webhook builder)
// and counts as empty.

// Trigger purposes, the values of the template's "trigger" field.
const (
	TriggerComment      = "comment"
	TriggerSatisfaction = "satisfaction"
	TriggerStatus       = "status"
)

// triggerBody is a trigger body after its objects were found.
type triggerBody struct {
	purpose string
	ticket  object
	user    object
	comment object
	rating  object
	snap    care.Snapshot
	f       *fields // notes what could not be read
}

var triggerKinds = map[string]func(triggerBody, *care.Interaction){
	TriggerComment:      triggerComment,
	TriggerSatisfaction: triggerSatisfaction,
	TriggerStatus:       triggerStatus,
}

// normalizeTrigger normalizes a body built from carecoach's trigger template.
func normalizeTrigger(conn string, o object) ([]care.Interaction, error) {
	b, in, err := readTrigger(conn, o)
	if err != nil {
		return nil, err
	}
	fill, ok := triggerKinds[b.purpose]
	if !ok {
		return nil, invalid("trigger %q is not one of %q, %q or %q", clip(b.purpose, 40), TriggerComment, TriggerSatisfaction, TriggerStatus)
	}
	fill(b, in)
	in.Unread = b.f.unread
	setKey(in)
	return []care.Interaction{*in}, nil
}

// readTrigger checks the marker and reads the fields every purpose shares:
// the purpose, the ticket id and its update time are required, the rest is
// read as far as it can be.
func readTrigger(conn string, o object) (triggerBody, *care.Interaction, error) {
	b := triggerBody{f: &fields{}}
	marker, err := o.str("carecoach", "carecoach")
	if err != nil {
		return b, nil, err
	}
	if marker != TriggerMarker {
		return b, nil, invalid("carecoach marker is %q; this receiver understands %q", clip(marker, 40), TriggerMarker)
	}
	purpose, err := textOf(o, "trigger", "trigger")
	if err != nil {
		return b, nil, err
	}
	b.purpose = strings.ToLower(purpose)
	if b.ticket, err = o.obj("ticket", "ticket"); err != nil {
		return b, nil, err
	}
	ticket, err := textOf(b.ticket, "id", "ticket.id")
	if err != nil {
		return b, nil, err
	}
	updated, err := textOf(b.ticket, "updated_at", "ticket.updated_at")
	if err != nil {
		return b, nil, err
	}
	switch {
	case ticket == "":
		return b, nil, invalid("ticket.id is empty or was not rendered")
	case !isTicketID(ticket):
		return b, nil, invalid("ticket.id %q is not a Zendesk ticket id", clip(ticket, 40))
	}
	at, err := parseTime(updated, "ticket.updated_at")
	if err != nil {
		return b, nil, err
	}
	f := b.f
	b.user = f.obj(o, "current_user", "current_user")
	b.comment = f.obj(o, "latest_comment", "latest_comment")
	b.rating = f.obj(o, "satisfaction", "satisfaction")
	b.snap = triggerSnapshot(f, b.ticket)
	in := &care.Interaction{
		Ticket:    care.TicketRef{Connection: conn, TicketID: ticket},
		At:        at,
		ActorID:   text(f, b.user, "id", "current_user.id"),
		ActorName: text(f, b.user, "name", "current_user.name"),
		Snapshot:  b.snap,
	}
	return b, in, nil
}

// triggerSnapshot reads the ticket fields the template sends.
func triggerSnapshot(f *fields, t object) care.Snapshot {
	raw := text(f, t, "status", "ticket.status")
	status, ok := parseStatus(raw)
	if !ok && raw != "" && !untracked(raw) {
		f.notef("ticket.status %q is not a ticket status carecoach knows", clip(raw, 40))
	}
	return care.Snapshot{
		Subject:     text(f, t, "title", "ticket.title"),
		Status:      status,
		RequesterID: text(f, t, "requester_id", "ticket.requester_id"),
		AssigneeID:  text(f, t, "assignee_id", "ticket.assignee_id"),
		GroupID:     text(f, t, "group_id", "ticket.group_id"),
		Priority:    normPriority(text(f, t, "priority", "ticket.priority")),
		Tags:        tagList(f, t),
	}
}

// tagList reads {{ticket.tags}}, which renders space-separated; a JSON list
// is accepted too. An empty rendering means "no tags", not "unknown",
// because the placeholder always renders.
func tagList(f *fields, t object) []string {
	if kindOf(t["tags"]) == "an array" {
		tags, _ := f.strs(t, "tags", "ticket.tags")
		if tags == nil {
			return nil
		}
		return cleanTags(tags)
	}
	raw, err := t.str("tags", "ticket.tags")
	if err != nil || !t.has("tags") || strings.Contains(raw, "{{") {
		f.note(err)
		return nil // unknown, unlike a rendered empty list
	}
	return cleanTags(strings.Fields(raw))
}

// textOf reads a rendered placeholder: a string, a number or a boolean (or
// an object with an id, for ids), trimmed, with unrendered placeholders and
// Zendesk's "-" for "none" read as empty.
func textOf(o object, key, path string) (string, error) {
	var s string
	var err error
	switch kindOf(o[key]) {
	case "a number", "an object":
		s, err = o.id(key, path)
	case "a boolean":
		var v bool
		v, _, err = o.boolean(key, path)
		s = strconv.FormatBool(v)
	default:
		s, err = o.str(key, path)
		s = strings.TrimSpace(s)
	}
	if err != nil || s == "-" || strings.Contains(s, "{{") {
		return "", err
	}
	return s, nil
}

// text is textOf for a field the body can do without: one that cannot be
// read is noted and read as empty.
func text(f *fields, o object, key, path string) string {
	s, err := textOf(o, key, path)
	f.note(err)
	return s
}

// triggerComment: the latest comment is the one just added. Its kind comes
// from who added it ({{current_user.role}} renders "End-user", "Agent" or
// "Admin") and whether it is public; what is known decides when one of them
// did not render. Its id comes from the comment id, so a comment seen twice
// (a retry, or a second trigger) is stored once.
func triggerComment(b triggerBody, in *care.Interaction) {
	f := b.f
	commentID := text(f, b.comment, "id", "latest_comment.id")
	public, publicSet := f.boolean(b.comment, "is_public", "latest_comment.is_public")
	role := strings.ToLower(text(f, b.user, "role", "current_user.role"))
	in.Body = plainText(text(f, b.comment, "value", "latest_comment.value"), "")
	if commentID != "" {
		in.ID = "zdt-" + in.Ticket.TicketID + "-c-" + keyPart(commentID)
		in.Key = care.CommentKey(commentID)
	}
	switch {
	case publicSet && !public:
		in.Kind = care.InternalNote
	case isEndUser(role):
		// An end user's comment is public whatever is_public says.
		in.Kind = care.CustomerMessage
		in.FromRequester = in.ActorID != "" && in.ActorID == b.snap.RequesterID
		in.Body = customerWords(in.Body, in.ActorName)
	case publicSet && role != "":
		in.Kind = care.AgentReply
	case !publicSet:
		f.notef("latest_comment.is_public is empty or unreadable; cannot tell a reply from a note")
		in.Kind, in.SourceID = care.ChangeUnread, "trigger:"+TriggerComment
	default:
		f.notef("current_user.role is empty; cannot tell an agent from a customer")
		in.Kind, in.SourceID = care.ChangeUnread, "trigger:"+TriggerComment
	}
	if commentID == "" {
		// Without its id a comment is one change at one update time.
		f.notef("latest_comment.id is empty; the comment is known by the ticket's update time")
		in.ID = updateID(in)
	}
}

// isEndUser reports whether a rendered role is a customer's. Agents, admins
// and custom agent roles are all staff.
func isEndUser(role string) bool {
	role = strings.NewReplacer("-", "", "_", "", " ", "").Replace(role)
	return role == "enduser"
}

// triggerSatisfaction: the rating the customer just gave, with their comment.
func triggerSatisfaction(b triggerBody, in *care.Interaction) {
	score := text(b.f, b.rating, "rating", "satisfaction.rating")
	comment := text(b.f, b.rating, "comment", "satisfaction.comment")
	switch rating := parseRating(score); {
	case score == "":
		b.f.notef("satisfaction.rating is empty")
		in.Kind, in.SourceID = care.ChangeUnread, "trigger:"+TriggerSatisfaction
	case rating != "":
		in.Kind, in.Rating, in.Body = care.Satisfaction, rating, plainText(comment, "")
	default:
		// "Offered" and the like are not ratings: keep, but change nothing.
		in.Kind, in.SourceID = care.Unrecognized, "trigger:"+TriggerSatisfaction+":"+clip(strings.ToLower(score), 40)
	}
	in.ID = updateID(in)
}

// triggerStatus: the status the ticket just moved to.
func triggerStatus(b triggerBody, in *care.Interaction) {
	in.Kind, in.Status = care.StatusChanged, b.snap.Status
	if b.snap.Status == "" {
		raw, _ := textOf(b.ticket, "status", "ticket.status")
		switch {
		case untracked(raw):
			// Deleted, archived, scrubbed: read, and not part of a lifecycle.
			in.Kind, in.SourceID = care.Unrecognized, "trigger:"+TriggerStatus+":"+strings.ToLower(raw)
		case raw == "":
			b.f.notef("ticket.status is empty")
			fallthrough
		default: // triggerSnapshot noted why
			in.Kind, in.SourceID = care.ChangeUnread, "trigger:"+TriggerStatus
		}
	}
	in.ID = updateID(in)
}

// updateID names an interaction that has no id of its own in Zendesk: one
// kind of change to one ticket at one update time. A retried delivery gives
// the same id; the next change has a later updated_at.
func updateID(in *care.Interaction) string {
	return "zdt-" + in.Ticket.TicketID + "-" + string(in.Kind) + "-" + in.At.Format("20060102T150405Z")
}
